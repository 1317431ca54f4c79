"""Measure an FSE+ operation's targets: read the facts of each target's period and scope once,
then let the catalogue (app.domain.reports.targets) count them.

Targets sharing a period share one read. The clause side (hours, tenders, participants…) is
the indicators module's ``Figures`` of the operation's tenders; the activity log, fiches de
liaison, positionings, conventions and collective actions are read over the same dates.
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.liaison.workflow import ConventionStatus, is_active_on
from app.domain.reports.impact_row import ImpactRow
from app.domain.reports.targets import (
    ActivityFact,
    Breakdown,
    ConventionFact,
    Target,
    TargetKind,
    TargetSources,
    measure,
)
from app.models import Activity, CollectiveAction, Company, Convention, Fiche, FicheDiffusion, Positioning
from app.services.reports.exports import ReportFilter, impact_rows
from app.services.reports.figures import scope_figures

# A TPE employs fewer than 10 people (Commission recommendation 2003/361/EC).
SMALL_COMPANY_HEADCOUNT = 10


def _counts_as_signed(status: ConventionStatus) -> ConventionStatus:
    # An « échue » convention was signed: over its dates it was active (see app.services.liaison.conventions).
    return ConventionStatus.SIGNEE if status is ConventionStatus.ECHUE else status


def active_conventions_in(session: Session, organisation_id: int, starts_on: date, ends_on: date
                          ) -> list[Convention]:
    """Return the conventions active at some day of the period (signed, dates overlapping)."""
    rows = session.scalars(select(Convention).where(
        Convention.organisation_id == organisation_id,
        Convention.status.in_((ConventionStatus.SIGNEE, ConventionStatus.ECHUE)),
        Convention.starts_on <= ends_on, Convention.ends_on >= starts_on)
        .order_by(Convention.starts_on, Convention.id))
    return [row for row in rows if is_active_on(_counts_as_signed(row.status), row.starts_on, row.ends_on,
                                                max(row.starts_on, starts_on))]


def _day_bounds(starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    return datetime.combine(starts_on, datetime.min.time()), datetime.combine(ends_on, datetime.max.time())


def activities_in(session: Session, organisation_id: int, starts_on: date, ends_on: date,
                  operation_id: int | None = None) -> list[Activity]:
    """Return the activity log of the period: the operation's entries and those tied to none."""
    statement = select(Activity).where(Activity.organisation_id == organisation_id,
                                       Activity.occurred_on >= starts_on, Activity.occurred_on <= ends_on)
    if operation_id is not None:
        statement = statement.where((Activity.fse_operation_id == operation_id)
                                    | Activity.fse_operation_id.is_(None))
    return list(session.scalars(statement.order_by(Activity.occurred_on, Activity.id)))


def _small_companies(session: Session, ids: Iterable[int]) -> set[int]:
    wanted = set(ids)
    if not wanted:
        return wanted
    # Without a headcount the facilitator's choice of « accompagnement d'une TPE » is trusted.
    return set(session.scalars(select(Company.id).where(
        Company.id.in_(wanted), (Company.headcount.is_(None)) | (Company.headcount < SMALL_COMPANY_HEADCOUNT))))


def collective_actions_in(session: Session, organisation_id: int, starts_on: date, ends_on: date,
                          operation_id: int | None = None, *options) -> list[CollectiveAction]:
    """Return the collective actions held in the period (the operation's or unassigned)."""
    first, last = _day_bounds(starts_on, ends_on)
    statement = select(CollectiveAction).where(
        CollectiveAction.organisation_id == organisation_id,
        CollectiveAction.starts_at >= first, CollectiveAction.starts_at <= last)
    if operation_id is not None:
        statement = statement.where((CollectiveAction.fse_operation_id == operation_id)
                                    | CollectiveAction.fse_operation_id.is_(None))
    return list(session.scalars(statement.options(*options).order_by(CollectiveAction.starts_at,
                                                                      CollectiveAction.id)))


def held_until(starts_on: date, ends_on: date, as_of: date | None) -> date:
    """Return the last day whose events count on ``as_of``: an event counts once held, never before
    the period starts (a dossier built early reads an empty period, not a reversed one)."""
    return ends_on if as_of is None else max(starts_on, min(ends_on, as_of))


def target_sources(session: Session, flt: ReportFilter, operation_id: int | None = None,
                   held_by: date | None = None, rows: list[ImpactRow] | None = None) -> TargetSources:
    """Read every fact a target may count over ``flt``'s period and tenders.

    The figures of the clause side read the whole period, as the bilan and the lists do; events
    (actions, log entries, fiches, positionings) count only once held, by ``held_by``. ``rows``:
    ``flt``'s impact rows when already read.
    """
    starts_on = flt.starts_on
    rows = impact_rows(session, flt) if rows is None else rows
    figures = scope_figures(session, flt, rows)
    conventions = [ConventionFact(row.party_kind, row.company_id)
                   for row in active_conventions_in(session, flt.organisation_id, starts_on, flt.ends_on)]
    ends_on = held_until(starts_on, flt.ends_on, held_by)
    actions = [action.kind for action in collective_actions_in(session, flt.organisation_id, starts_on, ends_on,
                                                               operation_id)]
    logged = activities_in(session, flt.organisation_id, starts_on, ends_on, operation_id)
    small = _small_companies(session, (a.company_id for a in logged if a.company_id is not None))
    activities = [ActivityFact(a.kind, a.occurred_on, a.quantity or 1, a.company_id, a.siae_id, a.buyer_id,
                               a.company_id in small) for a in logged]
    first, last = _day_bounds(starts_on, ends_on)
    fiche_scope = [Fiche.organisation_id == flt.organisation_id, Fiche.is_draft.is_(False)]
    if flt.tender_ids is not None:
        fiche_scope.append(Fiche.tender_id.in_(flt.tender_ids or (-1,)))
    received = session.scalar(select(func.count(Fiche.id)).where(
        *fiche_scope, func.coalesce(Fiche.submitted_at, Fiche.created_at) >= first,
        func.coalesce(Fiche.submitted_at, Fiche.created_at) <= last)) or 0
    diffused = session.execute(select(Fiche.id, Fiche.posts).where(*fiche_scope, Fiche.id.in_(
        select(FicheDiffusion.fiche_id).where(FicheDiffusion.diffused_on >= starts_on,
                                              FicheDiffusion.diffused_on <= ends_on)))).all()
    positionings = session.scalar(select(func.count(Positioning.id)).join(Fiche, Fiche.id == Positioning.fiche_id)
                                  .where(*fiche_scope, Positioning.proposed_at >= first,
                                         Positioning.proposed_at <= last)) or 0
    return TargetSources(figures=figures, rows=rows, conventions=conventions, actions=actions,
                         activities=activities, fiches_received=int(received),
                         fiches_diffused=[(fiche_id, posts or 1) for fiche_id, posts in diffused],
                         positionings=int(positionings))


def measure_targets(session: Session, flt: ReportFilter, targets: Iterable, operation_id: int | None = None,
                    data_as_of: date | None = None, rows: list[ImpactRow] | None = None) -> list[Target]:
    """Return each target with its achieved figure, read over its own period (default: ``flt``'s).

    ``targets`` yields objects with ``kind``, ``label``, ``target``, ``breakdown``, ``starts_on``
    and ``ends_on`` (a stored FseTarget or a spec's copy of one). Events count once held by
    ``data_as_of``: a dossier reflects the data of its day. ``rows``: ``flt``'s impact rows when
    already read (the dossier's bilan read them), reused for the targets over ``flt``'s own period.
    """
    read: dict[tuple[date, date], TargetSources] = {}
    measured = []
    for target in targets:
        starts_on = target.starts_on or flt.starts_on
        ends_on = target.ends_on or flt.ends_on
        key = (starts_on, ends_on)
        if key not in read:
            period = replace(flt, starts_on=starts_on, ends_on=ends_on)
            known = rows if key == (flt.starts_on, flt.ends_on) else None
            read[key] = target_sources(session, period, operation_id, data_as_of, known)
        breakdown = Breakdown(target.breakdown) if target.breakdown else None
        kind = TargetKind(target.kind)
        measured.append(Target(target.label, kind, Decimal(target.target), measure(kind, read[key], breakdown),
                               breakdown, starts_on, ends_on))
    return measured
