"""In a real browser, the clause calculator shows the fields of each lot's chosen method only."""

import pytest

from app.domain.enums import Role
from tests.web.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_browser_calculator_shows_the_chosen_method_fields_only(page, live_server):
    sign_in(page, live_server, Role.FACILITATEUR)
    page.goto(f"{live_server}/marches/")
    page.get_by_role("link", name="2026-VDL-001").click()
    page.goto(page.url.rstrip("/") + "/clause")
    lot = page.locator("fieldset.lot-calc").first
    method = lot.locator("select[data-method-select]")
    method.select_option("standard")
    assert lot.get_by_label("Part de main-d’œuvre (%)").is_visible()
    assert not lot.get_by_label("Montant facturé estimé (€)").is_visible()
    assert not lot.get_by_label("Barème (ex. 0-99999:150,100000-:300)").is_visible()
    method.select_option("tranche")
    assert lot.get_by_label("Montant facturé estimé (€)").is_visible()
    assert lot.get_by_label("Lecture du seuil").is_visible()
    assert not lot.get_by_label("Part de main-d’œuvre (%)").is_visible()
    assert not lot.get_by_label("Montant HT (€)", exact=True).is_visible()
    method.select_option("cleaning")
    assert lot.get_by_label("Taux d’insertion (%)").is_visible()
    assert lot.get_by_label("Durée (mois)").is_visible()
    assert not lot.get_by_label("Coût horaire chargé (€)").is_visible()
