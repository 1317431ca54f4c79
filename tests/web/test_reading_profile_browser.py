"""In a real browser: a layout Clausier cannot read is mapped once, then next month reads by itself."""

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from app.domain.enums import Role
from app.services.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.web.test_timesheet_browser import placed_people

pytestmark = pytest.mark.browser
CORPUS = Path(__file__).resolve().parents[1] / "data" / "timesheets" / "_make_field_corpus.py"


def planning_export(month: str, people: list[tuple[str, str]], hours: list[float], title_lines: int) -> bytes:
    """Build the planning tool's export (no « Nom » header) for the demo SIAE's people."""
    spec = importlib.util.spec_from_file_location("field_corpus", CORPUS)
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    rows = [(f"{'Mme' if index % 2 else 'M.'} {last.upper()} {first}", f"E{100 + index}", worked, None, None, "")
            for index, ((last, first), worked) in enumerate(zip(people, hours))]
    return corpus.ressources(month, rows, title_lines)


def sign_in(page, live_server) -> None:
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse e-mail").fill(DEMO_ACCOUNTS[Role.SIAE])
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server}/")


def upload(page, live_server, path: Path) -> None:
    page.goto(f"{live_server}/releves/deposer")
    page.get_by_label("Fichier du relevé").set_input_files(str(path))
    page.get_by_role("button", name="Déposer et lire le fichier").click()
    page.wait_for_url(f"{live_server}/releves/*")


def test_browser_unreadable_layout_mapped_confirmed_then_next_month_read_alone(page, live_server,
                                                                            live_database_url, tmp_path):
    people = placed_people(live_database_url, date(2026, 9, 1), date(2026, 10, 31))
    september = tmp_path / "export-planning-septembre.xlsx"
    september.write_bytes(planning_export("septembre 2026", people, [120, 98.5], 2))
    october = tmp_path / "export-planning-octobre.xlsx"
    october.write_bytes(planning_export("octobre 2026", people, [130, 77], 3))
    sign_in(page, live_server)

    upload(page, live_server, september)
    assert page.get_by_text("Le fichier n’a pas pu être lu.").is_visible()
    page.get_by_role("link", name="indiquer vous-même les colonnes").click()
    assert page.get_by_role("heading", name="Indiquer les colonnes du relevé").is_visible()
    assert page.get_by_label("Ligne des titres de colonnes").input_value() == "3"
    # Each change re-reads the file (no button needed); the result appears under the grid.
    with page.expect_navigation():
        page.get_by_label("Colonne A").select_option("full")
    with page.expect_navigation():
        page.get_by_label("Sauter la ligne 6").check()
    result = page.locator("table.mapping-result tbody tr")
    assert result.count() == 2
    assert page.get_by_text("2 lignes lues, septembre 2026.").is_visible()
    last, first = people[0]
    assert page.locator("table.mapping-result").get_by_text(f"{last.upper()} {first}").is_visible()
    page.get_by_label("Nom du profil de lecture").fill("Export PlanRessources")
    page.get_by_role("button", name="Enregistrer ce profil et relire le fichier").click()
    page.wait_for_url(f"{live_server}/releves/*")
    assert page.get_by_text("Lu avec le profil de lecture « Export PlanRessources ».").is_visible()
    page.get_by_role("button", name="Confirmer et enregistrer les heures").click()
    # The confirmation reloads the same address: wait for its message, not for a new URL.
    page.get_by_text("Relevé enregistré : 2 mises en situation, 218,5 heures.").wait_for()

    upload(page, live_server, october)
    assert page.get_by_role("heading", name="Ce que Clausier a compris").is_visible()
    assert page.get_by_text("Lu avec le profil de lecture « Export PlanRessources ».").is_visible()
    assert page.locator("select[id^=person-]").count() == 2  # one line per person read
    page.get_by_role("button", name="Confirmer et enregistrer les heures").click()
    # The confirmation reloads the same address: wait for its message, not for a new URL.
    page.get_by_text("Relevé enregistré : 2 mises en situation, 207 heures.").wait_for()
