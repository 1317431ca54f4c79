"""Hours done against hours required, per lot and per tender."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.formats import format_hours
from app.domain.numbers import minutes_to_hours
from app.models import HourRecord, Lot, Placement, Tender
from app.services.jobs import JobFailure


@dataclass(frozen=True)
class LotProgress:
    """Hours required and done on one lot."""

    lot_id: int
    required: int
    done: Decimal

    @property
    def percent(self) -> int:
        """Return the share done, in whole percent (0 when nothing is required)."""
        if not self.required:
            return 0
        return int(self.done * 100 / self.required)


def lot_progress(session: Session, tender_id: int) -> list[LotProgress]:
    """Return the progress of every lot of a tender, in one query."""
    done = (
        select(Placement.lot_id, func.coalesce(func.sum(HourRecord.minutes), 0).label("minutes"))
        .join(HourRecord, HourRecord.placement_id == Placement.id)
        .where(HourRecord.is_counted.is_(True))
        .group_by(Placement.lot_id)
        .subquery()
    )
    rows = session.execute(
        select(Lot.id, Lot.hours_required, func.coalesce(done.c.minutes, 0))
        .outerjoin(done, done.c.lot_id == Lot.id)
        .where(Lot.tender_id == tender_id)
        .order_by(Lot.number)
    ).all()
    return [LotProgress(lot_id, required, minutes_to_hours(minutes)) for lot_id, required, minutes in rows]


def summarise_tender_progress(session: Session, tender_id: int) -> str:
    """Return a French sentence with the hours done against the hours required."""
    tender = session.get(Tender, tender_id)
    if tender is None:
        raise JobFailure("Ce marché n'existe plus.")
    lots = lot_progress(session, tender_id)
    required = sum(lot.required for lot in lots)
    done = sum((lot.done for lot in lots), Decimal(0))
    return (
        f"Marché {tender.reference} : {format_hours(done)} réalisées "
        f"sur {format_hours(required)} requises."
    )
