"""Read report rows from the database: tableau d'impact, operations list, FSE+ participants.

Every report (exports, dashboards, bilans, the FSE+ dossier) reads its figures here, so the
numbers agree wherever they are shown. Each reader runs a fixed number of aggregate queries
whatever the data size; rows are streamed with ``yield_per`` and grouped in Python.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.orm import Session

from app.domain.enums import UPCOMING_STATUSES, Criterion, TenderStatus
from app.domain.numbers import minutes_to_hours
from app.domain.reports import FseParticipant, ImpactRow, month_key, months_between
from app.domain.reports.exits import ExitCategory, classify_exit
from app.domain.reports.indicators import exit_date
from app.models import (
    Buyer,
    Company,
    HourRecord,
    Lot,
    Organisation,
    Participant,
    ParticipantCriterion,
    ParticipantExit,
    Placement,
    Siae,
    Tender,
)

BATCH = 1000


@dataclass(frozen=True)
class ReportFilter:
    """Which rows a report covers: an organisation, a period, at most a buyer, company, SIAE, tenders or lot.

    The organisation is explicit because jobs and the CLI read through unscoped sessions.
    """

    organisation_id: int
    starts_on: date | None = None
    ends_on: date | None = None
    buyer_id: int | None = None
    company_id: int | None = None
    siae_id: int | None = None
    tender_ids: tuple[int, ...] | None = None
    lot_id: int | None = None
    participant_id: int | None = None
    # An FSE+ operation whose sheet counts as durable only contracts of *more than* 6 months.
    strictly_more_durable: bool = False

    @property
    def first_month(self) -> date | None:
        """Return the first day of the period's first month (hour records are monthly)."""
        return self.starts_on.replace(day=1) if self.starts_on else None


@dataclass
class _Group:
    """Placements of one participant on one tender, merged into one impact row."""

    first: Row
    lots: set[int] = field(default_factory=set)
    minutes: int = 0
    training: int = 0
    latest: Row | None = None
    latest_category: ExitCategory | None = None
    entry_on: date | None = None
    ends: list[date | None] = field(default_factory=list)


NOT_CONTRACTUAL = tuple(UPCOMING_STATUSES | {TenderStatus.ABANDONNE})


def lot_conditions(flt: ReportFilter) -> list:
    """Return the WHERE clauses that select the lots a filter covers (Lot and Tender joined).

    Only awarded tenders count (DOMAIN §11): one still spotted, studied, drafted or published
    carries no contractual hours yet, and an abandoned one never will (they live in Repérage).
    """
    clauses = [Lot.organisation_id == flt.organisation_id, Tender.status.not_in(NOT_CONTRACTUAL)]
    if flt.buyer_id is not None:
        clauses.append(Tender.buyer_id == flt.buyer_id)
    if flt.company_id is not None:
        clauses.append(Lot.company_id == flt.company_id)
    if flt.tender_ids is not None:
        clauses.append(Lot.tender_id.in_(flt.tender_ids or (-1,)))
    if flt.lot_id is not None:
        clauses.append(Lot.id == flt.lot_id)
    return clauses


def placement_conditions(flt: ReportFilter) -> list:
    """Return the WHERE clauses on Placement (and its Lot, Tender) a filter implies."""
    clauses = lot_conditions(flt)
    if flt.siae_id is not None:
        clauses.append(Placement.siae_id == flt.siae_id)
    if flt.participant_id is not None:
        clauses.append(Placement.participant_id == flt.participant_id)
    return clauses


def hour_period(flt: ReportFilter) -> list:
    """Return the WHERE clauses that keep the organisation's hour records of the period."""
    # Only counted records: a second declaration of the same month, or hours outside the
    # placement not accepted, are kept for the record but count for nothing (DOMAIN.md §11).
    clauses = [HourRecord.organisation_id == flt.organisation_id, HourRecord.is_counted.is_(True)]
    if flt.first_month is not None:
        clauses.append(HourRecord.month_on >= flt.first_month)
    if flt.ends_on is not None:
        clauses.append(HourRecord.month_on <= flt.ends_on)
    return clauses


def _placements_in_scope(flt: ReportFilter):
    """Return a SELECT of the placement ids a report covers: within the period or with hours in it."""
    with_hours = select(HourRecord.placement_id).where(*hour_period(flt))
    overlap = []
    if flt.ends_on is not None:
        overlap.append(Placement.starts_on <= flt.ends_on)
    if flt.starts_on is not None:
        overlap.append(or_(Placement.ends_on.is_(None), Placement.ends_on >= flt.starts_on))
    statement = (select(Placement.id).join(Lot, Lot.id == Placement.lot_id).join(Tender, Tender.id == Lot.tender_id)
                 .where(*placement_conditions(flt)))
    if overlap:
        statement = statement.where(or_(and_(*overlap), Placement.id.in_(with_hours)))
    return statement


def _hours_by_placement(session: Session, flt: ReportFilter, placement_ids) -> dict[int, tuple[int, int]]:
    rows = session.execute(
        select(HourRecord.placement_id, func.sum(HourRecord.minutes), func.sum(HourRecord.training_minutes))
        .where(HourRecord.placement_id.in_(placement_ids), *hour_period(flt))
        .group_by(HourRecord.placement_id))
    return {placement_id: (int(minutes or 0), int(training or 0)) for placement_id, minutes, training in rows}


def _criteria(session: Session, participant_ids) -> dict[int, set[Criterion]]:
    found: dict[int, set[Criterion]] = defaultdict(set)
    rows = session.execute(select(ParticipantCriterion.participant_id, ParticipantCriterion.criterion)
                           .where(ParticipantCriterion.participant_id.in_(participant_ids)))
    for participant_id, criterion in rows:
        found[participant_id].add(criterion)
    return found


def _exits(session: Session, placement_ids, strictly_more_durable: bool = False) -> dict[int, tuple]:
    rows = session.execute(select(ParticipantExit.placement_id, ParticipantExit.exit_on, ParticipantExit.category,
                                  ParticipantExit.situation, ParticipantExit.situation_starts_on,
                                  ParticipantExit.situation_ends_on, ParticipantExit.is_subsidised)
                           .where(ParticipantExit.placement_id.in_(placement_ids)))
    found = {}
    for placement_id, exit_on, category, situation, starts_on, ends_on, subsidised in rows:
        if strictly_more_durable and category is ExitCategory.EMPLOI_DURABLE and ends_on is not None:
            # The operation's own definition: the recorded category stays as it was recorded.
            category = classify_exit(situation, starts_on, ends_on, subsidised, strictly_more=True)
        found[placement_id] = (exit_on, category)
    return found


def _placement_rows(session: Session, placement_ids) -> Iterable[Row]:
    statement = (
        select(Placement.id.label("placement_id"), Placement.participant_id, Placement.lot_id, Placement.modality,
               Placement.contract_type, Placement.starts_on, Placement.ends_on, Lot.number.label("lot_number"),
               Lot.tender_id, Tender.reference, Tender.object, Tender.cpv, Tender.legal_instrument,
               Buyer.name.label("buyer"), Company.siret.label("company_siret"), Company.name.label("company_name"),
               Siae.siret.label("siae_siret"), Participant.code, Participant.last_name, Participant.first_name,
               Participant.sex, Participant.birth_on, Participant.qualification_level, Participant.is_qpv,
               Participant.phone, Participant.email, Participant.postcode)
        .join(Participant, Participant.id == Placement.participant_id)
        .join(Lot, Lot.id == Placement.lot_id)
        .join(Tender, Tender.id == Lot.tender_id)
        .join(Buyer, Buyer.id == Tender.buyer_id)
        .outerjoin(Company, Company.id == Lot.company_id)
        .outerjoin(Siae, Siae.id == Placement.siae_id)
        .where(Placement.id.in_(placement_ids))
        .order_by(Buyer.name, Tender.reference, Participant.code, Placement.starts_on, Placement.id)
        .execution_options(yield_per=BATCH)
    )
    # Rows as they come (named tuples): no dict per placement.
    yield from session.execute(statement)


def impact_rows(session: Session, flt: ReportFilter) -> list[ImpactRow]:
    """Return the tableau d'impact rows: one per participant × tender, hours of the period."""
    in_scope = _placements_in_scope(flt)
    hours = _hours_by_placement(session, flt, in_scope)
    exits = _exits(session, in_scope, flt.strictly_more_durable)
    criteria = _criteria(session, select(Placement.participant_id).where(Placement.id.in_(in_scope)))
    groups: dict[tuple[int, int], _Group] = {}
    for row in _placement_rows(session, in_scope):
        key = (row.participant_id, row.tender_id)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(first=row, entry_on=row.starts_on)
        minutes, training = hours.get(row.placement_id, (0, 0))
        group.minutes += minutes
        group.training += training
        group.lots.add(row.lot_number)
        group.entry_on = min(group.entry_on, row.starts_on)
        exit_on, category = exits.get(row.placement_id, (None, None))
        group.ends.append(exit_on or row.ends_on)
        # The latest placement gives the contract, modality, SIAE and exit category the row shows.
        if group.latest is None or (row.starts_on, row.placement_id) >= (
                group.latest.starts_on, group.latest.placement_id):
            group.latest, group.latest_category = row, category
    # A person without an hour in the period is positioned, not a participant (DOMAIN.md §11).
    worked = {person for (person, _tender), group in groups.items() if group.minutes > 0}
    return [_impact_row(group, criteria, flt.ends_on) for (person, _tender), group in groups.items()
            if person in worked]


def impact_row_count(session: Session, flt: ReportFilter) -> int:
    """Return at most how many rows the tableau d'impact has: participant × tender pairs in scope.

    One COUNT, no row read: people without hours in the period are still counted (the rows
    leave them out), which is what a size threshold needs.
    """
    pairs = (select(Placement.participant_id, Lot.tender_id).join(Lot, Lot.id == Placement.lot_id)
             .where(Placement.id.in_(_placements_in_scope(flt))).distinct().subquery())
    return session.scalar(select(func.count()).select_from(pairs)) or 0


def _impact_row(group: _Group, criteria: dict[int, set[Criterion]], as_of: date | None) -> ImpactRow:
    first, latest = group.first, group.latest
    person_criteria = set(criteria.get(first.participant_id, ()))
    if first.is_qpv:
        person_criteria.add(Criterion.QPV)
    exit_on = exit_date(group.ends, as_of)
    return ImpactRow(
        buyer=first.buyer, tender_reference=first.reference, tender_object=first.object,
        lot=", ".join(str(number) for number in sorted(group.lots)), cpv=first.cpv or "",
        company_siret=latest.company_siret or "", company_name=latest.company_name or "",
        modality=latest.modality, clause_type=first.legal_instrument, participant_code=first.code,
        last_name=first.last_name, first_name=first.first_name, sex=first.sex,
        birth_date=first.birth_on, qualification_level=first.qualification_level or "",
        contract_type=latest.contract_type, entry_on=group.entry_on,
        hours_done=minutes_to_hours(group.minutes), siae_siret=latest.siae_siret or "",
        criteria=frozenset(person_criteria), exit_on=exit_on,
        training_hours=minutes_to_hours(group.training), exit_category=group.latest_category,
    )


def total_minutes(session: Session, flt: ReportFilter) -> int:
    """Return the minutes the hour records of a report's scope add up to (for cross-checks)."""
    return int(session.scalar(
        select(func.coalesce(func.sum(HourRecord.minutes), 0))
        .where(HourRecord.placement_id.in_(_placements_in_scope(flt)), *hour_period(flt))) or 0)


def fse_participants(session: Session, flt: ReportFilter, operation: str) -> list[FseParticipant]:
    """Return one FSE+ record per participant (a person with hours in the period): entry = first
    placement, exit = last one once every placement has ended (the bilan's definition of a sortie)."""
    in_scope = _placements_in_scope(flt)
    hours = _hours_by_placement(session, flt, in_scope)
    exits = _exits(session, in_scope, flt.strictly_more_durable)
    criteria = _criteria(session, select(Placement.participant_id).where(Placement.id.in_(in_scope)))
    people: dict[int, dict] = {}
    for row in _placement_rows(session, in_scope):
        person = people.setdefault(row.participant_id, {"row": row, "entry": row.starts_on, "ends": [],
                                                        "minutes": 0})
        person["entry"] = min(person["entry"], row.starts_on)
        person["minutes"] += hours.get(row.placement_id, (0, 0))[0]
        exit_on, _category = exits.get(row.placement_id, (None, None))
        person["ends"].append(exit_on or row.ends_on)
    records = []
    for participant_id, person in people.items():
        if not person["minutes"]:
            continue
        row = person["row"]
        person_criteria = set(criteria.get(participant_id, ()))
        if row.is_qpv:
            person_criteria.add(Criterion.QPV)
        records.append(FseParticipant(
            operation=operation, participant_code=row.code, last_name=row.last_name,
            first_name=row.first_name, sex=row.sex, birth_date=row.birth_on, entry_on=person["entry"],
            exit_on=exit_date(person["ends"], flt.ends_on), phone=row.phone or "",
            email=row.email or "", postcode=row.postcode or "", criteria=frozenset(person_criteria),
            participant_id=participant_id))
    return sorted(records, key=lambda record: record.participant_code)


def monthly_hours(session: Session, flt: ReportFilter) -> list[tuple[str, Decimal]]:
    """Return the hours done each month of the period (months without hours included)."""
    rows = session.execute(
        select(HourRecord.month_on, func.sum(HourRecord.minutes))
        .where(HourRecord.placement_id.in_(_placements_in_scope(flt)), *hour_period(flt))
        .group_by(HourRecord.month_on))
    totals: dict[str, int] = defaultdict(int)
    for month_on, minutes in rows:
        totals[month_key(month_on)] += int(minutes or 0)
    first = flt.first_month or (_month_start(min(totals)) if totals else None)
    last = flt.ends_on or (_month_start(max(totals)) if totals else None)
    if first is None or last is None:
        return []
    return [(key, minutes_to_hours(totals.get(key, 0))) for key in months_between(first, last)]


def _month_start(key: str) -> date:
    return date(int(key[:4]), int(key[5:7]), 1)


def safe_filename(text: str, limit: int = 60) -> str:
    """Return ``text`` reduced to letters, digits, dashes and underscores (for file names)."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text)
    return "-".join(part for part in cleaned.split("-") if part)[:limit] or "export"


def report_title(session: Session, flt: ReportFilter, what: str) -> str:
    """Return « Tableau d'impact — <organisation> — <acheteur> — <entreprise> (du … au …) »."""
    parts = [what, session.get(Organisation, flt.organisation_id).name]
    if flt.buyer_id:
        parts.append(session.get(Buyer, flt.buyer_id).name)
    if flt.company_id:
        parts.append(session.get(Company, flt.company_id).name)
    return " — ".join(parts) + f" ({period_label(flt)})"


def period_label(flt: ReportFilter) -> str:
    """Return « du 01/01/2026 au 31/12/2026 », or « depuis le début » without a period."""
    if flt.starts_on and flt.ends_on:
        return f"du {flt.starts_on:%d/%m/%Y} au {flt.ends_on:%d/%m/%Y}"
    if flt.ends_on:
        return f"jusqu'au {flt.ends_on:%d/%m/%Y}"
    if flt.starts_on:
        return f"depuis le {flt.starts_on:%d/%m/%Y}"
    return "depuis le début des marchés"
