"""NUL and other control characters are refused at the door, in French, before any database write."""

import io

import pytest
from sqlalchemy import func, select

from app.domain.enums import Role
from app.models import Participant, TimesheetImport
from tests.conftest import Browser, page_text
from tests.web.test_fiches_company_link import company_form, start_link

PARTICIPANT = {"code": "", "last_name": "Durand", "first_name": "Camille", "birth_on": "12/03/1990", "sex": "",
               "postcode": "62300", "qualification_level": "", "phone": "06 12 34 56 78",
               "email": "camille.durand@exemple.fr"}


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize("name", ["Dur\x00and", "Du\x01rand", "Du\x1brand", "Du\x7frand", "Du\x0brand"])
def test_participant_name_with_control_character_refused_in_french(login, session, name):
    browser = login(Role.FACILITATEUR)
    before = count(session, Participant)
    response = browser.post("/participants/nouveau", {**PARTICIPANT, "last_name": name})
    assert response.status_code == 400
    assert "caractère invisible non autorisé" in page_text(response)
    assert count(session, Participant) == before


def test_tab_and_newlines_pass_the_gate(login, session):
    browser = login(Role.FACILITATEUR)
    before = count(session, Participant)
    response = browser.post("/participants/nouveau", {**PARTICIPANT, "last_name": "Durand\t", "first_name": "Camille\r\n"})
    assert response.status_code == 302
    assert count(session, Participant) == before + 1


def test_upload_file_name_with_control_character_refused(login, world, session):
    browser = login(Role.FACILITATEUR)
    before = count(session, TimesheetImport)
    response = browser.post("/releves/deposer", {
        "structure": f"siae:{world.a.ids['siaes']['own']}", "month": "", "lot_id": "",
        "file": (io.BytesIO(b"Nom;Heures\nDurand;3\n"), "mars\x00.csv")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Le nom du fichier contient un caractère invisible" in page_text(response)
    assert count(session, TimesheetImport) == before


def test_company_link_form_with_nul_refused(app, login, world):
    _, url, _ = start_link(login, world)
    company = Browser(app.test_client())
    company.refresh_token(url)
    response = company.post(url, company_form(contact_name="Léa\x00Martin"))
    assert response.status_code == 400
    assert "caractère invisible non autorisé" in page_text(response)


def test_search_query_with_nul_refused(login):
    response = login(Role.FACILITATEUR).get("/participants/?q=Dur%00and")
    assert response.status_code == 400 and "caractère invisible" in page_text(response)
