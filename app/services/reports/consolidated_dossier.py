"""The consolidated dossier of a consolidating body: one ZIP compiling its partner territories, written by a job.

Pieces: a cover and summary (PDF), the indicators of every territory side by side, each
territory's pseudonymised tableau d'impact, a compiled table of all territories, the statistics
by territory and sector, and the manifest. Territories are read through
``consolidation.read_territory`` only: no piece can carry a name.
"""

import tempfile
from collections.abc import Callable, Iterator
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.db import db
from app.domain.formats import file_slug
from app.domain.reports import build_impact_xlsx
from app.domain.reports.breakdowns import build_breakdowns_xlsx, compute_breakdowns
from app.domain.reports.consolidation import (
    TOTAL_LABEL,
    build_compiled_impact_xlsx,
    build_consolidation_cover_pdf,
    build_indicators_xlsx,
)
from app.domain.reports.dossier import DossierPiece, write_dossier_zip
from app.models import Job, Organisation, StoredFile
from app.services import audit
from app.services.files import store_file
from app.services.jobs import JobFailure, create_job
from app.services.reports.consolidation import AUDIT_TYPE, Consolidation, consolidate

JOB_KIND = "build_consolidated_dossier"
# Owner kind of the ZIP (its owner id is the job's).
OWNER = "dossier_consolide"
ZIP_TYPE = "application/zip"
Progress = Callable[[int, str], None]


def date_int(value: date) -> int:
    """Return a date as the YYYYMMDD integer a job takes."""
    return value.year * 10_000 + value.month * 100 + value.day


def int_date(value: int) -> date:
    """Return the date of a YYYYMMDD integer."""
    return date(value // 10_000, value // 100 % 100, value % 100)


def request_consolidated_dossier(session: Session, scope: Scope) -> Job:
    """Add the queued job of a consolidated dossier; the caller commits, then enqueues it with the period."""
    return create_job(session, JOB_KIND, organisation_id=scope.organisation_id, user_id=scope.user_id,
                      message="Dossier consolidé en attente…")


def consolidated_pieces(consolidation: Consolidation, body_name: str, data_as_of: date,
                        progress: Progress = lambda pct, msg: None) -> Iterator[DossierPiece]:
    """Yield the pieces of a consolidated dossier, one at a time."""
    period = f"du {consolidation.starts_on:%d/%m/%Y} au {consolidation.ends_on:%d/%m/%Y}"
    territories, total = consolidation.territories, consolidation.total
    yield DossierPiece("00-sommaire-de-la-consolidation.pdf", build_consolidation_cover_pdf(
        body_name=body_name, territories=territories, total=total, starts_on=consolidation.starts_on,
        ends_on=consolidation.ends_on, data_as_of=data_as_of),
        f"Sommaire : territoires compilés par {body_name} {period} et leurs principaux chiffres")
    yield DossierPiece("01-indicateurs-par-territoire.xlsx", build_indicators_xlsx(
        territories, total, title=f"Indicateurs par territoire {period}", generated_on=data_as_of),
        f"Indicateurs de chaque territoire {period} et de leur ensemble (calculés, jamais additionnés)")
    progress(40, "Tableaux d'impact des territoires…")
    for territory in territories:
        yield DossierPiece(
            f"02-tableaux-d-impact/{file_slug(territory.name)}-{territory.organisation_id}.xlsx",
            build_impact_xlsx(territory.rows, territory.figures, title=f"Tableau d'impact — {territory.label}",
                              generated_on=data_as_of, pseudonymise=True),
            f"Tableau d'impact pseudonymisé de {territory.label} {period}")
    progress(70, "Tableau compilé…")
    yield DossierPiece("03-tableau-d-impact-compile.xlsx", build_compiled_impact_xlsx(
        territories, title=f"Tableau d'impact compilé {period}", generated_on=data_as_of),
        f"Tableaux d'impact pseudonymisés de tous les territoires, en une feuille {period}")
    sections = [(t.label, compute_breakdowns(t.figures.lots)) for t in territories]
    sections.append((TOTAL_LABEL, compute_breakdowns(total.lots)))
    yield DossierPiece("04-statistiques-territoire-et-secteur.xlsx", build_breakdowns_xlsx(
        sections, title=f"Statistiques {period}", generated_on=data_as_of),
        f"Heures exigées et réalisées, lots et marchés par commune, EPCI, division CPV et métier {period}")
    progress(90, "Sommaire des pièces…")


def consolidated_filename(starts_on: date, ends_on: date) -> str:
    """Return « dossier-consolide-2026-01-01-au-2026-12-31.zip »."""
    return f"dossier-consolide-{starts_on:%Y-%m-%d}-au-{ends_on:%Y-%m-%d}.zip"


def run_consolidated_dossier(job_id: int, starts_on: int, ends_on: int, progress: Progress = lambda pct, msg: None,
                             today: date | None = None) -> None:
    """Build the consolidated dossier of a job's organisation and keep the ZIP as the job's file (the job)."""
    data_as_of = today or date.today()
    first, last = int_date(starts_on), int_date(ends_on)
    with db.session_scope() as session:
        job = session.get(Job, job_id)
        if job is None or job.organisation_id is None:
            raise JobFailure("Cette demande de dossier consolidé n'existe plus.")
        body_id, user_id = job.organisation_id, job.user_id
        body_name = session.get(Organisation, body_id).name
        progress(5, "Lecture des territoires…")
        consolidation = consolidate(session, body_id, first, last)
    if not consolidation.territories:
        raise JobFailure("Aucun territoire à consolider : aucune organisation partenaire n'a accepté la "
                         "consolidation, et votre organisation n'a pas de données sur la période.")
    with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as out:
        write_dossier_zip(out, consolidated_pieces(consolidation, body_name, data_as_of, progress),
                          operation_title=f"Consolidation {body_name}", data_as_of=data_as_of,
                          indicators_vs_targets=())
        out.seek(0)
        data = out.read()
    with db.session_scope() as session:
        # Run again after an interruption: the first run's file is replaced, never doubled.
        for stale in session.scalars(select(StoredFile).where(StoredFile.owner_kind == OWNER,
                                                              StoredFile.owner_id == job_id)):
            session.delete(stale)
        store_file(session, body_id, OWNER, job_id, consolidated_filename(first, last), ZIP_TYPE, data)
        audit.record(session, organisation_id=body_id, user_id=user_id, action="export", object_type=AUDIT_TYPE,
                     object_id=job_id, detail=f"dossier consolidé, {len(consolidation.territories)} territoires")


def recent_dossiers(session: Session, limit: int = 10) -> list[tuple[Job, StoredFile | None]]:
    """Return the organisation's latest consolidated dossier jobs with their ZIP (None while it is built)."""
    jobs = session.scalars(select(Job).where(Job.kind == JOB_KIND).order_by(Job.id.desc()).limit(limit)).all()
    files = {f.owner_id: f for f in session.scalars(select(StoredFile).where(
        StoredFile.owner_kind == OWNER, StoredFile.owner_id.in_([job.id for job in jobs] or [-1])))}
    return [(job, files.get(job.id)) for job in jobs]
