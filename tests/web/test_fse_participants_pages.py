"""FSE+ participant pages: completeness first, the record form, the common-indicator download, access."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.enums import Role
from app.domain.reports.fse_common import LabourStatus
from app.models import AuditEvent, FseOperation, FseParticipantRecord, Participant, Placement, Tender
from tests.conftest import page_text
from tests.services.reports.followup_helpers import make_site

VALID = {"entry_on": "", "labour_status": "long_term_unemployed", "education_level": "isced_3_4",
         "is_third_country_national": "no", "has_foreign_background": "no", "is_homeless": "no", "is_rural": "no",
         "is_disabled": "", "is_minority": "", "exit_on": "", "exit_job_searching": "", "exit_in_education": "",
         "exit_qualification": "", "exit_employed": "", "six_months_on": "", "six_months_employed": "",
         "six_months_improved": ""}


@pytest.fixture
def operation(session, world):
    """An operation of organisation A over 2026: three people with hours, the first left on 29/05/2026."""
    site = make_site(session, world, lots=1, people=3, tag="FSEWEB", first_names=("Inès", "Karim", "Sylvie"),
                     last_names=("Lefebvre", "Benali", "Vandamme"))
    session.get(Placement, site.placement_ids[0]).ends_on = date(2026, 5, 29)
    operation = FseOperation(organisation_id=world.a.organisation_id, starts_on=date(2026, 1, 1),
                             ends_on=date(2026, 12, 31), title="Clauses sociales 2026 — FSEWEB")
    operation.tenders = [session.get(Tender, site.tender_id)]
    session.add(operation)
    session.commit()
    return operation.id, site.participant_ids


def audit_rows(session, object_type: str) -> list[tuple]:
    session.expire_all()
    return [(e.action, e.object_id, e.detail) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == object_type).order_by(AuditEvent.id))]


def test_index_completeness_and_warning_before_the_list_and_download(login, session, operation):
    operation_id, people = operation
    page = page_text(login(Role.GESTIONNAIRE).get(f"/fse/operations/{operation_id}/participants"))
    assert "Taux de complétude au" in page and "0,0\u00a0%" in page and "3\u00a0fiches incomplètes sur 3" in page
    warning = page.index("Attention : 100,0\u00a0% des fiches sont incomplètes.")
    assert warning < page.index("Télécharger les indicateurs communs") < page.index("Lefebvre Inès")
    assert f'href="/fse/operations/{operation_id}/participants/{people[0]}"' in page
    assert "Situation sur le marché du travail, Niveau d'études" in page
    assert audit_rows(session, "fse_participants") == [("read", operation_id, "participants FSE+ de l'opération")]


def test_record_saved_then_complete_and_audited(login, session, operation):
    operation_id, people = operation
    browser = login(Role.GESTIONNAIRE)
    url = f"/fse/operations/{operation_id}/participants/{people[1]}"
    page = page_text(browser.get(url))
    assert "À l'entrée" in page and "À la sortie (dans les 4 semaines)" in page and "Six mois après la sortie" in page
    assert "Ne souhaite pas répondre" in page and "facultatives" in page
    response = browser.post(url, VALID)
    assert response.status_code == 302, page_text(response)
    record = session.scalars(select(FseParticipantRecord).where(
        FseParticipantRecord.participant_id == people[1])).one()
    assert record.labour_status is LabourStatus.LONG_TERM_UNEMPLOYED and record.is_disabled is None
    assert record.is_rural is False and record.updated_by_id is not None
    page = page_text(browser.get(response.headers["Location"]))
    assert "Fiche FSE+ de FSEWEB-0001 enregistrée." in page and "2\u00a0fiches incomplètes sur 3" in page
    # Still working: no exit date from the placements, so an exit answer waits for one.
    response = browser.post(url, {**VALID, "exit_employed": "yes"})
    assert response.status_code == 400
    assert "Indiquez la date de sortie avant la situation à la sortie." in page_text(response)
    assert [row[0] for row in audit_rows(session, "fse_participant_record")] == ["read", "update"]


def test_record_refused_in_french_keeps_what_was_typed(login, session, operation):
    operation_id, people = operation
    url = f"/fse/operations/{operation_id}/participants/{people[0]}"
    response = login(Role.FACILITATEUR).post(url, {**VALID, "exit_on": "27/02/2026", "labour_status": "inactive",
                                                   "is_disabled": "yes"})
    page = page_text(response)
    assert response.status_code == 400
    assert "La date de sortie (27/02/2026) précède la date d'entrée (01/03/2026)." in page
    assert 'value="27/02/2026"' in page
    assert '<option selected value="inactive">' in page and '<option selected value="yes">' in page
    assert session.scalars(select(FseParticipantRecord).where(
        FseParticipantRecord.participant_id == people[0])).first() is None
    response = login(Role.ADMIN).post(url, {**VALID, "six_months_on": "31/02/2027"})
    assert response.status_code == 400 and "31/02/2027" in page_text(response)


def test_indicators_download_reads_back_without_names_and_is_audited(login, session, operation):
    operation_id, _people = operation
    response = login(Role.FACILITATEUR).get(f"/fse/operations/{operation_id}/indicateurs-communs.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    ws = load_workbook(BytesIO(response.data)).active
    texts = " ".join(str(cell.value) for row in ws.iter_rows() for cell in row if cell.value is not None)
    assert "Lefebvre" not in texts and "FSEWEB-0000" not in texts
    assert ws["A1"].value == "Indicateurs communs FSE+ — Clauses sociales 2026 — FSEWEB"
    assert next(row for row in ws.iter_rows(values_only=True) if row[0] == "EECO01")[2:] == (3, 1, 2, 0)
    assert audit_rows(session, "fse_common_indicators") == [("export", operation_id, "indicateurs communs FSE+")]


@pytest.mark.parametrize("role", [Role.SIAE, Role.ENTREPRISE])
def test_structures_refused(login, operation, role):
    operation_id, people = operation
    browser = login(role)
    for url in (f"/fse/operations/{operation_id}/participants", f"/fse/operations/{operation_id}/participants/{people[0]}",
                f"/fse/operations/{operation_id}/indicateurs-communs.xlsx"):
        assert browser.get(url).status_code == 403, url
    assert browser.post(f"/fse/operations/{operation_id}/participants/{people[0]}", VALID).status_code == 403


def test_participant_outside_the_operation_or_organisation_not_found(login, session, world, operation):
    operation_id, people = operation
    stranger = Participant(organisation_id=world.a.organisation_id, code="HORS-0002", last_name="Martin",
                           first_name="Paul")
    session.add(stranger)
    session.commit()
    browser = login(Role.GESTIONNAIRE)
    assert browser.get(f"/fse/operations/{operation_id}/participants/{stranger.id}").status_code == 404
    assert browser.post(f"/fse/operations/{operation_id}/participants/{stranger.id}", VALID).status_code == 404
    other = login(Role.ADMIN, "b")
    assert other.get(f"/fse/operations/{operation_id}/participants").status_code == 404
    assert other.get(f"/fse/operations/{operation_id}/participants/{people[0]}").status_code == 404
