"""The job-status table: create a status row, run a job against it, read it back."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from app.db import db
from app.domain.enums import JobStatus
from app.models import Job
from app.models.base import utcnow


class JobFailure(Exception):
    """A job failed for a reason users can act on; the message is French."""


def create_job(session: Session, kind: str, *, organisation_id: int | None, user_id: int | None,
               subject_id: int | None = None, message: str = "En attente de traitement…") -> Job:
    """Add a queued job row; the caller commits before enqueueing."""
    job = Job(kind=kind, organisation_id=organisation_id, user_id=user_id,
              subject_id=subject_id, status=JobStatus.QUEUED, message=message)
    session.add(job)
    session.flush()
    return job


def report_progress(job_id: int, progress: int, message: str) -> None:
    """Store progress in its own transaction so pages see it while the job works."""
    with db.session_scope() as session:
        job = session.get(Job, job_id)
        if job is not None:
            job.progress = max(0, min(100, progress))
            job.message = message


@contextmanager
def tracked_job(job_id: int) -> Iterator[Callable[[int, str], None]]:
    """Mark the job running, then done or failed; yield a progress callback.

    Under RQ the exception is re-raised so RQ can retry; inline, the failure is only
    recorded, because the page that started the job reads it from the table.
    """
    with db.session_scope() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise LookupError(f"job {job_id} not found")
        job.status, job.started_at, job.progress = JobStatus.RUNNING, utcnow(), 0
        job.error = ""
    try:
        yield lambda progress, message: report_progress(job_id, progress, message)
    except Exception as exc:
        _finish(job_id, JobStatus.FAILED, _failure_message(exc), error=type(exc).__name__)
        if _running_under_rq():
            raise
    else:
        _finish(job_id, JobStatus.DONE, None)


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, JobFailure):
        return str(exc)
    return "Le traitement a échoué de façon inattendue. Réessayez ; si cela persiste, contactez l'administrateur."


def _finish(job_id: int, status: JobStatus, message: str | None, error: str = "") -> None:
    with db.session_scope() as session:
        job = session.get(Job, job_id)
        job.status, job.finished_at, job.error = status, utcnow(), error
        if status == JobStatus.DONE:
            job.progress = 100
        if message is not None:
            job.message = message


def _running_under_rq() -> bool:
    from rq import get_current_job

    return get_current_job() is not None
