"""The tableau d'impact export: a direct download for a small scope, a background job above a threshold.

A large territory's workbook takes seconds to write; the request that asks for it only counts
the rows (one COUNT), records a job and answers. The job writes the file, keeps it as a
StoredFile of its own, and only the user who asked may download it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import db
from app.domain.reports import build_impact_xlsx
from app.models import Job, StoredFile
from app.services import audit
from app.services.files import XLSX_TYPE, store_file
from app.services.jobs import JobFailure, create_job
from app.services.reports.exports import ReportFilter, impact_row_count, impact_rows, report_title
from app.services.reports.figures import scope_figures

JOB_KIND = "export_impact"
# Owner kind of the produced file (its owner id is the job's): one file per export job.
OWNER = "tableau_impact"
# Above this many participant × tender rows the workbook is written in the background. The small
# demo has 60 and the large one 2 000 (about a second to read and write, openpyxl era).
JOB_THRESHOLD = 1_000


@dataclass(frozen=True)
class ImpactExport:
    """What a tableau d'impact export covers; ``arguments`` is its wire form for the job queue."""

    flt: ReportFilter
    pseudonymise: bool = False

    def arguments(self) -> tuple[int, int, int, int, int]:
        """Return the filter as the integers a job takes: dates as YYYYMMDD, 0 for « not set »."""
        flt = self.flt
        return (_date_int(flt.starts_on), _date_int(flt.ends_on), flt.buyer_id or 0, flt.company_id or 0,
                int(self.pseudonymise))

    @classmethod
    def from_arguments(cls, organisation_id: int, starts_on: int, ends_on: int, buyer_id: int, company_id: int,
                       pseudonymise: int) -> "ImpactExport":
        """Return the export a job's arguments describe (the organisation comes from the job row)."""
        return cls(ReportFilter(organisation_id, starts_on=_int_date(starts_on), ends_on=_int_date(ends_on),
                                buyer_id=buyer_id or None, company_id=company_id or None), bool(pseudonymise))

    @property
    def audit_detail(self) -> str:
        """Return what the audit trail says of this export (its kind, never a name)."""
        return "pseudonymisé" if self.pseudonymise else "nominatif"


def _date_int(value: date | None) -> int:
    return value.year * 10_000 + value.month * 100 + value.day if value else 0


def _int_date(value: int) -> date | None:
    return date(value // 10_000, value // 100 % 100, value % 100) if value else None


def runs_as_job(session: Session, export: ImpactExport) -> bool:
    """Tell whether the export is too large to be written during the request."""
    return impact_row_count(session, export.flt) > JOB_THRESHOLD


def build_impact_export(session: Session, export: ImpactExport, *, today: date,
                        progress: Callable[[int, int], None] | None = None) -> bytes:
    """Read the rows and figures of the export's scope and return the workbook.

    ``progress(written, total)`` hears how many rows are written, every few hundred.
    """
    rows = impact_rows(session, export.flt)
    figures = scope_figures(session, export.flt, rows)
    title = report_title(session, export.flt, "Tableau d'impact")
    return build_impact_xlsx(rows, figures, title=title, generated_on=today, pseudonymise=export.pseudonymise,
                             progress=None if progress is None else lambda written: progress(written, len(rows)))


def record_export(session: Session, organisation_id: int, user_id: int | None, export: ImpactExport) -> None:
    """Write the export to the audit trail (DOMAIN.md §9: who exported a participant file)."""
    audit.record(session, organisation_id=organisation_id, user_id=user_id, action="export",
                 object_type=OWNER, detail=export.audit_detail)


def request_impact_export(session: Session, organisation_id: int, user_id: int | None) -> Job:
    """Add the queued job of an export; the caller commits, then enqueues it with the export's arguments."""
    return create_job(session, JOB_KIND, organisation_id=organisation_id, user_id=user_id,
                      message="Tableau d'impact en attente…")


def run_impact_export(job_id: int, arguments: tuple[int, ...], progress=lambda pct, msg: None,
                      today: date | None = None) -> None:
    """Write the workbook of an export job, keep it as the job's file and audit the export."""
    today = today or date.today()
    with db.session_scope() as session:
        job = session.get(Job, job_id)
        if job is None or job.organisation_id is None:
            raise JobFailure("Cette demande d'export n'existe plus.")
        organisation_id, user_id = job.organisation_id, job.user_id
        export = ImpactExport.from_arguments(organisation_id, *arguments)
        progress(5, "Lecture des participants et des heures…")

        def written(count: int, total: int) -> None:
            progress(10 + 85 * count // max(total, 1), f"Tableau d'impact : {count} lignes écrites sur {total}…")

        data = build_impact_export(session, export, today=today, progress=written)
    progress(96, "Enregistrement du fichier…")
    with db.session_scope() as session:
        # Run again after an interruption: the file of the first run is replaced, never doubled.
        for stale in session.scalars(select(StoredFile).where(StoredFile.owner_kind == OWNER,
                                                              StoredFile.owner_id == job_id)):
            session.delete(stale)
        store_file(session, organisation_id, OWNER, job_id, f"tableau-impact-{today:%Y-%m-%d}.xlsx", XLSX_TYPE, data)
        record_export(session, organisation_id, user_id, export)


def export_file(session: Session, job: Job) -> StoredFile | None:
    """Return the file an export job produced, None while it has none."""
    return session.scalars(select(StoredFile).where(StoredFile.owner_kind == OWNER, StoredFile.owner_id == job.id)
                           .order_by(StoredFile.id.desc()).limit(1)).first()
