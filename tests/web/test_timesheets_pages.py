"""Relevés d'heures pages: upload, preview with doubts, confirm, template, access."""

import io
import re
from datetime import date

from sqlalchemy import func, select

from app.domain.enums import Role
from app.models import HourRecord
from app.models.timesheets import ImportStatus, TimesheetImport
from tests.conftest import page_text

CSV = ("Mois;mars 2026\n\nNom;Prénom;Heures travaillées;Dont formation\n"
       "Durand ORG-A;Camille;35,5;7\nINCONNU;Paul;12;0\n").encode()


def post_upload(browser, world, data=CSV, structure=None, name="mars.csv"):
    return browser.post("/releves/deposer", {
        "structure": structure or f"siae:{world.a.ids['siaes']['own']}", "month": "", "lot_id": "",
        "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_upload_preview_confirm_flow(login, world, session):
    browser = login(Role.FACILITATEUR)
    response = post_upload(browser, world)
    assert response.status_code == 302
    location = response.headers["Location"]
    page = page_text(browser.get(location))
    assert "Ce que Clausier a compris" in page and "Durand ORG-A Camille" in page
    assert "INCONNU Paul n'est pas dans la liste des participants." in page
    imp = session.scalar(select(TimesheetImport).order_by(TimesheetImport.id.desc()))
    before = session.scalar(select(func.count(HourRecord.id)))
    refused = browser.post(f"/releves/{imp.id}/confirmer", {"person-0": str(world.a.ids["participants"]["own"])})
    assert refused.status_code == 200 and "Rien n'a été enregistré" in page_text(refused)
    ok = browser.post(f"/releves/{imp.id}/confirmer", {"person-0": str(world.a.ids["participants"]["own"]),
                                                       "person-1": "ignore"})
    page = page_text(browser.get(ok.headers["Location"]))
    assert "Relevé enregistré : 1\u00a0mise en situation, 35,5\u00a0heures." in page
    session.expire_all()
    assert session.scalar(select(func.count(HourRecord.id))) == before + 1
    written = session.scalars(select(HourRecord).where(HourRecord.import_id == imp.id))
    assert [(r.is_counted, r.count_note) for r in written] == [(True, "")]
    assert session.get(TimesheetImport, imp.id).status == ImportStatus.CONFIRMED


def test_upload_garbage_shows_french_failure(login, world):
    browser = login(Role.FACILITATEUR)
    response = post_upload(browser, world, data=b"\x00\x01\x02 pas un tableur", name="photo.xlsx")
    page = page_text(browser.get(response.headers["Location"]))
    assert "Le fichier n'a pas pu être lu." in page and "Rien n'a été enregistré" in page


def test_upload_without_file_says_so(login, world):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/releves/deposer", {"structure": f"siae:{world.a.ids['siaes']['own']}"},
                            content_type="multipart/form-data")
    assert "Choisissez le fichier à déposer." in page_text(response)


def test_siae_user_uploads_for_itself_only(login, world):
    browser = login(Role.SIAE)
    form = page_text(browser.get("/releves/deposer"))
    assert "SIAE ORG-A" in form and "HORS-STRUCTURE" not in form
    response = post_upload(browser, world, structure=f"siae:{world.a.ids['siaes']['other']}")
    assert response.status_code == 200
    assert "N'est pas un choix valide." in page_text(response)


def test_imports_of_other_structures_invisible(login, world, session):
    facilitator = login(Role.FACILITATEUR)
    post_upload(facilitator, world, structure=f"siae:{world.a.ids['siaes']['other']}", name="autre.csv")
    imp = session.scalar(select(TimesheetImport).order_by(TimesheetImport.id.desc()))
    siae = login(Role.SIAE)
    assert siae.get(f"/releves/{imp.id}").status_code == 404
    assert "autre.csv" not in page_text(siae.get("/releves/"))
    assert login(Role.ADMIN, "b").get(f"/releves/{imp.id}").status_code == 404
    assert siae.get(f"/fichiers/{imp.file_id}").status_code == 404


def test_gestionnaire_reads_but_cannot_upload(login):
    browser = login(Role.GESTIONNAIRE)
    assert browser.get("/releves/").status_code == 200
    assert browser.get("/releves/deposer").status_code == 403


def test_template_download_is_xlsx(login, world):
    browser = login(Role.SIAE)
    response = browser.get(f"/releves/modele?structure=siae:{world.a.ids['siaes']['own']}&month=2026-03")
    assert response.status_code == 200
    assert response.data[:2] == b"PK"
    assert "attachment" in response.headers["Content-Disposition"]


def test_preview_shows_month_already_declared_side_by_side_then_counts_once(login, world, session):
    browser = login(Role.FACILITATEUR)
    person = str(world.a.ids["participants"]["own"])
    first = post_upload(browser, world, data=CSV.replace(b"35,5", b"142"))
    imp = session.scalar(select(TimesheetImport).order_by(TimesheetImport.id.desc()))
    browser.get(first.headers["Location"])
    browser.post(f"/releves/{imp.id}/confirmer", {"person-0": person, "person-1": "ignore"})
    company = f"company:{world.a.ids['companies']['own']}"
    second = post_upload(browser, world, data=CSV.replace(b"35,5", b"168"), structure=company, name="entreprise.csv")
    page = page_text(browser.get(second.headers["Location"]))
    assert "Déjà déclaré par SIAE ORG-A" in page and "142\u00a0h" in page and "168\u00a0h" in page
    assert "Garder le chiffre du déclarant de référence (SIAE ORG-A)" in page
    assert "déclaré par" in page and "et par" in page
    imp = session.scalar(select(TimesheetImport).order_by(TimesheetImport.id.desc()))
    browser.post(f"/releves/{imp.id}/confirmer", {"person-0": person, "person-1": "ignore", "double-0": "record"})
    session.expire_all()
    march = session.scalars(select(HourRecord).where(HourRecord.placement_id == world.a.ids["placements"]["own"],
                                                     HourRecord.month_on == date(2026, 3, 1))).all()
    assert sorted((r.minutes // 60, r.is_counted) for r in march) == [(142, True), (168, False)]


def test_preview_asks_before_counting_hours_outside_the_placement(login, world, session):
    browser = login(Role.FACILITATEUR)
    response = post_upload(browser, world, data=CSV.replace("mars 2026".encode(), "décembre 2025".encode()))
    page = page_text(browser.get(response.headers["Location"]))
    assert "Compter les 35,5\u00a0h hors des dates de la mise en situation" in page
    imp = session.scalar(select(TimesheetImport).order_by(TimesheetImport.id.desc()))
    browser.post(f"/releves/{imp.id}/confirmer", {"person-0": str(world.a.ids["participants"]["own"]),
                                                  "person-1": "ignore", "outside-0": "accept"})
    session.expire_all()
    record = session.scalar(select(HourRecord).where(HourRecord.import_id == imp.id))
    assert record.is_counted and record.accepted_by_id is not None


UNKNOWN = ("Nom;Prénom;Heures travaillées;Dont formation\n"
           "MARTINEZ;Lucie;20;0\nINCONNU;Paul;12;0\n").encode()


def test_refused_confirmation_keeps_every_choice_made_on_the_page(login, world, session):
    browser = login(Role.FACILITATEUR)
    post_upload(browser, world, data=UNKNOWN, name="sans-mois.csv")
    imp = session.scalar(select(TimesheetImport).order_by(TimesheetImport.id.desc()))
    person = str(world.a.ids["participants"]["own"])
    first = page_text(browser.get(f"/releves/{imp.id}"))
    assert "— Choisir —" in first
    # The second name is left unresolved: the confirmation is refused, nothing is written.
    refused = browser.post(f"/releves/{imp.id}/confirmer", {"person-0": person, "person-1": "", "month": "2026-03"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Indiquez qui est « INCONNU Paul » ou ignorez la ligne." in page_text(refused)
    assert f'<option value="{person}" selected>' in html
    assert 'name="month" type="month" required value="2026-03"' in html
    again = browser.post(f"/releves/{imp.id}/confirmer", {"person-0": "ignore", "person-1": "", "month": "2026-03"})
    assert '<option value="ignore" selected>' in again.get_data(as_text=True)
    session.expire_all()
    assert session.get(TimesheetImport, imp.id).status == ImportStatus.PREVIEW


def test_preview_says_in_advance_which_sheet_it_replaces_with_both_figures(login, world, session):
    browser = login(Role.FACILITATEUR)
    person = str(world.a.ids["participants"]["own"])
    post_upload(browser, world)
    first = session.scalar(select(TimesheetImport).order_by(TimesheetImport.id.desc()))
    page = page_text(browser.get(f"/releves/{first.id}"))
    assert "remplacera" not in page
    browser.post(f"/releves/{first.id}/confirmer", {"person-0": person, "person-1": "ignore"})
    post_upload(browser, world, data=CSV.replace(b"35,5", b"40"), name="mars-corrige.csv")
    second = session.scalar(select(TimesheetImport).order_by(TimesheetImport.id.desc()))
    html = page_text(browser.get(f"/releves/{second.id}"))
    section = " ".join(re.sub(r"<[^>]+>", " ", html.split('class="flash flash-info replacing"')[1]
                              .split("</section>")[0]).split())
    assert "Ce relevé remplacera celui déjà enregistré pour 03/2026" in section
    assert re.search(rf"Relevé n° {first.id} — mars\.csv, enregistré le \d\d/\d\d/\d{{4}} 1 35,5\d* heures", section)
    assert re.search(rf"Ce relevé \(n° {second.id}\) 2 52 heures", section)
    session.expire_all()
    assert session.get(TimesheetImport, first.id).status == ImportStatus.CONFIRMED
