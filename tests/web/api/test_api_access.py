"""API authorisation: tokens only (never the session cookie), rights per operation, the web's row scoping."""

import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.access import Scope
from app.domain.api.tokens import TokenScope
from app.domain.enums import Role
from app.models import ApiToken, AuditEvent
from app.services.api.tokens import create_token, revoke_token
from app.services.referential import ServiceError

MATRIX = tomllib.loads((Path(__file__).resolve().parents[2] / "data" / "api_authz.toml").read_text())
ENDPOINTS = MATRIX["endpoints"]


def url(spec: dict, world) -> str:
    return spec["path"].replace("{tender}", str(world.a.ids["tenders"]["own"]))


def call(client, spec: dict, world, headers: dict):
    if spec.get("method") == "POST":
        return client.post(url(spec, world), json={"month": "2026-03", "lines": [
            {"participant_id": world.a.ids["participants"]["own"], "lot_id": world.a.ids["lots"]["own"],
             "hours": "10"}]}, headers={**headers, "Idempotency-Key": "matrice-0001"})
    return client.get(url(spec, world), headers=headers)


def test_api_every_route_is_in_the_api_matrix(app):
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    declared = set(ENDPOINTS) | set(MATRIX["public"])
    assert routes == declared


@pytest.mark.parametrize("kind", ["organisation", "siae", "company"])
@pytest.mark.parametrize("scope", list(TokenScope))
def test_api_each_token_kind_and_right_follows_the_matrix(client, world, make_token, kind, scope):
    if kind != "organisation" and scope == TokenScope.READ_INDICATORS:
        return  # refused at creation (test_api_structure_token_cannot_get_indicators)
    headers = make_token(structure=None if kind == "organisation" else kind, scopes=[scope])
    wrong = []
    for endpoint, spec in ENDPOINTS.items():
        allowed = scope.value in spec["scopes"] and not (spec.get("organisation_only") and kind != "organisation")
        status = call(client, spec, world, headers).status_code
        if allowed and status == 403 or not allowed and status != 403:
            wrong.append(f"{endpoint} → {status}")
    assert not wrong, wrong


def test_api_refuses_the_session_cookie(login, world):
    browser = login(Role.ADMIN)
    assert browser.get("/").status_code == 200
    for spec in ENDPOINTS.values():
        response = call(browser.client, spec, world, {})
        assert response.status_code == 401, spec["path"]
        assert response.mimetype == "application/problem+json"
        assert "Bearer" in response.get_json()["detail"]


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer clsr_inconnu", "Basic abc", "Token x"])
def test_api_bad_token_answers_401_in_french(client, header):
    response = client.get("/api/v1/buyers", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["title"] == "Authentification requise"


def test_api_revoked_and_expired_tokens_refused(client, session, make_token):
    headers = make_token()
    assert client.get("/api/v1/buyers", headers=headers).status_code == 200
    token = session.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first()
    revoke_token(session, token.id)
    session.commit()
    assert client.get("/api/v1/buyers", headers=headers).status_code == 401
    expired = make_token(expires_in_days=1)
    session.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first().expires_on = date.today() - timedelta(1)
    session.commit()
    assert client.get("/api/v1/buyers", headers=expired).status_code == 401


def ids(response) -> set[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return {item["id"] for item in response.get_json()["items"]}


@pytest.mark.parametrize("structure", ["siae", "company"])
def test_api_structure_token_reads_only_its_structure(client, world, make_token, structure):
    headers = make_token(structure=structure)
    a, b = world.a.ids, world.b.ids
    assert ids(client.get("/api/v1/placements", headers=headers)) == {a["placements"]["own"]}
    assert ids(client.get("/api/v1/tenders", headers=headers)) == {a["tenders"]["own"]}
    assert ids(client.get("/api/v1/buyers", headers=headers)) == {a["buyers"]["own"]}
    records = client.get("/api/v1/hour-records", headers=headers).get_json()["items"]
    assert {r["placement_id"] for r in records} == {a["placements"]["own"]}
    other = client.get(f"/api/v1/hour-records?structure=siae:{a['siaes']['other']}", headers=headers)
    assert ids(other) == set()
    for tender_id in (a["tenders"]["other"], b["tenders"]["own"]):
        response = client.get(f"/api/v1/tenders/{tender_id}", headers=headers)
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"


def test_api_organisation_token_never_reads_another_organisation(client, world, make_token):
    headers = make_token()
    a, b = world.a.ids, world.b.ids
    assert ids(client.get("/api/v1/tenders", headers=headers)) == set(a["tenders"].values())
    assert not ids(client.get("/api/v1/placements", headers=headers)) & set(b["placements"].values())
    assert not ids(client.get("/api/v1/buyers", headers=headers)) & set(b["buyers"].values())
    assert client.get(f"/api/v1/tenders/{b['tenders']['own']}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/indicators?tender_id={b['tenders']['own']}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/indicators?siae_id={b['siaes']['own']}", headers=headers).status_code == 404


def test_api_structure_token_cannot_get_indicators(session, world):
    with pytest.raises(ServiceError, match="indicateurs"):
        create_token(session, Scope(world.a.organisation_id), name="x", scopes=["read:indicators"],
                     expires_on=date.today() + timedelta(days=3), structure_key=f"siae:{world.a.ids['siaes']['own']}")


def test_api_structure_token_sees_no_criteria(client, make_token):
    body = client.get("/api/v1/placements", headers=make_token(structure="siae")).get_data(as_text=True)
    assert "1990-05-17" not in body and "BRSA" not in body


def test_api_call_is_audited_with_its_token(client, session, world, make_token):
    headers = make_token()
    client.get("/api/v1/placements", headers=headers)
    token = session.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first()
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.object_type, event.detail) == ("read", "placement", f"API, jeton n° {token.id}")
    session.refresh(token)
    assert token.last_used_at is not None


def test_api_etag_and_cursor_pagination(client, make_token, world):
    headers = make_token()
    first = client.get("/api/v1/tenders?limit=1", headers=headers)
    assert client.get("/api/v1/tenders?limit=1", headers={**headers, "If-None-Match": first.headers["ETag"]}
                      ).status_code == 304
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/tenders", headers=headers,
                          query_string={"limit": 1, **({"cursor": cursor} if cursor else {})}).get_json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(world.a.ids["tenders"].values())


def test_api_tender_lot_hours_are_the_dashboard_figures(client, make_token, world):
    tender = client.get(f"/api/v1/tenders/{world.a.ids['tenders']['own']}", headers=make_token()).get_json()
    assert tender["lots"][0]["hours_required"] == "500"
    assert tender["lots"][0]["hours_done"] == "70.00"


def test_api_rate_limit_per_token(app, client, make_token):
    headers = make_token()
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [client.get("/api/v1/buyers", headers=headers).status_code for _ in range(4)]
        other = client.get("/api/v1/buyers", headers=make_token()).status_code
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute"
    assert statuses == [200, 200, 200, 429]
    assert other == 200


def test_api_request_size_limit(client, make_token):
    headers = make_token(structure="siae")
    response = client.post("/api/v1/hours", data=b"{" + b" " * 600_000 + b"}",
                           headers={**headers, "Idempotency-Key": "taille-0001", "Content-Type": "application/json"})
    assert response.status_code == 413, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"


def test_api_docs_page_and_spec_are_public_and_self_hosted(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/v1/hours" in page and "<script" not in page and "cdn" not in page.lower()
