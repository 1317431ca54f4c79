"""FSE+ participant records: the operation's participants joined with what the gestionnaire typed."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.domain.enums import Role
from app.domain.reports import completeness
from app.domain.reports.fse_common import EducationLevel, LabourStatus
from app.models import FseOperation, FseParticipantRecord, Participant, Placement, Tender
from app.services.referential import ServiceError
from app.services.reports.fse_records import common_indicators_piece, operation_participants, save_record
from tests.services.reports.followup_helpers import make_site, staff_scope

AS_OF = date(2026, 11, 22)
ANSWERS = {"labour_status": "long_term_unemployed", "education_level": "isced_0_2", "is_disabled": None,
           "is_third_country_national": False, "has_foreign_background": False, "is_minority": None,
           "is_homeless": False, "is_rural": False}


@pytest.fixture
def operation(session, world):
    """An operation over 2026 covering one site of four people; the first left on 31/05/2026."""
    site = make_site(session, world, lots=1, people=4, tag="FSEREC", first_names=("Inès", "Karim"),
                     last_names=("Lefebvre", "Benali"))
    session.get(Placement, site.placement_ids[0]).ends_on = date(2026, 5, 31)
    operation = FseOperation(organisation_id=world.a.organisation_id, starts_on=date(2026, 1, 1),
                             ends_on=date(2026, 12, 31), title="Clauses sociales 2026 — FSEREC")
    session.add(operation)
    session.flush()
    operation.tenders = [session.get(Tender, site.tender_id)]
    session.flush()
    operation.site = site
    return operation


def test_operation_participants_without_record_fields_empty(session, operation):
    people = operation_participants(session, operation.id, AS_OF)
    assert [p.participant_id for p in people] == operation.site.participant_ids
    first = people[0]
    assert first.entry_on == date(2026, 3, 1) and first.exit_on == date(2026, 5, 31)
    assert first.labour_status is None and first.exit_employed is None and first.six_months_on is None
    assert "Situation sur le marché du travail" in completeness(people, AS_OF).missing[0].fields


def test_save_record_then_participants_carry_it(session, world, operation):
    first, second = operation.site.participant_ids[:2]
    scope = staff_scope(world, Role.GESTIONNAIRE)
    save_record(session, scope, operation, first, {**ANSWERS, "exit_employed": True,
                                                   "six_months_on": date(2026, 11, 30),
                                                   "six_months_employed": True})
    save_record(session, scope, operation, second, {**ANSWERS, "labour_status": LabourStatus.INACTIVE,
                                                    "entry_on": date(2026, 3, 9)})
    people = {p.participant_id: p for p in operation_participants(session, operation.id, AS_OF)}
    assert people[first].labour_status is LabourStatus.LONG_TERM_UNEMPLOYED
    assert people[first].education_level is EducationLevel.ISCED_0_2
    assert people[first].exit_employed is True and people[first].six_months_employed is True
    assert people[second].entry_on == date(2026, 3, 9)  # typed on the record: replaces the placement's
    assert people[second].labour_status is LabourStatus.INACTIVE and people[second].is_disabled is None
    # Saving again updates the one record.
    save_record(session, scope, operation, second, {**ANSWERS, "labour_status": "employed"})
    records = session.query(FseParticipantRecord).filter_by(fse_operation_id=operation.id).all()
    assert len(records) == 2
    assert {r.participant_id: r.labour_status for r in records}[second] is LabourStatus.EMPLOYED
    assert {r.updated_by_id for r in records} == {None}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"exit_on": date(2026, 2, 27)}, "exit_on", "La date de sortie (27/02/2026) précède la date d'entrée (01/03/2026)."),
        ({"entry_on": date(2026, 6, 2)}, "exit_on", "La date de sortie (31/05/2026) précède la date d'entrée (02/06/2026)."),
        ({"six_months_on": date(2026, 5, 1), "six_months_employed": True}, "six_months_on",
         "L'enquête à six mois (01/05/2026) précède la sortie (31/05/2026)."),
        ({"six_months_employed": False}, "six_months_on", "Indiquez la date de l'enquête à six mois avant ses réponses."),
        ({"labour_status": "retraité"}, "labour_status", "Choisissez la situation sur le marché du travail dans la liste."),
    ],
)
def test_save_record_dates_out_of_order_refused_in_french(session, world, operation, changes, field, message):
    with pytest.raises(ServiceError) as refused:
        save_record(session, staff_scope(world), operation, operation.site.participant_ids[0], {**ANSWERS, **changes})
    assert str(refused.value) == message and refused.value.field == field


def test_save_record_exit_answers_need_an_exit(session, world, operation):
    still_working = operation.site.participant_ids[1]
    with pytest.raises(ServiceError, match="Indiquez la date de sortie avant la situation à la sortie.") as refused:
        save_record(session, staff_scope(world), operation, still_working, {**ANSWERS, "exit_employed": True})
    assert refused.value.field == "exit_on"
    saved = save_record(session, staff_scope(world), operation, still_working,
                        {**ANSWERS, "exit_on": date(2026, 10, 2), "exit_employed": True})
    assert saved.exit_on == date(2026, 10, 2)


def test_save_record_someone_outside_the_operation_refused(session, world, operation):
    stranger = Participant(organisation_id=world.a.organisation_id, code="HORS-0001", last_name="Martin",
                           first_name="Paul")
    session.add(stranger)
    session.flush()
    with pytest.raises(ServiceError, match="n'est pas participante de l'opération"):
        save_record(session, staff_scope(world), operation, stranger.id, ANSWERS)
    assert session.query(FseParticipantRecord).filter_by(participant_id=stranger.id).count() == 0


def test_operation_participants_as_of_before_the_exit_no_exit_yet(session, operation):
    people = operation_participants(session, operation.id, date(2026, 5, 15))
    assert people[0].exit_on is None
    assert operation_participants(session, operation.id, date(2026, 2, 1)) == []


def test_common_indicators_piece_reads_back_without_names(session, world, operation):
    first = operation.site.participant_ids[0]
    save_record(session, staff_scope(world), operation, first, {**ANSWERS, "exit_job_searching": True})
    data = common_indicators_piece(session, operation.id, AS_OF)
    ws = load_workbook(BytesIO(data)).active
    texts = " ".join(str(cell.value) for row in ws.iter_rows() for cell in row if cell.value is not None)
    assert "Lefebvre" not in texts and "Benali" not in texts and "FSEREC-0000" not in texts
    assert ws["A1"].value == "Indicateurs communs FSE+ — Clauses sociales 2026 — FSEREC"
    assert ws["A2"].value == "Opération du 01/01/2026 au 31/12/2026, données au 22/11/2026"
    lines = {row[0]: row[2:] for row in ws.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("EEC")}
    assert lines["EECO01"] == (4, 2, 2, 0)
    assert lines["EECO03"] == (1, 0, 1, 3)  # make_site's first person is a man
    assert lines["EECR01"] == (1, 0, 1, 0)
