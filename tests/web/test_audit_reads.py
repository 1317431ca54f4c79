"""Pages showing people write an audit event on each view: ids and verbs, never a name or a search."""

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import Role
from app.models import AuditEvent, Dossier
from tests.web.test_actions_pages import create as create_action
from tests.web.test_conventions_pages import create as create_convention
from tests.web.test_dossiers_pages import create_operation


def events(session, after_id: int) -> list[tuple]:
    session.expire_all()
    return [(e.action, e.object_type, e.object_id, e.detail)
            for e in session.scalars(select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id))]


def last_id(session) -> int:
    return session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


@pytest.fixture
def rows(login, world, session):
    """Create an action, a convention, an operation and a dossier of organisation A; return the browser and ids."""
    browser = login(Role.FACILITATEUR)
    action_id = create_action(browser)
    convention_id = int(create_convention(browser, world).rstrip("/").rsplit("/", 1)[-1])  # its page's URL
    operation_id = create_operation(browser, world.a.ids["tenders"]["own"])
    dossier = Dossier(organisation_id=world.a.organisation_id, fse_operation_id=operation_id,
                      data_as_of=date(2026, 6, 30))
    session.add(dossier)
    session.commit()
    return browser, {"action": action_id, "convention": convention_id, "operation": operation_id,
                     "dossier": dossier.id}


def test_personal_pages_write_read_events(rows, world, session):
    browser, ids = rows
    participant = world.a.ids["participants"]["own"]
    pages = [
        (f"/tableaux-de-bord/participants/{participant}", ("read", "participant", participant)),
        (f"/actions/{ids['action']}", ("read", "collective_action", ids["action"])),
        (f"/actions/{ids['action']}/emargement.pdf", ("export", "collective_action", ids["action"])),
        ("/participants/?q=Durand", ("read", "participant", None)),
        ("/conventions/", ("read", "convention", None)),
        (f"/conventions/{ids['convention']}", ("read", "convention", ids["convention"])),
        (f"/fse/operations/{ids['operation']}", ("read", "fse_operation", ids["operation"])),
        (f"/fse/dossiers/{ids['dossier']}", ("read", "dossier_fse", ids["dossier"])),
        (f"/releves/modele?structure=siae:{world.a.ids['siaes']['own']}&month=2026-03",
         ("export", "timesheet_template", None)),
    ]
    for url, expected in pages:
        before = last_id(session)
        response = browser.get(url)
        assert response.status_code == 200, url
        written = events(session, before)
        assert [event[:3] for event in written] == [expected], url
        assert "Durand" not in written[0][3], url


def test_participant_list_event_says_a_search_happened_not_what(login, session):
    browser = login(Role.GESTIONNAIRE)
    before = last_id(session)
    browser.get("/participants/?q=Durand")
    assert events(session, before) == [("read", "participant", None, "liste, page 1, avec recherche")]
