"""Hours posted through the API: the same intake as a file, from receipt to preview to confirmation.

The JSON lines become the ParsedTimesheet a file would give (app.domain.timesheets.posted), and
then follow the timesheet service unchanged: receive_timesheet (same structure rules, same
« already received / already counted » guards), record_analysis (name matching, placement dates,
doubts) and confirm_import (one transaction, all or nothing). An Idempotency-Key makes a retried
request answer with the import it already created.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.timesheets.model import format_decimal
from app.domain.timesheets.posted import PostedLine, read_posted_hours
from app.models import ApiIdempotencyKey, Lot, Participant
from app.models.timesheets import ImportStatus, TimesheetImport
from app.services import audit
from app.services import timesheets as intake
from app.services.api.tokens import TokenHolder
from app.services.referential import ServiceError


class IdempotencyConflict(ServiceError):
    """The key was already used by this token for a different request."""


@dataclass
class HoursLine:
    """One line of the request: a person (by id, or by name) on a lot, with hours for the month."""

    lot_id: int
    hours: Decimal
    training_hours: Decimal = Decimal(0)
    participant_id: int | None = None
    last_name: str = ""
    first_name: str = ""


@dataclass
class PostedHours:
    """What became of a request: its import, the doubts that keep it in preview, a replay or not."""

    imp: TimesheetImport
    doubts: list[dict] = field(default_factory=list)
    replayed: bool = False


def request_digest(structure: str, month: str, lines: list[HoursLine]) -> bytes:
    """Return the canonical JSON of a request (stored as the import's file; its SHA-256 dedupes)."""
    body = {"structure": structure, "month": month, "lines": [
        {"participant_id": line.participant_id, "last_name": line.last_name, "first_name": line.first_name,
         "lot_id": line.lot_id, "hours": format_decimal(line.hours),
         "training_hours": format_decimal(line.training_hours)} for line in lines]}
    return json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")


def post_hours(session: Session, holder: TokenHolder, *, structure: str, month: str, lines: list[HoursLine],
               idempotency_key: str, confirm: bool) -> PostedHours:
    """Create an import in preview from posted hours and, when asked and nothing is in doubt, confirm it."""
    data = request_digest(structure, month, lines)
    digest = hashlib.sha256(data).hexdigest()
    previous = _previous_request(session, holder, idempotency_key)
    if previous is not None:
        if previous.request_sha256 != digest:
            raise IdempotencyConflict("Cette clé d'idempotence a déjà servi pour une autre requête : "
                                      "utilisez une nouvelle clé pour un nouveau relevé.", "Idempotency-Key")
        imp = session.get(TimesheetImport, previous.import_id) if previous.import_id else None
        if imp is None:
            raise ServiceError("Le relevé créé avec cette clé d'idempotence n'existe plus.", "Idempotency-Key")
        return PostedHours(imp, doubts_of(session, imp), replayed=True)
    period_on = intake.parse_month(month)
    if period_on is None:
        raise ServiceError("Indiquez le mois du relevé (format AAAA-MM).", "month")
    period = period_on.strftime("%Y-%m")
    posted = [_posted_line(session, number, line) for number, line in enumerate(lines, start=1)]
    imp = intake.receive_timesheet(session, holder.scope, structure_key=structure, month=period, lot_id=None,
                                   filename=f"api-{period}.json", data=data)
    intake.record_analysis(session, imp, read_posted_hours(period, posted), None, period)
    session.add(ApiIdempotencyKey(organisation_id=holder.scope.organisation_id, token_id=holder.token_id,
                                  key=idempotency_key, request_sha256=digest, import_id=imp.id))
    audit.record(session, organisation_id=holder.scope.organisation_id, user_id=None, action="create",
                 object_type="timesheet_import", object_id=imp.id, detail=f"API, jeton n° {holder.token_id}")
    session.flush()
    doubts = doubts_of(session, imp)
    if confirm and not doubts:
        doubts = _confirm(session, holder, imp)
    return PostedHours(imp, doubts)


def _previous_request(session: Session, holder: TokenHolder, key: str) -> ApiIdempotencyKey | None:
    # Keys belong to a token, whatever the rows its scope shows: read them by token id, unscoped.
    return session.scalar(select(ApiIdempotencyKey).where(ApiIdempotencyKey.token_id == holder.token_id,
                                                         ApiIdempotencyKey.key == key)
                          .execution_options(unscoped=True))


def _posted_line(session: Session, number: int, line: HoursLine) -> PostedLine:
    lot = session.get(Lot, line.lot_id)
    if lot is None:
        raise ServiceError(f"Ligne {number} : le lot n° {line.lot_id} est introuvable.", "lines")
    last_name, first_name = line.last_name.strip(), line.first_name.strip()
    if line.participant_id is not None:
        person = session.get(Participant, line.participant_id)
        if person is None:
            raise ServiceError(f"Ligne {number} : le participant n° {line.participant_id} est introuvable.",
                               "lines")
        last_name, first_name = person.last_name, person.first_name
    elif not last_name:
        raise ServiceError(f"Ligne {number} : indiquez participant_id, ou le nom et le prénom.", "lines")
    # The lot is named the way the pre-filled template names it, so the same placement is chosen.
    return PostedLine(last_name, first_name, f"{lot.tender.reference} — lot {lot.number}", line.hours,
                      line.training_hours)


def doubts_of(session: Session, imp: TimesheetImport) -> list[dict]:
    """Return what keeps an import from being confirmed without a person looking at it.

    The preview's warnings (unknown or ambiguous person, 48 h, duplicates), then what the preview
    page asks a person to decide (intake.preview_checks): the same month already declared by
    another party, hours outside the placement's dates, an implausible month.
    """
    if imp.status != ImportStatus.PREVIEW or not imp.preview:
        return []
    doubts = [{"code": w["code"], "message": w["message"]} for w in imp.preview.get("warnings", [])]
    checks = intake.preview_checks(session, imp)
    for person in imp.preview.get("people", []):
        name = f"{person['last_name']} {person['first_name']}".strip()
        if person.get("participant_id") is None:
            if not any(d["code"] in ("unknown_person", "ambiguous_person") for d in doubts):
                doubts.append({"code": "unmatched_person", "message": f"{name} n'a pas été reconnu."})
            continue
        check = checks.get(person["key"], {})
        if check.get("declared"):
            doubts.append({"code": "already_declared", "message": f"{name} : ce mois est déjà déclaré par "
                           + ", ".join(other.label for other in check["declared"]) + " ; choisissez le chiffre "
                           "à compter dans Clausier."})
        elif check.get("warnings"):
            # Two declarants are said just above; otherwise more hours than working days allow.
            doubts += [{"code": "implausible_month", "message": message} for message in check["warnings"]]
        if check.get("outside_hours"):
            doubts.append({"code": "outside_placement", "message": f"{name} : {format_decimal(check['outside_hours'])} h "
                           "hors des dates de la mise en situation ; acceptez-les ou non dans Clausier."})
    return doubts


def _confirm(session: Session, holder: TokenHolder, imp: TimesheetImport) -> list[dict]:
    decisions = {person["key"]: str(person["participant_id"]) for person in imp.preview["people"]}
    try:
        # A savepoint: a refusal leaves the import in preview, exactly as it was.
        with session.begin_nested():
            intake.confirm_import(session, holder.scope, imp.id, decisions)
    except ServiceError as exc:
        return [{"code": "not_confirmed", "message": str(exc)}]
    audit.record(session, organisation_id=holder.scope.organisation_id, user_id=None, action="update",
                 object_type="timesheet_import", object_id=imp.id, detail=f"API, jeton n° {holder.token_id}")
    session.flush()
    return []
