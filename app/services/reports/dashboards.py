"""Dashboards: hours required against hours done, month by month, projections and alerts.

A dashboard runs the same fixed set of GROUP BY queries whatever the number of lots,
placements or hour records, so its cost in queries does not grow with the data (a test counts
them). Every figure comes from the indicators module (app.services.reports.figures), so the page,
the bilans, the exports and the dossier agree.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.domain.reports.exits import add_months
from app.domain.numbers import minutes_to_hours
from app.domain.reports import (
    Figures,
    Indicators,
    LotFigure,
    MissingSheet,
    Projection,
    cutoff_on,
    due_months,
    missing_sheets,
    month_key,
    months_between,
    project_hours,
)
from app.services.declarations import month_checks
from app.services.figure_cache import figure_cache
from app.services.reports.figures import scope_figures
from app.domain.reports.common import ratio
from app.models import (
    Buyer,
    Company,
    HourRecord,
    Lot,
    Participant,
    ParticipantExit,
    Placement,
    Siae,
    Tender,
)
from app.models.timesheets import ImportStatus, TimesheetImport
from app.services.reports.exports import ReportFilter, placement_conditions

# Monthly sheets older than this are a matter for the bilan, not for an alert.
MISSING_WINDOW_MONTHS = 3
# Implausible months older than a year are a matter for `clausier hours duplicates`.
PLAUSIBILITY_WINDOW_MONTHS = 12
# The chart stays readable with two years of bars.
CHART_MONTHS = 24


@dataclass(frozen=True)
class LotStatus:
    """One lot: hours required, hours done and where its pace leads by the contract's end."""

    lot_id: int
    tender_id: int
    tender_reference: str
    tender_object: str
    lot_number: int
    lot_label: str
    buyer_id: int
    buyer: str
    company_id: int | None
    company: str
    required: Decimal
    done: Decimal
    starts_on: date | None
    ends_on: date | None
    projection: Projection | None
    maximum: Decimal | None = None
    is_conditional: bool = False
    # Multi-year contracts: (year, hours due that year, hours done that year).
    by_year: tuple[tuple[int, Decimal, Decimal], ...] = ()

    @property
    def pct(self) -> Decimal:
        """Return done ÷ required (0 while the lot is conditional)."""
        return Decimal(0) if self.is_conditional else ratio(self.done, self.required)

    @property
    def is_behind(self) -> bool:
        """Tell whether the lot is behind its linear schedule."""
        return self.projection is not None and self.projection.is_behind


@dataclass(frozen=True)
class Dashboard:
    """What a dashboard page shows: lots, months, alerts and the scope's figures."""

    title: str
    today: date
    lots: list[LotStatus]
    months: list[tuple[str, Decimal]]
    missing: list[MissingSheet]
    figures: Figures
    # False for an SIAE: its hours contribute to lots whose requirement is the holder's.
    has_requirement: bool = True
    # Person-months that cannot be right: more hours than working days allow, several declarants.
    implausible: tuple[str, ...] = ()

    @property
    def indicators(self) -> Indicators:
        """Return the people's indicators (participants, publics, exits)."""
        return self.figures.people

    @property
    def required(self) -> Decimal:
        """Return the hours required on the dashboard's lots (accord-cadre minimum, conditional lots out)."""
        return self.figures.hours_required

    @property
    def done(self) -> Decimal:
        """Return the hours done on the dashboard's lots."""
        return self.figures.hours_done_to_date

    @property
    def pct(self) -> Decimal:
        """Return done ÷ required."""
        return self.figures.completion

    @property
    def remaining(self) -> Decimal:
        """Return the hours still to do (no netting between lots unless globalised)."""
        return self.figures.hours_remaining

    @property
    def projected_at_end(self) -> Decimal:
        """Return the hours the current pace gives by each contract's end (done where undated)."""
        return sum((lot.projection.projected_at_end if lot.projection else lot.done for lot in self.lots),
                   Decimal(0))

    @property
    def behind(self) -> list[LotStatus]:
        """Return the lots behind schedule, furthest behind first."""
        late = [lot for lot in self.lots if lot.is_behind]
        return sorted(late, key=lambda lot: lot.projection.done - lot.projection.expected_by_now)


def _projection(lot: LotFigure, today: date) -> Projection | None:
    if lot.due <= 0 or lot.starts_on is None or lot.ends_on is None or lot.ends_on < lot.starts_on:
        return None
    return project_hours(lot.due, dict(lot.monthly), lot.starts_on, lot.ends_on, today)


def _months(figures: Figures) -> list[tuple[str, Decimal]]:
    totals = figures.monthly
    if not totals:
        return []
    keys = sorted(totals)
    first, last = (date(int(k[:4]), int(k[5:]), 1) for k in (keys[0], keys[-1]))
    # Months without hours show as zero: a gap is information too.
    return [(key, totals.get(key, Decimal(0))) for key in months_between(first, last)][-CHART_MONTHS:]


def _structure(siae_id, siae_name, siae_kind, company_id, company_name):
    # The employer sends the monthly sheet: the SIAE when there is one, else the company.
    if siae_id is not None:
        # In a company's scope the SIAE row is invisible (outer join gives NULLs): keep its key.
        return ("siae", siae_id), f"{siae_name} ({siae_kind.value})" if siae_kind else f"SIAE n° {siae_id}"
    if company_id is not None:
        return ("company", company_id), company_name
    return None, ""


def missing_monthly_sheets(session: Session, flt: ReportFilter, today: date) -> list[MissingSheet]:
    """Return the monthly sheets of the last months that structures have not sent yet."""
    cutoff = cutoff_on(today)
    window_start = add_months(cutoff.replace(day=1), 1 - MISSING_WINDOW_MONTHS)
    placements = session.execute(
        select(Placement.siae_id, Siae.name, Siae.kind, Placement.company_id, Company.name, Placement.starts_on,
               Placement.ends_on)
        .join(Lot, Lot.id == Placement.lot_id).join(Tender, Tender.id == Lot.tender_id)
        .outerjoin(Siae, Siae.id == Placement.siae_id).outerjoin(Company, Company.id == Placement.company_id)
        .where(*placement_conditions(flt), Placement.starts_on <= cutoff,
               or_(Placement.ends_on.is_(None), Placement.ends_on >= window_start)))
    expected: dict[str, set[str]] = defaultdict(set)
    names: dict[tuple, str] = {}
    for siae_id, siae_name, siae_kind, company_id, company_name, starts_on, ends_on in placements:
        key, name = _structure(siae_id, siae_name, siae_kind, company_id, company_name)
        if key is None:
            continue
        names[key] = name
        expected[name].update(due_months(max(starts_on, window_start), ends_on or today, today))
    received: dict[str, set[str]] = defaultdict(set)
    if not names:
        return []
    # Only the page's structures: a tender's page never reads the whole territory's hours.
    siae_ids = [row_id for kind, row_id in names if kind == "siae"]
    company_ids = [row_id for kind, row_id in names if kind == "company"]
    hours = session.execute(
        select(Placement.siae_id, Placement.company_id, HourRecord.month_on)
        .join(HourRecord, HourRecord.placement_id == Placement.id)
        .where(HourRecord.organisation_id == flt.organisation_id, HourRecord.month_on >= window_start,
               or_(Placement.siae_id.in_(siae_ids), Placement.company_id.in_(company_ids))).distinct())
    imports = session.execute(
        select(TimesheetImport.siae_id, TimesheetImport.company_id, TimesheetImport.month_on)
        .where(TimesheetImport.organisation_id == flt.organisation_id,
               TimesheetImport.status == ImportStatus.CONFIRMED, TimesheetImport.month_on >= window_start,
               or_(TimesheetImport.siae_id.in_(siae_ids), TimesheetImport.company_id.in_(company_ids)))
        .distinct())
    for siae_id, company_id, month_on in [*hours, *imports]:
        key = ("siae", siae_id) if siae_id is not None else ("company", company_id)
        if key in names:
            received[names[key]].add(month_key(month_on))
    keys = {name: f"{kind}:{row_id}" for (kind, row_id), name in names.items()}
    return [replace(item, structure_key=keys[item.structure]) for item in missing_sheets(expected, received)]


def _lot_status(lot: LotFigure, projection: Projection | None) -> LotStatus:
    return LotStatus(lot_id=lot.lot_id, tender_id=lot.tender_id, tender_reference=lot.tender_reference,
                     tender_object=lot.tender_object, lot_number=lot.lot_number, lot_label=lot.lot_label,
                     buyer_id=lot.buyer_id, buyer=lot.buyer, company_id=lot.company_id, company=lot.company,
                     required=lot.required, done=lot.done, starts_on=lot.starts_on, ends_on=lot.ends_on,
                     projection=projection, maximum=lot.maximum, is_conditional=lot.is_conditional,
                     by_year=_by_year(lot))


def _by_year(lot: LotFigure) -> tuple[tuple[int, Decimal, Decimal], ...]:
    required = lot.required_by_year()
    if len(required) < 2:
        return ()
    done = lot.done_by_year
    return tuple((year, hours, done.get(year, Decimal(0))) for year, hours in required.items())


def build_dashboard(session: Session, flt: ReportFilter, *, title: str, today: date) -> Dashboard:
    """Return a dashboard of the lots a filter covers, measured on ``today``.

    Kept in the figures' cache until the organisation's data change (app.services.figure_cache):
    a page under load reads the figures, it does not recompute them.
    """
    dashboard = figure_cache.get_or_compute(session, flt.organisation_id, ("dashboard", flt, today),
                                            lambda: _compute_dashboard(session, flt, today))
    return replace(dashboard, title=title)


def _compute_dashboard(session: Session, flt: ReportFilter, today: date) -> Dashboard:
    figures = scope_figures(session, flt)
    lots = [_lot_status(lot, None if flt.siae_id is not None else _projection(lot, today)) for lot in figures.lots]
    scoped = (select(Placement.id).join(Lot, Lot.id == Placement.lot_id).join(Tender, Tender.id == Lot.tender_id)
              .where(*placement_conditions(flt)))
    since = add_months(cutoff_on(today).replace(day=1), 1 - PLAUSIBILITY_WINDOW_MONTHS)
    implausible = tuple(message for name, check in month_checks(session, flt.organisation_id, since, scoped)
                        for message in check.messages(name))
    return Dashboard(title="", today=today, lots=lots, months=_months(figures),
                     missing=missing_monthly_sheets(session, flt, today), figures=figures,
                     has_requirement=flt.siae_id is None, implausible=implausible)


@dataclass(frozen=True)
class PlacementFollowUp:
    """A placement of a participant with its hours and, once out, its exit."""

    placement: Placement
    hours: Decimal
    training_hours: Decimal
    exit: ParticipantExit | None


def participant_followup(session: Session, participant: Participant) -> list[PlacementFollowUp]:
    """Return a participant's placements with hours and exits, in three queries."""
    placements = session.scalars(
        select(Placement).where(Placement.participant_id == participant.id)
        .options(selectinload(Placement.lot).selectinload(Lot.tender), selectinload(Placement.siae),
                 selectinload(Placement.company))
        .order_by(Placement.starts_on, Placement.id)).all()
    hours = dict(((pid, (m, t)) for pid, m, t in session.execute(
        select(HourRecord.placement_id, func.sum(HourRecord.minutes), func.sum(HourRecord.training_minutes))
        .join(Placement, Placement.id == HourRecord.placement_id)
        .where(Placement.participant_id == participant.id, HourRecord.is_counted.is_(True))
        .group_by(HourRecord.placement_id))))
    exits = {row.placement_id: row for row in session.scalars(
        select(ParticipantExit).where(ParticipantExit.participant_id == participant.id))}
    return [PlacementFollowUp(placement, minutes_to_hours(hours.get(placement.id, (0, 0))[0]),
                              minutes_to_hours(hours.get(placement.id, (0, 0))[1]), exits.get(placement.id))
            for placement in placements]
