"""The pipeline of tenders per buyer and for the territory, and its « marchés à venir » export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, select
from sqlalchemy.orm import Session, selectinload

from app.domain.enums import UPCOMING_STATUSES, TenderStatus
from app.domain.numbers import euros_to_cents
from app.domain.reperage import UpcomingTender, build_upcoming_xlsx
from app.models import Buyer, Tender

# Board order: the pipeline reads left to right, abandoned tenders last.
STATUS_ORDER = case({status.value: index for index, status in enumerate(TenderStatus)}, value=Tender.status)


@dataclass(frozen=True)
class PipelineFilters:
    """What the facilitator narrows the pipeline to; every field is optional."""

    buyer_id: int | None = None
    status: TenderStatus | None = None
    upcoming_only: bool = False
    from_on: date | None = None
    to_on: date | None = None
    cpv: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None


def pipeline_tenders(session: Session, filters: PipelineFilters, limit: int = 1000) -> list[Tender]:
    """Return the tenders matching ``filters``, by step then planned publication date."""
    statement = select(Tender).options(selectinload(Tender.buyer))
    if filters.buyer_id is not None:
        statement = statement.where(Tender.buyer_id == filters.buyer_id)
    if filters.status is not None:
        statement = statement.where(Tender.status == filters.status)
    if filters.upcoming_only:
        statement = statement.where(Tender.status.in_(UPCOMING_STATUSES))
    if filters.from_on is not None:
        statement = statement.where(Tender.planned_publication_on >= filters.from_on)
    if filters.to_on is not None:
        statement = statement.where(Tender.planned_publication_on <= filters.to_on)
    if filters.cpv:
        statement = statement.where(Tender.cpv.startswith(filters.cpv, autoescape=True))
    if filters.amount_min is not None:
        statement = statement.where(Tender.amount_cents >= euros_to_cents(filters.amount_min))
    if filters.amount_max is not None:
        statement = statement.where(Tender.amount_cents <= euros_to_cents(filters.amount_max))
    return list(session.scalars(statement.order_by(STATUS_ORDER, Tender.planned_publication_on.nulls_last(),
                                                   Tender.reference).limit(limit)))


def board(tenders: list[Tender]) -> list[tuple[TenderStatus, list[Tender]]]:
    """Group tenders into the board's columns, every step shown even when empty."""
    return [(status, [t for t in tenders if t.status == status]) for status in TenderStatus]


def upcoming_xlsx(session: Session, filters: PipelineFilters) -> bytes:
    """Return the « marchés à venir » workbook for a comité or a club des donneurs d'ordre."""
    filters = PipelineFilters(**{**filters.__dict__, "upcoming_only": True})
    tenders = pipeline_tenders(session, filters)
    buyer = session.get(Buyer, filters.buyer_id) if filters.buyer_id is not None else None
    lines = [UpcomingTender(t.buyer.name, t.reference, t.object, t.cpv, t.amount, t.status.label,
                            t.planned_publication_on, t.planned_award_on, t.planned_works_on, t.next_step)
             for t in tenders]
    title = f"Marchés à venir — {buyer.name}" if buyer else "Marchés à venir du territoire"
    return build_upcoming_xlsx(lines, title, f"Au {date.today():%d/%m/%Y}")
