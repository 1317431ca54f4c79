"""Collective actions: create them, list who is expected, print the attendance sheet, keep the
signed scan and mark who came. Callers commit.
"""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.access import Scope
from app.domain.reports.attendance import ActionKind, AttendanceSheet, Attendee, build_attendance_pdf
from app.models import ActionAttendee, CollectiveAction, FseOperation, Organisation, Participant, StoredFile
from app.sandbox import SandboxRefusal
from app.services.files import PDF_TYPE, scan_page_count, store_file
from app.services.referential import ServiceError

MAX_SCAN_BYTES = 10 * 1024 * 1024
SCAN_TYPES = {b"%PDF-": (PDF_TYPE, "pdf"), b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
              b"\xff\xd8\xff": ("image/jpeg", "jpg")}
OWNER = "collective_action"


def save_action(session: Session, scope: Scope, data: dict, action: CollectiveAction | None = None
                ) -> CollectiveAction:
    """Create or update a collective action."""
    starts_at: datetime = data["starts_at"]
    ends_at: datetime | None = data.get("ends_at")
    if ends_at is not None and ends_at <= starts_at:
        raise ServiceError("L'heure de fin doit suivre l'heure de début.", "end_time")
    operation_id = data.get("fse_operation_id")
    if operation_id is not None and session.get(FseOperation, operation_id) is None:
        raise ServiceError("Cette opération FSE+ est introuvable.", "fse_operation_id")
    if action is None:
        action = CollectiveAction(organisation_id=scope.organisation_id)
        session.add(action)
    action.kind = ActionKind(data["kind"])
    action.title = data["title"].strip()[:200]
    action.starts_at, action.ends_at = starts_at, ends_at
    action.place = data["place"].strip()[:300]
    action.organiser = data["organiser"].strip()[:200]
    action.fse_operation_id = operation_id
    action.notes = (data.get("notes") or "").strip()
    session.flush()
    return action


def add_participant(session: Session, action: CollectiveAction, participant_id: int) -> ActionAttendee:
    """Invite a participant (once)."""
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise ServiceError("Ce participant est introuvable.", "participant_id")
    if any(a.participant_id == participant.id for a in action.attendees):
        raise ServiceError(f"{participant.display_name} figure déjà sur la liste.", "participant_id")
    attendee = ActionAttendee(organisation_id=action.organisation_id, participant_id=participant.id,
                              structure="Participant", role="")
    action.attendees.append(attendee)
    session.flush()
    return attendee


def add_person(session: Session, action: CollectiveAction, name: str, structure: str, role: str) -> ActionAttendee:
    """Invite someone who is not a participant: company or partner staff."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("Indiquez le nom de la personne.", "name")
    attendee = ActionAttendee(organisation_id=action.organisation_id, name=name[:200],
                              structure=(structure or "").strip()[:200], role=(role or "").strip()[:200])
    action.attendees.append(attendee)
    session.flush()
    return attendee


def remove_attendee(session: Session, action: CollectiveAction, attendee_id: int) -> None:
    """Take someone off the list."""
    attendee = next((a for a in action.attendees if a.id == attendee_id), None)
    if attendee is None:
        raise ServiceError("Cette personne ne figure pas sur la liste.")
    action.attendees.remove(attendee)
    session.flush()


def mark_attendance(session: Session, action: CollectiveAction, present_ids: set[int], today: date) -> int:
    """Record who came (every other invitee was absent); return how many came."""
    if action.starts_at.date() > today:
        raise ServiceError("Les présences se notent une fois l'action passée.")
    for attendee in action.attendees:
        attendee.attended = attendee.id in present_ids
    session.flush()
    return sum(1 for attendee in action.attendees if attendee.attended)


def attendee_label(attendee: ActionAttendee) -> str:
    """Return the name printed for an invitee."""
    if attendee.participant is not None:
        return attendee.participant.display_name
    return attendee.name


def operation_title(session: Session, action: CollectiveAction) -> str:
    """Return the title printed at the top of the sheet: the FSE+ operation, else the organisation's."""
    if action.fse_operation is not None:
        return action.fse_operation.title
    organisation = session.get(Organisation, action.organisation_id)
    return f"{organisation.name} — clauses sociales d'insertion"


def attendance_sheet(session: Session, action: CollectiveAction) -> AttendanceSheet:
    """Return what the attendance sheet of an action prints."""
    attendees = [Attendee(attendee_label(a), a.structure, a.role) for a in action.attendees]
    return AttendanceSheet(
        operation_title=operation_title(session, action), kind=action.kind, starts_at=action.starts_at,
        ends_at=action.ends_at, place=action.place, organiser=action.organiser, attendees=attendees,
        is_fse_funded=bool(action.fse_operation and action.fse_operation.is_fse_funded),
        action_title=action.title,
        operation_number=action.fse_operation.operation_number if action.fse_operation else "")


def attendance_pdf(session: Session, action: CollectiveAction) -> bytes:
    """Return the feuille d'émargement PDF of an action."""
    return build_attendance_pdf(attendance_sheet(session, action))


def scan_type(data: bytes) -> tuple[str, str]:
    """Return the content type and extension of a signed scan, or refuse it (French message)."""
    if not data:
        raise ServiceError("Le fichier est vide.", "file")
    if len(data) > MAX_SCAN_BYTES:
        raise ServiceError(f"Le scan dépasse {MAX_SCAN_BYTES // 1024 // 1024} Mo : numérisez en noir et blanc "
                           "ou à une résolution plus faible.", "file")
    for magic, kind in SCAN_TYPES.items():
        if data.startswith(magic) or (magic == b"%PDF-" and magic in data[:1024]):
            if kind[0] == PDF_TYPE:
                check_pdf(data)
            return kind
    raise ServiceError("Déposez la feuille signée au format PDF, JPEG ou PNG.", "file")


def check_pdf(data: bytes, field: str = "file") -> None:
    """Open an uploaded PDF in the sandbox (hard limits): refuse it in French when it has no readable page."""
    try:
        pages = scan_page_count(data)
    except SandboxRefusal as exc:
        raise ServiceError(exc.message_fr, field) from exc
    if pages < 1:
        raise ServiceError("Ce PDF est illisible ou endommagé : enregistrez-le ou numérisez-le à nouveau.", field)


def attach_signed_scan(session: Session, action: CollectiveAction, data: bytes) -> None:
    """Keep the signed attendance sheet of an action (a new scan replaces the previous one)."""
    content_type, extension = scan_type(data)
    previous = action.signed_scan_file_id
    stored = store_file(session, action.organisation_id, OWNER, action.id,
                        f"emargement-{action.id}-signe.{extension}", content_type, data)
    action.signed_scan_file_id = stored.id
    session.flush()
    if previous:
        old = session.get(StoredFile, previous)
        if old is not None:
            session.delete(old)
            session.flush()


def list_actions(session: Session, starts_on: date | None = None, ends_on: date | None = None
                 ) -> list[CollectiveAction]:
    """Return actions, latest first, with their attendees loaded."""
    statement = select(CollectiveAction).options(selectinload(CollectiveAction.attendees),
                                                 selectinload(CollectiveAction.fse_operation))
    if starts_on is not None:
        statement = statement.where(CollectiveAction.starts_at >= datetime.combine(starts_on, datetime.min.time()))
    if ends_on is not None:
        statement = statement.where(CollectiveAction.starts_at <= datetime.combine(ends_on, datetime.max.time()))
    return list(session.scalars(statement.order_by(CollectiveAction.starts_at.desc(), CollectiveAction.id.desc())))
