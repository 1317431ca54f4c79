"""Administration → Jetons d'API: the secret is shown once, stored hashed, revocable."""

import re

from sqlalchemy import select

from app.domain.api.tokens import hash_secret
from app.domain.enums import Role
from app.models import ApiToken, AuditEvent
from tests.conftest import page_text


def create(browser, **data):
    payload = {"name": "Logiciel de paie", "scopes": ["read:tenders", "write:hours"], "expires_on": "01/06/2027",
               "structure": "", **data}
    return browser.post("/administration/jetons-api/", payload)


def test_api_token_created_shown_once_stored_hashed(app, login, session):
    browser = login(Role.ADMIN)
    text = page_text(create(browser))
    secret = re.search(r"<code>(clsr_[A-Za-z0-9_-]+)</code>", text).group(1)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    assert token is not None and token.scopes == "read:tenders write:hours"
    assert secret not in page_text(browser.get("/administration/jetons-api/"))
    assert app.test_client().get("/api/v1/buyers", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert session.scalar(select(AuditEvent).where(AuditEvent.object_type == "api_token")) is not None


def test_api_token_revoked_from_the_page(app, login, session):
    browser = login(Role.ADMIN)
    secret = re.search(r"<code>(clsr_[A-Za-z0-9_-]+)</code>", page_text(create(browser))).group(1)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    browser.post(f"/administration/jetons-api/{token.id}/revoquer")
    assert "révoqué" in page_text(browser.get("/administration/jetons-api/"))
    assert app.test_client().get("/api/v1/buyers", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_api_token_structure_cannot_read_indicators(login, world):
    browser = login(Role.ADMIN)
    text = page_text(create(browser, scopes=["read:indicators"], structure=f"siae:{world.a.ids['siaes']['own']}"))
    assert "réservés aux jetons de l'organisation" in text


def test_api_token_page_admin_only(login):
    assert login(Role.FACILITATEUR).get("/administration/jetons-api/").status_code == 403


def test_api_token_last_use_listed(app, login):
    browser = login(Role.ADMIN)
    secret = re.search(r"<code>(clsr_[A-Za-z0-9_-]+)</code>", page_text(create(browser))).group(1)
    assert "jamais" in page_text(browser.get("/administration/jetons-api/"))
    app.test_client().get("/api/v1/buyers", headers={"Authorization": f"Bearer {secret}"})
    page = page_text(browser.get("/administration/jetons-api/"))
    assert "jamais" not in page and re.search(r"\d{2}/\d{2}/\d{4} à \d{2}:\d{2}", page)  # Paris time, as elsewhere
