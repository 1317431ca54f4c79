"""Maintenance jobs: re-run interrupted jobs, purge old personal data and audit events."""

import logging
import threading
import time
from datetime import timedelta

from rq.exceptions import NoSuchJobError
from rq.job import Job as RqJob

from app.db import db
from app.domain.enums import JobStatus
from app.models import Job
from app.models.timesheets import ImportStatus, TimesheetImport
from app.queue import DEFAULT_TIMEOUT, QueueUnavailable, enqueue, job_queue
from app.services.audit import purge_audit
from app.services.jobs import requeue_or_fail, stuck_jobs
from app.services.figure_cache import prune_data_changes
from app.services.retention import purge_personal_data
from workers import ensure_database
from workers.jobs import JOBS_BY_KIND
from workers.mail import remind_job

MAX_ATTEMPTS = 3
# A running job refreshes its row at each progress step; one silent for longer than the
# RQ timeout (plus a margin) belongs to a worker that died.
STALE_AFTER = timedelta(seconds=DEFAULT_TIMEOUT + 60)
RECONCILE_EVERY = timedelta(minutes=10)
PURGE_EVERY = timedelta(days=1)
logger = logging.getLogger(__name__)


def reconcile_jobs(stale_after: timedelta = STALE_AFTER) -> tuple[int, int]:
    """Re-queue jobs stuck « en cours » (jobs are idempotent) or fail them; return (requeued, failed)."""
    ensure_database()
    requeue, orphans, failed = [], [], 0
    with db.session_scope() as session:
        for job in stuck_jobs(session, older_than=stale_after):
            orphans.append(job.rq_job_id)
            if requeue_or_fail(job, max_attempts=MAX_ATTEMPTS, retryable=job.kind in JOBS_BY_KIND):
                requeue.append((job.kind, job.id, job.subject_id))
            else:
                failed += 1
                _give_up_subject(session, job)
    # A worker killed mid-job leaves its RQ job « started »; RQ retries it on its own once the
    # heartbeat expires, which would run the job a second time beside the one queued here.
    # Found by tests/security/test_worker_crash.py (kill -9 during an import), 2026-11.
    for rq_job_id in orphans:
        _forget_rq_job(rq_job_id)
    # Enqueue only after the commit above: the worker must find the row queued.
    for kind, job_id, subject_id in requeue:
        try:
            rq_job_id = enqueue(JOBS_BY_KIND[kind], job_id, subject_id)
        except QueueUnavailable:
            # Still queued in our table: the next reconcile queues it once Redis answers.
            logger.warning("job queue unavailable, job %s stays queued", job_id)
            continue
        if rq_job_id:
            with db.session_scope() as session:
                job = session.get(Job, job_id)
                if job is not None and job.status == JobStatus.QUEUED:
                    job.rq_job_id = rq_job_id
    return len(requeue), failed


def _forget_rq_job(rq_job_id: str | None) -> None:
    if not rq_job_id or not job_queue.is_async:
        return
    try:
        RqJob.fetch(rq_job_id, connection=job_queue.connection()).delete()
    except NoSuchJobError:
        pass


def _give_up_subject(session, job: Job) -> None:
    """Tell the user what a job given up on means for its subject: an import stays unread."""
    if job.kind != "analyse_timesheet" or job.subject_id is None:
        return
    imp = session.get(TimesheetImport, job.subject_id)
    if imp is not None and imp.status == ImportStatus.RECEIVED:
        # Without this the page said « en cours de lecture » forever.
        imp.status = ImportStatus.FAILED
        imp.error = ("La lecture du fichier a été interrompue plusieurs fois. Rien n'a été enregistré : "
                     "déposez-le à nouveau ; si cela recommence, prévenez l'équipe.")


def purge_job() -> str:
    """Run the daily retention purge and the audit-trail purge."""
    ensure_database()
    with db.session_scope() as session:
        report = purge_personal_data(session)
        removed = purge_audit(session)
        prune_data_changes(session)
    return f"{report.summary()} {removed} événement(s) d'audit de plus de 12 mois supprimé(s)."


def reconcile_job() -> str:
    """Run the reconciler from the queue."""
    requeued, failed = reconcile_jobs()
    return f"{requeued} tâche(s) relancée(s), {failed} marquée(s) en échec."


def run_maintenance_clock(stop: threading.Event, every: timedelta = RECONCILE_EVERY) -> None:
    """Queue the reconciler and the mail tick every 10 minutes and the purge once a day, until ``stop`` is set.

    Runs in a thread of each worker: several workers may queue the same maintenance twice,
    which is harmless since every one of these jobs is idempotent (reminders are keyed in the
    sent-mail table; the tick also retries failed deliveries whose delay has passed).
    """
    last_purge = None
    while not stop.wait(every.total_seconds()):
        try:
            last_purge = maintenance_tick(last_purge)
        except Exception:
            # A failed tick (Redis or the database away) must not end the thread: reconcile and
            # the daily purge would stop until the worker restarts (issue 12, item 8). The
            # next tick tries again; a purge not queued stays due.
            logger.exception("maintenance tick failed; retrying in %s", every)


def maintenance_tick(last_purge: float | None) -> float | None:
    """Queue the reconciler and the mail tick, and the purge when a day has passed; return when the purge was queued."""
    queue = job_queue.rq_queue()
    queue.enqueue(f"{reconcile_job.__module__}.{reconcile_job.__qualname__}")
    queue.enqueue(f"{remind_job.__module__}.{remind_job.__qualname__}")
    if last_purge is None or time.monotonic() - last_purge >= PURGE_EVERY.total_seconds():
        queue.enqueue(f"{purge_job.__module__}.{purge_job.__qualname__}")
        return time.monotonic()
    return last_purge
