"""Collective action pages: create, invite, print the sheet, upload the scan, mark attendance."""

import io

from pypdf import PdfReader

from app.domain.enums import Role
from app.models import ActionAttendee, CollectiveAction
from tests.conftest import page_text
from tests.services.liaison.fiche_helpers import pdf_bytes
from tests.services.reports.followup_helpers import make_site

FORM = {"kind": "information_meeting", "title": "Réunion d'information BTP", "day": "06/10/2026",
        "start_time": "09:30", "end_time": "11:30", "place": "Maison de l'emploi", "organiser": "PLIE A",
        "fse_operation_id": "", "notes": ""}


def create(browser) -> int:
    response = browser.post("/actions/nouvelle", FORM)
    assert response.status_code == 302, page_text(response)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_action_flow_invite_print_scan_attendance(login, session, world):
    site = make_site(session, world, lots=1, people=1, tag="ACTPAGE", last_names=("Lefebvre",))
    session.commit()
    browser = login(Role.FACILITATEUR)
    action_id = create(browser)
    browser.refresh_token(f"/actions/{action_id}")
    assert browser.post(f"/actions/{action_id}/participants",
                        {"p-participant_id": str(site.participant_ids[0]), "p-csrf_token": browser.token}).status_code == 302
    browser.post(f"/actions/{action_id}/personnes", {"x-name": "Sophie Martin", "x-structure": "Bâtiment",
                                                     "x-role": "RH", "x-csrf_token": browser.token})
    page = page_text(browser.get(f"/actions/{action_id}"))
    assert "LEFEBVRE Amélie" in page and "Sophie Martin" in page and "Bâtiment — RH" in page
    pdf = browser.get(f"/actions/{action_id}/emargement.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.headers["Cache-Control"] == "no-store"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "LEFEBVRE Amélie" in text and "Réunion d’information" in text
    response = browser.post(f"/actions/{action_id}/scan", {"file": (io.BytesIO(pdf_bytes()), "signee.pdf")},
                            content_type="multipart/form-data")
    assert "Feuille d'émargement signée enregistrée" in page_text(browser.get(response.headers["Location"]))
    attendees = session.query(ActionAttendee).filter_by(action_id=action_id).order_by(ActionAttendee.id).all()
    browser.post(f"/actions/{action_id}/presences", {"present": [str(attendees[0].id)]})
    page = page_text(browser.get(f"/actions/{action_id}"))
    assert "Présences enregistrées : 1\u00a0personne présente sur 2." in page
    session.expire_all()
    assert [a.attended for a in session.query(ActionAttendee).filter_by(action_id=action_id)
            .order_by(ActionAttendee.id)] == [True, False]
    assert "Réunion d'information BTP" in page_text(browser.get("/actions/"))


def test_action_form_errors_in_french(login):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/actions/nouvelle", {**FORM, "end_time": "08:00"})
    assert "L'heure de fin doit suivre l'heure de début." in page_text(response)
    response = browser.post("/actions/nouvelle", {**FORM, "title": "", "day": "31/02/2026"})
    page = page_text(response)
    assert "Ce champ est obligatoire." in page and "n'est pas une date valide" in page


def test_scan_refused_in_french(login):
    browser = login(Role.FACILITATEUR)
    action_id = create(browser)
    response = browser.post(f"/actions/{action_id}/scan", {"file": (io.BytesIO(b"GIF89a..."), "photo.gif")},
                            content_type="multipart/form-data")
    assert "Déposez la feuille signée au format PDF, JPEG ou PNG." in page_text(browser.get(response.headers["Location"]))


def test_actions_access(login, session, world):
    browser = login(Role.FACILITATEUR)
    action_id = create(browser)
    assert login(Role.GESTIONNAIRE).get(f"/actions/{action_id}").status_code == 200
    assert login(Role.GESTIONNAIRE).get("/actions/nouvelle").status_code == 403
    assert login(Role.SIAE).get(f"/actions/{action_id}").status_code == 403
    assert login(Role.ADMIN, "b").get(f"/actions/{action_id}").status_code == 404
    assert session.get(CollectiveAction, action_id).organisation_id == world.a.organisation_id
