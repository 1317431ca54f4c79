"""The second factor cannot be replaced by a password alone, and a TOTP code counts once."""

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from app.domain.enums import Role
from app.models import User, UserSession
from app.services import totp
from tests.conftest import Browser, page_text
from tests.world import PASSWORD


def password_step(app, email: str) -> Browser:
    browser = Browser(app.test_client())
    browser.refresh_token("/connexion")
    browser.client.post("/connexion", data={"email": email, "password": PASSWORD, "csrf_token": browser.token})
    return browser


@pytest.fixture
def victim(session, world):
    """Give organisation A's SIAE account an active second factor; return (email, secret, user id)."""
    user = session.scalar(select(User).where(User.email == world.a.users[Role.SIAE]))
    secret = totp.new_secret()
    assert totp.enable_totp(user, secret, pyotp.TOTP(secret).now()) is not None
    session.commit()
    return user.email, secret, user.id


def read_secret(session, user_id: int) -> str:
    session.expire_all()
    return session.get(User, user_id).totp_secret


def test_enrol_pending_user_with_totp_is_sent_to_code_check(app, victim, session):
    email, secret, user_id = victim
    attacker = password_step(app, email)
    response = attacker.get("/double-authentification")
    assert response.status_code == 302 and response.headers["Location"].endswith("/connexion/code")
    # The attacker's own secret, posted anyway, changes nothing and signs nobody in.
    attacker.refresh_token("/connexion/code")
    own = totp.new_secret()
    response = attacker.post("/double-authentification", {"code": pyotp.TOTP(own).now()})
    assert response.status_code == 302 and response.headers["Location"].endswith("/connexion/code")
    assert read_secret(session, user_id) == secret
    assert attacker.get("/").status_code == 302


def test_enrol_pending_user_without_totp_may_enrol(app, world):
    app.config["REQUIRE_TOTP"] = True
    try:
        browser = password_step(app, world.a.users[Role.GESTIONNAIRE])
        assert browser.get("/double-authentification").status_code == 200
    finally:
        app.config["REQUIRE_TOTP"] = False


def signed_in_with_code(app, email: str, secret: str) -> Browser:
    browser = password_step(app, email)
    browser.refresh_token("/connexion/code")
    response = browser.post("/connexion/code", {"code": pyotp.TOTP(secret).at(time.time() + 30)})
    assert response.status_code == 302
    browser.refresh_token("/")
    return browser


def enrol_page(browser: Browser) -> tuple[str, str]:
    page = page_text(browser.get("/double-authentification"))
    browser.token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return page, re.search(r'class="secret">([A-Z2-7]+)<', page).group(1)


def test_reenrol_signed_in_without_current_code_is_refused(app, victim, session):
    email, secret, user_id = victim
    browser = signed_in_with_code(app, email, secret)
    page, new_secret = enrol_page(browser)
    assert "Mot de passe actuel" in page
    response = browser.post("/double-authentification", {"code": pyotp.TOTP(new_secret).now()})
    assert "Remplacer" in page_text(response)
    wrong = browser.post("/double-authentification", {"code": pyotp.TOTP(new_secret).now(), "password": PASSWORD,
                                                      "current_code": "000000"})
    assert "Mot de passe ou code actuel incorrect" in page_text(wrong)
    bad_password = browser.post("/double-authentification", {"code": pyotp.TOTP(new_secret).now(),
                                                             "password": "pas-le-bon-mot-de-passe",
                                                             "current_code": pyotp.TOTP(secret).now()})
    assert "Mot de passe ou code actuel incorrect" in page_text(bad_password)
    assert read_secret(session, user_id) == secret


def test_reenrol_with_password_and_current_code_replaces_factor_and_ends_other_sessions(app, victim, session):
    email, secret, user_id = victim
    other = signed_in_with_code(app, email, secret)
    # Recovery codes stand for the current code (the next step's code is spent by `other`).
    recovery, hashes = totp.new_recovery_codes()
    session.get(User, user_id).recovery_code_hashes = hashes
    session.commit()
    browser = password_step(app, email)
    browser.refresh_token("/connexion/code")
    assert browser.post("/connexion/code", {"code": recovery[0]}).status_code == 302
    _, new_secret = enrol_page(browser)
    done = browser.post("/double-authentification", {"code": pyotp.TOTP(new_secret).now(), "password": PASSWORD,
                                                     "current_code": recovery[1]})
    assert "Double authentification activée" in page_text(done)
    assert read_secret(session, user_id) == new_secret
    assert browser.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert session.scalar(select(UserSession.ended_reason).where(UserSession.user_id == user_id,
                                                                 UserSession.ended_at.is_not(None))) \
        == "double authentification remplacée"


def test_totp_code_refused_the_second_time(app, victim):
    email, secret, _ = victim
    code = pyotp.TOTP(secret).at(time.time() + 30)
    first = password_step(app, email)
    first.refresh_token("/connexion/code")
    assert first.post("/connexion/code", {"code": code}).status_code == 302
    second = password_step(app, email)
    second.refresh_token("/connexion/code")
    replay = second.post("/connexion/code", {"code": code})
    assert replay.status_code == 200 and "déjà utilisé" in page_text(replay)


@pytest.mark.parametrize("offset, accepted", [(-30, True), (0, True), (30, True), (-60, False), (60, False)])
def test_accept_code_window_and_replay(session, world, offset, accepted):
    user = session.scalar(select(User).where(User.email == world.a.users[Role.ADMIN]))
    user.totp_secret = totp.new_secret()
    now = time.time()
    code = pyotp.TOTP(user.totp_secret).at(now + offset)
    assert totp.accept_code(user, code, now=now) is accepted
    assert totp.accept_code(user, code, now=now) is False
    # An older step than the last used one is refused too.
    if accepted and offset > -30:
        assert totp.accept_code(user, pyotp.TOTP(user.totp_secret).at(now + offset - 30), now=now) is False
