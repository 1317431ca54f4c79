"""In a real browser, a facilitator imports a company file whose SIRET column has an odd title."""

import re

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.models import Company, User
from app.services.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.services.dataimport.files import SIRETS, tool_csv

pytestmark = pytest.mark.browser


def company_named(database_url: str, name: str) -> tuple[str, str] | None:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            org = session.scalar(select(User.organisation_id).where(User.email == DEMO_ACCOUNTS[Role.FACILITATEUR]))
            row = session.execute(select(Company.siret, Company.city).where(
                Company.name == name, Company.organisation_id == org)).first()
            return tuple(row) if row else None
    finally:
        engine.dispose()


def test_browser_import_fixes_a_column_then_confirms(page, live_server, live_database_url, tmp_path):
    sheet = tmp_path / "extraction-entreprises.csv"
    sheet.write_bytes(tool_csv(["Numéro d'établissement", "Dénomination sociale", "Localité"],
                               [[SIRETS[3], "Serrurerie du Beffroi", "Douai"]]))
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse e-mail").fill(DEMO_ACCOUNTS[Role.FACILITATEUR])
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/donnees/")
    page.locator("#type-companies").get_by_role("link", name="Importer un fichier").click()
    page.get_by_label("Fichier à importer (Excel, LibreOffice ou CSV)").set_input_files(str(sheet))
    page.get_by_role("button", name="Déposer et lire le fichier").click()
    page.wait_for_url(re.compile(r".*/donnees/imports/\d+$"))
    assert page.get_by_text("Colonne obligatoire introuvable : « SIRET »").is_visible()
    page.get_by_label("Colonne A").select_option("siret")
    page.get_by_role("button", name="Relire avec ces choix").click()
    page.wait_for_url(re.compile(r".*/donnees/imports/\d+$"))
    page.get_by_role("button", name=re.compile(r"Importer 1\s+ligne")).click()
    page.wait_for_url(re.compile(r".*/donnees/imports/\d+$"))
    assert page.get_by_text(re.compile(r"Import enregistré : 1\s+fiche créée")).is_visible()
    assert company_named(live_database_url, "Serrurerie du Beffroi") == (SIRETS[3], "Douai")
