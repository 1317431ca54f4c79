"""The tableau d'impact above the size threshold: written by a job (inline without Redis), kept for
the user who asked, audited once; below it, a direct download as before."""

from datetime import date
from io import BytesIO

import fakeredis
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.enums import JobStatus, Role
from app.domain.reports import IMPACT_SHEET
from app.models import AuditEvent, Job, StoredFile
from app.queue import job_queue
from app.services.reports import impact_export
from app.services.reports.exports import ReportFilter, impact_row_count, impact_rows
from tests.services.reports.followup_helpers import make_site

QUERY = "starts_on=2026-01-01&ends_on=2026-12-31"


def impact_values(data: bytes) -> list[list]:
    ws = load_workbook(BytesIO(data))[IMPACT_SHEET]
    return [[cell.value for cell in row] for row in ws.iter_rows(min_row=2)]


def export_jobs(session) -> list[Job]:
    session.expire_all()
    return session.scalars(select(Job).where(Job.kind == impact_export.JOB_KIND).order_by(Job.id)).all()


@pytest.fixture
def site(session, world):
    made = make_site(session, world, lots=1, people=3, tag="IMPJOB", last_names=("Zéphyr",))
    session.commit()
    return made


def test_impact_export_below_threshold_downloads_directly(login, session, site):
    response = login(Role.GESTIONNAIRE).get(f"/exports/tableau-impact.xlsx?{QUERY}")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert not export_jobs(session)


def test_impact_export_above_threshold_runs_as_job_for_its_user_only(login, session, world, site, monkeypatch):
    direct = login(Role.GESTIONNAIRE).get(f"/exports/tableau-impact.xlsx?{QUERY}&pseudonymise=y").data
    monkeypatch.setattr(impact_export, "JOB_THRESHOLD", 2)
    browser = login(Role.GESTIONNAIRE)
    response = browser.get(f"/exports/tableau-impact.xlsx?{QUERY}&pseudonymise=y")
    [job] = export_jobs(session)
    # Inline (no Redis): the job is done when the request answers, which sends to the file.
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/exports/tableau-impact/{job.id}")
    assert job.status == JobStatus.DONE and job.progress == 100 and job.user_id is not None
    stored = session.scalar(select(StoredFile).where(StoredFile.owner_kind == impact_export.OWNER))
    assert stored.owner_id == job.id and stored.name == f"tableau-impact-{date.today():%Y-%m-%d}.xlsx"
    download = browser.get(response.headers["Location"])
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    # The same workbook as the direct download (the date line aside, both written today).
    assert impact_values(download.data) == impact_values(direct)
    assert "Zéphyr" not in str(impact_values(download.data))
    events = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "tableau_impact")).all()
    assert [e.detail for e in events] == ["pseudonymisé", "pseudonymisé"]
    # Another user of the same organisation, allowed to export, still cannot take this one.
    colleague = login(Role.FACILITATEUR)
    assert colleague.get(f"/exports/tableau-impact/{job.id}").status_code == 404
    assert colleague.get(f"/fichiers/{stored.id}").status_code == 404
    assert browser.get(f"/fichiers/{stored.id}").status_code == 200


def test_impact_export_file_not_ready_leads_to_the_job_page(login, session, world, site, monkeypatch):
    monkeypatch.setattr(impact_export, "JOB_THRESHOLD", 2)
    monkeypatch.setattr("app.web.background.enqueue", lambda job, *ids: None)  # left queued
    browser = login(Role.GESTIONNAIRE)
    response = browser.get(f"/exports/tableau-impact.xlsx?{QUERY}")
    [job] = export_jobs(session)
    assert job.status == JobStatus.QUEUED and f"/taches/{job.id}" in response.headers["Location"]
    waiting = browser.get(f"/exports/tableau-impact/{job.id}")
    assert waiting.status_code == 302 and f"/taches/{job.id}" in waiting.headers["Location"]
    page = browser.get(waiting.headers["Location"]).get_data(as_text=True)
    assert "Export du tableau d" in page and f"/exports/tableau-impact/{job.id}" in page
    # Nothing written yet: the audit trail waits for the file.
    assert not session.scalars(select(AuditEvent).where(AuditEvent.object_type == "tableau_impact")).all()


def test_impact_export_enqueues_ints_only_through_rq(login, session, world, site, monkeypatch):
    monkeypatch.setattr(impact_export, "JOB_THRESHOLD", 2)
    connection = fakeredis.FakeRedis()
    job_queue.configure(None, connection=connection)
    try:
        login(Role.GESTIONNAIRE).get(f"/exports/tableau-impact.xlsx?{QUERY}&buyer_id={site.buyer_id}")
        [queued] = job_queue.rq_queue().jobs
    finally:
        job_queue.configure(None)
    [job] = export_jobs(session)
    assert queued.func_name == "workers.jobs.export_impact_job"
    assert queued.args == (job.id, 20260101, 20261231, site.buyer_id, 0, 0)


@pytest.mark.parametrize("export", [
    impact_export.ImpactExport(ReportFilter(7)),
    impact_export.ImpactExport(ReportFilter(7, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), buyer_id=3,
                                            company_id=9), pseudonymise=True),
])
def test_impact_export_arguments_round_trip(export):
    arguments = export.arguments()
    assert all(type(value) is int for value in arguments)
    assert impact_export.ImpactExport.from_arguments(7, *arguments) == export


def test_impact_row_count_bounds_the_rows(session, world, site):
    flt = ReportFilter(world.a.organisation_id, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    assert impact_row_count(session, flt) >= len(impact_rows(session, flt)) >= 3
