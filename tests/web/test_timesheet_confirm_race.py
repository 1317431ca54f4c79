"""Confirming a timesheet twice at once (double click, two tabs) counts its hours once."""

import io
import threading
import time
from datetime import date

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import sessionmaker

from app.db import db
from app.domain.enums import HourSource, Role
from app.models import AuditEvent, HourRecord, Job, StoredFile
from app.models.base import utcnow
from app.models.security import UserSession
from app.models.timesheets import ImportStatus, TimesheetImport
from app.services import timesheets as svc
from tests.conftest import Browser, page_text

# A month no other test uses: confirming replaces the structure's earlier import of that month.
CSV = "Mois;janvier 2026\n\nNom;Prénom;Heures travaillées;Dont formation\nDurand ORG-A;Camille;17;0\n"


@pytest.fixture
def real_transactions(app):
    """Give each request its own connection and real commits (the per-test rollback shares one)."""
    shared = db.session_factory
    db.session_factory = sessionmaker(db.engine, expire_on_commit=False)
    started = utcnow()
    created: list[int] = []
    yield created
    with db.session_scope() as session:
        for import_id in created:
            imp = session.get(TimesheetImport, import_id)
            session.execute(delete(HourRecord).where(HourRecord.import_id == import_id))
            # The test's own events only: the purge option is the audit trail's one way out.
            session.execute(delete(AuditEvent).where(AuditEvent.object_type == "timesheet_import",
                                                     AuditEvent.object_id == import_id)
                            .execution_options(audit_purge=True))
            file_id, job_id = imp.file_id, imp.job_id
            session.delete(imp)
            session.flush()
            session.execute(delete(StoredFile).where(StoredFile.id == file_id))
            session.execute(delete(Job).where(Job.id == job_id))
        session.execute(delete(UserSession).where(UserSession.created_at >= started))
    db.session_factory = shared


def signed_in(app, world) -> Browser:
    browser = Browser(app.test_client())
    assert browser.login(world.a.users[Role.FACILITATEUR]).status_code == 302
    return browser


def confirm_at_once(app, world, monkeypatch, created: list[int], clicks: int) -> tuple[int, list[str]]:
    """Upload a 17 h sheet, confirm it ``clicks`` times in parallel; return (minutes written, pages)."""
    first = signed_in(app, world)
    first.post("/releves/deposer", {"structure": f"siae:{world.a.ids['siaes']['own']}", "month": "", "lot_id": "",
                                    "file": (io.BytesIO(CSV.encode()), "janvier.csv")},
               content_type="multipart/form-data")
    with db.session_scope() as session:
        imp = session.scalars(select(TimesheetImport).order_by(TimesheetImport.id.desc()).limit(1)).first()
        import_id, status = imp.id, imp.status
    created.append(import_id)
    assert status == ImportStatus.PREVIEW
    replace = svc._replace_previous

    def slow_replace(*args):
        # Widen the window between reading the status and writing the records, as a busy server does.
        replace(*args)
        time.sleep(0.3)

    monkeypatch.setattr(svc, "_replace_previous", slow_replace)
    browsers = [first] + [signed_in(app, world) for _ in range(clicks - 1)]
    barrier = threading.Barrier(clicks)
    pages: list[str] = []

    def click(browser: Browser) -> None:
        barrier.wait()
        response = browser.post(f"/releves/{import_id}/confirmer",
                                {"person-0": str(world.a.ids["participants"]["own"])})
        assert response.status_code == 302, response.status_code
        for attempt in range(3):
            try:
                pages.append(page_text(browser.get(response.headers["Location"])))
                break
            except OperationalError:
                # Embedded mode only: the page's read-audit INSERT can meet the other click's
                # commit on SQLite (WAL snapshot) — the confirmation itself is what is tested here.
                if attempt == 2:
                    raise
                time.sleep(0.2)

    threads = [threading.Thread(target=click, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with db.session_scope() as session:
        minutes = session.scalar(select(func.coalesce(func.sum(HourRecord.minutes), 0))
                                 .where(HourRecord.import_id == import_id))
    return minutes, pages


@pytest.mark.slow
@pytest.mark.parametrize("clicks", [2])
def test_confirm_clicked_at_once_counts_hours_once(app, world, monkeypatch, real_transactions, clicks):
    minutes, pages = confirm_at_once(app, world, monkeypatch, real_transactions, clicks)
    assert minutes == 17 * 60
    assert len(pages) == clicks
    assert sum("Relevé enregistré : 1\u00a0mise en situation, 17\u00a0heures." in page for page in pages) == 1, " ||| ".join(p[p.find("flashes"):p.find("flashes")+400].replace("\n", " ") for p in pages)
    assert sum("Ce relevé est déjà confirmé." in page for page in pages) == clicks - 1
    assert not any("Erreur inattendue" in page for page in pages)


@pytest.mark.postgres
@pytest.mark.slow
def test_confirm_race_on_postgresql_counts_hours_once(app, world, monkeypatch, real_transactions):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    minutes, pages = confirm_at_once(app, world, monkeypatch, real_transactions, 3)
    assert minutes == 17 * 60
    assert sum("Ce relevé est déjà confirmé." in page for page in pages) == 2


def test_hour_records_unique_per_import_and_placement(session, world):
    """The database itself refuses a second record of one placement for one import."""
    own = {"organisation_id": world.a.organisation_id, "placement_id": world.a.ids["placements"]["own"],
           "month_on": date(2024, 1, 1), "minutes": 60, "source": HourSource.IMPORT}
    imp = TimesheetImport(organisation_id=own["organisation_id"], filename="x.csv", sha256="1" * 64,
                          siae_id=world.a.ids["siaes"]["own"])
    session.add(imp)
    session.flush()
    session.add(HourRecord(**own, import_id=imp.id))
    session.flush()
    session.add(HourRecord(**own, import_id=imp.id))
    with pytest.raises(IntegrityError):
        session.flush()
