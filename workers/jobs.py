"""One-line job wrappers around services: ``<service>_job(job_id, *ids)``."""

from app.db import db
from app.services.jobs import tracked_job
from app.services.progress import summarise_tender_progress
from workers import ensure_database


def summarise_tender_progress_job(job_id: int, tender_id: int) -> None:
    """Recount the hours done on a tender's lots and report them on the job row."""
    ensure_database()
    with tracked_job(job_id) as progress:
        progress(10, "Calcul des heures réalisées…")
        with db.session_scope() as session:
            summary = summarise_tender_progress(session, tender_id)
        progress(100, summary)
