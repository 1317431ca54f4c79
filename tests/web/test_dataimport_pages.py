"""Importer des données: upload, mapping grid, value maps, profiles, preview, all or nothing, export round trip."""

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.domain.enums import Role, SiaeKind
from app.models import AuditEvent, Company, DataImport, DataImportStatus, ImportProfile, Siae
from tests.conftest import page_text
from tests.services.dataimport import files
from tests.services.dataimport.files import SIRETS

ODD_HEADER = ["Numéro d'établissement", "Dénomination sociale", "Code postal", "Localité"]


def upload(browser, kind, data, name="fichier.csv", profile=""):
    return browser.post(f"/donnees/{kind}/importer", {"file": (io.BytesIO(data), name), "profile": profile},
                        content_type="multipart/form-data")


def latest(session) -> DataImport:
    session.expire_all()
    return session.scalar(select(DataImport).order_by(DataImport.id.desc()))


def grid_form(imp: DataImport, **extra) -> dict:
    """Return the grid's fields as the page posts them: the header line and every column's select."""
    form = {"entete": str(imp.mapping["header_row"] + 1), "profil": ""}
    columns = {int(index): role for index, role in imp.mapping["columns"].items()}
    form.update({f"col-{index}": columns.get(index, "") for index in range(imp.sheet_preview["width"])})
    form.update(extra)
    return form


def ours(session, world, model):
    return session.scalars(select(model).where(model.organisation_id == world.a.organisation_id)).all()


@pytest.mark.parametrize("role", [Role.SIAE, Role.ENTREPRISE, Role.GESTIONNAIRE])
def test_dataimport_pages_refused_to_structures_and_gestionnaire(login, session, world, role):
    imp = DataImport(organisation_id=world.a.organisation_id, kind="companies", filename="f.csv", sha256="0" * 64,
                     value_maps={})
    session.add(imp)
    session.commit()
    browser = login(role)
    for url in ("/donnees/", "/donnees/companies/importer", f"/donnees/imports/{imp.id}",
                "/donnees/companies/export.xlsx"):
        assert browser.get(url).status_code == 403, url
    assert upload(browser, "companies", files.COMPANIES_TOOL).status_code == 403
    assert browser.post(f"/donnees/imports/{imp.id}/importer").status_code == 403


def test_dataimport_another_organisations_import_is_not_found(login, session, world):
    imp = DataImport(organisation_id=world.b.organisation_id, kind="companies", filename="f.csv", sha256="0" * 64,
                     value_maps={})
    session.add(imp)
    session.commit()
    browser = login(Role.ADMIN)
    assert browser.get(f"/donnees/imports/{imp.id}").status_code == 404
    assert browser.post(f"/donnees/imports/{imp.id}/importer").status_code == 404
    assert browser.get("/donnees/unknown/importer").status_code == 404


def test_dataimport_index_lists_every_kind_with_its_required_columns(app, login):
    from app.domain.dataimport import KINDS

    page = page_text(login(Role.FACILITATEUR).get("/donnees/"))
    assert "Pour une reprise complète, importez dans cet ordre" in page
    for kind in KINDS.values():
        assert kind.label in page and f"/donnees/{kind.name}/importer" in page
        for field in kind.fields:
            assert field.label in page
    assert 'href="/donnees/"' in page_text(login(Role.ADMIN).get("/"))  # the menu entry


def test_dataimport_upload_preview_confirm_writes_the_rows(login, session, world):
    browser = login(Role.FACILITATEUR)
    response = upload(browser, "companies", files.COMPANIES_TOOL, "extraction.csv")
    assert response.status_code == 302
    imp = latest(session)
    assert response.headers["Location"].endswith(f"/donnees/imports/{imp.id}")
    assert imp.status == DataImportStatus.PREVIEW and imp.report["created"] == 2
    page = page_text(browser.get(f"/donnees/imports/{imp.id}"))
    assert "Ce que l'import fera" in page and "À créer : <strong>2</strong>" in page
    assert "Importer 2\u00a0lignes" in page
    assert SIRETS[1] in page  # the key of a line to create
    events = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "data_import",
                                                      AuditEvent.object_id == imp.id)).all()
    assert [event.action for event in events] == ["read"]
    before = len(ours(session, world, Company))
    done = browser.post(f"/donnees/imports/{imp.id}/importer")
    assert done.status_code == 302
    page = page_text(browser.get(done.headers["Location"]))
    assert "Import enregistré : 2\u00a0fiches créées" in page
    names = {company.name for company in ours(session, world, Company)}
    assert len(names) == before + 2 and {"Propreté Plus", "Élec Concept"} <= names
    imp = latest(session)
    assert (imp.status, imp.created_count, imp.confirmed_by_id is not None) == (DataImportStatus.CONFIRMED, 2, True)
    assert page.count("Voir la liste : Entreprises") == 1


def test_dataimport_missing_required_column_is_fixed_in_the_grid(login, session, world):
    data = files.tool_csv(ODD_HEADER, [[SIRETS[0], "Charpentes du Littoral", "62100", "Calais"]])
    browser = login(Role.ADMIN)
    upload(browser, "companies", data)
    imp = latest(session)
    page = page_text(browser.get(f"/donnees/imports/{imp.id}"))
    assert "Colonne obligatoire introuvable : « SIRET »" in page
    assert "Numéro d'établissement" in page and 'name="col-0"' in page  # the grid is there to fix it
    assert "Indiquez la colonne dans la grille ci-dessous" in page and "Importer 1" not in page
    form = grid_form(imp, **{"col-0": "siret", "col-1": "name"})
    response = browser.post(f"/donnees/imports/{imp.id}/relire", form)
    assert response.status_code == 302
    imp = latest(session)
    assert imp.error == "" and imp.report["created"] == 1 and imp.mapping["columns"]["0"] == "siret"
    browser.post(f"/donnees/imports/{imp.id}/importer")
    company = session.scalar(select(Company).where(Company.siret == SIRETS[0],
                                                   Company.organisation_id == world.a.organisation_id))
    assert (company.name, company.city, company.postcode) == ("Charpentes du Littoral", "Calais", "62100")


def test_dataimport_unknown_siae_code_is_mapped_then_confirmed(login, session, world):
    data = files.tool_csv(["Siret", "Raison sociale", "Type"], [[SIRETS[2], "Insertion Express", "EITI"],
                                                                [SIRETS[3], "Chantier Bleu", "ACI"]])
    browser = login(Role.FACILITATEUR)
    upload(browser, "siae", data, "siae.csv")
    imp = latest(session)
    assert imp.report["unknown"] == {"kind": ["EITI"]} and imp.report["errors"] == 1
    page = page_text(browser.get(f"/donnees/imports/{imp.id}"))
    assert "Valeurs à faire correspondre" in page and "« EITI » correspond à" in page
    assert "Entreprise de travail temporaire d'insertion" in page  # Clausier's labels in the select
    assert "1\u00a0ligne est en erreur" in page and "Importer 1" not in page
    form = grid_form(imp, **{"inconnu-1": "EITI", "champ-1": "kind", "code-1": "ETTI"})
    browser.post(f"/donnees/imports/{imp.id}/relire", form)
    imp = latest(session)
    assert imp.value_maps == {"kind": {"EITI": "ETTI"}} and imp.report["errors"] == 0
    # The correspondence stays on the page, open to change.
    page = browser.get(f"/donnees/imports/{imp.id}").get_data(as_text=True)
    assert re.search(r'<option value="ETTI" selected>', page)
    browser.post(f"/donnees/imports/{imp.id}/importer")
    siae = session.scalar(select(Siae).where(Siae.siret == SIRETS[2], Siae.organisation_id == world.a.organisation_id))
    assert (siae.name, siae.kind) == ("Insertion Express", SiaeKind.ETTI)


def test_dataimport_saved_profile_reads_the_next_file(login, session, world):
    browser = login(Role.ADMIN)
    upload(browser, "companies", files.tool_csv(ODD_HEADER, [[SIRETS[0], "Toitures Réunies", "59000", "Lille"]]))
    imp = latest(session)
    browser.post(f"/donnees/imports/{imp.id}/relire",
                 grid_form(imp, **{"col-0": "siret", "col-1": "name", "profil": "Logiciel Insertion+"}))
    profile = session.scalar(select(ImportProfile).where(ImportProfile.organisation_id == world.a.organisation_id))
    assert profile.name == "Logiciel Insertion+" and profile.mapping["columns"]["0"] == "siret"
    page = page_text(browser.get("/donnees/companies/importer"))
    assert "Logiciel Insertion+" in page
    upload(browser, "companies", files.tool_csv(ODD_HEADER, [[SIRETS[3], "Menuiserie Artois", "62000", "Arras"]]),
           "mois-suivant.csv")
    second = latest(session)
    assert second.id != imp.id and second.profile_name == "Logiciel Insertion+"
    assert second.error == "" and second.report["created"] == 1
    assert "Profil d'import" in page_text(browser.get(f"/donnees/imports/{second.id}"))


def test_dataimport_file_with_errors_cannot_be_confirmed(login, session, world):
    data = files.tool_csv(["SIRET", "Raison sociale"], [["81234567600100", "Mauvais Siret"],
                                                       [SIRETS[1], "Bon Siret"]])
    browser = login(Role.ADMIN)
    upload(browser, "companies", data)
    imp = latest(session)
    page = page_text(browser.get(f"/donnees/imports/{imp.id}"))
    assert "SIRET" in page and "erreur" in page and "Importer 1" not in page
    before = len(ours(session, world, Company))
    response = browser.post(f"/donnees/imports/{imp.id}/importer")
    assert "Rien n'a été enregistré" in page_text(browser.get(response.headers["Location"]))
    assert len(ours(session, world, Company)) == before
    assert latest(session).status == DataImportStatus.PREVIEW


def test_dataimport_same_file_twice_creates_nothing_the_second_time(login, session, world):
    browser = login(Role.FACILITATEUR)
    upload(browser, "buyers", files.BUYERS_HANDMADE, "acheteurs.xlsx")
    browser.post(f"/donnees/imports/{latest(session).id}/importer")
    count = session.scalar(select(func.count()).select_from(DataImport))
    upload(browser, "buyers", files.BUYERS_HANDMADE, "acheteurs.xlsx")
    second = latest(session)
    assert session.scalar(select(func.count()).select_from(DataImport)) == count + 1
    assert "Confirmer (aucune ligne à écrire)" in page_text(browser.get(f"/donnees/imports/{second.id}"))
    browser.post(f"/donnees/imports/{second.id}/importer")
    second = latest(session)
    assert (second.status, second.created_count, second.updated_count) == (DataImportStatus.CONFIRMED, 0, 0)


def test_dataimport_export_reimports_with_no_change(login, session, world):
    browser = login(Role.ADMIN)
    upload(browser, "companies", files.COMPANIES_HANDMADE, "entreprises.xlsx")
    browser.post(f"/donnees/imports/{latest(session).id}/importer")
    response = browser.get("/donnees/companies/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [cell.value for cell in sheet[1]][:2] == ["SIRET", "Raison sociale"]
    assert sheet.max_row == len(ours(session, world, Company)) + 1
    upload(browser, "companies", response.data, "export.xlsx")
    again = latest(session)
    assert again.error == "" and again.report["errors"] == 0
    assert (again.report["created"], again.report["updated"]) == (0, 0)


def test_dataimport_grid_of_forty_columns_scrolls(login, session):
    header = ["SIRET", "Raison sociale", *(f"Colonne libre {n}" for n in range(38))]
    data = files.tool_csv(header, [[SIRETS[0], "Large Tableur", *("x" for _ in range(38))]])
    browser = login(Role.ADMIN)
    upload(browser, "companies", data)
    html = browser.get(f"/donnees/imports/{latest(session).id}").get_data(as_text=True)
    assert html.count('<select id="col-') == 40
    assert re.search(r'<div class="grid-scroll">\s*<table class="list sheet-grid import-grid">', html)


def test_dataimport_unreadable_file_says_so_in_french(login, session):
    browser = login(Role.ADMIN)
    upload(browser, "companies", b"\x00\x01\x02 pas un tableur", "photo.xlsx")
    imp = latest(session)
    page = page_text(browser.get(f"/donnees/imports/{imp.id}"))
    assert imp.status == DataImportStatus.FAILED
    assert "Le fichier n'a pas pu être lu." in page and "Formats acceptés" in page


def test_dataimport_moving_the_header_line_proposes_the_columns_again(login, session, world):
    browser = login(Role.ADMIN)
    upload(browser, "buyers", files.BUYERS_HANDMADE, "acheteurs.xlsx")
    imp = latest(session)
    assert imp.mapping["header_row"] == 3 and imp.report["created"] == 2
    browser.post(f"/donnees/imports/{imp.id}/relire", grid_form(imp, entete="1"))
    imp = latest(session)
    assert imp.mapping["header_row"] == 0 and "Colonne obligatoire non indiquée : « Nom »" in imp.error
    browser.post(f"/donnees/imports/{imp.id}/relire", grid_form(imp, entete="4"))
    imp = latest(session)
    assert imp.error == "" and imp.mapping["columns"] == {"0": "name", "1": "city", "2": "contact_email"}
    assert imp.report["created"] == 2
    refused = browser.post(f"/donnees/imports/{imp.id}/relire", grid_form(imp, entete="40"))
    assert refused.status_code == 422 and "parmi les lignes montrées (1 à 8)" in page_text(refused)


def test_dataimport_refused_grid_keeps_the_columns_chosen(login, session):
    browser = login(Role.ADMIN)
    upload(browser, "companies", files.tool_csv(ODD_HEADER, [[SIRETS[0], "Double Choix", "62100", "Calais"]]))
    imp = latest(session)
    refused = browser.post(f"/donnees/imports/{imp.id}/relire", grid_form(imp, **{"col-0": "siret", "col-3": "siret"}))
    page = page_text(refused)
    assert refused.status_code == 422
    assert "« SIRET » est choisi pour deux colonnes (A et D) : gardez-le pour une seule." in page
    assert re.search(r'<select id="col-0" name="col-0">.*?<option value="siret" selected>', page, re.S)
    assert latest(session).mapping["columns"].get("0") != "siret"  # nothing stored
