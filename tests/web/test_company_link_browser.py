"""In headless Chromium: a facilitator sends a link, the company fills and sends its fiche without
an account, the facilitator sees it; tampered and expired links get a clear page."""

import sqlite3
from datetime import date, timedelta

import pytest

from app.domain.enums import Role
from app.services.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, live_server) -> None:
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse e-mail").fill(DEMO_ACCOUNTS[Role.FACILITATEUR])
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server}/")


def create_link(page, live_server) -> tuple[str, str]:
    """Start a fiche for a company from the list page; return (fiche page URL, company link)."""
    page.goto(f"{live_server}/fiches/")
    page.get_by_label("Entreprise", exact=True).select_option(index=1)
    page.get_by_role("button", name="Créer la fiche et son lien").click()
    page.wait_for_url("**/fiches/*#liens")
    # Sent by e-mail when the company has an address, to copy by hand otherwise: both say where it is.
    assert page.locator(".flash", has_text="ci-dessous").first.is_visible()
    return page.url.split("#")[0], page.locator("input.company-link").first.input_value()


def live_database(tmp_path_factory) -> str | None:
    found = sorted(tmp_path_factory.getbasetemp().glob("live*/live.sqlite3"))
    return str(found[-1]) if found else None


def test_company_link_end_to_end(page, chromium, live_server, tmp_path):
    sign_in(page, live_server)
    fiche_url, link = create_link(page, live_server)
    assert link.startswith(f"{live_server}/lien/")

    company = chromium.new_context(locale="fr-FR").new_page()  # no cookie: no account at all
    company.goto(link)
    assert company.get_by_role("heading", name="Fiche de liaison : votre besoin de recrutement").is_visible()
    assert company.get_by_role("link", name="Participants").count() == 0
    company.get_by_label("Intitulé du poste").fill("Ouvrier·ère paysagiste")
    company.get_by_label("Téléphone").fill("03 20 12 34 56")
    company.get_by_label("Date de démarrage souhaitée").fill((date.today() + timedelta(days=10)).isoformat())
    company.get_by_label("Type de contrat").select_option(label="CDD")
    company.get_by_label("Durée hebdomadaire (heures)").fill("35")
    company.get_by_label("Salaire brut mensuel (€)").fill("1 900,00")
    # First a mistake: the SIRET is checked and the message is French, beside the field.
    siret = company.get_by_label("SIRET")
    good_siret = siret.input_value()
    siret.fill("123")
    company.get_by_role("button", name="Envoyer la fiche").click()
    assert company.get_by_text("Le SIRET doit comporter 14 chiffres.").is_visible()
    assert siret.get_attribute("aria-invalid") == "true"
    company.get_by_label("SIRET").fill(good_siret)
    company.get_by_label("Lieu de travail").fill("Parc des Prés-du-Hem")
    company.get_by_role("button", name="Envoyer la fiche").click()
    assert company.get_by_role("heading", name="Merci, votre fiche a bien été envoyée").is_visible()
    company.screenshot(path=str(tmp_path / "merci.png"), full_page=True)
    company.context.close()

    page.goto(fiche_url)
    assert page.get_by_role("heading", name="Ouvrier·ère paysagiste").is_visible()
    assert page.locator("p", has_text="Statut :").get_by_text("Reçue").is_visible()
    assert page.get_by_role("cell", name="entreprise (lien)").first.is_visible()
    page.goto(f"{live_server}/fiches/?statut=recue")
    assert page.get_by_role("link", name="Ouvrier·ère paysagiste").is_visible()


def test_tampered_and_expired_links_get_a_clear_page(page, chromium, live_server, tmp_path_factory):
    sign_in(page, live_server)
    fiche_url, link = create_link(page, live_server)
    visitor = chromium.new_context(locale="fr-FR").new_page()
    response = visitor.goto(link[:-6] + ("abcdef" if not link.endswith("abcdef") else "ghijkl"))
    assert response.status == 404
    assert visitor.get_by_role("heading", name="Ce lien n’est pas valable").is_visible()
    assert visitor.get_by_text("copié le lien en entier").is_visible()

    database = live_database(tmp_path_factory)
    if database is None:
        pytest.skip("base du serveur de test introuvable")
    fiche_id = int(fiche_url.rstrip("/").rsplit("/", 1)[1])
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE fiche_link SET expires_at = '2020-01-01 00:00:00.000000' WHERE fiche_id = ?",
                           (fiche_id,))
    response = visitor.goto(link)
    assert response.status == 410
    assert visitor.get_by_role("heading", name="Ce lien a expiré").is_visible()
    assert visitor.get_by_text("vos informations ne sont pas perdues").is_visible()
    visitor.context.close()
