"""The session cookie is sealed: a flashed name or a second-factor secret cannot be read from it."""

import base64
import re
import zlib

from app.domain.enums import Role
from tests.conftest import page_text
from tests.web.test_actions_pages import create as create_action


def cookie_value(response) -> str:
    header = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("clausier_session="))
    return header.split(";", 1)[0].split("=", 1)[1]


def readable_by_anyone(cookie: str) -> str:
    """Decode a cookie the way anyone can decode Flask's default signed cookie (no key needed)."""
    compressed = cookie.startswith(".")
    payload = cookie.lstrip(".").split(".")[0]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        return (zlib.decompress(raw) if compressed else raw).decode("utf-8", "replace")
    except (ValueError, zlib.error):
        return ""


def test_flashed_name_not_readable_in_cookie(login, world, session):
    browser = login(Role.FACILITATEUR)
    action_id = create_action(browser)
    participant = str(world.a.ids["participants"]["own"])
    browser.refresh_token(f"/actions/{action_id}")
    form = {"p-participant_id": participant, "p-csrf_token": browser.token}
    assert browser.post(f"/actions/{action_id}/participants", form).status_code == 302
    response = browser.post(f"/actions/{action_id}/participants", form)
    cookie = cookie_value(response)
    assert "figure déjà sur la liste" not in readable_by_anyone(cookie)
    assert "_flashes" not in readable_by_anyone(cookie)
    assert "figure déjà sur la liste" in page_text(browser.get(f"/actions/{action_id}"))


def test_enrolment_secret_not_readable_in_cookie(login):
    browser = login(Role.GESTIONNAIRE)
    response = browser.get("/double-authentification")
    secret = re.search(r'class="secret">([A-Z2-7]+)<', page_text(response)).group(1)
    assert secret not in readable_by_anyone(cookie_value(response))


def test_forged_cookie_is_ignored(app):
    client = app.test_client()
    client.set_cookie("clausier_session", "eyJfdXNlcl9pZCI6IjEifQ.ZZZ.forged")
    response = client.get("/")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
