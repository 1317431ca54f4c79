"""In a real browser, an SIAE uploads its monthly sheet, checks the preview and confirms it."""

from datetime import date

import pytest
from sqlalchemy import create_engine, or_, select
from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.models import Participant, Placement, Siae, User
from app.services.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.browser


def placed_people(database_url: str, first_day: date, last_day: date) -> list[tuple[str, str]]:
    """Read two participants placed with the demo SIAE account's structure all along the given days.

    Hours outside a placement's dates are not counted unless accepted: the sheets these tests
    send must name people whose placement covers their months.
    """
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            siae_id = session.scalar(select(User.siae_id).where(User.email == DEMO_ACCOUNTS[Role.SIAE]))
            rows = session.execute(select(Participant.last_name, Participant.first_name).join(Placement)
                                   .where(Placement.siae_id == siae_id, Placement.starts_on <= first_day,
                                          or_(Placement.ends_on.is_(None), Placement.ends_on >= last_day))
                                   .group_by(Participant.id, Participant.last_name, Participant.first_name)
                                   .order_by(Participant.id).limit(2)).all()
            assert len(rows) == 2, "the demo SIAE needs two people placed over these months"
            assert session.get(Siae, siae_id) is not None
            return [tuple(row) for row in rows]
    finally:
        engine.dispose()


def test_browser_upload_preview_confirm(page, live_server, live_database_url, tmp_path):
    people = placed_people(live_database_url, date(2026, 10, 1), date(2026, 10, 31))
    lines = ["Relevé mensuel des heures", "Mois;octobre 2026", "", "Nom;Prénom;Heures travaillées;Dont formation"]
    lines += [f"{last.upper()};{first};{70 + index},5;0" for index, (last, first) in enumerate(people)]
    lines.append("INCONNU;Personne;12;0")
    sheet = tmp_path / "releve-octobre.csv"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")

    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse e-mail").fill(DEMO_ACCOUNTS[Role.SIAE])
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/releves/deposer")
    page.get_by_label("Fichier du relevé").set_input_files(str(sheet))
    page.get_by_role("button", name="Déposer et lire le fichier").click()
    page.wait_for_url(f"{live_server}/releves/*")
    assert page.get_by_role("heading", name="Ce que Clausier a compris").is_visible()
    assert page.get_by_text("INCONNU Personne n’est pas dans la liste des participants").is_visible()
    # One line per person read (the demo already holds these months: « déjà déclaré » rows may follow).
    assert page.locator("select[id^=person-]").count() == 3
    # A refused confirmation (one name left unresolved) keeps every choice already made.
    matched, second = page.locator("#person-0").input_value(), page.locator("#person-1").input_value()
    page.locator("#person-1").select_option("ignore")
    page.get_by_role("button", name="Confirmer et enregistrer les heures").click()
    assert page.get_by_text("Indiquez qui est « INCONNU Personne » ou ignorez la ligne.").is_visible()
    assert page.locator("#person-0").input_value() == matched
    assert page.locator("#person-1").input_value() == "ignore"
    page.locator("#person-1").select_option(second)
    page.get_by_label("Participant pour INCONNU Personne").select_option("ignore")
    page.get_by_role("button", name="Confirmer et enregistrer les heures").click()
    assert page.get_by_text("Relevé enregistré : 2 mises en situation, 142 heures.").is_visible()
    page.goto(f"{live_server}/releves/")
    assert page.get_by_text("Enregistré").first.is_visible()
