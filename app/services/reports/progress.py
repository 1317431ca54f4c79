"""Hours done against hours required, per lot and per tender, read from the indicators module."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.formats import format_hours, plural
from app.models import Lot, Tender
from app.services.jobs import JobFailure
from app.services.reports.exports import ReportFilter
from app.services.reports.figures import list_figures


@dataclass(frozen=True)
class LotProgress:
    """Hours due and done on one lot."""

    lot_id: int
    required: Decimal
    done: Decimal

    @property
    def percent(self) -> int:
        """Return the share done, in whole percent (0 when nothing is due)."""
        if not self.required:
            return 0
        return int(self.done * 100 / self.required)


def _tender_figures(session: Session, tender_id: int):
    organisation_id = session.scalar(select(Tender.organisation_id).where(Tender.id == tender_id))
    return list_figures(session, ReportFilter(organisation_id, tender_ids=(tender_id,)))


def lot_progress(session: Session, tender_id: int) -> list[LotProgress]:
    """Return the progress of every lot of a tender (a lot without a clause shows nothing done)."""
    figures = {lot.lot_id: lot for lot in _tender_figures(session, tender_id).lots}
    lot_ids = session.scalars(select(Lot.id).where(Lot.tender_id == tender_id).order_by(Lot.number))
    return [LotProgress(lot_id, figures[lot_id].due, figures[lot_id].done) if lot_id in figures
            else LotProgress(lot_id, Decimal(0), Decimal(0)) for lot_id in lot_ids]


def summarise_tender_progress(session: Session, tender_id: int) -> str:
    """Return a French sentence with the hours done against the hours required."""
    tender = session.get(Tender, tender_id)
    if tender is None:
        raise JobFailure("Ce marché n'existe plus.")
    figures = _tender_figures(session, tender_id)
    return (
        f"Marché {tender.reference} : {format_hours(figures.hours_done_to_date)} "
        f"{plural(figures.hours_done_to_date, 'réalisée')} "
        f"pour {format_hours(figures.hours_required)} {plural(figures.hours_required, 'exigée')}, "
        f"{format_hours(figures.hours_remaining)} restant à réaliser."
    )
