"""In a real browser: sign in with a demo account, open the tender list and a tender."""

import pytest

from app.services.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from app.domain.enums import Role

pytestmark = pytest.mark.browser


def sign_in(page, live_server, role: Role) -> None:
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse e-mail").fill(DEMO_ACCOUNTS[role])
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server}/")


def test_browser_login_then_tender_list(page, live_server, tmp_path):
    sign_in(page, live_server, Role.FACILITATEUR)
    assert page.get_by_role("heading", name="Bonjour Karim Facilitateur").is_visible()
    page.get_by_role("link", name="Marchés").first.click()
    page.wait_for_url(f"{live_server}/marches/")
    assert page.get_by_role("heading", name="Marchés").is_visible()
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 8 + 4  # awarded tenders and the four of the pipeline (Repérage)
    assert page.get_by_text("Réhabilitation du groupe scolaire Jules-Ferry").is_visible()
    page.screenshot(path=str(tmp_path / "marches.png"), full_page=True)
    page.get_by_role("link", name="2026-VDL-001").click()
    assert page.get_by_role("heading", name="Lots").is_visible()
    assert page.locator("table.list tbody tr").count() == 4


def test_browser_siae_sees_only_its_structure(page, live_server):
    sign_in(page, live_server, Role.SIAE)
    assert page.get_by_text("vous voyez uniquement les données de votre structure").is_visible()
    page.goto(f"{live_server}/siae/")
    assert page.locator("table.list tbody tr").count() == 1


def test_browser_wrong_password_shows_french_message(page, live_server):
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse e-mail").fill(DEMO_ACCOUNTS[Role.ADMIN])
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_text("Adresse e-mail ou mot de passe incorrect.").is_visible()
