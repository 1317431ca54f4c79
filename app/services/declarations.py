"""Declarations of the same hours by two parties: find them, count them once, repair old ones.

The SIAE that lends a person and the company that receives them may both send a sheet for
the same month. Both records are kept; one is counted (``HourRecord.is_counted``) and the other
says in ``count_note`` why it is not. Nothing here deletes a record.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.timesheets.declarations import COMPANY, SIAE, MonthCheck, check_month, declarant_of_record
from app.models import Company, HourRecord, Participant, Placement, Siae
from app.models.base import utcnow
from app.models.timesheets import TimesheetImport
from app.services.referential import ServiceError

MANUAL = "saisie du facilitateur"


@dataclass(frozen=True)
class Declaration:
    """One hour record of a placement's month and who declared it."""

    record_id: int
    placement_id: int
    month_on: date
    declarant: tuple[str, int] | None
    declarant_name: str
    minutes: int
    is_counted: bool
    count_note: str
    import_id: int | None

    @property
    def label(self) -> str:
        """Return « ETTI Interim Lys (42 h) »."""
        return f"{self.declarant_name} ({self.minutes // 60} h {self.minutes % 60:02d})"


def _names(session: Session, siae_ids, company_ids) -> dict[tuple[str, int], str]:
    names = {(SIAE, i): n for i, n in session.execute(select(Siae.id, Siae.name).where(Siae.id.in_(siae_ids)))}
    names.update({(COMPANY, i): n for i, n in session.execute(
        select(Company.id, Company.name).where(Company.id.in_(company_ids)))})
    return names


def declarations(session: Session, where) -> list[Declaration]:
    """Return the hour records matching ``where`` (clauses on HourRecord) with their declarant."""
    rows = session.execute(
        select(HourRecord.id, HourRecord.placement_id, HourRecord.month_on, HourRecord.minutes,
               HourRecord.is_counted, HourRecord.count_note, HourRecord.import_id, TimesheetImport.siae_id,
               TimesheetImport.company_id)
        .outerjoin(TimesheetImport, TimesheetImport.id == HourRecord.import_id)
        .where(*where).order_by(HourRecord.placement_id, HourRecord.month_on, HourRecord.id)).all()
    names = _names(session, {r.siae_id for r in rows if r.siae_id}, {r.company_id for r in rows if r.company_id})
    found = []
    for row in rows:
        who = None if row.import_id is None else declarant_of_record(row.siae_id, row.company_id)
        found.append(Declaration(row.id, row.placement_id, row.month_on, who, names.get(who, MANUAL), row.minutes,
                                 row.is_counted, row.count_note, row.import_id))
    return found


def other_declarations(session: Session, placement_ids, month_on: date, import_id: int | None
                       ) -> dict[int, list[Declaration]]:
    """Return, per placement, the counted records of the month that another import or a person wrote."""
    found: dict[int, list[Declaration]] = defaultdict(list)
    if not placement_ids:
        return found
    for item in declarations(session, [HourRecord.placement_id.in_(placement_ids), HourRecord.month_on == month_on,
                                       HourRecord.is_counted.is_(True)]):
        if import_id is None or item.import_id != import_id:
            found[item.placement_id].append(item)
    return found


def set_not_counted(session: Session, record_ids, note: str) -> None:
    """Keep records but count them no more, saying why."""
    for record in session.scalars(select(HourRecord).where(HourRecord.id.in_(record_ids))):
        record.is_counted, record.count_note = False, note[:500]


@dataclass(frozen=True)
class Duplicate:
    """A placement's month counted more than once: several counted records from different declarants."""

    placement_id: int
    participant: str
    month_on: date
    declarant_of_record: str
    records: tuple[Declaration, ...]


def find_duplicates(session: Session, organisation_id: int) -> list[Duplicate]:
    """Return every placement × month with counted records from more than one declarant."""
    doubled = (select(HourRecord.placement_id, HourRecord.month_on)
               .outerjoin(TimesheetImport, TimesheetImport.id == HourRecord.import_id)
               .where(HourRecord.organisation_id == organisation_id, HourRecord.is_counted.is_(True))
               .group_by(HourRecord.placement_id, HourRecord.month_on)
               .having(func.count(func.distinct(func.coalesce(TimesheetImport.id, -HourRecord.id))) > 1))
    pairs = {(p, m) for p, m in session.execute(doubled)}
    if not pairs:
        return []
    placement_ids = {p for p, _m in pairs}
    records = declarations(session, [HourRecord.placement_id.in_(placement_ids), HourRecord.is_counted.is_(True)])
    placements = {row.id: row for row in session.execute(
        select(Placement.id, Placement.siae_id, Placement.company_id, Participant.last_name, Participant.first_name)
        .join(Participant, Participant.id == Placement.participant_id).where(Placement.id.in_(placement_ids)))}
    names = _names(session, {p.siae_id for p in placements.values() if p.siae_id},
                   {p.company_id for p in placements.values() if p.company_id})
    by_pair: dict[tuple[int, date], list[Declaration]] = defaultdict(list)
    for record in records:
        if (record.placement_id, record.month_on) in pairs:
            by_pair[(record.placement_id, record.month_on)].append(record)
    found = []
    for (placement_id, month_on), items in sorted(by_pair.items()):
        placement = placements[placement_id]
        record_of = declarant_of_record(placement.siae_id, placement.company_id)
        found.append(Duplicate(placement_id, f"{placement.last_name.upper()} {placement.first_name}", month_on,
                               names.get(record_of, ""), tuple(items)))
    return found


def resolve_duplicate(session: Session, duplicate: Duplicate, keep_record_id: int | None, who: str) -> Declaration:
    """Count one record of a duplicate (default: the declarant of record's), keep the others uncounted."""
    if keep_record_id is None:
        of_record = [r for r in duplicate.records if r.declarant_name == duplicate.declarant_of_record]
        if not of_record:
            raise ServiceError(f"{duplicate.participant}, {duplicate.month_on:%m/%Y} : aucun relevé du déclarant "
                               "de référence ; indiquez le relevé à garder.")
        kept = max(of_record, key=lambda r: r.record_id)
    else:
        kept = next((r for r in duplicate.records if r.record_id == keep_record_id), None)
        if kept is None:
            raise ServiceError(f"Le relevé n° {keep_record_id} ne fait pas partie de ce doublon.")
    note = (f"Compté une seule fois : même mois déclaré par {kept.declarant_name} ; son chiffre est retenu "
            f"({who}, {utcnow():%d/%m/%Y}).")
    set_not_counted(session, [r.record_id for r in duplicate.records if r.record_id != kept.record_id], note)
    session.flush()
    return kept


def month_checks(session: Session, organisation_id: int, since: date, placements=None
                 ) -> list[tuple[str, MonthCheck]]:
    """Return the implausible person-months since ``since``: too many counted hours, several declarants.

    ``placements``: a SELECT of placement ids to look at (a dashboard's scope); all by default.
    """
    # Summed per person, month and declarant in SQL: a territory's year is thousands of records.
    statement = (
        select(Placement.participant_id, Participant.last_name, Participant.first_name, HourRecord.month_on,
               func.sum(HourRecord.minutes).label("minutes"), Siae.name.label("siae"), Company.name.label("company"))
        .join(Placement, Placement.id == HourRecord.placement_id)
        .join(Participant, Participant.id == Placement.participant_id)
        .outerjoin(TimesheetImport, TimesheetImport.id == HourRecord.import_id)
        .outerjoin(Siae, Siae.id == TimesheetImport.siae_id)
        .outerjoin(Company, Company.id == TimesheetImport.company_id)
        .where(HourRecord.organisation_id == organisation_id, HourRecord.month_on >= since,
               HourRecord.is_counted.is_(True)))
    if placements is not None:
        statement = statement.where(HourRecord.placement_id.in_(placements))
    statement = statement.group_by(Placement.participant_id, Participant.last_name, Participant.first_name,
                                   HourRecord.month_on, Siae.name, Company.name)
    months: dict[tuple[int, date], dict] = {}
    # Only counted records: a second declaration already settled is no longer an alert.
    for row in session.execute(statement):
        entry = months.setdefault((row.participant_id, row.month_on), {
            "name": f"{row.last_name.upper()} {row.first_name}", "counted": 0, "declarants": defaultdict(int)})
        entry["counted"] += row.minutes
        entry["declarants"][row.siae or row.company or MANUAL] += row.minutes
    checks = []
    for (_pid, month_on), entry in months.items():
        check = check_month(month_on, entry["counted"], entry["declarants"])
        if check.too_many_hours or check.several_declarants:
            checks.append((entry["name"], check))
    return sorted(checks, key=lambda item: (item[1].month_on, item[0]))
