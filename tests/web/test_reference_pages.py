"""Reference data: sourced defaults listed, unsourced ones marked, only admins edit."""

import pytest
from sqlalchemy import select

from app.domain.enums import Role
from app.models import LabourShareRef, ReferenceParam
from tests.conftest import page_text


def test_labour_shares_seeded_with_sources(login):
    page = page_text(login(Role.FACILITATEUR).get("/referentiel/parts-main-oeuvre/"))
    assert "Peinture intérieure" in page and "mefsud77.fr" in page
    assert "non sourcé — à valider" in page


@pytest.mark.parametrize("role", [Role.FACILITATEUR, Role.GESTIONNAIRE])
def test_only_admin_edits_reference(login, role):
    browser = login(role)
    browser.get("/referentiel/parametres/")
    assert browser.get("/referentiel/parametres/nouveau").status_code == 403


def test_admin_adds_dated_hourly_cost(login, session, world):
    browser = login(Role.ADMIN)
    browser.get("/referentiel/parametres/")
    response = browser.post("/referentiel/parametres/nouveau", {
        "key": "cout_horaire", "label": "Coût horaire chargé 2026", "value": "31,50",
        "source": "Délibération du PLIE du 12/01/2026", "valid_from": "2026-01-01"})
    assert response.status_code == 302
    row = session.scalar(select(ReferenceParam).where(ReferenceParam.label == "Coût horaire chargé 2026"))
    assert str(row.value) == "31.50" and row.unit == "€/h"


def test_admin_labour_share_bad_cpv_and_range(login):
    browser = login(Role.ADMIN)
    browser.get("/referentiel/parts-main-oeuvre/")
    page = page_text(browser.post("/referentiel/parts-main-oeuvre/nouveau", {
        "label": "Ravalement", "share_pct": "140", "cpv_prefixes": "4544, abc"}))
    assert "Préfixe CPV invalide : abc" in page
    page = page_text(browser.post("/referentiel/parts-main-oeuvre/nouveau", {"label": "Ravalement", "share_pct": "140"}))
    assert "entre 0 et 100 %" in page


def test_reference_rows_confined_to_organisation(login, world, session):
    login(Role.ADMIN, "b").get("/referentiel/parts-main-oeuvre/")
    other = session.scalar(select(LabourShareRef).where(LabourShareRef.organisation_id == world.b.organisation_id))
    assert login(Role.ADMIN).get(f"/referentiel/parts-main-oeuvre/{other.id}").status_code == 404
