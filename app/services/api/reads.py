"""The rows the API lists, one keyset page at a time, in the caller's scoped session.

Row visibility is app.access's job (the session carries the token's scope); these functions
only filter and paginate. Each page is one query plus, for tenders, the figures of its lots.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from app.domain.enums import UPCOMING_STATUSES
from app.models import Buyer, HourRecord, Lot, Placement, Tender
from app.services.api.figures import scope_figures
from app.services.reports.dashboards import LotStatus
from app.services.reports.exports import ReportFilter


@dataclass(frozen=True)
class Page:
    """One page of rows and the id the next page starts after (None on the last page)."""

    items: list
    next_after: int | None


def _page(session: Session, statement: Select, model, after: int, limit: int) -> Page:
    rows = list(session.scalars(statement.where(model.id > after).order_by(model.id).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1].id if more and rows else None)


def list_buyers(session: Session, after: int, limit: int) -> Page:
    """Return a page of buyers."""
    return _page(session, select(Buyer), Buyer, after, limit)


def list_tenders(session: Session, organisation_id: int, after: int, limit: int, *,
                 upcoming: bool = False, today: date) -> tuple[Page, dict[int, LotStatus]]:
    """Return a page of tenders with their lots, and the figures of those lots by lot id."""
    statement = select(Tender).options(selectinload(Tender.lots))
    if upcoming:
        statement = statement.where(Tender.status.in_(UPCOMING_STATUSES))
    page = _page(session, statement, Tender, after, limit)
    if not page.items:
        return page, {}
    dashboard = scope_figures(session, ReportFilter(organisation_id, tender_ids=tuple(t.id for t in page.items)),
                              today=today)
    return page, {lot.lot_id: lot for lot in dashboard.lots}


def get_tender(session: Session, organisation_id: int, tender_id: int, *,
               today: date) -> tuple[Tender | None, dict[int, LotStatus]]:
    """Return one visible tender and the figures of its lots."""
    tender = session.get(Tender, tender_id)
    if tender is None:
        return None, {}
    dashboard = scope_figures(session, ReportFilter(organisation_id, tender_ids=(tender.id,)), today=today)
    return tender, {lot.lot_id: lot for lot in dashboard.lots}


def list_placements(session: Session, after: int, limit: int, *, lot_id: int | None = None) -> Page:
    """Return a page of placements (with their participant's code and name)."""
    statement = select(Placement).options(selectinload(Placement.participant))
    if lot_id is not None:
        statement = statement.where(Placement.lot_id == lot_id)
    return _page(session, statement, Placement, after, limit)


def list_hour_records(session: Session, after: int, limit: int, *, month_on: date | None = None,
                      lot_id: int | None = None, siae_id: int | None = None, company_id: int | None = None) -> Page:
    """Return a page of monthly hour records, filtered by month, lot and structure."""
    statement = select(HourRecord).join(Placement, Placement.id == HourRecord.placement_id).options(
        selectinload(HourRecord.placement))
    if month_on is not None:
        statement = statement.where(HourRecord.month_on == month_on)
    if lot_id is not None:
        statement = statement.where(Placement.lot_id == lot_id)
    if siae_id is not None:
        statement = statement.where(Placement.siae_id == siae_id)
    if company_id is not None:
        statement = statement.where(Placement.company_id == company_id)
    return _page(session, statement, HourRecord, after, limit)


def visible_lot(session: Session, lot_id: int) -> Lot | None:
    """Return a lot the caller may see."""
    return session.get(Lot, lot_id)
