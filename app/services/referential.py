"""Create, update and list the referential rows; callers commit.

Rows are read through the caller's session, so app.access has already confined them to
the user's organisation (and structure): a foreign id that is not visible is refused.
"""

from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.formats import ARTICLES
from app.domain.enums import Criterion, TenderStatus
from app.domain.numbers import euros_to_cents
from app.models import (
    Buyer,
    Company,
    Lot,
    Operation,
    Participant,
    ParticipantCriterion,
    Placement,
    Siae,
    Tender,
)

PAGE_SIZE = 25


class ServiceError(ValueError):
    """A request the data refuses; ``field`` names the form field to blame, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Page:
    """One page of a list."""

    items: Sequence
    page: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        """Return the number of pages (at least one)."""
        return max(1, -(-self.total // self.size))

    @classmethod
    def of(cls, items: Sequence, page: int, size: int = PAGE_SIZE) -> "Page":
        """Return page ``page`` of a list already in memory, brought within its pages."""
        last = cls((), 1, len(items), size).pages
        page = min(max(1, page), last)
        return cls(items[(page - 1) * size:page * size], page, len(items), size)


def list_page(session: Session, model, *, search_columns: Iterable = (), query: str = "",
              order_by=None, page: int = 1, options: Iterable = (), joins: Iterable = ()) -> Page:
    """Return one page of ``model`` rows matching every word of ``query``."""
    statement = select(model)
    for relationship in joins:
        statement = statement.join(relationship)
    for word in query.lower().split()[:5]:
        statement = statement.where(or_(*(column.icontains(word, autoescape=True) for column in search_columns)))
    total = session.scalar(select(func.count()).select_from(statement.subquery()))
    page = max(1, page)
    items = session.scalars(
        statement.options(*options).order_by(*(order_by or (model.id,)))
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return Page(items, page, total or 0)


def visible(session: Session, model, row_id: int | None):
    """Return the row if the session may see it, else None."""
    return None if row_id is None else session.get(model, row_id)


def require_visible(session: Session, model, row_id: int | None, field: str, message: str):
    """Return the row ``row_id`` names (None for no id), or refuse with ``message`` when the session cannot see it."""
    row = visible(session, model, row_id)
    if row_id is not None and row is None:
        raise ServiceError(message, field)
    return row


def _assign(obj, data: dict, fields: Iterable[str]) -> None:
    for name in fields:
        setattr(obj, name, data.get(name))


def _text(data: dict, *names: str) -> None:
    # Free-text columns are NOT NULL with an empty default: store "" rather than None.
    for name in names:
        data[name] = (data.get(name) or "").strip()


def _new(scope: Scope, model):
    return model(organisation_id=scope.organisation_id)


def _check_unique(session: Session, model, column, value, obj, message: str, field: str) -> None:
    if value in (None, ""):
        return
    statement = select(model.id).where(column == value)
    if obj is not None and obj.id is not None:
        statement = statement.where(model.id != obj.id)
    if session.scalar(statement) is not None:
        raise ServiceError(message, field)


def save_buyer(session: Session, scope: Scope, data: dict, buyer: Buyer | None = None) -> Buyer:
    """Create or update a buyer."""
    buyer = buyer or _new(scope, Buyer)
    _text(data, "name", "city", "contact_name", "contact_email")
    data["siret"] = data.get("siret") or None
    data["name_article"] = data.get("name_article") if data.get("name_article") in ARTICLES else ""
    _assign(buyer, data, ("name", "kind", "name_article", "siret", "city", "contact_name", "contact_email"))
    session.add(buyer)
    session.flush()
    return buyer


def check_abandon_reason(status: TenderStatus | None, reason: str | None) -> None:
    """Refuse an abandoned tender without its reason (the pipeline says why a tender stopped)."""
    if status == TenderStatus.ABANDONNE and not (reason or "").strip():
        raise ServiceError("Indiquez pourquoi le marché est abandonné.", "abandon_reason")


def save_tender(session: Session, scope: Scope, data: dict, tender: Tender | None = None) -> Tender:
    """Create or update a tender."""
    require_visible(session, Buyer, data.get("buyer_id"), "buyer_id", "Cet acheteur est introuvable.")
    require_visible(session, Operation, data.get("operation_id"), "operation_id", "Cette opération est introuvable.")
    _check_unique(session, Tender, Tender.reference, data["reference"].strip(), tender,
                  "Un marché porte déjà cette référence.", "reference")
    tender = tender or _new(scope, Tender)
    _text(data, "reference", "object", "cpv", "abandon_reason", "next_step", "note", "site_city", "site_epci")
    data["status"] = data.get("status") or (tender.status if tender.status else TenderStatus.REPERE)
    check_abandon_reason(data["status"], data.get("abandon_reason"))
    data["amount_cents"] = euros_to_cents(data.get("amount") or Decimal(0))
    _assign(tender, data, ("reference", "object", "buyer_id", "operation_id", "cpv", "procedure",
                           "legal_instrument", "amount_cents", "is_framework", "notified_on", "starts_on", "ends_on",
                           "status", "abandon_reason", "planned_publication_on", "planned_award_on",
                           "planned_works_on", "next_step", "note", "site_city", "site_epci"))
    tender.globalisation_allowed = bool(data.get("globalisation_allowed"))
    session.add(tender)
    session.flush()
    return tender


def save_lot(session: Session, scope: Scope, tender: Tender, data: dict, lot: Lot | None = None) -> Lot:
    """Create or update a lot of ``tender``."""
    require_visible(session, Company, data.get("company_id"), "company_id", "Cette entreprise est introuvable.")
    duplicate = session.scalar(
        select(Lot.id).where(Lot.tender_id == tender.id, Lot.number == data["number"], Lot.id != (lot.id if lot else -1))
    )
    if duplicate is not None:
        raise ServiceError(f"Le lot n° {data['number']} existe déjà dans ce marché.", "number")
    lot = lot or _new(scope, Lot)
    lot.tender_id = tender.id
    _text(data, "label", "trade")
    data["amount_cents"] = euros_to_cents(data.get("amount") or Decimal(0))
    data["hours_required"] = data.get("hours_required") or 0
    _assign(lot, data, ("number", "label", "trade", "amount_cents", "hours_required", "hours_max", "company_id"))
    lot.is_conditional = bool(data.get("is_conditional"))
    session.add(lot)
    session.flush()
    return lot


def save_structure(session: Session, scope: Scope, model, data: dict, obj=None):
    """Create or update a company or an SIAE (SIRET unique within the organisation)."""
    _check_unique(session, model, model.siret, data.get("siret"), obj,
                  "Une structure de votre organisation porte déjà ce SIRET.", "siret")
    obj = obj or _new(scope, model)
    _text(data, "name", "address", "postcode", "city", "contact_name", "contact_email", "contact_phone")
    fields = ["name", "siret", "address", "postcode", "city", "contact_name", "contact_email", "contact_phone"]
    if model is Siae:
        fields.append("kind")
    else:
        fields.append("headcount")
    _assign(obj, data, fields)
    session.add(obj)
    session.flush()
    return obj


def participant_codes(count: int, taken: Container[str], how_many: int = 1) -> list[str]:
    """Return the ``how_many`` next pseudonymous codes (``P-00042``) after ``count`` participants, none ``taken``."""
    codes, number = [], count
    while len(codes) < how_many:
        number += 1
        if (code := f"P-{number:05d}") not in taken:
            codes.append(code)
    return codes


def next_participant_code(session: Session) -> str:
    """Return the next pseudonymous participant code (``P-00042``) of the organisation."""
    count = session.scalar(select(func.count(Participant.id))) or 0
    # Only codes from the next one on can be in the way (letters sort after figures: « P-own » too).
    taken = set(session.scalars(select(Participant.code).where(Participant.code >= f"P-{count + 1:05d}")))
    return participant_codes(count, taken)[0]


def save_participant(session: Session, scope: Scope, data: dict, participant: Participant | None = None) -> Participant:
    """Create or update a participant and their eligibility criteria with proof dates."""
    participant = participant or _new(scope, Participant)
    if participant.id is None:
        participant.code = next_participant_code(session)
    _text(data, "last_name", "first_name", "postcode", "qualification_level", "phone", "email")
    data["sex"] = data.get("sex") or None
    _assign(participant, data, ("last_name", "first_name", "birth_on", "sex", "postcode", "is_qpv",
                                "qualification_level", "is_plie_followed", "plie_entry_on", "phone", "email"))
    wanted = {Criterion(value): data.get("proofs", {}).get(value) for value in data.get("criteria", [])}
    set_criteria(scope, participant, wanted)
    session.add(participant)
    session.flush()
    return participant


def set_criteria(scope: Scope, participant: Participant, wanted: dict[Criterion, date | None],
                 keep_others: bool = False) -> None:
    """Give a participant the ``wanted`` criteria with their proof dates; drop the others unless ``keep_others``."""
    current = {item.criterion: item for item in participant.criteria}
    for criterion, item in current.items():
        if criterion not in wanted and not keep_others:
            participant.criteria.remove(item)
    for criterion, proof_on in wanted.items():
        item = current.get(criterion)
        if item is None:
            item = ParticipantCriterion(organisation_id=scope.organisation_id, criterion=criterion)
            participant.criteria.append(item)
        item.proof_on = proof_on


def save_placement(session: Session, scope: Scope, data: dict, placement: Placement | None = None) -> Placement:
    """Create or update a placement; every id it points to must be visible."""
    require_visible(session, Participant, data.get("participant_id"), "participant_id", "Ce participant est introuvable.")
    require_visible(session, Lot, data.get("lot_id"), "lot_id", "Ce lot est introuvable.")
    require_visible(session, Company, data.get("company_id"), "company_id", "Cette entreprise est introuvable.")
    require_visible(session, Siae, data.get("siae_id"), "siae_id", "Cette structure est introuvable.")
    placement = placement or _new(scope, Placement)
    _assign(placement, data, ("participant_id", "lot_id", "company_id", "siae_id", "modality", "contract_type",
                              "starts_on", "ends_on"))
    session.add(placement)
    session.flush()
    return placement


def choices(session: Session, model, label, order_by, *, optional: str | None = None) -> list[tuple]:
    """Return (id, label) pairs of the visible rows of ``model`` for a select field."""
    rows = session.scalars(select(model).order_by(*order_by)).all()
    pairs = [(row.id, label(row)) for row in rows]
    return [("", optional), *pairs] if optional is not None else pairs


def lot_choices(session: Session) -> list[tuple[int, str]]:
    """Return (id, label) pairs of the visible lots, by tender reference and number."""
    rows = session.execute(
        select(Lot.id, Tender.reference, Lot.number, Lot.label).join(Tender).order_by(Tender.reference, Lot.number)
    ).all()
    return [(lot_id, f"{reference} — lot {number} : {label}") for lot_id, reference, number, label in rows]
