"""Maintenance jobs: re-run interrupted jobs, purge old personal data and audit events."""

import threading
import time
from datetime import timedelta

from app.db import db
from app.queue import DEFAULT_TIMEOUT, enqueue, job_queue
from app.services.audit import purge_audit
from app.services.jobs import requeue_or_fail, stuck_jobs
from app.services.retention import purge_personal_data
from workers import ensure_database
from workers.jobs import JOBS_BY_KIND

MAX_ATTEMPTS = 3
# A running job refreshes its row at each progress step; one silent for longer than the
# RQ timeout (plus a margin) belongs to a worker that died.
STALE_AFTER = timedelta(seconds=DEFAULT_TIMEOUT + 60)
RECONCILE_EVERY = timedelta(minutes=10)
PURGE_EVERY = timedelta(days=1)


def reconcile_jobs(stale_after: timedelta = STALE_AFTER) -> tuple[int, int]:
    """Re-queue jobs stuck « en cours » (jobs are idempotent) or fail them; return (requeued, failed)."""
    ensure_database()
    requeue, failed = [], 0
    with db.session_scope() as session:
        for job in stuck_jobs(session, older_than=stale_after):
            if requeue_or_fail(job, max_attempts=MAX_ATTEMPTS, retryable=job.kind in JOBS_BY_KIND):
                requeue.append((job.kind, job.id, job.subject_id))
            else:
                failed += 1
    # Enqueue only after the commit above: the worker must find the row queued.
    for kind, job_id, subject_id in requeue:
        enqueue(JOBS_BY_KIND[kind], job_id, subject_id)
    return len(requeue), failed


def purge_job() -> str:
    """Run the daily retention purge and the audit-trail purge."""
    ensure_database()
    with db.session_scope() as session:
        report = purge_personal_data(session)
        removed = purge_audit(session)
    return f"{report.summary()} {removed} événement(s) d'audit de plus de 12 mois supprimé(s)."


def reconcile_job() -> str:
    """Run the reconciler from the queue."""
    requeued, failed = reconcile_jobs()
    return f"{requeued} tâche(s) relancée(s), {failed} marquée(s) en échec."


def run_maintenance_clock(stop: threading.Event, every: timedelta = RECONCILE_EVERY) -> None:
    """Queue the reconciler every 10 minutes and the purge once a day, until ``stop`` is set.

    Runs in a thread of each worker: several workers may queue the same maintenance twice,
    which is harmless since both jobs are idempotent.
    """
    last_purge = 0.0
    while not stop.wait(every.total_seconds()):
        queue = job_queue.rq_queue()
        queue.enqueue(f"{reconcile_job.__module__}.{reconcile_job.__qualname__}")
        if time.monotonic() - last_purge >= PURGE_EVERY.total_seconds():
            queue.enqueue(f"{purge_job.__module__}.{purge_job.__qualname__}")
            last_purge = time.monotonic()
