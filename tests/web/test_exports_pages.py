"""Export pages: downloads typed and confined to the organisation, completeness shown before the
FSE+ export, bilans requested in the background, exports written to the audit trail."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from app.domain.enums import Role
from app.domain.reports import IMPACT_SHEET
from app.domain.reports.fse_common import EducationLevel, LabourStatus
from app.models import AuditEvent, Bilan, BilanNarrative, FseOperation, FseParticipantRecord, Tender
from tests.conftest import page_text
from tests.services.reports.followup_helpers import make_site


def sheet_values(response) -> set:
    ws = load_workbook(BytesIO(response.data))[IMPACT_SHEET]
    return {cell.value for row in ws.iter_rows() for cell in row if cell.value is not None}


def test_impact_export_typed_filtered_and_audited(login, session, world):
    site = make_site(session, world, lots=1, people=3, tag="EXPWEB", last_names=("Zéphyr",))
    session.commit()
    browser = login(Role.GESTIONNAIRE)
    response = browser.get(f"/exports/tableau-impact.xlsx?starts_on=2026-01-01&ends_on=2026-12-31"
                           f"&buyer_id={site.buyer_id}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    values = sheet_values(response)
    assert "Zéphyr" in values and "T-EXPWEB" in values and "REF ORG-A" not in values
    assert not any("ORG-B" in str(value) for value in values)
    pseudo = sheet_values(browser.get(f"/exports/tableau-impact.xlsx?buyer_id={site.buyer_id}&pseudonymise=y"))
    assert "Zéphyr" not in pseudo and "EXPWEB-0000" in pseudo
    events = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "tableau_impact")).all()
    assert [e.detail for e in events][-2:] == ["nominatif", "pseudonymisé"]


def test_operations_export_xlsx_and_pdf(login, session, world):
    make_site(session, world, lots=2, people=1, tag="OPSWEB")
    session.commit()
    browser = login(Role.FACILITATEUR)
    xlsx = browser.get("/exports/operations.xlsx?starts_on=01/01/2026&ends_on=31/12/2026")
    values = {c.value for row in load_workbook(BytesIO(xlsx.data)).active.iter_rows() for c in row}
    assert "T-OPSWEB" in values and 1000 in values
    pdf = browser.get("/exports/operations.pdf")
    assert "T-OPSWEB" in "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.data)).pages)


def test_export_bad_filters_say_so(login):
    response = login(Role.FACILITATEUR).get("/exports/tableau-impact.xlsx?starts_on=2026-12-31&ends_on=2026-01-01")
    assert response.status_code == 400
    assert "La fin de la période précède son début." in page_text(response)


def test_fse_completeness_shown_before_export(login, session, world):
    site = make_site(session, world, lots=1, people=4, tag="FSEWEB")
    operation = FseOperation(organisation_id=world.a.organisation_id, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), title="Opération FSEWEB")
    operation.tenders = [session.get(Tender, site.tender_id)]
    session.add(operation)
    session.flush()
    # Entry data typed for all four: only the person without phone nor e-mail stays incomplete.
    session.add_all([FseParticipantRecord(organisation_id=world.a.organisation_id, fse_operation_id=operation.id,
                                          participant_id=participant_id, labour_status=LabourStatus.UNEMPLOYED,
                                          education_level=EducationLevel.ISCED_3_4)
                     for participant_id in site.participant_ids])
    session.commit()
    browser = login(Role.GESTIONNAIRE)
    page = page_text(browser.get(f"/exports/?fse_operation_id={operation.id}"))
    assert "Taux de complétude : 75,0\u00a0%" in page and "1\u00a0fiche incomplète sur 4" in page
    assert "FSEWEB-0000 : Téléphone ou e-mail" in page
    response = browser.get(f"/exports/participants-fse.xlsx?fse_operation_id={operation.id}")
    ws = load_workbook(BytesIO(response.data)).active
    assert ws.cell(2, 2).value == 0.75 and ws.cell(7, 1).value == "Opération FSEWEB"


def test_bilan_request_runs_and_shows_files(login, session, world):
    site = make_site(session, world, lots=1, people=2, tag="BILWEB")
    session.commit()
    browser = login(Role.GESTIONNAIRE)
    browser.refresh_token("/exports/")
    response = browser.post("/exports/bilans", {"bilan-subject": "company", "bilan-company_id": str(site.company_id),
                                                "bilan-buyer_id": "", "bilan-starts_on": "01/01/2026",
                                                "bilan-ends_on": "30/06/2026", "bilan-csrf_token": browser.token})
    assert response.status_code == 302
    page = page_text(browser.get(response.headers["Location"]))
    bilan = session.scalars(select(Bilan).order_by(Bilan.id.desc())).first()
    assert bilan.company_id == site.company_id and "Bâtiment BILWEB" in page and ".docx" in page
    refused = browser.post("/exports/bilans", {"bilan-subject": "buyer", "bilan-buyer_id": "", "bilan-company_id": "",
                                               "bilan-starts_on": "01/01/2026", "bilan-ends_on": "30/06/2026",
                                               "bilan-csrf_token": browser.token})
    assert refused.status_code == 400 and "Choisissez l'acheteur." in page_text(refused)


@pytest.mark.parametrize("role", [Role.SIAE, Role.ENTREPRISE])
def test_structure_users_cannot_export(login, role):
    browser = login(role)
    for url in ("/exports/", "/exports/tableau-impact.xlsx", "/exports/operations.xlsx"):
        assert browser.get(url).status_code == 403, url


def test_other_organisation_bilan_not_found(login, session, world):
    bilan = Bilan(organisation_id=world.b.organisation_id, subject="all", starts_on=date(2026, 1, 1),
                  ends_on=date(2026, 6, 30))
    session.add(bilan)
    session.commit()
    assert login(Role.ADMIN).get(f"/exports/bilans/{bilan.id}").status_code == 404


def test_statistics_export_masks_small_cells_and_names(login, session):
    from io import BytesIO

    from openpyxl import load_workbook

    from app.domain.enums import Role

    browser = login(Role.GESTIONNAIRE)
    response = browser.get("/exports/statistiques.xlsx?starts_on=2026-01-01&ends_on=2026-12-31")
    assert response.status_code == 200
    values = [c.value for line in load_workbook(BytesIO(response.data)).active.iter_rows() for c in line if c.value]
    assert "Durand ORG-A" not in values and "< 5" in values


def _texts_form(browser, site, **texts) -> dict:
    form = {"bilan-subject": "company", "bilan-company_id": str(site.company_id), "bilan-starts_on": "01/01/2026",
            "bilan-ends_on": "30/06/2026", "bilan-csrf_token": browser.token}
    return form | {f"bilan-{name}": text for name, text in texts.items()}


def test_bilan_texts_are_offered_from_the_figures_then_kept_for_next_time(login, session, world):
    site = make_site(session, world, lots=1, people=2, tag="BILTXT")
    session.commit()
    browser = login(Role.FACILITATEUR)
    query = f"bilan-subject=company&bilan-company_id={site.company_id}&bilan-starts_on=01/01/2026" \
            "&bilan-ends_on=30/06/2026&bilan-with_pdf=y"
    first = page_text(browser.get(f"/exports/bilans/nouveau?{query}"))
    # A draft from the indicators: 2 people × 3 months × 35 hours, written in the « Faits marquants ».
    assert "proposés d'après les chiffres" in first and "210\u00a0heures d'insertion réalisées" in first
    assert "Bâtiment BILTXT" in first
    browser.refresh_token("/exports/")
    done = browser.post("/exports/bilans", _texts_form(browser, site, highlights="Visite de chantier avec l'élu.",
                                                        actions="", difficulties="", outlook="Nouveau marché en 2027."))
    assert done.status_code == 302
    again = page_text(browser.get(f"/exports/bilans/nouveau?{query}"))
    assert "Textes repris du dernier bilan" in again and "Visite de chantier avec l'élu." in again
    assert "210\u00a0heures d'insertion réalisées" not in again
    fresh = page_text(browser.get(f"/exports/bilans/nouveau?{query}&propositions=1"))
    assert "210\u00a0heures d'insertion réalisées" in fresh
    # The bilan's page offers to write it again, with the same subject and period.
    bilan = session.scalars(select(Bilan).order_by(Bilan.id.desc())).first()
    assert "Rédiger à nouveau ce bilan" in page_text(browser.get(f"/exports/bilans/{bilan.id}"))


def test_bilan_text_too_long_is_refused_and_every_text_kept(login, session, world):
    site = make_site(session, world, lots=1, people=2, tag="BILLONG")
    session.commit()
    browser = login(Role.FACILITATEUR)
    browser.refresh_token("/exports/")
    before = session.scalar(select(func.count(Bilan.id)))
    long_text = "Un chantier exemplaire." + " Un chantier exemplaire." * 199  # 4 799 characters
    refused = browser.post("/exports/bilans", _texts_form(browser, site, highlights="Mes faits marquants à moi.",
                                                           actions=long_text, difficulties="", outlook="Suite."))
    page = page_text(refused)
    assert refused.status_code == 400
    assert "Ce texte compte 4\u202f799 caractères pour 4\u202f000 au plus : raccourcissez-le" in page
    assert "Mes faits marquants à moi." in page and long_text in page and "Suite." in page
    assert session.scalar(select(func.count(Bilan.id))) == before
    assert session.scalars(select(BilanNarrative).where(BilanNarrative.company_id == site.company_id)).all() == []


def test_bilan_request_without_texts_leaves_the_kept_ones(login, session, world):
    site = make_site(session, world, lots=1, people=1, tag="BILKEEP")
    session.commit()
    browser = login(Role.FACILITATEUR)
    browser.refresh_token("/exports/")
    browser.post("/exports/bilans", _texts_form(browser, site, highlights="Gardé.", actions="", difficulties="",
                                                outlook=""))
    assert browser.post("/exports/bilans", _texts_form(browser, site)).status_code == 302
    kept = session.scalars(select(BilanNarrative).where(BilanNarrative.company_id == site.company_id)).one()
    assert kept.highlights == "Gardé." and kept.subject_key == f"company:{site.company_id}"
