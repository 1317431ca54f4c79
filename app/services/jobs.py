"""The job-status table: create a status row, run a job against it, read it back."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import db
from app.domain.enums import JobStatus
from app.models import Job
from app.models.base import utcnow


class JobFailure(Exception):
    """A job failed for a reason users can act on; the message is French."""


class JobAlreadyDone(Exception):
    """A job delivered again after it finished: nothing is run a second time."""


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

    An unexpected exception is re-raised under RQ so that RQ retries it; a JobFailure is
    final (retrying an unreadable file gives the same answer) and, like every failure
    inline, is only recorded: the page that started the job reads it from the table.
    """
    with db.session_scope() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise LookupError(f"job {job_id} not found")
        if job.status == JobStatus.DONE:
            # A worker killed after our commit but before RQ marked its job finished leaves
            # the job « started » in Redis; RQ delivers it again later. Running it again could
            # rewrite what users already acted on (an import confirmed since). Found by
            # tests/security/test_worker_crash.py, 2026-11.
            _stop_rq_retries()
            raise JobAlreadyDone(f"job {job_id} already done")
        job.status, job.started_at, job.progress = JobStatus.RUNNING, utcnow(), 0
        job.error = ""
        # Which RQ job runs this row: if its worker dies, the reconciler deletes that RQ job
        # before queueing a new one, so RQ's own abandoned-job retry cannot run it a second time.
        job.rq_job_id = _current_rq_job_id() or job.rq_job_id
    try:
        yield lambda progress, message: report_progress(job_id, progress, message)
    except Exception as exc:
        _finish(job_id, JobStatus.FAILED, _failure_message(exc), error=type(exc).__name__)
        if _running_under_rq() and not isinstance(exc, JobFailure):
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
    return _current_rq_job_id() is not None


def _stop_rq_retries() -> None:
    from rq import get_current_job

    current = get_current_job()
    if current is not None:
        current.retries_left = 0


def _current_rq_job_id() -> str | None:
    from rq import get_current_job

    current = get_current_job()
    return current.id if current is not None else None


def stuck_jobs(session: Session, *, older_than: timedelta, now: datetime | None = None) -> list[Job]:
    """Return jobs still queued or running that have not moved for ``older_than``."""
    cutoff = (now or utcnow()) - older_than
    return session.scalars(select(Job).where(Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)),
                                             Job.updated_at < cutoff).order_by(Job.id)).all()


def requeue_or_fail(job: Job, *, max_attempts: int, retryable: bool = True) -> bool:
    """Put an interrupted job back in the queue, or fail it once it was retried enough."""
    if not retryable or job.attempts >= max_attempts:
        job.status, job.finished_at, job.error = JobStatus.FAILED, utcnow(), "interrupted"
        job.message = "Le traitement a été interrompu plusieurs fois : relancez-le, ou contactez l'administrateur."
        return False
    job.attempts += 1
    job.status, job.progress = JobStatus.QUEUED, 0
    job.message = "Le traitement a été interrompu ; il est relancé automatiquement."
    return True
