"""Sign-in, sign-out, rate limiting, cookies and security headers."""

import logging

import pytest

from app.domain.enums import Role
from app.extensions import limiter
from tests.conftest import page_text
from tests.world import PASSWORD


def test_login_valid_credentials_lands_on_home(browser, world):
    response = browser.login(world.a.users[Role.FACILITATEUR])
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = page_text(browser.get("/"))
    assert "Bonjour" in page and "Relevés d'heures" in page


def test_login_wrong_password_says_so_in_french(browser, world):
    response = browser.login(world.a.users[Role.ADMIN], "mauvais-mot-de-passe")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in page_text(response)


def test_login_unknown_email_same_message(browser):
    response = browser.login("personne@exemple.fr")
    assert "Adresse e-mail ou mot de passe incorrect." in page_text(response)


def test_login_invalid_email_field_error(browser):
    browser.refresh_token()
    response = browser.post("/connexion", {"email": "pas-une-adresse", "password": "x"})
    assert "Cette adresse e-mail n'est pas valide." in page_text(response)


def test_login_failure_logs_no_email(browser, world, caplog):
    caplog.set_level(logging.INFO)
    browser.login(world.a.users[Role.ADMIN], "mauvais-mot-de-passe")
    assert world.a.users[Role.ADMIN] not in caplog.text
    assert "failed sign-in" in caplog.text


def test_login_next_parameter_rejects_other_sites(browser, world):
    browser.refresh_token()
    response = browser.post("/connexion?next=//evil.example/", {"email": world.a.users[Role.ADMIN], "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_logout_ends_session(login):
    browser = login(Role.ADMIN)
    assert browser.post("/deconnexion").status_code == 302
    assert browser.get("/").status_code == 302


@pytest.fixture
def strict_limit(app, monkeypatch):
    """Apply the production login limit (10 a minute) with an empty counter."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "10 per minute")
    limiter.reset()
    yield
    limiter.reset()


def test_login_rate_limited_after_ten_attempts(browser, world, strict_limit):
    statuses = [browser.login(world.a.users[Role.ADMIN], "mauvais").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_rate_limit_page_is_french(browser, world, strict_limit):
    for _ in range(11):
        response = browser.login(world.a.users[Role.ADMIN], "mauvais")
    assert "Trop de tentatives" in page_text(response)


def test_session_cookie_flags(browser, world):
    response = browser.login(world.a.users[Role.ADMIN])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers_and_no_store_on_personal_pages(login, world):
    browser = login(Role.FACILITATEUR)
    response = browser.get(f"/participants/{world.a.ids['participants']['own']}")
    assert response.headers["Cache-Control"] == "no-store"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


def test_each_role_lands_on_its_home(login):
    expectations = {
        Role.ADMIN: "Dossier FSE+", Role.FACILITATEUR: "Clauses", Role.GESTIONNAIRE: "Dossier FSE+",
        Role.SIAE: "Espace de", Role.ENTREPRISE: "Espace de",
    }
    for role, text in expectations.items():
        page = page_text(login(role).get("/"))
        assert text in page, role


def test_hsts_only_in_production(app, browser, monkeypatch):
    assert "Strict-Transport-Security" not in browser.get("/connexion").headers
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    for url in ("/connexion", "/page-inconnue"):
        assert browser.get(url).headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
