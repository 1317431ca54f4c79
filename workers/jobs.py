"""One-line job wrappers around services: ``<service>_job(job_id, *ids)``."""

from app.db import db
from app.services.jobs import tracked_job
from app.services.reports.bilan import run_bilan
from app.services.reports.consolidated_dossier import run_consolidated_dossier
from app.services.clauses.packs import run_clause_pack
from app.services.dataimport import jobs as dataimport_jobs
from app.services.reports.dossiers import run_dossier
from app.services.reports.impact_export import run_impact_export
from app.services.reports.progress import summarise_tender_progress
from app.services.timesheets import run_analysis
from workers import ensure_database


def summarise_tender_progress_job(job_id: int, tender_id: int) -> None:
    """Recount the hours done on a tender's lots and report them on the job row."""
    ensure_database()
    with tracked_job(job_id) as progress:
        progress(10, "Calcul des heures réalisées…")
        with db.session_scope() as session:
            summary = summarise_tender_progress(session, tender_id)
        progress(100, summary)


def analyse_timesheet_job(job_id: int, import_id: int) -> None:
    """Read an uploaded timesheet and prepare its preview."""
    ensure_database()
    with tracked_job(job_id) as progress:
        run_analysis(import_id, progress)
        progress(100, "Relevé lu : vérifiez ce qui a été compris, puis confirmez.")


def analyse_data_import_job(job_id: int, import_id: int) -> None:
    """Read an uploaded data import file and plan what it would change."""
    ensure_database()
    with tracked_job(job_id) as progress:
        progress(100, dataimport_jobs.run_analysis(import_id, progress))


def confirm_data_import_job(job_id: int, import_id: int) -> None:
    """Write a previewed data import all or nothing."""
    ensure_database()
    with tracked_job(job_id) as progress:
        progress(100, dataimport_jobs.run_confirmation(import_id, progress))


def generate_clause_pack_job(job_id: int, pack_id: int) -> None:
    """Render a clause pack's documents and store them."""
    ensure_database()
    with tracked_job(job_id) as progress:
        run_clause_pack(pack_id, progress)
        progress(100, "Dossier de clause prêt : téléchargez les documents.")


def generate_bilan_job(job_id: int, bilan_id: int) -> None:
    """Write a requested bilan (DOCX, and PDF when LibreOffice is there)."""
    ensure_database()
    with tracked_job(job_id) as progress:
        run_bilan(bilan_id, progress)
        progress(100, "Bilan prêt : téléchargez-le.")


def build_dossier_job(job_id: int, dossier_id: int) -> None:
    """Build an FSE+ operation's justification ZIP and store it."""
    ensure_database()
    with tracked_job(job_id) as progress:
        run_dossier(dossier_id, progress)
        progress(100, "Dossier FSE+ prêt : téléchargez le fichier ZIP.")


def export_impact_job(job_id: int, starts_on: int, ends_on: int, buyer_id: int, company_id: int,
                      pseudonymise: int) -> None:
    """Write a tableau d'impact too large for the request and keep it for the user who asked."""
    ensure_database()
    with tracked_job(job_id) as progress:
        run_impact_export(job_id, (starts_on, ends_on, buyer_id, company_id, pseudonymise), progress)
        progress(100, "Tableau d'impact prêt : téléchargez-le.")


# Kinds the reconciler may re-run after an interruption (each job is idempotent).
JOBS_BY_KIND = {
    "summarise_tender_progress": summarise_tender_progress_job,
    "analyse_timesheet": analyse_timesheet_job,
    "analyse_data_import": analyse_data_import_job,
    "confirm_data_import": confirm_data_import_job,
    "generate_clause_pack": generate_clause_pack_job,
    "generate_bilan": generate_bilan_job,
    "build_dossier": build_dossier_job,
}
# Not in JOBS_BY_KIND: an export job takes its filter as arguments, which the reconciler (it
# re-queues ``job(job_id, subject_id)``) does not have. One interrupted is marked failed and
# the user asks again: the page that started it says so.


# Not in JOBS_BY_KIND either: it takes its period as arguments, like the export job above.
def build_consolidated_dossier_job(job_id: int, starts_on: int, ends_on: int) -> None:
    """Build a consolidating body's dossier of its partner territories (period as YYYYMMDD) and store it."""
    ensure_database()
    with tracked_job(job_id) as progress:
        run_consolidated_dossier(job_id, starts_on, ends_on, progress)
        progress(100, "Dossier consolidé prêt : téléchargez le fichier ZIP.")
