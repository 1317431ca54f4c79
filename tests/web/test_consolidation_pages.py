"""Consolidation pages: the agreement workflow between administrators, the consolidated view, the
pseudonymised tables per territory and the dossier."""

import zipfile
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.enums import Role
from app.models import AuditEvent, ConsolidationAgreement, StoredFile
from app.services.reports import consolidated_dossier as dossier_svc
from tests.conftest import page_text
from tests.services.reports.consolidation_helpers import agreement, lens

YEAR = "starts_on=2026-01-01&ends_on=2026-12-31"


def agreement_id(session, body_id: int, partner_id: int) -> int:
    return session.scalar(select(ConsolidationAgreement.id).where(
        ConsolidationAgreement.consolidating_id == body_id, ConsolidationAgreement.partner_id == partner_id))


def cells(response) -> list[object]:
    book = load_workbook(BytesIO(response.data))
    return [value for sheet in book for row in sheet.iter_rows(values_only=True) for value in row if value is not None]


def test_agreement_workflow_between_the_two_administrators(login, session, world):
    body, partner = login(Role.ADMIN), login(Role.ADMIN, "b")
    page = page_text(body.get("/consolidation/accords"))
    assert "PLIE B (Territoire B)" in page and "Aucune organisation ne vous a demandé" in page
    response = body.post("/consolidation/accords", {"partner_id": str(world.b.organisation_id)})
    assert response.status_code == 302
    row_id = agreement_id(session, world.a.organisation_id, world.b.organisation_id)

    page = page_text(partner.get("/consolidation/accords"))
    assert "PLIE A (Territoire A)" in page and "En attente de réponse" in page
    # Not yet agreed: B's table stays closed to A.
    assert body.get(f"/consolidation/tableau-impact.xlsx?territoire={world.b.organisation_id}&{YEAR}"
                    ).status_code == 404
    assert partner.post(f"/consolidation/accords/{row_id}/accepter").status_code == 302
    assert "Acceptée" in page_text(partner.get("/consolidation/accords"))
    # B's staff read who compiles their figures, and since when.
    page = page_text(login(Role.FACILITATEUR, "b").get("/consolidation/"))
    assert "PLIE A (Territoire A) compile vos indicateurs" in page

    page = page_text(login(Role.GESTIONNAIRE).get(f"/consolidation/?{YEAR}"))
    assert "PLIE B (Territoire B)" in page and "Ensemble des territoires" in page
    assert "Durand ORG-B" not in page
    response = body.get(f"/consolidation/tableau-impact.xlsx?territoire={world.b.organisation_id}&{YEAR}")
    assert response.status_code == 200
    values = cells(response)
    assert "P-own" in values and "P-other" in values
    assert not [value for value in values if "Durand" in str(value) or value == "Camille"]
    assert session.scalar(select(AuditEvent).where(AuditEvent.object_type == "consolidation",
                                                   AuditEvent.action == "export")).object_id \
        == world.b.organisation_id

    assert partner.post(f"/consolidation/accords/{row_id}/terminer").status_code == 302
    assert "Terminée" in page_text(body.get("/consolidation/accords"))
    figures_part = page_text(body.get(f"/consolidation/?{YEAR}")).split("Organisations partenaires")[0]
    assert "PLIE B (Territoire B)" not in figures_part
    assert body.get(f"/consolidation/tableau-impact.xlsx?territoire={world.b.organisation_id}&{YEAR}"
                    ).status_code == 404


@pytest.mark.parametrize("role", [Role.FACILITATEUR, Role.GESTIONNAIRE])
def test_only_administrators_manage_agreements(login, session, world, role):
    row = agreement(session, world.b.organisation_id, world.a.organisation_id, agreed=False)
    session.commit()
    browser = login(role)
    assert browser.get("/consolidation/accords").status_code == 403
    assert browser.post(f"/consolidation/accords/{row.id}/accepter").status_code == 403
    assert browser.post("/consolidation/accords", {"partner_id": str(world.b.organisation_id)}).status_code == 403
    assert browser.get("/consolidation/").status_code == 200


@pytest.mark.parametrize("role", [Role.SIAE, Role.ENTREPRISE])
def test_structure_accounts_see_no_consolidation(login, role):
    browser = login(role)
    assert browser.get("/consolidation/").status_code == 403
    assert browser.get("/consolidation/tableau-impact.xlsx").status_code == 403


def test_a_third_organisation_can_neither_answer_nor_read(login, session, world):
    partner = lens(session)
    row = agreement(session, world.b.organisation_id, partner.organisation_id, agreed=False)
    session.commit()
    browser = login(Role.ADMIN)  # organisation A: not a party
    for action in ("accepter", "refuser", "terminer"):
        assert browser.post(f"/consolidation/accords/{row.id}/{action}").status_code == 404
    session.expire_all()
    assert session.get(ConsolidationAgreement, row.id).agreed_at is None
    assert browser.get(f"/consolidation/tableau-impact.xlsx?territoire={partner.organisation_id}").status_code == 404


def test_the_body_cannot_accept_its_own_request(login, session, world):
    row = agreement(session, world.a.organisation_id, world.b.organisation_id, agreed=False)
    session.commit()
    assert login(Role.ADMIN).post(f"/consolidation/accords/{row.id}/accepter").status_code == 404
    session.expire_all()
    assert session.get(ConsolidationAgreement, row.id).agreed_at is None


def test_consolidated_dossier_is_built_from_the_page_and_downloaded(login, session, world):
    partner = lens(session)
    agreement(session, world.a.organisation_id, partner.organisation_id)
    session.commit()
    browser = login(Role.FACILITATEUR)
    response = browser.post("/consolidation/dossiers", {"starts_on": "2026-01-01", "ends_on": "2026-12-31"})
    assert response.status_code == 302
    page = page_text(browser.get(f"/consolidation/?{YEAR}"))
    assert "dossier-consolide-2026-01-01-au-2026-12-31.zip" in page
    stored = session.scalar(select(StoredFile).where(StoredFile.owner_kind == dossier_svc.OWNER))
    download = browser.get(f"/fichiers/{stored.id}")
    assert download.status_code == 200
    assert f"dossier-consolide-{stored.owner_id}.zip" in download.headers["Content-Disposition"]
    archive = zipfile.ZipFile(BytesIO(download.data))
    assert "03-tableau-d-impact-compile.xlsx" in archive.namelist()


def test_period_errors_are_shown_and_the_current_year_displayed(login):
    response = login(Role.FACILITATEUR).get("/consolidation/?starts_on=2026-12-31&ends_on=2026-01-01")
    assert response.status_code == 400
    page = page_text(response)
    assert "La fin de la période précède son début." in page
    assert f'value="{date.today().year}-01-01"' in page


def test_request_without_an_organisation_is_refused_in_french(login, session, world):
    response = login(Role.ADMIN).post("/consolidation/accords", {"partner_id": ""})
    assert response.status_code == 400
    assert "Choisissez l'organisation à qui demander son accord." in page_text(response)
    assert agreement_id(session, world.a.organisation_id, world.b.organisation_id) is None
