"""Demo FSE+ operations and their targets, set once the whole territory is seeded.

The year's operation (seeded with the follow-up) gets a sheet's worth of targets, clause side and
publics; a September–August operation carries the relations-entreprises targets. Each value is
what the territory achieves times a factor, rounded the way operation sheets round: some targets
met, most nearly, a few well behind.
"""

from datetime import date
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.reports.activities import ActivityKind
from app.domain.reports.targets import Breakdown, TargetKind, target_label
from app.models import Activity, FseOperation, FseTarget, Organisation
from app.services.demo.fse_records import seed_fse_records_demo
from app.services.reports.fse_operations import TargetSpec, spec_for
from app.services.reports.targets import measure_targets

# (indicator, public, achieved ÷ target): the year's clause operation.
YEAR_TARGETS = (
    (TargetKind.HOURS, None, "0.85"), (TargetKind.TENDERS, None, "1.0"), (TargetKind.OPERATIONS, None, "0.9"),
    (TargetKind.BUYERS, None, "1.0"), (TargetKind.PARTICIPANTS, None, "0.95"),
    (TargetKind.PARTICIPANTS, Breakdown.BRSA, "0.8"), (TargetKind.PARTICIPANTS, Breakdown.UNDER_26, "1.1"),
    (TargetKind.CONVENTIONS, None, "0.75"), (TargetKind.AWARENESS_ACTIONS, None, "0.5"),
    (TargetKind.SITE_VISITS, None, "0.9"), (TargetKind.COMMITTEES, None, "1.0"),
)
# The relations-entreprises operation, 12 months from 1 September.
RELATIONS_TARGETS = (
    (TargetKind.COMPANIES_CONTACTED, None, "0.9"), (TargetKind.COMPANIES_VISITED, None, "0.8"),
    (TargetKind.OFFERS_COLLECTED, None, "1.05"), (TargetKind.OFFERS_DIFFUSED, None, "0.95"),
    (TargetKind.POSTS_TRANSMITTED, None, "0.9"), (TargetKind.MATCHINGS, None, "0.85"),
    (TargetKind.INTERVIEWS, None, "1.0"), (TargetKind.JOB_EVENTS, None, "0.7"),
    (TargetKind.PARTNER_COMPANIES, None, "1.0"),
)


RELATIONS_KINDS = (
    ActivityKind.CONTACT, ActivityKind.VISIT, ActivityKind.MEETING, ActivityKind.PARTNERSHIP,
    ActivityKind.SMALL_COMPANY_SUPPORT, ActivityKind.OFFER_COLLECTED, ActivityKind.OFFER_DIFFUSED,
    ActivityKind.POSTS_TRANSMITTED, ActivityKind.MATCHING, ActivityKind.PREPARATION, ActivityKind.JOB_EVENT,
    ActivityKind.INTERVIEW,
)


def nice(value: Decimal) -> Decimal:
    """Round a target up the way operation sheets write them: 7, 45, 350, 12 000."""
    step = Decimal(1) if value < 20 else Decimal(5) if value < 200 else Decimal(50) if value < 2000 else Decimal(1000)
    return max(Decimal(1), (value / step).to_integral_value(ROUND_CEILING) * step)


def _set_targets(session: Session, operation: FseOperation, wanted, today: date) -> None:
    spec = spec_for(operation)
    probes = [TargetSpec(kind, kind.label, Decimal(1), breakdown) for kind, breakdown, _ in wanted]
    achieved = measure_targets(session, spec.report_filter(), probes, operation.id, today)
    operation.targets.clear()
    session.flush()
    for (kind, breakdown, share), measured in zip(wanted, achieved):
        value = nice(measured.achieved / Decimal(share)) if measured.achieved else Decimal(2)
        operation.targets.append(FseTarget(organisation_id=operation.organisation_id, kind=kind, target=value,
                                           breakdown=breakdown, label=target_label(kind, value, breakdown)))
    session.flush()


def seed_demo_operations(session: Session, organisation_id: int, today: date) -> None:
    """Give the year's operation its targets and add the relations-entreprises operation."""
    organisation = session.get(Organisation, organisation_id)
    year_operation = session.scalar(select(FseOperation).where(FseOperation.organisation_id == organisation_id)
                                    .order_by(FseOperation.id))
    if year_operation is not None:
        year_operation.funding_body = "Département du Nord (organisme intermédiaire FSE+)"
        year_operation.priority = "Priorité 1 : favoriser l'insertion professionnelle des publics éloignés de l'emploi"
        _set_targets(session, year_operation, YEAR_TARGETS, today)
    # The last twelve months from 1 September that are over: the log covers them.
    start = today.year - 1 if today.month >= 9 else today.year - 2
    relations = FseOperation(
        organisation_id=organisation_id, starts_on=date(start, 9, 1), ends_on=date(start + 1, 8, 31),
        title=f"Relations entreprises {start}-{start + 1} — {organisation.name}",
        operation_number=f"{start}09876", territory=organisation.territory, is_fse_funded=True,
        funding_body="Département du Nord (organisme intermédiaire FSE+)",
        description="Prospection des entreprises, collecte et diffusion des offres, mises en relation et "
                    "préparation des candidats, sur douze mois à partir du 1er septembre.")
    session.add(relations)
    session.flush()
    # The facilitator notes company relations under this operation, the steering under the year's.
    for activity in session.scalars(select(Activity).where(
            Activity.organisation_id == organisation_id, Activity.kind.in_(RELATIONS_KINDS),
            Activity.occurred_on >= relations.starts_on, Activity.occurred_on <= relations.ends_on)):
        activity.fse_operation_id = relations.id
    session.flush()
    _set_targets(session, relations, RELATIONS_TARGETS, today)
    seed_fse_records_demo(session, organisation_id, today=today, operation=relations)
