"""In a real browser: import a DECP file, review the preview, confirm, open the veille, pre-fill a tender."""

from pathlib import Path

import pytest

from app.domain.enums import Role
from tests.web.test_browser import sign_in

pytestmark = pytest.mark.browser
DECP_FILE = Path(__file__).resolve().parents[1] / "data" / "decp" / "consolidated.csv"


def test_browser_decp_import_then_prefill_a_flagged_contract(page, live_server, tmp_path):
    sign_in(page, live_server, Role.FACILITATEUR)
    page.get_by_role("link", name="Veille DECP").click()
    page.get_by_role("link", name="Importer un fichier DECP").click()
    page.get_by_label("Fichier DECP (JSON ou CSV, 20 Mo au plus)").set_input_files(str(DECP_FILE))
    page.get_by_role("button", name="Lire le fichier").click()
    assert page.get_by_role("heading", name="Aperçu de l’import : consolidated.csv").is_visible()
    assert page.get_by_text("3\u00a0marchés distincts").is_visible()
    assert page.get_by_text("a deux montants").is_visible()
    page.screenshot(path=str(tmp_path / "apercu.png"), full_page=True)
    page.get_by_role("button", name="Confirmer l’import").click()
    assert page.get_by_text("Import enregistré : 3\u00a0marchés créés").is_visible()
    page.get_by_role("link", name="Commune de Lys").click()
    assert page.get_by_role("heading", name="Veille — Commune de Lys").is_visible()
    row = page.locator("tbody tr", has_text="2026-010")
    assert row.get_by_text("Au-dessus du seuil européen sans condition sociale").is_visible()
    row.get_by_role("button", name="Pré-remplir un marché 2026-010").click()
    assert page.get_by_text("Marché pré-rempli depuis la DECP").is_visible()
    assert page.get_by_role("heading", name="Marché 2026-010").is_visible()
    assert page.get_by_role("link", name="Calculer et rédiger la clause").is_visible()
    page.screenshot(path=str(tmp_path / "marche.png"), full_page=True)
