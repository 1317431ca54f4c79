"""The queue facade: inline without Redis, through RQ with it; the status table says how it went."""

import os

import fakeredis
import pytest
from redis import Redis
from rq import SimpleWorker

from app.domain.enums import JobStatus, Role
from app.models import Job
from app.queue import enqueue, job_queue
from app.services.jobs import JobFailure, create_job, tracked_job
from workers.jobs import summarise_tender_progress_job


def failing_job(job_id: int) -> None:
    """Fail the way a job does when the user can act on it."""
    with tracked_job(job_id):
        raise JobFailure("Le fichier est illisible : déposez-le à nouveau.")


def crashing_job(job_id: int) -> None:
    """Fail the way a bug does; the message must not leak details."""
    with tracked_job(job_id):
        raise KeyError("Dupont Marie")


def new_job(session, world, kind="test") -> Job:
    job = create_job(session, kind, organisation_id=world.a.organisation_id, user_id=None)
    session.commit()
    return job


def test_enqueue_inline_runs_job_and_records_done(session, world):
    job = new_job(session, world)
    assert not job_queue.is_async
    enqueue(summarise_tender_progress_job, job.id, world.a.ids["tenders"]["own"])
    session.expire_all()
    row = session.get(Job, job.id)
    assert row.status == JobStatus.DONE and row.progress == 100
    assert row.message == ("Marché REF ORG-A : 70\u00a0heures réalisées pour 500\u00a0heures exigées, "
                           "430\u00a0heures restant à réaliser.")
    assert row.started_at and row.finished_at


def test_enqueue_refuses_anything_but_ids():
    with pytest.raises(TypeError, match="identifiants"):
        enqueue(summarise_tender_progress_job, "Dupont", 3)


def test_job_failure_recorded_with_french_message(session, world):
    job = new_job(session, world)
    enqueue(failing_job, job.id)
    session.expire_all()
    row = session.get(Job, job.id)
    assert row.status == JobStatus.FAILED
    assert row.message == "Le fichier est illisible : déposez-le à nouveau."


def test_job_crash_recorded_without_personal_details(session, world):
    job = new_job(session, world)
    enqueue(crashing_job, job.id)
    session.expire_all()
    row = session.get(Job, job.id)
    assert row.status == JobStatus.FAILED
    assert "Dupont" not in row.message + row.error and row.error == "KeyError"
    assert "inattendue" in row.message


@pytest.fixture
def rq_connection():
    """Route jobs through RQ: a real Redis when REDIS_URL is set (CI), fakeredis otherwise."""
    url = os.environ.get("REDIS_URL")
    connection = Redis.from_url(url) if url else fakeredis.FakeRedis()
    connection.flushdb()
    job_queue.configure(None, connection=connection)
    yield connection
    connection.flushdb()
    job_queue.configure(None)


def test_enqueue_through_rq_runs_in_worker(session, world, rq_connection):
    job = new_job(session, world)
    rq_id = enqueue(summarise_tender_progress_job, job.id, world.a.ids["tenders"]["own"])
    queued = job_queue.rq_queue().fetch_job(rq_id)
    # Dotted path and primitive ids: what a worker in another process can import and unpickle.
    assert queued.func_name == "workers.jobs.summarise_tender_progress_job"
    assert queued.args == (job.id, world.a.ids["tenders"]["own"])
    session.expire_all()
    assert session.get(Job, job.id).status == JobStatus.QUEUED
    SimpleWorker([job_queue.rq_queue()], connection=rq_connection).work(burst=True)
    session.expire_all()
    row = session.get(Job, job.id)
    assert row.status == JobStatus.DONE
    assert "70\u00a0heures réalisées" in row.message


def test_recount_commits_job_row_before_enqueueing(app, login, world, monkeypatch):
    from app.web import background
    from app.web.context import get_session

    seen = {}

    def spy(job, *ids):
        seen["open_transaction"] = get_session().in_transaction()
        seen["ids"] = ids

    monkeypatch.setattr(background, "enqueue", spy)
    browser = login(Role.FACILITATEUR)
    response = browser.post(f"/marches/{world.a.ids['tenders']['own']}/recompter")
    assert response.status_code == 302 and "/taches/" in response.headers["Location"]
    assert seen["open_transaction"] is False
    assert seen["ids"][1] == world.a.ids["tenders"]["own"]


def test_job_page_shows_status_and_json(login, world):
    browser = login(Role.FACILITATEUR)
    response = browser.post(f"/marches/{world.a.ids['tenders']['own']}/recompter")
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Terminé" in page and "70\u00a0heures réalisées" in page
    data = browser.get(response.headers["Location"] + ".json").get_json()
    assert data["status"] == "done" and data["progress"] == 100


def test_job_page_of_other_org_is_404(login, session, world):
    job = create_job(session, "test", organisation_id=world.b.organisation_id, user_id=None)
    session.commit()
    assert login(Role.ADMIN).get(f"/taches/{job.id}").status_code == 404
