"""Both fiche forms (facilitator and company link) keep every typed value when a submission is refused."""

from datetime import date, timedelta

import lxml.html
import pytest
from sqlalchemy import select

from app.domain.enums import Role
from app.models import Fiche
from tests.conftest import Browser, page_text
from tests.web.test_fiches_company_link import company_form, start_link
from tests.web.test_fiches_pages import form

IN_TWO_WEEKS = (date.today() + timedelta(days=14)).strftime("%d/%m/%Y")
ROME_ERROR = ("Le code ROME « Z99 » n'a pas la forme attendue : une lettre de A à N suivie de quatre chiffres "
              "(par exemple F1703).")
NEW_FIELDS = {"rome_code": "F1703", "work_schedule": "du lundi au vendredi, 8 h – 12 h et 13 h – 16 h",
              "applications_close_on": IN_TWO_WEEKS, "application_channel": "CV par courriel à rh@batir.example.fr",
              "activities": "Coffrage\nFerraillage", "outdoor_work": "y"}
# A refusal by the service (bad ROME code on submission) and one by the form itself (impossible date).
REFUSALS = {"rome": ({"rome_code": "Z99"}, ROME_ERROR),
            "date": ({"applications_close_on": "31/02/2027"}, "« 31/02/2027 » n'est pas une date valide")}


def form_values(response) -> dict[str, str]:
    """Return what the page's form would send back: inputs, checked boxes, textareas, selected options."""
    page = lxml.html.fromstring(response.get_data(as_text=True))
    values = {}
    for element in page.xpath("//form[@class='form']//*[@name]"):
        name = element.get("name")
        if element.tag == "textarea":
            values[name] = (element.text or "").lstrip("\r\n")
        elif element.tag == "select":
            chosen = element.xpath("./option[@selected]")
            values[name] = chosen[0].get("value") if chosen else ""
        elif element.get("type") == "checkbox":
            if element.get("checked") is not None:
                values[name] = element.get("value")
        elif element.get("type") not in ("submit", "hidden"):
            values[name] = element.get("value") or ""
    return values


def assert_kept(response, sent: dict) -> None:
    values = form_values(response)
    for name, value in sent.items():
        if name in ("action", "csrf_token"):
            continue
        assert values.get(name) == str(value).replace("\r\n", "\n"), name


@pytest.mark.parametrize("refusal", REFUSALS, ids=list(REFUSALS))
def test_facilitator_form_keeps_every_value_after_a_refused_submission(login, world, session, refusal):
    changes, message = REFUSALS[refusal]
    browser = login(Role.FACILITATEUR)
    sent = form(world, **{**NEW_FIELDS, "requested_on": "02/11/2026", **changes})
    response = browser.post("/fiches/nouvelle", sent)
    assert response.status_code == 200 and message in page_text(response)
    assert_kept(response, sent)
    assert session.scalar(select(Fiche).where(Fiche.job_title == "Maçon·ne VRD")) is None


@pytest.mark.parametrize("refusal", REFUSALS, ids=list(REFUSALS))
def test_company_form_keeps_every_value_after_a_refused_submission(app, login, world, session, refusal):
    changes, message = REFUSALS[refusal]
    _, url, fiche_id = start_link(login, world)
    company = Browser(app.test_client())
    company.refresh_token(url)
    sent = company_form(**{**NEW_FIELDS, **changes})
    response = company.post(url, sent)
    assert response.status_code == 200 and message in page_text(response)
    assert_kept(response, sent)
    assert "requested_on" not in form_values(response)  # the request date is the day the company sends it
    assert session.get(Fiche, fiche_id).job_title == ""


def test_company_sends_the_new_fields_and_the_request_date_is_the_sending_day(app, login, world, session):
    staff, url, fiche_id = start_link(login, world)
    company = Browser(app.test_client())
    company.refresh_token(url)
    response = company.post(url, company_form(**{**NEW_FIELDS, "rome_code": "f 1703"}))
    assert response.status_code == 302
    fiche = session.get(Fiche, fiche_id)
    assert (fiche.rome_code, fiche.work_schedule, fiche.application_channel) == (
        "F1703", NEW_FIELDS["work_schedule"], NEW_FIELDS["application_channel"])
    assert fiche.applications_close_on == date.today() + timedelta(days=14)
    assert fiche.requested_on == date.today()
    page = page_text(staff.get(f"/fiches/{fiche_id}"))
    for expected in ("F1703", NEW_FIELDS["work_schedule"], IN_TWO_WEEKS, NEW_FIELDS["application_channel"],
                     date.today().strftime("%d/%m/%Y")):
        assert expected in page, expected


def test_facilitator_detail_shows_lot_obligation_and_need_estimate(login, world, session):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/fiches/nouvelle", form(world, **NEW_FIELDS, requested_on="02/11/2026"))
    assert response.status_code == 302, page_text(response)
    page = page_text(browser.get(response.headers["Location"]))
    assert "Obligation d'insertion du lot" in page and "350\u00a0heures" in page
    # 2 posts × 35 h × 6 months (26 weeks)
    assert "Heures d'insertion prévues pour ce besoin" in page and "1\u202f820\u00a0heures (estimation" in page
    assert "Heures d'insertion couvertes" not in page
    fiche = session.scalar(select(Fiche).where(Fiche.job_title == "Maçon·ne VRD"))
    assert fiche.requested_on == date(2026, 11, 2) and fiche.rome_code == "F1703"


def test_new_fiche_form_proposes_today_as_request_date(login):
    browser = login(Role.FACILITATEUR)
    assert form_values(browser.get("/fiches/nouvelle"))["requested_on"] == date.today().isoformat()


def test_deadline_after_start_is_flagged_on_the_fiche(login, world):
    browser = login(Role.FACILITATEUR)
    late = (date.today() + timedelta(days=60)).strftime("%d/%m/%Y")
    response = browser.post("/fiches/nouvelle", form(world, applications_close_on=late))
    page = page_text(browser.get(response.headers["Location"]))
    assert "Points à vérifier avec l'entreprise" in page and "tombe après la date de démarrage" in page
