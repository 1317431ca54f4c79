"""FSE+ participant records: the operation's participants with their entry, exit and 6-month data.

The participants are those the exports list (a person with hours in the operation's period and
scope); the record typed by the gestionnaire adds what the placements cannot tell. No record
stored yet: every record field is empty. Entry and exit dates typed on the record replace those
read from the placements.
"""

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.reports import FseParticipant, build_common_indicators_xlsx, common_indicators, completeness
from app.domain.reports.fse_common import EducationLevel, LabourStatus
from app.models import FseOperation, FseParticipantRecord
from app.services.reports.fse_operations import spec_for
from app.services.reports.exports import fse_participants
from app.services.referential import ServiceError

ENTRY_FLAGS = ("is_disabled", "is_third_country_national", "has_foreign_background", "is_minority", "is_homeless",
               "is_rural")
EXIT_FLAGS = ("exit_job_searching", "exit_in_education", "exit_qualification", "exit_employed")
SURVEY_FLAGS = ("six_months_employed", "six_months_improved")
DATES = ("entry_on", "exit_on", "six_months_on")
# What a record holds beyond the placements, by the names the model and FseParticipant share.
RECORD_FIELDS = ("labour_status", "education_level", *ENTRY_FLAGS, *EXIT_FLAGS, "six_months_on", *SURVEY_FLAGS)


def _operation(session: Session, operation_id: int) -> FseOperation:
    operation = session.get(FseOperation, operation_id)
    if operation is None:
        raise ServiceError("Cette opération FSE+ est introuvable.")
    return operation


def _with_record(person: FseParticipant, record: FseParticipantRecord | None) -> FseParticipant:
    if record is None:
        return person
    return replace(person, entry_on=record.entry_on or person.entry_on, exit_on=record.exit_on or person.exit_on,
                   **{name: getattr(record, name) for name in RECORD_FIELDS})


def stored_records(session: Session, operation_id: int) -> dict[int, FseParticipantRecord]:
    """Return the operation's stored records by participant id."""
    return {record.participant_id: record for record in session.scalars(
        select(FseParticipantRecord).where(FseParticipantRecord.fse_operation_id == operation_id))}


def _from_placements(session: Session, operation: FseOperation, as_of: date) -> list[FseParticipant]:
    flt = spec_for(operation).report_filter()
    # Data « as of » a day: a person who started later is not a participant yet, nor has one left later.
    return fse_participants(session, replace(flt, ends_on=min(flt.ends_on, as_of)), operation.title)


def operation_participants(session: Session, operation_id: int, as_of: date) -> list[FseParticipant]:
    """Return the operation's participants up to ``as_of``, each joined with its stored record."""
    operation = _operation(session, operation_id)
    records = stored_records(session, operation_id)
    return [_with_record(person, records.get(person.participant_id))
            for person in _from_placements(session, operation, as_of)]


def find_participant(session: Session, operation_id: int, participant_id: int, as_of: date) -> FseParticipant | None:
    """Return one participant of the operation with its record, None when the person is not one of them."""
    return next((person for person in operation_participants(session, operation_id, as_of)
                 if person.participant_id == participant_id), None)


def _enum(kind, value, field: str, message: str):
    if value in (None, ""):
        return None
    try:
        return kind(value)
    except ValueError:
        raise ServiceError(message, field) from None


def _check(data: dict, person: FseParticipant) -> dict:
    """Return the record's values once their dates follow each other; refuse in French otherwise."""
    values = {name: data.get(name) for name in (*ENTRY_FLAGS, *EXIT_FLAGS, *SURVEY_FLAGS, *DATES)}
    values["labour_status"] = _enum(LabourStatus, data.get("labour_status"), "labour_status",
                                    "Choisissez la situation sur le marché du travail dans la liste.")
    values["education_level"] = _enum(EducationLevel, data.get("education_level"), "education_level",
                                      "Choisissez le niveau d'études dans la liste.")
    entry_on = values["entry_on"] or person.entry_on
    exit_on = values["exit_on"] or person.exit_on
    if entry_on and exit_on and exit_on < entry_on:
        raise ServiceError(f"La date de sortie ({exit_on:%d/%m/%Y}) précède la date d'entrée "
                           f"({entry_on:%d/%m/%Y}).", "exit_on")
    if exit_on is None and any(values[name] is not None for name in EXIT_FLAGS):
        raise ServiceError("Indiquez la date de sortie avant la situation à la sortie.", "exit_on")
    survey_on = values["six_months_on"]
    if survey_on is None and any(values[name] is not None for name in SURVEY_FLAGS):
        raise ServiceError("Indiquez la date de l'enquête à six mois avant ses réponses.", "six_months_on")
    if survey_on is not None and exit_on is None:
        raise ServiceError("Indiquez la date de sortie avant l'enquête à six mois.", "exit_on")
    if survey_on is not None and survey_on < exit_on:
        raise ServiceError(f"L'enquête à six mois ({survey_on:%d/%m/%Y}) précède la sortie "
                           f"({exit_on:%d/%m/%Y}).", "six_months_on")
    return values


def save_record(session: Session, scope: Scope, operation: FseOperation, participant_id: int,
                data: dict) -> FseParticipantRecord:
    """Create or update a participant's record in the operation; refuse dates out of order.

    ``data`` holds the model's names: dates (None: read from the placements), the labour status
    and education level (enum or value), and the yes/no answers (None: not given, or for
    disability and minority « ne souhaite pas répondre »).
    """
    # The dates typed are checked against the placements' (what an empty date falls back to).
    person = next((person for person in _from_placements(session, operation, operation.ends_on)
                   if person.participant_id == participant_id), None)
    if person is None:
        raise ServiceError("Cette personne n'est pas participante de l'opération.")
    values = _check(data, person)
    record = stored_records(session, operation.id).get(participant_id)
    if record is None:
        record = FseParticipantRecord(organisation_id=scope.organisation_id, fse_operation_id=operation.id,
                                      participant_id=participant_id)
        session.add(record)
    for name, value in values.items():
        setattr(record, name, value)
    record.updated_by_id = scope.user_id
    session.flush()
    return record


def common_indicators_piece(session: Session, operation_id: int, data_as_of: date) -> bytes:
    """Return the dossier's common-indicator table (XLSX, no name) of the operation on ``data_as_of``."""
    operation = _operation(session, operation_id)
    spec = spec_for(operation)
    participants = operation_participants(session, operation_id, data_as_of)
    return build_common_indicators_xlsx(
        common_indicators(participants, data_as_of), f"Indicateurs communs FSE+ — {spec.heading}",
        f"Opération {spec.period}, données au {data_as_of:%d/%m/%Y}", completeness(participants, data_as_of))
