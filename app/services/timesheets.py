"""Timesheet intake: receive a file, read it in a job, preview, then write all or nothing.

Nothing reaches the hour records before the user confirms the preview, and the
confirmation writes every record of the import in the caller's single transaction.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from app.access import Scope
from app.db import db
from app.domain.enums import HourSource, Role
from app.domain.formats import format_date_fr
from app.domain.numbers import hours_to_minutes
from app.domain.timesheets import (
    KnownParticipant,
    TemplateLine,
    build_timesheet_template,
    TimesheetError,
    format_decimal,
    match_participants,
)
from app.domain.timesheets.declarations import KEEP_RECORD, KEEP_THIS, check_month, declarant_of_record
from app.domain.timesheets.names import person_key
from app.models import Company, HourRecord, Lot, Participant, Placement, Siae, StoredFile
from app.models.base import utcnow
from app.models.timesheets import ImportStatus, TimesheetImport
from app.services.declarations import other_declarations, set_not_counted
from app.services import reading_profiles
from app.services.files import store_file
from app.services.reading_profiles import note_use, usable_profiles
from app.services.sheet_reading import read_timesheet
from app.services.jobs import JobFailure
from app.services.referential import ServiceError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
IGNORE = "ignore"
# The preview's answer to « hours outside the placement's dates »: count them.
ACCEPT = "accept"
# What the preview of one import may weigh once stored (JSON): 20 000 dated lines fit in 8 MB.
MAX_PREVIEW_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class StructureRef:
    """An SIAE or a company, as a select field names it (``siae:3``, ``company:5``)."""

    kind: str
    id: int

    @property
    def key(self) -> str:
        """Return the select value."""
        return f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, key: str) -> "StructureRef":
        """Read a select value, or raise ServiceError."""
        kind, _, raw_id = (key or "").partition(":")
        if kind not in ("siae", "company") or not raw_id.isdigit():
            raise ServiceError("Choisissez la structure qui envoie le relevé.", "structure")
        return cls(kind, int(raw_id))


def structure_choices(session: Session) -> list[tuple[str, str]]:
    """Return the SIAE and companies the user may upload for."""
    siaes = session.scalars(select(Siae).order_by(Siae.name)).all()
    companies = session.scalars(select(Company).order_by(Company.name)).all()
    return ([(StructureRef("siae", s.id).key, f"{s.name} ({s.kind.value})") for s in siaes]
            + [(StructureRef("company", c.id).key, f"{c.name} (entreprise)") for c in companies])


def own_structure(scope: Scope) -> StructureRef | None:
    """Return the structure an SIAE or company user always uploads for."""
    if scope.role == Role.SIAE and scope.siae_id:
        return StructureRef("siae", scope.siae_id)
    if scope.role == Role.ENTREPRISE and scope.company_id:
        return StructureRef("company", scope.company_id)
    return None


def _structure_row(session: Session, ref: StructureRef):
    row = session.get(Siae if ref.kind == "siae" else Company, ref.id)
    if row is None:
        raise ServiceError("Cette structure est introuvable.", "structure")
    return row


def parse_month(text: str | None) -> date | None:
    """Read ``YYYY-MM`` (a month input's value) as the first day of that month."""
    if not text:
        return None
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        raise ServiceError(f"« {text} » n'est pas un mois valide (format AAAA-MM).", "month") from None


def receive_timesheet(session: Session, scope: Scope, *, structure_key: str, month: str | None,
                      lot_id: int | None, filename: str, data: bytes) -> TimesheetImport:
    """Store an uploaded sheet and its import row; the caller commits, then starts the job."""
    ref = own_structure(scope) or StructureRef.parse(structure_key)
    if own_structure(scope) and structure_key and structure_key != ref.key:
        raise ServiceError("Vous ne pouvez déposer des relevés que pour votre structure.", "structure")
    _structure_row(session, ref)
    if lot_id is not None and session.get(Lot, lot_id) is None:
        raise ServiceError("Ce lot est introuvable.", "lot_id")
    if not data:
        raise ServiceError("Le fichier est vide : vérifiez que vous avez choisi le bon fichier.", "file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ServiceError("Le fichier dépasse 10 Mo : enregistrez-le sans images, ou en plusieurs fichiers.", "file")
    digest = hashlib.sha256(data).hexdigest()
    _refuse_already_counted(session, digest)
    month_on = parse_month(month)
    _refuse_already_received(session, ref, digest, month_on)
    imp = TimesheetImport(organisation_id=scope.organisation_id, filename=(filename or "relevé")[:255],
                          sha256=digest, month_on=month_on, lot_id=lot_id, uploaded_by_id=scope.user_id,
                          siae_id=ref.id if ref.kind == "siae" else None,
                          company_id=ref.id if ref.kind == "company" else None)
    session.add(imp)
    session.flush()
    stored = store_file(session, scope.organisation_id, "timesheet_import", imp.id, imp.filename,
                        "application/octet-stream", data)
    imp.file_id = stored.id
    session.flush()
    return imp


class AlreadyReceived(ServiceError):
    """The same file for the same structure and month is already being read or awaits review."""

    def __init__(self, previous: TimesheetImport) -> None:
        super().__init__(f"Ce fichier a déjà été reçu (relevé n° {previous.id}) : voici où il en est, "
                         "inutile de le déposer à nouveau.", "file")
        self.import_id = previous.id


def _refuse_already_received(session: Session, ref: StructureRef, digest: str, month_on: date | None) -> None:
    """Point a retried upload at the import it already created (the queue was down, a double click)."""
    same_structure = (TimesheetImport.siae_id == ref.id if ref.kind == "siae" else TimesheetImport.company_id == ref.id)
    pending = session.scalars(select(TimesheetImport).where(
        same_structure, TimesheetImport.sha256 == digest,
        TimesheetImport.status.in_((ImportStatus.RECEIVED, ImportStatus.PREVIEW)))
        .order_by(TimesheetImport.id.desc())).all()
    for previous in pending:
        # No month given: the file's own period decides, so the same bytes are the same sheet.
        if month_on is None or previous.month_on in (None, month_on):
            raise AlreadyReceived(previous)


def _refuse_already_counted(session: Session, digest: str, exclude_id: int | None = None) -> None:
    statement = select(TimesheetImport).where(TimesheetImport.sha256 == digest,
                                              TimesheetImport.status == ImportStatus.CONFIRMED)
    if exclude_id is not None:
        statement = statement.where(TimesheetImport.id != exclude_id)
    previous = session.scalars(statement.limit(1)).first()
    if previous is not None:
        raise ServiceError(
            f"Ce fichier a déjà été enregistré le {format_date_fr(previous.confirmed_at)} "
            f"(relevé n° {previous.id}) : ses heures sont déjà comptées.", "file")


def roster(session: Session, imp: TimesheetImport) -> list[KnownParticipant]:
    """Return the participants placed with the import's structure, with their contract span.

    One query for the whole structure, names joined in: a sheet of 300 people once cost a
    query per person (issue #22).
    """
    rows = session.execute(
        select(Placement.participant_id, Placement.starts_on, Placement.ends_on, Participant.last_name,
               Participant.first_name, Participant.birth_on)
        .join(Participant, Participant.id == Placement.participant_id)
        .where(_same_structure(imp)).order_by(Placement.id)).all()
    spans: dict[int, list] = defaultdict(list)
    for row in rows:
        spans[row.participant_id].append(row)
    people = []
    for participant_id, items in spans.items():
        person = items[0]
        ends = [p.ends_on for p in items]
        people.append(KnownParticipant(participant_id, person.last_name, person.first_name, person.birth_on,
                                       min(p.starts_on for p in items), None if None in ends else max(ends)))
    return people


def _same_structure(imp: TimesheetImport):
    return Placement.siae_id == imp.siae_id if imp.siae_id else Placement.company_id == imp.company_id


def structure_placements(imp: TimesheetImport):
    """Select the placements of the import's structure, their lots loaded with them."""
    return select(Placement).where(_same_structure(imp)).options(selectinload(Placement.lot)).order_by(Placement.id)


def run_analysis(import_id: int, progress=lambda pct, msg: None) -> None:
    """Read an import's file and keep the preview; never writes hour records.

    The file is parsed outside any transaction and progress is reported between the two
    short transactions, so a SQLite reader never holds a stale snapshot it then writes on.
    """
    with db.session_scope() as session:
        imp = session.get(TimesheetImport, import_id)
        if imp is None:
            raise JobFailure("Ce relevé n'existe plus.")
        data, filename = session.get(StoredFile, imp.file_id).data, imp.filename
        hint = imp.month_on.strftime("%Y-%m") if imp.month_on else None
        profiles = usable_profiles(session, imp)
    progress(20, "Lecture du fichier…")
    try:
        sheet, error = read_timesheet(data, filename, period_hint=hint, profiles=profiles), None
    except TimesheetError as exc:
        sheet, error = None, exc.message_fr
    progress(70, "Rapprochement des noms avec les participants…")
    with db.session_scope() as session:
        error = record_analysis(session, session.get(TimesheetImport, import_id), sheet, error, hint)
    if error:
        raise JobFailure(error)


def record_analysis(session: Session, imp: TimesheetImport, sheet, error: str | None,
                    hint: str | None) -> str | None:
    """Store the parser's verdict on the import: the preview, or why the file is unreadable.

    Return the French reason the import failed, if it did.
    """
    if imp.status not in (ImportStatus.RECEIVED, ImportStatus.PREVIEW, ImportStatus.FAILED):
        # Confirmed, replaced or abandoned: a late re-run must not rewrite what users acted on.
        return error
    if error is not None:
        imp.status, imp.error, imp.preview = ImportStatus.FAILED, error, None
        return error
    period = sheet.period or hint
    match = match_participants(sheet.rows, roster(session, imp), period=period)
    preview = build_preview(sheet, match, period)
    if len(json.dumps(preview, ensure_ascii=False)) > MAX_PREVIEW_BYTES:
        # A stored preview of 172 MB made its page answer 500 on every view (issue #12).
        imp.status, imp.preview = ImportStatus.FAILED, None
        imp.error = ("Le relevé contient trop de lignes pour être vérifié à l'écran : envoyez un "
                     "fichier par mois et par structure, avec une ligne par personne ou par jour.")
        return imp.error
    imp.preview = preview
    imp.status, imp.error = ImportStatus.PREVIEW, ""
    note_use(session, imp, sheet.info.get("profile"))
    if imp.month_on is None and period:
        imp.month_on = parse_month(period)
    return None


def build_preview(sheet, match, period: str | None) -> dict:
    """Group what was understood by person, with every doubt, for the preview page."""
    people: dict[str, dict] = {}
    for row, found in zip(sheet.rows, match.matches):
        key = person_key(row.last_name, row.first_name)
        person = people.setdefault(key, {
            "key": key, "last_name": row.last_name, "first_name": row.first_name, "status": found.status,
            "participant_id": found.participant_id, "hours": "0", "training_hours": "0", "lots": [],
            "rows": [], "needs_review": False,
            "suggestions": [{"id": s.participant_id, "label": s.label, "score": round(s.score * 100)}
                            for s in found.suggestions],
        })
        person["hours"] = format_decimal(Decimal(person["hours"]) + row.hours)
        person["training_hours"] = format_decimal(Decimal(person["training_hours"]) + row.training_hours)
        if row.lot and row.lot not in person["lots"]:
            person["lots"].append(row.lot)
        person["needs_review"] = person["needs_review"] or row.needs_review
        person["rows"].append({"hours": format_decimal(row.hours), "training_hours": format_decimal(row.training_hours),
                               "lot": row.lot, "day": row.day.isoformat() if row.day else None,
                               "source": dict(row.source), "notes": list(row.notes)})
    warnings = [{"code": w.code, "message": w.message, "person": w.person} for w in [*sheet.warnings, *match.warnings]]
    return {"period": period, "file_kind": sheet.file_kind, "people": list(people.values()), "warnings": warnings,
            "profile": sheet.info.get("profile")}


ALREADY_CONFIRMED = "Ce relevé est déjà confirmé."


class AlreadyConfirmed(ServiceError):
    """A second confirmation of the same import (a double click, two tabs): nothing more is written."""

    def __init__(self) -> None:
        super().__init__(ALREADY_CONFIRMED)


class LinesRefused(ServiceError):
    """Lines of the preview that cannot be written as chosen: each one's French reason, by person key."""

    def __init__(self, reasons: dict[str, str]) -> None:
        super().__init__(" ".join(reasons.values()))
        self.reasons = reasons


def confirm_import(session: Session, scope: Scope, import_id: int, decisions: dict[str, str],
                   month: str | None = None) -> TimesheetImport:
    """Write the hour records of a previewed import; raise ServiceError and write nothing on doubt.

    The import row is locked (``SELECT … FOR UPDATE``) before its status is read: a second
    request confirming the same import waits for the first one's commit, then finds it
    confirmed. The unique index on (import_id, placement_id) of the hour records is the
    database's own guarantee where no row lock exists (SQLite); see is_confirmed.
    """
    imp = session.scalars(select(TimesheetImport).where(TimesheetImport.id == import_id)
                          .with_for_update(of=TimesheetImport)
                          .execution_options(populate_existing=True)).first()
    if imp is None:
        raise ServiceError("Ce relevé est introuvable.")
    if imp.status == ImportStatus.CONFIRMED:
        raise AlreadyConfirmed()
    if imp.status != ImportStatus.PREVIEW:
        raise ServiceError(f"Ce relevé ne peut plus être confirmé (état : {imp.status.label.lower()}).")
    month_on = parse_month(month) or imp.month_on
    if month_on is None:
        raise ServiceError("Indiquez le mois du relevé avant d'enregistrer.", "month")
    _refuse_already_counted(session, imp.sha256, exclude_id=imp.id)
    placements = session.scalars(structure_placements(imp)).all()
    totals, problems = _records_by_placement(imp, placements_by_person(placements), decisions, month_on)
    if problems:
        raise LinesRefused(problems)
    _replace_previous(session, imp, month_on)
    by_id = {placement.id: placement for placement in placements}
    others = other_declarations(session, list({key[0] for key in totals}), month_on, imp.id)
    declarant = declarant_of_record(imp.siae_id, imp.company_id)
    counted = 0
    for (placement_id, outside), (minutes, training, refs, person_key) in totals.items():
        record = HourRecord(organisation_id=imp.organisation_id, placement_id=placement_id, month_on=month_on,
                            minutes=minutes, training_minutes=training, source=HourSource.IMPORT,
                            import_id=imp.id, source_ref=f"{imp.filename} : {'; '.join(refs)}"[:500],
                            is_counted=True, outside_dates=outside)
        session.add(record)
        if outside:
            _outside_decision(record, by_id[placement_id], decisions.get(f"outside:{person_key}"), scope)
        if record.is_counted:
            _count_once(session, record, by_id[placement_id], others.get(placement_id, []), declarant,
                        decisions.get(f"double:{person_key}") or KEEP_RECORD, _name(session, imp))
        counted += minutes if record.is_counted else 0
    imp.month_on, imp.status = month_on, ImportStatus.CONFIRMED
    imp.confirmed_by_id, imp.confirmed_at = scope.user_id, utcnow()
    imp.records_count = len({key[0] for key in totals})
    imp.total_minutes = counted
    session.flush()
    return imp


def is_confirmed(session: Session, import_id: int) -> bool:
    """Tell, from a fresh read, whether the import is confirmed (after a failed concurrent write)."""
    imp = session.scalars(select(TimesheetImport).where(TimesheetImport.id == import_id)
                          .execution_options(populate_existing=True)).first()
    return imp is not None and imp.status == ImportStatus.CONFIRMED


def _name(session: Session, imp: TimesheetImport) -> str:
    return _structure_row(session, StructureRef("siae" if imp.siae_id else "company",
                                                imp.siae_id or imp.company_id)).name


def _outside_decision(record: HourRecord, placement: Placement, choice: str | None, scope: Scope) -> None:
    """Count hours outside the placement's dates only when the user accepted them (who and when kept)."""
    dates = f"du {format_date_fr(placement.starts_on)}" + (
        f" au {format_date_fr(placement.ends_on)}" if placement.ends_on else "")
    if choice == ACCEPT:
        record.accepted_by_id, record.accepted_at = scope.user_id, utcnow()
        record.count_note = f"Heures hors des dates de la mise en situation ({dates}) acceptées."
    else:
        record.is_counted = False
        record.count_note = f"Heures hors des dates de la mise en situation ({dates}) non acceptées : non comptées."


def _count_once(session: Session, record: HourRecord, placement: Placement, others: list, declarant, choice: str,
                this_name: str) -> None:
    """Count a month declared by two parties once: the declarant of record's figure, or the user's choice."""
    if not others:
        return
    of_record = declarant_of_record(placement.siae_id, placement.company_id)
    keep_this = choice == KEEP_THIS or (choice == KEEP_RECORD and declarant == of_record)
    if keep_this:
        set_not_counted(session, [other.record_id for other in others],
                        f"Compté une seule fois : même mois déclaré aussi par {this_name}, dont le chiffre est retenu.")
    else:
        record.is_counted = False
        record.count_note = ("Compté une seule fois : déjà déclaré par "
                             f"{', '.join(other.label for other in others)}, chiffre retenu.")[:500]


def preview_checks(session: Session, imp: TimesheetImport) -> dict[str, dict]:
    """Return, per person of a preview, what the user must decide before confirming.

    ``declared``: the same month already declared by another party (side by side with this
    sheet's figure); ``outside_hours``: hours outside the placement's dates; ``warnings``: the
    plausibility check of the person's month (both declarations, working days).
    """
    month_on = imp.month_on or parse_month((imp.preview or {}).get("period"))
    if month_on is None or not imp.preview:
        return {}
    placements = session.scalars(structure_placements(imp)).all()
    people = [p for p in imp.preview["people"] if p.get("participant_id")]
    chosen: dict[str, set[int]] = {}
    outside: dict[str, Decimal] = {}
    indexed = placements_by_person(placements)
    for person in people:
        for row in person["rows"]:
            placement = pick_placement(indexed, person["participant_id"], row["lot"], imp.lot_id, month_on)
            if placement is None:
                continue
            chosen.setdefault(person["key"], set()).add(placement.id)
            if is_outside(placement, month_on, row.get("day")):
                outside[person["key"]] = outside.get(person["key"], Decimal(0)) + Decimal(row["hours"])
    others = other_declarations(session, list({pid for ids in chosen.values() for pid in ids}), month_on,
                                imp.id if imp.status == ImportStatus.CONFIRMED else None)
    declarant = declarant_of_record(imp.siae_id, imp.company_id)
    this_name = _name(session, imp)
    by_id = {placement.id: placement for placement in placements}
    checks = {}
    for person in people:
        ids = chosen.get(person["key"], set())
        declared = [other for pid in ids for other in others.get(pid, [])]
        is_record = all(declarant_of_record(by_id[pid].siae_id, by_id[pid].company_id) == declarant for pid in ids)
        mine = hours_to_minutes(Decimal(person["hours"]))
        check = check_month(month_on, max([mine, *[other.minutes for other in declared]]),
                            {this_name: mine, **{other.declarant_name: other.minutes for other in declared}})
        name = f"{person['last_name']} {person['first_name']}".strip()
        checks[person["key"]] = {"declared": declared, "is_record": is_record, "outside_hours": outside.get(
            person["key"], Decimal(0)), "warnings": check.messages(name)}
    return checks


def _records_by_placement(imp, placements, decisions, month_on):
    """Group the confirmed rows per (placement, outside its dates?) with the person they belong to."""
    totals: dict[tuple[int, bool], list] = {}
    problems: dict[str, str] = {}
    for person in imp.preview["people"]:
        choice = decisions.get(person["key"], "")
        name = f"{person['last_name']} {person['first_name']}".strip()
        if choice == IGNORE:
            continue
        if not choice.isdigit():
            problems[person["key"]] = f"Indiquez qui est « {name} » ou ignorez la ligne."
            continue
        for row in person["rows"]:
            placement = pick_placement(placements, int(choice), row["lot"], imp.lot_id, month_on)
            if placement is None:
                # Also an id from outside the structure (another one's person, a forged form): never written.
                problems[person["key"]] = (f"La personne choisie pour « {name} » n'a pas de mise en situation avec "
                                           "cette structure : choisissez-en une autre, créez d'abord sa mise en "
                                           "situation, ou ignorez la ligne.")
                break
            outside = is_outside(placement, month_on, row.get("day"))
            entry = totals.setdefault((placement.id, outside), [0, 0, [], person["key"]])
            entry[0] += hours_to_minutes(Decimal(row["hours"]))
            entry[1] += hours_to_minutes(Decimal(row["training_hours"]))
            entry[2].append(_where(row["source"]))
    return {key: tuple(value) for key, value in totals.items()}, problems


def is_outside(placement, month_on: date, day: str | None) -> bool:
    """Tell whether a row's day (or, without a day, its month) falls outside the placement's dates."""
    if day:
        first = last = date.fromisoformat(day)
    else:
        first, last = month_on, _next_month(month_on) - timedelta(days=1)
    return last < placement.starts_on or (placement.ends_on is not None and first > placement.ends_on)


def _next_month(month_on: date) -> date:
    return date(month_on.year + month_on.month // 12, month_on.month % 12 + 1, 1)


SOURCE_LABELS = {"sheet": "feuille", "page": "page", "row": "ligne", "line": "ligne"}


def _where(source: dict) -> str:
    parts = [f"{SOURCE_LABELS[key]} {value}" for key, value in source.items() if key in SOURCE_LABELS]
    return ", ".join(parts) or "emplacement inconnu"


def placements_by_person(placements) -> dict[int, list]:
    """Index a structure's placements by participant (a sheet's 300 lines, not 300 scans of them all)."""
    found: dict[int, list] = defaultdict(list)
    for placement in placements:
        found[placement.participant_id].append(placement)
    return found


def pick_placement(placements, participant_id: int, lot_text: str | None, lot_id: int | None, month_on: date):
    """Choose the participant's placement the hours go to: the named lot first, then the active one.

    ``placements``: the structure's placements, or them indexed by participant (placements_by_person).
    """
    if isinstance(placements, dict):
        mine = list(placements.get(participant_id, ()))
    else:
        mine = [p for p in placements if p.participant_id == participant_id]
    if lot_id is not None:
        mine = [p for p in mine if p.lot_id == lot_id] or mine
    if lot_text:
        wanted = lot_text.lower()
        named = [p for p in mine if f"lot {p.lot.number}" in wanted or p.lot.label.lower() in wanted]
        mine = named or mine
    next_month = date(month_on.year + month_on.month // 12, month_on.month % 12 + 1, 1)
    active = [p for p in mine if p.starts_on < next_month and (p.ends_on is None or p.ends_on >= month_on)]
    chosen = active or mine
    return chosen[0] if chosen else None


def _previous_confirmed(session: Session, imp: TimesheetImport, month_on: date) -> list[TimesheetImport]:
    """Return the structure's confirmed imports of the month other than ``imp`` (those it replaces)."""
    same = TimesheetImport.siae_id == imp.siae_id if imp.siae_id else TimesheetImport.company_id == imp.company_id
    return list(session.scalars(select(TimesheetImport).where(
        same, TimesheetImport.month_on == month_on, TimesheetImport.status == ImportStatus.CONFIRMED,
        TimesheetImport.id != imp.id).order_by(TimesheetImport.id)).all())


def replacement_notice(session: Session, imp: TimesheetImport) -> dict | None:
    """Tell, before confirmation, which earlier sheet of the same structure and month this one replaces.

    Returns the figures of both sides (people, hours) so the preview can show them side by side;
    ``None`` when nothing is replaced or the month is not known yet.
    """
    month_on = imp.month_on or parse_month((imp.preview or {}).get("period"))
    if month_on is None or imp.status != ImportStatus.PREVIEW:
        return None
    previous = _previous_confirmed(session, imp, month_on)
    if not previous:
        return None
    rows = session.execute(select(HourRecord.import_id, Placement.participant_id, HourRecord.minutes)
                           .join(Placement, Placement.id == HourRecord.placement_id)
                           .where(HourRecord.import_id.in_([old.id for old in previous]))).all()
    earlier = []
    for old in previous:
        mine = [row for row in rows if row.import_id == old.id]
        earlier.append({"id": old.id, "filename": old.filename, "confirmed_at": old.confirmed_at,
                        "people": len({row.participant_id for row in mine}),
                        "hours": Decimal(sum(row.minutes for row in mine)) / 60})
    people = (imp.preview or {}).get("people", [])
    return {"month_on": month_on, "previous": earlier, "people": len(people),
            "hours": sum((Decimal(person["hours"]) for person in people), Decimal(0))}


def _replace_previous(session: Session, imp: TimesheetImport, month_on: date) -> None:
    """Retire the structure's earlier confirmed import for the month (a corrected sheet)."""
    for old in _previous_confirmed(session, imp, month_on):
        session.execute(delete(HourRecord).where(HourRecord.import_id == old.id))
        old.status, old.replaced_by_id = ImportStatus.REPLACED, imp.id


def cancel_import(session: Session, import_id: int) -> TimesheetImport:
    """Drop a previewed import; nothing had been written."""
    imp = session.get(TimesheetImport, import_id)
    if imp is None or imp.status not in (ImportStatus.PREVIEW, ImportStatus.FAILED, ImportStatus.RECEIVED):
        raise ServiceError("Ce relevé ne peut plus être abandonné.")
    imp.status = ImportStatus.CANCELLED
    session.flush()
    return imp


def build_template(session: Session, structure_key: str, month: str) -> tuple[bytes, str]:
    """Return a pre-filled XLSX timesheet (placed people and lots) and its file name."""
    ref = StructureRef.parse(structure_key)
    structure = _structure_row(session, ref)
    month_on = parse_month(month)
    probe = TimesheetImport(siae_id=ref.id if ref.kind == "siae" else None,
                            company_id=ref.id if ref.kind == "company" else None)
    # Names, tenders and lending SIAE loaded with the placements: not one query per person.
    placements = session.scalars(structure_placements(probe).options(
        selectinload(Placement.participant), selectinload(Placement.lot).selectinload(Lot.tender),
        selectinload(Placement.siae))).all()
    next_month = date(month_on.year + month_on.month // 12, month_on.month % 12 + 1, 1)
    # A company lists the people it employs; those an SIAE lends it come as read-only lines,
    # since the SIAE is their declarant of record (DOMAIN.md §11).
    lines = sorted({
        TemplateLine(p.participant.last_name.upper(), p.participant.first_name,
                     f"{p.lot.tender.reference} — lot {p.lot.number}",
                     declared_by=p.siae.name if ref.kind == "company" and p.siae_id is not None else None)
        for p in placements if p.starts_on < next_month and (p.ends_on is None or p.ends_on >= month_on)
    }, key=lambda line: (line.last_name, line.first_name))
    data = build_timesheet_template(structure.name, structure.siret, month, lines)
    # A French file name: « releve-2026-11-entreprise-12.xlsx », never the internal kind « company ».
    return data, f"releve-{month}-{'siae' if ref.kind == 'siae' else 'entreprise'}-{ref.id}.xlsx"


def learn_layout(session: Session, scope: Scope, import_id: int, name: str, mapping) -> TimesheetImport:
    """Save the structure's reading profile from a mapping, and read the import with it."""
    imp = session.get(TimesheetImport, import_id)
    if imp is None or imp.status not in (ImportStatus.PREVIEW, ImportStatus.FAILED):
        raise ServiceError("Ce relevé ne peut plus être relu.")
    sheet = reading_profiles.try_mapping(session, imp, mapping)
    sheets = reading_profiles.sheets_of(session, imp)
    grid = next((s for s in sheets if s.name == mapping.sheet), sheets[0])
    profile = reading_profiles.save_profile(session, scope, imp, name, mapping, grid.rows)
    sheet.info["profile"] = profile.name
    record_analysis(session, imp, sheet, None, imp.month_on.strftime("%Y-%m") if imp.month_on else None)
    session.flush()
    return imp
