"""POST /api/v1/hours: the timesheet intake's checks, preview and all-or-nothing confirmation."""

from datetime import date

from sqlalchemy import func, select

from app.access import Scope
from app.domain.enums import Role
from app.models import HourRecord, TimesheetImport
from app.models.timesheets import ImportStatus
from app.services import timesheets as intake

MONTH = "2026-03"


def body(world, hours="35.5", training="7", **line) -> dict:
    a = world.a.ids
    return {"month": MONTH, "lines": [{"participant_id": a["participants"]["own"], "lot_id": a["lots"]["own"],
                                       "hours": hours, "training_hours": training, **line}]}


def post(client, headers, payload, key="cle-0000001", confirm=False):
    return client.post("/api/v1/hours", json=payload, headers={**headers, "Idempotency-Key": key},
                       query_string={"confirm": "true"} if confirm else {})


def records(session, placement_id: int) -> list[tuple]:
    session.expire_all()
    return session.execute(select(HourRecord.placement_id, HourRecord.month_on, HourRecord.minutes,
                                  HourRecord.training_minutes)
                           .where(HourRecord.placement_id == placement_id, HourRecord.month_on == date(2026, 3, 1))
                           ).all()


def test_api_hours_without_confirm_wait_in_preview(client, session, world, make_token):
    response = post(client, make_token(structure="siae"), body(world))
    assert response.status_code == 201, response.get_data(as_text=True)
    answer = response.get_json()
    assert (answer["status"], answer["hours"], answer["doubts"]) == ("preview", "35.50", [])
    assert answer["preview_url"].endswith(f"/releves/{answer['id']}")
    assert records(session, world.a.ids["placements"]["own"]) == []


def test_api_hours_preview_page_in_clausier(client, login, world, make_token):
    answer = post(client, make_token(structure="siae"), body(world)).get_json()
    page = login(Role.SIAE).get(f"/releves/{answer['id']}")
    assert page.status_code == 200
    assert "Indiquer vous-même les colonnes" not in page.get_data(as_text=True)


def test_api_hours_confirmed_in_one_call(client, session, world, make_token):
    response = post(client, make_token(structure="siae"), body(world), confirm=True)
    answer = response.get_json()
    assert (response.status_code, answer["status"], answer["records_count"]) == (201, "confirmed", 1)
    placement = world.a.ids["placements"]["own"]
    assert records(session, placement) == [(placement, date(2026, 3, 1), 35 * 60 + 30, 7 * 60)]


def test_api_hours_same_idempotency_key_twice_one_import(client, session, world, make_token):
    headers = make_token(structure="siae")
    before = session.scalar(select(func.count(TimesheetImport.id)))
    first = post(client, headers, body(world), confirm=True)
    second = post(client, headers, body(world), confirm=True)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["id"] == second.get_json()["id"]
    assert second.get_json()["replayed"] is True
    session.expire_all()
    assert session.scalar(select(func.count(TimesheetImport.id))) == before + 1
    assert len(records(session, world.a.ids["placements"]["own"])) == 1


def test_api_hours_same_key_other_content_refused(client, world, make_token):
    headers = make_token(structure="siae")
    post(client, headers, body(world))
    response = post(client, headers, body(world, hours="20"))
    assert response.status_code == 422
    assert "clé d'idempotence" in response.get_json()["detail"]


def test_api_hours_doubts_keep_the_import_in_preview(client, session, world, make_token):
    payload = {"month": MONTH, "lines": [{"last_name": "Inconnue", "first_name": "Zoé",
                                         "lot_id": world.a.ids["lots"]["own"], "hours": "400"}]}
    answer = post(client, make_token(structure="siae"), payload, confirm=True).get_json()
    assert answer["status"] == "preview"
    assert {d["code"] for d in answer["doubts"]} == {"unknown_person", "week_over_48h"}
    assert all(d["message"] for d in answer["doubts"])
    assert session.get(TimesheetImport, answer["id"]).status == ImportStatus.PREVIEW


def test_api_hours_other_structure_participant_is_unknown(client, world, make_token):
    payload = body(world, participant_id=world.a.ids["participants"]["other"])
    response = post(client, make_token(structure="siae"), payload)
    assert response.status_code == 422
    assert response.get_json()["detail"].startswith("Ligne 1 : le participant")


def test_api_hours_structure_token_cannot_post_for_another_structure(client, world, make_token):
    payload = {**body(world), "structure": f"siae:{world.a.ids['siaes']['other']}"}
    response = post(client, make_token(structure="siae"), payload)
    assert response.status_code == 422
    assert "votre structure" in response.get_json()["detail"]


def test_api_hours_organisation_token_names_the_structure(client, world, make_token):
    headers = make_token()
    assert post(client, headers, body(world)).status_code == 422
    payload = {**body(world), "structure": f"siae:{world.a.ids['siaes']['own']}"}
    assert post(client, headers, payload, key="cle-0000002", confirm=True).get_json()["status"] == "confirmed"


def test_api_hours_invalid_body_answers_french_problem(client, make_token):
    response = post(client, make_token(structure="siae"), {"month": "mars", "lines": []})
    problem = response.get_json()
    assert (response.status_code, response.mimetype) == (422, "application/problem+json")
    assert problem["errors"] == {"month": ["Format non valide."], "lines": ["Valeur hors des limites permises."]}


def test_api_hours_and_uploaded_sheet_give_the_same_records(client, session, world, make_token):
    placement = world.a.ids["placements"]["own"]
    assert post(client, make_token(structure="siae"), body(world), confirm=True).status_code == 201
    by_api = records(session, placement)
    # The same content as a sheet, through the web's intake: it replaces the API's import (a corrected sheet).
    scope = Scope(world.a.organisation_id, role=Role.SIAE, siae_id=world.a.ids["siaes"]["own"])
    sheet = "Nom;Prénom;Lot;Heures;Heures de formation\nDURAND ORG-A;Camille;REF ORG-A — lot 1;35,5;7\n"
    imp = intake.receive_timesheet(session, scope, structure_key="", month=MONTH, lot_id=None, filename="mars.csv",
                                   data=sheet.encode())
    session.commit()
    intake.run_analysis(imp.id)
    session.expire_all()
    imp = session.get(TimesheetImport, imp.id)
    decisions = {person["key"]: str(person["participant_id"]) for person in imp.preview["people"]}
    intake.confirm_import(session, scope, imp.id, decisions)
    session.commit()
    by_sheet = records(session, placement)
    assert by_api == by_sheet == [(placement, date(2026, 3, 1), 2130, 420)]


def test_api_hours_month_already_declared_by_another_party_waits(client, world, make_token):
    # The SIAE lends the person to the company: both may declare the month; the second one asks.
    assert post(client, make_token(structure="siae"), body(world), confirm=True).get_json()["status"] == "confirmed"
    answer = post(client, make_token(structure="company"), body(world, hours="30"), key="cle-0000003",
                  confirm=True).get_json()
    assert answer["status"] == "preview"
    assert "already_declared" in {d["code"] for d in answer["doubts"]}


def test_api_hours_outside_the_placement_dates_wait(client, world, make_token):
    payload = {**body(world), "month": "2025-11"}
    answer = post(client, make_token(structure="siae"), payload, confirm=True).get_json()
    assert answer["status"] == "preview"
    assert "outside_placement" in {d["code"] for d in answer["doubts"]}
