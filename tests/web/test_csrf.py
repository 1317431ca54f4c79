"""Every state-changing route refuses a request without a CSRF token, and changes nothing."""

import re

import pytest
from sqlalchemy import func, select

from app.domain.enums import Role
from app.models import Buyer, Job, Lot, Participant, Placement, Tender


def post_routes(app) -> list[str]:
    """Return every rule that accepts POST, but the API's (bearer tokens, no cookie: see below)."""
    return sorted({rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods
                   and not rule.rule.startswith("/api/")})


def test_csrf_api_post_ignores_the_session_cookie(app, login, session):
    # The API is exempt from CSRF because it never reads the cookie: a signed-in browser gets 401.
    browser = login(Role.ADMIN)
    api_posts = [rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods
                 and rule.rule.startswith("/api/")]
    assert api_posts == ["/api/v1/hours"]
    before = counts(session)
    response = browser.client.post("/api/v1/hours", json={"month": "2026-03", "lines": []},
                                   headers={"Idempotency-Key": "csrf-00000001"})
    assert response.status_code == 401
    session.expire_all()
    assert counts(session) == before


def concrete(rule: str, world) -> str:
    """Fill a rule's ids with rows the signed-in admin may see."""
    ids = world.a.ids
    values = {"row_id": ids["tenders"]["own"], "tender_id": ids["tenders"]["own"], "lot_id": ids["lots"]["own"],
              "job_id": 1}
    return re.sub(r"<(?:int:)?(\w+)>", lambda m: str(values.get(m.group(1), 1)), rule)


def counts(session) -> tuple:
    return tuple(session.scalar(select(func.count(model.id))) for model in (Buyer, Tender, Lot, Participant, Placement, Job))


def test_csrf_every_post_route_is_listed(app):
    assert len(post_routes(app)) >= 15


@pytest.mark.parametrize("rule", ["/connexion", "/deconnexion", "/acheteurs/nouveau", "/marches/nouveau",
                                  "/marches/<int:row_id>/recompter", "/marches/<int:tender_id>/lots/nouveau",
                                  "/participants/nouveau", "/mises-en-situation/nouveau", "/entreprises/nouveau",
                                  "/siae/nouveau"])
def test_csrf_known_routes_accept_post(app, rule):
    assert rule in post_routes(app)


def test_csrf_missing_token_refused_on_every_post_route(app, login, world, session):
    browser = login(Role.ADMIN)
    before = counts(session)
    for rule in post_routes(app):
        url = concrete(rule, world)
        response = browser.post(url, {"name": "Intrus", "reference": "X", "object": "X"}, csrf=False)
        assert response.status_code == 400, url
        assert "Le formulaire a expiré" in response.get_data(as_text=True), url
    session.expire_all()
    assert counts(session) == before
    # Still signed in: the refused logout did not log out.
    assert browser.get("/").status_code == 200


def test_csrf_wrong_token_refused(login):
    browser = login(Role.ADMIN)
    response = browser.post("/acheteurs/nouveau", {"name": "Intrus", "kind": "autre", "csrf_token": "faux"})
    assert response.status_code == 400


def test_get_routes_write_nothing(app, login, world, session):
    browser = login(Role.ADMIN)
    before = counts(session)
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            browser.get(concrete(rule.rule, world))
    session.expire_all()
    assert counts(session) == before
