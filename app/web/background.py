"""Start a committed job from a page, and say honestly where it stands when the queue is down."""

import logging

from flask import flash, redirect, url_for

from app.domain.enums import JobStatus
from app.models import Job
from app.queue import QueueUnavailable, enqueue
from app.web.context import get_session

logger = logging.getLogger(__name__)


def start_job(job_function, job_id: int, *arguments: int, target: str | None, postponed: str,
              back: str | None = None):
    """Queue ``job_function(job_id, *arguments)`` (the subject's id, or a filter's integers) after the
    caller's commit and redirect.

    Done already (embedded mode) → ``target``; queued → the job's progress page. When Redis
    is down the rows are committed and the job row stays queued: the reconciler runs it
    later, so the user reads ``postponed`` (what was received, what happens next) rather
    than an error inviting a retry that would duplicate the request (issue 12, item 8), and
    lands on ``target`` (or ``back``, for jobs whose result is only the job page).
    """
    try:
        enqueue(job_function, job_id, *arguments)
    except QueueUnavailable as exc:
        # Ids and the job's name only: nothing personal reaches the log.
        logger.warning("job queue unavailable, job %s left queued for the reconciler (%s)", job_id, exc)
        flash(f"{postponed} Le service de traitement est momentanément indisponible : "
              "la suite se fera automatiquement dès son retour, inutile de recommencer.", "info")
        return redirect(target or back or url_for("main.home"))
    session = get_session()
    session.expire_all()
    if target and session.get(Job, job_id).status in (JobStatus.DONE, JobStatus.FAILED):
        return redirect(target)
    if target:
        return redirect(url_for("main.job_status", job_id=job_id, suite=target))
    return redirect(url_for("main.job_status", job_id=job_id))
