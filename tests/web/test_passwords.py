"""Changing one's password, an administrator's reset, and provisional passwords that expire."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.enums import Role
from app.models import AuditEvent, User, UserSession
from app.models.base import utcnow
from app.services.accounts import AccountError, check_password_strength
from tests.conftest import Browser, page_text
from tests.world import PASSWORD

NEW = "une phrase assez longue pour 2027"


def user_row(session, email: str) -> User:
    session.expire_all()
    return session.scalar(select(User).where(User.email == email))


def change(browser: Browser, current: str, new: str, confirm: str | None = None):
    browser.refresh_token("/compte/mot-de-passe")
    return browser.post("/compte/mot-de-passe", {"current_password": current, "new_password": new,
                                                 "confirm": new if confirm is None else confirm})


def test_change_password_needs_current_and_ends_other_sessions(app, login, world, session):
    other = login(Role.GESTIONNAIRE)
    browser = login(Role.GESTIONNAIRE)
    assert "Le mot de passe actuel n'est pas le bon." in page_text(change(browser, "pas-le-bon-mot-de-passe", NEW))
    response = change(browser, PASSWORD, NEW)
    assert response.status_code == 302
    assert "Mot de passe changé. 1\u00a0autre session fermée." in page_text(browser.get("/compte"))
    assert browser.get("/").status_code == 200
    assert other.get("/").status_code == 302
    fresh = Browser(app.test_client())
    assert fresh.login(world.a.users[Role.GESTIONNAIRE], PASSWORD).status_code == 200
    assert fresh.login(world.a.users[Role.GESTIONNAIRE], NEW).status_code == 302
    assert session.scalar(select(AuditEvent).where(AuditEvent.detail == "mot de passe changé")) is not None


@pytest.mark.parametrize("new, confirm, message", [
    ("court", None, "entre 12 et 200 caractères"),
    ("aaaaaaaaaaaaaaaa", None, "trop facile à deviner"),
    ("demo-clausier-2026", None, "trop facile à deviner"),
    ("gestionnaire-et-puis-voila", None, "trop facile à deviner"),
    (NEW, "autre chose encore ici", "Les deux saisies du nouveau mot de passe diffèrent."),
    (PASSWORD, None, "doit être différent"),
])
def test_change_password_weak_or_mismatched_refused(login, world, session, new, confirm, message):
    browser = login(Role.GESTIONNAIRE)
    assert message in page_text(change(browser, PASSWORD, new, confirm))
    assert user_row(session, world.a.users[Role.GESTIONNAIRE]).password_expires_at is None


def test_password_strength_accepts_a_passphrase():
    check_password_strength(NEW, "gestionnaire@plie-a.fr")
    with pytest.raises(AccountError):
        check_password_strength("x" * 201)


def reset_by_admin(login, session, email: str) -> str:
    admin = login(Role.ADMIN)
    user_id = user_row(session, email).id
    page = page_text(admin.post(f"/administration/comptes/{user_id}/mot-de-passe"))
    return re.search(r'class="provisional-password">([^<]+)<', page).group(1)


def test_admin_reset_gives_provisional_password_to_change_at_first_login(app, login, world, session):
    email = world.a.users[Role.FACILITATEUR]
    victim_session = login(Role.FACILITATEUR)
    provisional = reset_by_admin(login, session, email)
    assert victim_session.get("/").status_code == 302  # every session of the account ended
    row = user_row(session, email)
    assert timedelta(hours=71) < row.password_expires_at.replace(tzinfo=utcnow().tzinfo) - utcnow() \
        <= timedelta(hours=72)
    browser = Browser(app.test_client())
    assert browser.login(email, PASSWORD).status_code == 200
    assert browser.login(email, provisional).status_code == 302
    # Nothing but the password change until the person chooses their own.
    for page in ("/", "/participants/", "/compte"):
        assert browser.get(page).headers["Location"] == "/compte/mot-de-passe", page
    assert "Votre mot de passe est provisoire" in page_text(browser.get("/compte/mot-de-passe"))
    assert change(browser, provisional, NEW).status_code == 302
    assert browser.get("/").status_code == 200
    assert user_row(session, email).password_expires_at is None


def test_admin_reset_own_account_refused(login, world, session):
    admin = login(Role.ADMIN)
    admin_id = user_row(session, world.a.users[Role.ADMIN]).id
    response = admin.post(f"/administration/comptes/{admin_id}/mot-de-passe", follow_redirects=True)
    assert "Changer mon mot de passe" in page_text(response)


def test_admin_reset_other_organisation_not_found(login, world, session):
    admin = login(Role.ADMIN)
    other = user_row(session, world.b.users[Role.FACILITATEUR])
    assert admin.post(f"/administration/comptes/{other.id}/mot-de-passe").status_code == 404


def test_provisional_password_expires(app, login, world, session):
    email = world.a.users[Role.ENTREPRISE]
    provisional = reset_by_admin(login, session, email)
    row = user_row(session, email)
    row.password_expires_at = utcnow() - timedelta(minutes=1)
    session.commit()
    response = Browser(app.test_client()).login(email, provisional)
    assert response.status_code == 200
    assert "Votre mot de passe provisoire a expiré" in page_text(response)


def test_account_created_by_admin_is_provisional(login, session, world):
    admin = login(Role.ADMIN)
    admin.post("/administration/comptes", {"full_name": "Nouvelle Personne", "email": "nouvelle@plie-a.fr",
                                           "role": "gestionnaire", "siae_id": "", "company_id": "",
                                           "password": "provisoire-tres-long-2026"})
    row = user_row(session, "nouvelle@plie-a.fr")
    assert row is not None and row.password_expires_at is not None
    assert session.scalar(select(UserSession).where(UserSession.user_id == row.id)) is None
