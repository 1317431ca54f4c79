"""The activity log: record what the facilitator did (contacts, visits, comités…), with its
compte rendu, list it, and extract it for the FSE+ dossier. Callers commit.

What the FSE+ targets count from these entries is said once, in app.domain.reports.targets;
the dossier's extract reads the same entries as the targets (``activities_in``).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.access import Scope
from app.domain.formats import format_date_fr
from app.domain.reports.activities import COUNTED_KINDS, ActivityKind
from app.domain.reports.activity_log import LogEntry, build_activity_log_xlsx, entry_problems, minutes_type
from app.models import (
    Activity,
    Buyer,
    Company,
    FseOperation,
    Organisation,
    Participant,
    Partner,
    Siae,
    StoredFile,
    Tender,
)
from app.services.actors import Actor
from app.services.files import store_file
from app.services.referential import PAGE_SIZE, Page, ServiceError, require_visible
from app.services.reports.actions import check_pdf
from app.services.reports.targets import activities_in

OWNER = "activity_minutes"
# The links an entry may carry: form field → (model, refusal when not visible).
LINKS = {
    "buyer_id": (Buyer, "Ce donneur d'ordre est introuvable."),
    "company_id": (Company, "Cette entreprise est introuvable."),
    "siae_id": (Siae, "Cette structure d'insertion est introuvable."),
    "participant_id": (Participant, "Ce participant est introuvable."),
    "partner_id": (Partner, "Ce partenaire est introuvable."),
    "tender_id": (Tender, "Ce marché est introuvable."),
    "fse_operation_id": (FseOperation, "Cette opération FSE+ est introuvable."),
}
_LOADED = tuple(selectinload(getattr(Activity, name.removesuffix("_id"))) for name in LINKS)


@dataclass(frozen=True)
class LogFilter:
    """Which entries a list or an extract shows (every field optional)."""

    kind: ActivityKind | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    company_id: int | None = None
    buyer_id: int | None = None
    fse_operation_id: int | None = None

    @property
    def is_empty(self) -> bool:
        """Tell whether no criterion is set."""
        return all(value is None for value in vars(self).values())


def check_minutes(data: bytes, field: str = "minutes") -> tuple[str, str]:
    """Return (content type, extension) of a compte rendu or signed document, or raise its French refusal.

    The type is read from the bytes; a PDF is also opened in the sandbox, where a hostile one costs
    one refusal.
    """
    found = minutes_type(data)
    if isinstance(found, str):
        raise ServiceError(found, field)
    if found[1] == "pdf":
        check_pdf(data, field)
    return found


def save_activity(session: Session, scope: Scope, data: dict, activity: Activity | None = None, *,
                  author: Actor, today: date, minutes: tuple[str, bytes] | None = None) -> Activity:
    """Create or update an entry; ``minutes`` (file name, bytes) attaches or replaces its compte rendu.

    The author is set on creation only: editing a colleague's entry keeps it theirs.
    """
    kind = ActivityKind(data["kind"])
    quantity = data.get("quantity")
    problems = entry_problems(kind, data["occurred_on"], quantity, data.get("note") or "", today)
    if problems:
        raise ServiceError(problems[0][1], problems[0][0])
    for name, (model, message) in LINKS.items():
        require_visible(session, model, data.get(name), name, message)
    content = check_minutes(minutes[1]) if minutes else None
    if activity is None:
        activity = Activity(organisation_id=scope.organisation_id, author_id=author.user_id,
                            author_name=author.label[:200])
        session.add(activity)
    activity.kind = kind
    activity.occurred_on = data["occurred_on"]
    activity.title = (data.get("title") or "").strip()[:200]
    activity.note = (data.get("note") or "").strip()
    activity.quantity = (quantity or 1) if kind in COUNTED_KINDS else 1
    for name in LINKS:
        setattr(activity, name, data.get(name))
    session.flush()
    if content is not None:
        _attach_minutes(session, activity, *content, minutes[1])
    return activity


def _attach_minutes(session: Session, activity: Activity, content_type: str, extension: str, data: bytes) -> None:
    previous = activity.minutes_file_id
    stored = store_file(session, activity.organisation_id, OWNER, activity.id,
                        f"compte-rendu-{activity.id}.{extension}", content_type, data)
    activity.minutes_file_id = stored.id
    session.flush()
    old = session.get(StoredFile, previous) if previous else None
    if old is not None:
        session.delete(old)
        session.flush()


def _filtered(flt: LogFilter):
    statement = select(Activity)
    if flt.kind is not None:
        statement = statement.where(Activity.kind == flt.kind)
    if flt.starts_on is not None:
        statement = statement.where(Activity.occurred_on >= flt.starts_on)
    if flt.ends_on is not None:
        statement = statement.where(Activity.occurred_on <= flt.ends_on)
    for name in ("company_id", "buyer_id", "fse_operation_id"):
        if getattr(flt, name) is not None:
            statement = statement.where(getattr(Activity, name) == getattr(flt, name))
    return statement


def list_activities(session: Session, flt: LogFilter, page: int = 1, size: int = PAGE_SIZE) -> Page:
    """Return one page of the entries matching ``flt``, newest first (a page past the last shows the last)."""
    total = session.scalar(select(func.count()).select_from(_filtered(flt).subquery())) or 0
    page = min(max(1, page), max(1, -(-total // size)))
    entries = session.scalars(_filtered(flt).options(*_LOADED)
                              .order_by(Activity.occurred_on.desc(), Activity.id.desc())
                              .limit(size).offset((page - 1) * size)).all()
    return Page(entries, page, total, size)


def recent_activities(session: Session, *, company_id: int | None = None, buyer_id: int | None = None,
                      limit: int = 5) -> list[Activity]:
    """Return the last entries about a company or a buyer, newest first."""
    flt = LogFilter(company_id=company_id, buyer_id=buyer_id)
    return list(session.scalars(_filtered(flt).options(*_LOADED)
                                .order_by(Activity.occurred_on.desc(), Activity.id.desc()).limit(limit)))


def log_entry(activity: Activity) -> LogEntry:
    """Return what the extract prints of an entry: names of bodies, a participant's code only."""
    return LogEntry(
        occurred_on=activity.occurred_on, kind=activity.kind, title=activity.title, quantity=activity.quantity,
        company=activity.company.name if activity.company else "",
        buyer=activity.buyer.name if activity.buyer else "",
        siae=activity.siae.name if activity.siae else "",
        partner=activity.partner.name if activity.partner else "",
        tender=activity.tender.reference if activity.tender else "",
        participant_code=activity.participant.code if activity.participant else "",
        operation=activity.fse_operation.title if activity.fse_operation else "",
        author=activity.author_name, has_minutes=activity.minutes_file_id is not None, note=activity.note)


def _period(starts_on: date | None, ends_on: date | None) -> str:
    if starts_on and ends_on:
        return f"Du {format_date_fr(starts_on)} au {format_date_fr(ends_on)}"
    if starts_on:
        return f"À partir du {format_date_fr(starts_on)}"
    if ends_on:
        return f"Jusqu'au {format_date_fr(ends_on)}"
    return "Toutes les dates"


def activity_log_xlsx(session: Session, organisation_id: int, flt: LogFilter, today: date) -> bytes:
    """Return the XLSX of the entries matching ``flt`` (the list page's download)."""
    entries = session.scalars(_filtered(flt).options(*_LOADED).order_by(Activity.occurred_on, Activity.id)).all()
    organisation = session.get(Organisation, organisation_id)
    lines = [_period(flt.starts_on, flt.ends_on), f"Extrait du {format_date_fr(today)}"]
    if flt.kind is not None:
        lines.insert(1, f"Type : {flt.kind.label}")
    return build_activity_log_xlsx([log_entry(a) for a in entries],
                                   f"Journal d'activité — {organisation.name}", lines)


def activity_log_piece(session: Session, organisation_id: int, starts_on: date, ends_on: date,
                       operation_id: int | None = None, entries: list[Activity] | None = None) -> bytes:
    """Return the « extrait du journal d'activité » of an FSE+ dossier: the entries its targets count.

    Those of ``operation_id`` and those tied to no operation, over the period (both days included);
    ``entries``: those, when the caller already read them.
    """
    if entries is None:
        entries = activities_in(session, organisation_id, starts_on, ends_on, operation_id)
    organisation = session.get(Organisation, organisation_id)
    operation = session.get(FseOperation, operation_id) if operation_id is not None else None
    lines = [_period(starts_on, ends_on)]
    if operation is not None:
        lines.append(f"Opération FSE+ : {operation.title} (et entrées rattachées à aucune opération)")
    return build_activity_log_xlsx([log_entry(a) for a in entries],
                                   f"Extrait du journal d'activité — {organisation.name}", lines)
