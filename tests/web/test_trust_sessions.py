"""Second factor, server-side sessions with timeouts, deactivation, and the audit trail."""

import re
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import delete, select, update

from app.domain.enums import Role
from app.models import AuditEvent, User, UserSession
from app.models.base import utcnow
from app.services.audit import AuditTrailError, purge_audit, record
from tests.conftest import Browser, page_text
from tests.world import PASSWORD


@pytest.fixture
def totp_required(app, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_TOTP", True)


def password_step(app, email: str) -> tuple[Browser, object]:
    browser = Browser(app.test_client())
    browser.refresh_token("/connexion")
    response = browser.client.post("/connexion", data={"email": email, "password": PASSWORD, "csrf_token": browser.token})
    return browser, response


def enrol(app, email: str) -> tuple[Browser, str, list[str]]:
    browser, response = password_step(app, email)
    assert response.headers["Location"].endswith("/double-authentification")
    page = page_text(browser.get("/double-authentification"))
    secret = re.search(r'class="secret">([A-Z2-7]+)<', page).group(1)
    browser.token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    done = page_text(browser.post("/double-authentification", {"code": pyotp.TOTP(secret).now()}))
    codes = re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", done)
    return browser, secret, codes


def test_totp_required_enrolment_then_home(app, world, totp_required):
    browser, secret, codes = enrol(app, world.a.users[Role.FACILITATEUR])
    assert len(codes) == 10
    assert browser.get("/").status_code == 200


def test_totp_required_no_access_before_second_factor(app, world, totp_required):
    browser, _ = password_step(app, world.a.users[Role.GESTIONNAIRE])
    assert browser.get("/participants/").status_code == 302
    assert "/connexion" in browser.get("/participants/").headers["Location"]


def test_totp_wrong_code_french_message(app, world, totp_required):
    browser, _ = password_step(app, world.a.users[Role.ADMIN])
    page = page_text(browser.get("/double-authentification"))
    browser.token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert "Ce code ne correspond pas" in page_text(browser.post("/double-authentification", {"code": "000000"}))


def test_totp_enrolled_user_asked_for_code_and_recovery_code_single_use(app, world, totp_required, session):
    email = world.a.users[Role.SIAE]
    _, secret, codes = enrol(app, email)
    browser, response = password_step(app, email)
    assert response.headers["Location"].endswith("/connexion/code")
    browser.refresh_token("/connexion/code")
    assert page_text(browser.post("/connexion/code", {"code": "123456"})).count("Code incorrect") == 1
    assert browser.post("/connexion/code", {"code": codes[0]}).status_code == 302
    assert browser.get("/").status_code == 200
    again, _ = password_step(app, email)
    again.refresh_token("/connexion/code")
    assert "Code incorrect" in page_text(again.post("/connexion/code", {"code": codes[0]}))
    # The enrolment code's time-step is spent: the next step's code signs in.
    assert again.post("/connexion/code", {"code": pyotp.TOTP(secret).at(time.time() + 30)}).status_code == 302


def test_enrolled_user_needs_code_even_when_not_required(app, world, session):
    _, secret, _ = enrol_with_flag(app, world)
    browser, response = password_step(app, world.a.users[Role.ENTREPRISE])
    assert response.headers["Location"].endswith("/connexion/code")


def enrol_with_flag(app, world):
    app.config["REQUIRE_TOTP"] = True
    try:
        return enrol(app, world.a.users[Role.ENTREPRISE])
    finally:
        app.config["REQUIRE_TOTP"] = False


def set_session_times(session, **delta):
    session.execute(update(UserSession).where(UserSession.ended_at.is_(None))
                    .values({name: utcnow() - value for name, value in delta.items()}))
    session.commit()


def test_session_idle_timeout_logs_out(login, session):
    browser = login(Role.FACILITATEUR)
    set_session_times(session, last_seen_at=timedelta(minutes=31))
    assert browser.get("/").status_code == 302
    session.expire_all()
    assert session.scalar(select(UserSession.ended_reason).order_by(UserSession.id.desc())) == "inactivité"


def test_session_absolute_timeout_logs_out(login, session):
    browser = login(Role.FACILITATEUR)
    set_session_times(session, created_at=timedelta(hours=8, minutes=1))
    assert browser.get("/").status_code == 302


def test_session_still_open_within_limits(login, session):
    browser = login(Role.FACILITATEUR)
    set_session_times(session, created_at=timedelta(hours=7), last_seen_at=timedelta(minutes=29))
    assert browser.get("/").status_code == 200


def test_logout_ends_session_server_side_even_with_old_cookie(app, login):
    browser = login(Role.FACILITATEUR)
    cookie = browser.client.get_cookie("clausier_session").value
    browser.post("/deconnexion")
    replay = app.test_client()
    replay.set_cookie("clausier_session", cookie)
    assert replay.get("/").status_code == 302


def test_deactivation_ends_sessions_at_once(login, world, session):
    victim = login(Role.GESTIONNAIRE)
    assert victim.get("/").status_code == 200
    admin = login(Role.ADMIN)
    user_id = session.scalar(select(User.id).where(User.email == world.a.users[Role.GESTIONNAIRE]))
    admin.refresh_token("/administration/comptes")
    assert admin.post(f"/administration/comptes/{user_id}/etat", {"active": "0"}).status_code == 302
    assert victim.get("/").status_code == 302
    assert victim.login(world.a.users[Role.GESTIONNAIRE]).status_code == 200  # refused


def test_admin_cannot_deactivate_self(login, world, session):
    admin = login(Role.ADMIN)
    admin.refresh_token("/administration/comptes")
    me = session.scalar(select(User.id).where(User.email == world.a.users[Role.ADMIN]))
    page = page_text(admin.client.get(admin.post(f"/administration/comptes/{me}/etat", {"active": "0"}).headers["Location"]))
    assert "Vous ne pouvez pas désactiver votre propre compte." in page


def test_only_admin_manages_accounts(login):
    for role in (Role.FACILITATEUR, Role.GESTIONNAIRE, Role.SIAE, Role.ENTREPRISE):
        assert login(role).get("/administration/comptes").status_code == 403


def test_audit_records_participant_read_and_change_without_personal_data(login, world, session):
    browser = login(Role.FACILITATEUR)
    pid = world.a.ids["participants"]["own"]
    browser.get(f"/participants/{pid}")
    browser.post(f"/participants/{pid}/modifier", {"last_name": "Durand ORG-A", "first_name": "Camille"})
    events = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "participant",
                                                      AuditEvent.object_id == pid)).all()
    assert {e.action for e in events} >= {"read", "update"}
    for event in events:
        assert "Durand" not in event.detail and "Camille" not in event.detail
    journal = page_text(login(Role.ADMIN).get("/administration/journal"))
    assert f"participant n° {pid}" in journal


def test_audit_trail_is_append_only_and_purged_after_a_year(session, world):
    record(session, organisation_id=world.a.organisation_id, user_id=None, action="read", object_type="participant",
           object_id=1)
    session.commit()
    event = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    event_id = event.id
    event.detail = "falsifié"
    with pytest.raises(AuditTrailError):
        session.flush()
    session.rollback()
    with pytest.raises(AuditTrailError):
        session.execute(delete(AuditEvent))
    session.rollback()
    assert purge_audit(session, now=utcnow() + timedelta(days=366)) >= 1
    session.expunge_all()
    assert session.scalar(select(AuditEvent.id).where(AuditEvent.id == event_id)) is None


def test_downloads_get_opaque_names(login, world, session):
    import io

    browser = login(Role.FACILITATEUR)
    browser.post("/releves/deposer", {"structure": f"siae:{world.a.ids['siaes']['own']}",
                                      "file": (io.BytesIO(b"Nom;Heures\nDURAND;7\n"), "DURAND Camille mars.csv")},
                 content_type="multipart/form-data")
    from app.models.timesheets import TimesheetImport

    imp = session.scalar(select(TimesheetImport).order_by(TimesheetImport.id.desc()))
    disposition = browser.get(f"/fichiers/{imp.file_id}").headers["Content-Disposition"]
    assert "DURAND" not in disposition and re.search(r"clausier-[0-9a-f]{12}\.csv", disposition)
