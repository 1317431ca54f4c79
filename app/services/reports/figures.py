"""Load the lots of a report's scope with their counted hours, for the indicators module.

Two aggregate queries whatever the data size: the lots carrying a clause, and the counted
minutes per lot and month up to the period's end. ``scope_figures`` adds the impact rows; every
screen and document reads its figures from there (app.domain.reports.indicators).
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.domain.numbers import minutes_to_hours
from app.domain.reports import month_key
from app.domain.reports.indicators import Figures, LotFigure, compute_figures
from app.models import Buyer, Company, HourRecord, Lot, Placement, Tender
from app.services.reports.exports import ReportFilter, hour_period, impact_rows, lot_conditions


def _counted_monthly(session: Session, flt: ReportFilter) -> dict[int, dict[str, int]]:
    """Return counted minutes per lot and month, from the start to the period's end."""
    cumulative = ReportFilter(flt.organisation_id, ends_on=flt.ends_on)
    statement = (select(Placement.lot_id, HourRecord.month_on, func.sum(HourRecord.minutes))
                 .join(HourRecord, HourRecord.placement_id == Placement.id)
                 .join(Lot, Lot.id == Placement.lot_id).join(Tender, Tender.id == Lot.tender_id)
                 .where(*hour_period(cumulative), *lot_conditions(flt))
                 .group_by(Placement.lot_id, HourRecord.month_on))
    if flt.siae_id is not None:
        statement = statement.where(Placement.siae_id == flt.siae_id)
    by_lot: dict[int, dict[str, int]] = defaultdict(dict)
    for lot_id, month_on, minutes in session.execute(statement):
        key = month_key(month_on)
        by_lot[lot_id][key] = by_lot[lot_id].get(key, 0) + int(minutes or 0)
    return by_lot


def _active(flt: ReportFilter) -> list:
    clauses = []
    if flt.ends_on is not None:
        clauses.append(or_(Tender.starts_on.is_(None), Tender.starts_on <= flt.ends_on))
    if flt.starts_on is not None:
        clauses.append(or_(Tender.ends_on.is_(None), Tender.ends_on >= flt.starts_on))
    return clauses


def lot_figures(session: Session, flt: ReportFilter) -> list[LotFigure]:
    """Return the lots clausés of a scope: running during the period or with hours in it.

    A lot carries a clause when it requires hours, waits for its tranche threshold, or has hours.
    """
    monthly = _counted_monthly(session, flt)
    statement = (
        select(Lot.id, Lot.tender_id, Tender.operation_id, Tender.buyer_id, Lot.company_id, Lot.hours_required,
               Lot.hours_max, Lot.is_conditional, Tender.globalisation_allowed, Tender.legal_instrument,
               Tender.starts_on, Tender.ends_on, Buyer.name, Tender.reference, Tender.object, Lot.number,
               Lot.label, Company.name, Tender.cpv, Tender.site_city, Tender.site_epci, Lot.trade)
        .join(Tender, Tender.id == Lot.tender_id).join(Buyer, Buyer.id == Tender.buyer_id)
        .outerjoin(Company, Company.id == Lot.company_id)
        .where(*lot_conditions(flt)).order_by(Buyer.name, Tender.reference, Lot.number))
    if flt.siae_id is not None:
        statement = statement.where(Lot.id.in_(select(Placement.lot_id).where(
            Placement.organisation_id == flt.organisation_id, Placement.siae_id == flt.siae_id)))
    in_period = {lot_id for lot_id, months in monthly.items()
                 if any(_in_period(key, flt) for key in months)}
    active = _active(flt)
    if active:
        statement = statement.add_columns(and_(*active))
    figures = []
    for row in session.execute(statement):
        (lot_id, tender_id, operation_id, buyer_id, company_id, required, maximum, conditional, globalised,
         instrument, starts_on, ends_on, buyer, reference, obj, number, lot_label, company, cpv, site_city, site_epci,
         trade) = row[:22]
        running = bool(row[22]) if active else True
        minutes = monthly.get(lot_id, {})
        carries_clause = (required or 0) > 0 or conditional or bool(minutes)
        if not carries_clause or not (running or lot_id in in_period):
            continue
        figures.append(LotFigure(
            lot_id=lot_id, tender_id=tender_id, operation_id=operation_id, buyer_id=buyer_id,
            company_id=company_id, required=Decimal(required or 0),
            done=minutes_to_hours(sum(minutes.values())),
            maximum=Decimal(maximum) if maximum is not None else None, is_conditional=bool(conditional),
            is_globalised=bool(globalised), clause_type=instrument, starts_on=starts_on, ends_on=ends_on,
            monthly={key: minutes_to_hours(value) for key, value in sorted(minutes.items())},
            buyer=buyer, tender_reference=reference, tender_object=obj, lot_number=number, lot_label=lot_label,
            company=company or "", cpv=cpv or "", site_city=site_city or "", site_epci=site_epci or "",
            trade=trade or ""))
    return figures


def _in_period(key: str, flt: ReportFilter) -> bool:
    month = date(int(key[:4]), int(key[5:7]), 1)
    return (flt.first_month is None or month >= flt.first_month) and (flt.ends_on is None or month <= flt.ends_on)


def scope_figures(session: Session, flt: ReportFilter, rows=None) -> Figures:
    """Return every figure of a scope and period (``rows``: its impact rows when already read)."""
    return compute_figures(lot_figures(session, flt), impact_rows(session, flt) if rows is None else rows)


def list_figures(session: Session, flt: ReportFilter) -> Figures:
    """Return the figures of the operations list: its lots (no participant is read)."""
    return compute_figures(lot_figures(session, flt), ())
