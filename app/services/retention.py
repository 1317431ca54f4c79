"""Retention: anonymise participants two years after their last activity (CNIL, social support).

What an FSE+ audit still needs stays: the pseudonymous code, sex, birth year, the
département of residence, non-health eligibility criteria, placements and hours. Names,
contact details, the exact birth date, health data (RQTH), proof dates and free-text notes
go — from the participant and from the eligibility snapshots of their positionings — and so
do the stored files that carry names once they are as old as the retention period (the rule
per file kind: PERSONAL_FILE_KINDS, docs/data-inventory.toml).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.domain.enums import Criterion
from app.domain.formats import format_count
from app.models import (DataImport, HourRecord, Participant, ParticipantExit, Placement, Positioning, SentMail,
                        StoredFile)
from app.models.base import utcnow
from app.models.timesheets import TimesheetImport

DEFAULT_RETENTION_MONTHS = 24
ANONYMOUS = "ANONYMISÉ"
# Stored files that carry participants' names (or birth dates, signatures), by owner kind: deleted
# once older than the retention period; their rows keep the dates and counts. Timesheet files go
# with their import (below). Fiches, conventions and their scans, clause packs and templates name
# companies and their contacts, not participants: they live as long as their row.
PERSONAL_FILE_KINDS = {
    "dossier": "dossier FSE+ (tableau d'impact nominatif, dates de naissance)",
    "bilan": "bilan (DOCX, PDF)",
    "collective_action": "feuille d'émargement signée",
}


# Files prepared for one download (a large tableau d'impact exported by a job): nominative, and
# asked again in seconds when needed, so kept a week rather than the retention period.
DOWNLOAD_FILE_KINDS = {"tableau_impact": "tableau d'impact préparé pour un téléchargement"}
DOWNLOAD_FILE_DAYS = 7
# A data import's file (a whole migration: participants, their birth dates) is only needed until
# the import is confirmed or abandoned: its file, the sheet's first lines and the lines of its
# report go after this many days; the import keeps its counts.
DATA_IMPORT_FILE_DAYS = 30


@dataclass
class PurgeReport:
    """What a purge did (or, in a dry run, would do)."""

    cutoff: date
    participants: list[int] = field(default_factory=list)
    health_criteria_removed: int = 0
    timesheet_files_removed: int = 0
    previews_cleared: int = 0
    mails_removed: int = 0
    positionings_cleared: int = 0
    files_removed: int = 0
    downloads_removed: int = 0
    data_import_files_removed: int = 0

    def summary(self) -> str:
        """Return the French report printed by ``clausier purge``."""
        counts = ((len(self.participants), "participant anonymisé", "participants anonymisés"),
                  (self.health_criteria_removed, "critère de santé (RQTH) supprimé", "critères de santé (RQTH) supprimés"),
                  (self.timesheet_files_removed, "fichier de relevé supprimé", "fichiers de relevé supprimés"),
                  (self.previews_cleared, "aperçu de relevé effacé", "aperçus de relevé effacés"),
                  (self.positionings_cleared, "positionnement expurgé", "positionnements expurgés"),
                  (self.files_removed, "autre fichier nominatif supprimé", "autres fichiers nominatifs supprimés"),
                  (self.mails_removed, "message envoyé effacé", "messages envoyés effacés"),
                  (self.downloads_removed, "export préparé de plus de 7 jours supprimé",
                   "exports préparés de plus de 7 jours supprimés"),
                  (self.data_import_files_removed,
                   f"fichier d'import de plus de {DATA_IMPORT_FILE_DAYS} jours supprimé",
                   f"fichiers d'import de plus de {DATA_IMPORT_FILE_DAYS} jours supprimés"))
        parts = [format_count(n, one, many) for n, one, many in counts]
        parts[4] += " (RQTH, justificatifs, motifs)"
        parts[5] += " (dossiers FSE+, bilans, feuilles d'émargement)"
        return f"Données antérieures au {self.cutoff:%d/%m/%Y} : " + ", ".join(parts) + "."


def last_activity(session: Session):
    """Select each participant's last activity: update, placement dates, last month of hours."""
    placement_last = (select(Placement.participant_id.label("pid"),
                             func.max(func.coalesce(Placement.ends_on, Placement.starts_on)).label("last_on"))
                      .group_by(Placement.participant_id).subquery())
    hours_last = (select(Placement.participant_id.label("pid"), func.max(HourRecord.month_on).label("last_on"))
                  .join(HourRecord, HourRecord.placement_id == Placement.id)
                  .group_by(Placement.participant_id).subquery())
    return (select(Participant.id, Participant.updated_at, placement_last.c.last_on, hours_last.c.last_on)
            .outerjoin(placement_last, placement_last.c.pid == Participant.id)
            .outerjoin(hours_last, hours_last.c.pid == Participant.id)
            .where(Participant.anonymised_at.is_(None)))


def purge_personal_data(session: Session, *, now: datetime | None = None,
                        retention_months: int = DEFAULT_RETENTION_MONTHS) -> PurgeReport:
    """Anonymise inactive participants and drop old timesheet files; the caller commits (or not)."""
    now = now or utcnow()
    cutoff = (now - timedelta(days=round(retention_months * 30.44))).date()
    report = PurgeReport(cutoff=cutoff)
    for pid, updated_at, placement_on, hours_on in session.execute(last_activity(session)):
        latest = max(d for d in (updated_at.date() if updated_at else None, placement_on, hours_on) if d is not None)
        if latest < cutoff:
            report.participants.append(pid)
    for person in session.scalars(select(Participant).where(Participant.id.in_(report.participants))):
        report.health_criteria_removed += _anonymise(person, now)
    if report.participants:
        # Follow-up notes are free text about the person: they go too; the exit category stays.
        session.execute(update(ParticipantExit).where(ParticipantExit.participant_id.in_(report.participants))
                        .values(follow_up_note=""))
    report.positionings_cleared = _strip_positionings(session)
    old_imports = session.scalars(select(TimesheetImport).where(TimesheetImport.created_at < datetime.combine(
        cutoff, datetime.min.time(), tzinfo=now.tzinfo))).all()
    for imp in old_imports:
        if imp.file_id is not None:
            session.execute(delete(StoredFile).where(StoredFile.id == imp.file_id))
            imp.file_id = None
            report.timesheet_files_removed += 1
        if imp.preview is not None:
            imp.preview = None
            report.previews_cleared += 1
    report.mails_removed = _purge_sent_mails(session, datetime.combine(cutoff, datetime.min.time(), tzinfo=now.tzinfo))
    report.files_removed = _delete_old_personal_files(session, datetime.combine(
        cutoff, datetime.min.time(), tzinfo=now.tzinfo))
    report.downloads_removed = _delete_files(session, DOWNLOAD_FILE_KINDS, now - timedelta(days=DOWNLOAD_FILE_DAYS))
    report.data_import_files_removed = _purge_data_imports(session, now - timedelta(days=DATA_IMPORT_FILE_DAYS))
    session.flush()
    return report


def _purge_data_imports(session: Session, before: datetime) -> int:
    """Drop the files, sheet lines and report lines of data imports older than ``before``; keep their counts."""
    removed = 0
    for imp in session.scalars(select(DataImport).where(DataImport.created_at < before,
                                                        DataImport.file_id.is_not(None))):
        session.execute(delete(StoredFile).where(StoredFile.id == imp.file_id))
        imp.file_id, imp.sheet_preview = None, None
        removed += 1
        if imp.report:
            imp.report = {**imp.report, "rows": [], "unknown": {}, "purged": True}
    return removed


def _purge_sent_mails(session: Session, before: datetime) -> int:
    """Delete the record of mails older than the cutoff, and their attachments (pre-filled sheets with names)."""
    removed = session.execute(delete(SentMail).where(SentMail.created_at < before)).rowcount
    session.execute(delete(StoredFile).where(StoredFile.owner_kind == "sent_mail", StoredFile.created_at < before,
                                             StoredFile.id.not_in(select(SentMail.attachment_file_id).where(
                                                 SentMail.attachment_file_id.is_not(None)))))
    return removed


def _strip_positionings(session: Session) -> int:
    """Clear health data, proof dates and free text from every anonymised participant's positionings.

    Runs over all anonymised participants, not only today's, so that positionings anonymised
    before this rule existed are cleaned too; a clean positioning is left untouched.
    """
    cleared = 0
    anonymised = select(Participant.id).where(Participant.anonymised_at.is_not(None))
    for positioning in session.scalars(select(Positioning).where(Positioning.participant_id.in_(anonymised))):
        snapshot = strip_eligibility_snapshot(positioning.eligibility or {})
        notes = [change for change in positioning.changes if change.note]
        if snapshot == positioning.eligibility and not positioning.override_reason and not notes:
            continue
        # A new dict: JSON columns only notice a reassignment.
        positioning.eligibility, positioning.override_reason = snapshot, None
        for change in notes:
            change.note = ""
        cleared += 1
    return cleared


def strip_eligibility_snapshot(snapshot: dict) -> dict:
    """Return the snapshot without RQTH and without proof dates: the verdict and criterion codes stay."""
    criteria = [{**item, "proof_on": None, "valid_until": None}
                for item in snapshot.get("criteria", []) if item.get("criterion") != Criterion.RQTH.value]
    return {**snapshot, "criteria": criteria} if "criteria" in snapshot else dict(snapshot)


def _delete_old_personal_files(session: Session, before: datetime) -> int:
    """Delete the nominative files older than ``before``; the owners' file ids are set to NULL."""
    return _delete_files(session, PERSONAL_FILE_KINDS, before)


def _delete_files(session: Session, kinds, before: datetime) -> int:
    old = select(StoredFile.id).where(StoredFile.owner_kind.in_(kinds), StoredFile.created_at < before)
    ids = session.scalars(old).all()
    if ids:
        session.flush()  # the anonymisation above, before the expiry below
        # Foreign keys to stored_file are ON DELETE SET NULL: dossiers, bilans and actions keep their row.
        session.execute(delete(StoredFile).where(StoredFile.id.in_(ids)), execution_options={"synchronize_session": False})
        session.expire_all()
    return len(ids)


def _anonymise(person: Participant, now: datetime) -> int:
    """Strip a participant's identity in place; return how many health criteria were removed."""
    person.last_name, person.first_name = ANONYMOUS, person.code
    person.phone = person.email = ""
    if person.birth_on:
        person.birth_on = date(person.birth_on.year, 1, 1)
    if person.postcode:
        person.postcode = person.postcode[:2] + "000"
    person.plie_entry_on = person.plie_entry_on.replace(day=1) if person.plie_entry_on else None
    # Through the collection (delete-orphan), so the session never keeps a deleted criterion.
    health = [criterion for criterion in person.criteria if criterion.criterion == Criterion.RQTH]
    for criterion in health:
        person.criteria.remove(criterion)
    for criterion in person.criteria:
        criterion.proof_on = None
        criterion.note = ""
    person.anonymised_at = now
    return len(health)
