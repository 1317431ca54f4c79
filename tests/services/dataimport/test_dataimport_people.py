"""Participants and placements imports: both layouts, criteria and proof dates, suggestions, round trip, CLI."""

import io
import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from app.access import Scope
from app.db import db
from app.domain.dataimport import CREATE, ERROR, KINDS, SKIP, UPDATE
from app.domain.enums import ContractType, Criterion, Modality, Sex, SiaeKind
from app.domain.sheetmap import SheetMapping
from app.models import AuditEvent, Buyer, Company, Lot, Participant, ParticipantCriterion, Placement, Siae, Tender
from app.services.dataimport import ImportRefused, apply_plan, export_rows, plan_import, read_import
from tests.services.dataimport.checks import assert_all_or_nothing
from tests.services.dataimport import files_people as people
from tests.services.dataimport.files import SIRETS, handmade_xlsx, tool_csv


@pytest.fixture
def referential(session, scope):
    """Two tenders (one with lots 1 and 2, one with a single lot), their companies, an employer and an SIAE."""
    own = {"organisation_id": scope.organisation_id}
    buyer = Buyer(**own, name="Communauté urbaine de Dunkerque")
    companies = [Company(**own, name=name, siret=siret) for name, siret in
                 (("Bâtiments Réunis", people.WINNER), ("Génie Civil du Nord", people.OTHER_WINNER),
                  ("Propreté Plus", people.EMPLOYER))]
    siae = Siae(**own, name="Intérim Solidaire", siret=people.SIAE_SIRET, kind=SiaeKind.ETTI)
    session.add_all([buyer, *companies, siae])
    session.flush()
    two = Tender(**own, buyer_id=buyer.id, reference=people.TENDER_TWO_LOTS, object="Réhabilitation")
    two.lots.extend([Lot(**own, number=1, label="Gros œuvre", company_id=companies[0].id),
                     Lot(**own, number=2, label="Peinture", company_id=companies[0].id)])
    one = Tender(**own, buyer_id=buyer.id, reference=people.TENDER_ONE_LOT, object="Voirie")
    one.lots.append(Lot(**own, number=1, label="Voirie", company_id=companies[1].id))
    session.add_all([two, one])
    session.flush()
    return {"companies": {c.siret: c.id for c in companies}, "siae": siae.id,
            "lots": {(t.reference, lot.number): lot.id for t in (two, one) for lot in t.lots}}


def _import(session, scope, kind_name, data, value_maps=None):
    kind = KINDS[kind_name]
    read = read_import(session, scope, kind, data)
    return plan_import(session, scope, kind, read.rows, read.mapping, {**read.value_maps, **(value_maps or {})})


def _people(session, scope) -> dict[tuple, Participant]:
    rows = session.scalars(select(Participant).where(Participant.organisation_id == scope.organisation_id))
    return {(p.last_name, p.first_name, p.birth_on): p for p in rows}


def _criteria(person: Participant) -> dict[str, date | None]:
    return {item.criterion.value: item.proof_on for item in person.criteria}


def _count(session, model) -> int:
    return session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize(("data", "expected"), [
    (people.PARTICIPANTS_TOOL, people.PARTICIPANTS_TOOL_EXPECTED),
    (people.PARTICIPANTS_HANDMADE, people.PARTICIPANTS_HANDMADE_EXPECTED),
])
def test_participants_each_layout_creates_with_criteria_then_twice_changes_nothing(session, scope, data, expected):
    before = set(_people(session, scope))
    plan = _import(session, scope, "participants", data)
    assert not plan.has_errors, plan.report()
    assert plan.count(CREATE) == len(expected)
    apply_plan(session, scope, plan, "fichier")
    session.expire_all()
    stored = _people(session, scope)
    created = {key: person for key, person in stored.items() if key not in before}
    assert {key: _criteria(person) for key, person in created.items()} == expected
    codes = sorted(person.code for person in created.values())
    assert codes == [f"P-{n:05d}" for n in range(len(before) + 1, len(before) + 1 + len(expected))]
    again = _import(session, scope, "participants", data)
    assert again.count(CREATE) == again.count(UPDATE) == again.count(ERROR) == 0
    assert [r.reasons for r in again.results if r.action == SKIP][:len(expected)] == [["identique"]] * len(expected)


def test_participants_tool_codes_read_as_clausier_values(session, scope):
    apply_plan(session, scope, _import(session, scope, "participants", people.PARTICIPANTS_TOOL))
    stored = _people(session, scope)
    marie = stored[("DUPONT", "Marie", date(1985, 3, 12))]
    assert (marie.sex, marie.postcode, marie.is_qpv, marie.qualification_level) == (Sex.FEMME, "59140", True, "3")
    assert (marie.is_plie_followed, marie.plie_entry_on, marie.phone) == (True, date(2024, 1, 15), "06 12 34 56 78")
    jp = stored[("LEFEBVRE", "Jean-Pierre", date(1968, 6, 1))]
    assert (jp.sex, jp.is_plie_followed, jp.email) == (Sex.HOMME, True, "")
    event_ = session.scalars(select(AuditEvent).where(AuditEvent.action == "import")
                             .order_by(AuditEvent.id.desc())).first()
    assert event_.object_type == "participants" and "DUPONT" not in event_.detail


def test_participants_update_adds_and_redates_criteria_never_removes(session, scope):
    apply_plan(session, scope, _import(session, scope, "participants", people.PARTICIPANTS_TOOL))
    later = tool_csv(["Nom", "Prénom", "Date de naissance", "Critères", "Téléphone"],
                     [["Dupont", "Marie", "12/03/1985", "DELD (01/09/2024), QPV", ""],
                      ["n'diaye", "AISSATOU", "1999-11-07", "RQTH", "03 20 00 00 00"]])
    plan = _import(session, scope, "participants", later)
    assert [r.action for r in plan.results] == [UPDATE, UPDATE]
    assert plan.results[0].changes == {"criteria": ("brsa (01/02/2024), deld (01/02/2024)",
                                                    "brsa (01/02/2024), deld (01/09/2024), qpv")}
    # A tick without a date keeps the stored proof date; the name's spelling in the file changes nothing.
    assert plan.results[1].changes == {"phone": ("", "03 20 00 00 00")}
    apply_plan(session, scope, plan)
    session.expire_all()
    stored = _people(session, scope)
    assert _criteria(stored[("DUPONT", "Marie", date(1985, 3, 12))]) == {
        "brsa": date(2024, 2, 1), "deld": date(2024, 9, 1), "qpv": None}
    aissatou = stored[("N'DIAYE", "Aïssatou", date(1999, 11, 7))]
    assert _criteria(aissatou) == {"jeune": None, "rqth": date(2024, 3, 12)}
    assert aissatou.phone == "03 20 00 00 00"


def test_participants_close_to_a_stored_person_create_and_name_the_suggestion(session, scope):
    apply_plan(session, scope, _import(session, scope, "participants", people.PARTICIPANTS_TOOL))
    code = _people(session, scope)[("DUPONT", "Marie", date(1985, 3, 12))].code
    data = tool_csv(["Nom", "Prénom", "Date de naissance"],
                    [["Dupond", "Marie", "12/03/1985"], ["Marie", "Dupont", "12/03/1985"], ["Dupont", "Marie", ""],
                     ["Dupont", "Marie", "13/04/1990"]])
    plan = _import(session, scope, "participants", data)
    assert [r.action for r in plan.results] == [CREATE] * 4
    hint = (f"proche de DUPONT Marie, née le 12/03/1985 ({code}) : vérifiez qu'il ne s'agit pas de la même "
            "personne")
    assert [r.reasons for r in plan.results] == [[hint], [hint], [hint], []]
    assert plan.report()["rows"][0]["reasons"] == [hint]


def test_participants_identified_by_code_rename_and_unknown_code_refused(session, scope):
    apply_plan(session, scope, _import(session, scope, "participants", people.PARTICIPANTS_HANDMADE))
    lea = _people(session, scope)[("Martin", "Léa", date(2001, 4, 3))]
    data = tool_csv(["Code Clausier", "Nom", "Prénom", "Date de naissance"],
                    [[lea.code, "Martin-Leroy", "Léa", "03/04/2001"], ["P-99999", "Inconnu", "Jean", "01/01/1990"]])
    plan = _import(session, scope, "participants", data)
    assert plan.results[0].action == UPDATE and plan.results[0].changes == {"last_name": ("Martin", "Martin-Leroy")}
    assert plan.results[1].action == ERROR
    assert plan.results[1].reasons == [("Code Clausier « P-99999 » inconnu dans votre organisation : corrigez-le, "
                                       "ou videz la cellule pour créer la personne.")]


def test_participants_unknown_criteria_are_listed_then_mapped(session, scope):
    data = tool_csv(["Nom", "Prénom", "Date de naissance", "Critères"],
                    [["Roux", "Paul", "02/02/1980", "RSA; Alloc. ASS"], ["Petit", "Zoé", "03/03/2003", "alloc ass"]])
    plan = _import(session, scope, "participants", data)
    assert plan.unknown == {"criteria": ["Alloc. ASS"]}
    assert plan.results[0].reasons == ["Critères : « Alloc. ASS » inconnu, indiquez à quoi il correspond."]
    plan = _import(session, scope, "participants", data, {"criteria": {"Alloc. ASS": "ass"}})
    assert not plan.has_errors, plan.report()
    assert [dict(r.values["criteria"]) for r in plan.results] == [{Criterion.BRSA: None, Criterion.ASS: None},
                                                                  {Criterion.ASS: None}]


def test_participants_two_dates_for_one_criterion_is_an_error(session, scope):
    data = handmade_xlsx("Liste", ["Nom", "Prénom", "Date de naissance", "Critères", "BRSA"],
                         [["Roux", "Paul", "02/02/1980", "RSA (01/01/2024)", "05/05/2024"]])
    plan = _import(session, scope, "participants", data)
    assert plan.results[0].action == ERROR
    assert "deux dates de justificatif différentes (01/01/2024 et 05/05/2024)" in plan.results[0].reasons[0]


def test_participants_an_error_row_blocks_the_whole_file(session, scope):
    data = tool_csv(["Nom", "Prénom", "Date de naissance", "CP", "Critères"],
                    [["Roux", "Paul", "02/02/1980", "59000", "RSA"], ["Petit", "Zoé", "31/02/2003", "59000", ""],
                     ["Blanc", "Léon", "04/04/1970", "5900", ""]])
    plan = _import(session, scope, "participants", data)
    assert [r.action for r in plan.results] == [CREATE, ERROR, ERROR]
    assert plan.results[1].reasons[0].startswith("Date de naissance « 31/02/2003 » : date non comprise")
    before = (_count(session, Participant), _count(session, ParticipantCriterion))
    with pytest.raises(ImportRefused):
        apply_plan(session, scope, plan)
    assert (_count(session, Participant), _count(session, ParticipantCriterion)) == before


def test_participants_export_round_trip_changes_nothing_and_is_audited(session, scope):
    for data in (people.PARTICIPANTS_TOOL, people.PARTICIPANTS_HANDMADE):
        apply_plan(session, scope, _import(session, scope, "participants", data))
    exported = export_rows(session, scope, KINDS["participants"])
    sheet = load_workbook(io.BytesIO(exported)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Critères", "Date du justificatif") and "BRSA" not in rows[0]
    by_name = {(row[1], row[2]): row for row in rows[1:]}
    assert by_name[("DUPONT", "Marie")][-2:] == ("brsa, deld", "2024-02-01")
    assert by_name[("N'DIAYE", "Aïssatou")][-2:] == ("jeune, rqth (12/03/2024)", None)
    assert ("Durand ORG-A", "Camille") in by_name and not any("ORG-B" in str(row[1]) for row in rows)
    again = _import(session, scope, "participants", exported)
    assert not again.has_errors, again.report()
    assert again.count(CREATE) == again.count(UPDATE) == 0
    assert again.count(SKIP) == len(rows) - 1
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "export",
                                                     AuditEvent.object_type == "participants")).all()
    assert audit and "ligne" in audit[-1].detail


def _lines(kind_name: str, count: int) -> tuple[list[list[object]], SheetMapping]:
    if kind_name == "participants":
        body = [[f"Nom{n}", "Prénom", f"{1 + n % 28:02d}/01/1980", "RSA"] for n in range(count)]
        return [["Nom", "Prénom", "Date de naissance", "Critères"], *body], SheetMapping(
            0, {0: "last_name", 1: "first_name", 2: "birth_on", 3: "criteria"})
    body = [["P-own", people.TENDER_ONE_LOT, "embauche", "CDI", date(2024, 1, 1) + timedelta(days=n)]
            for n in range(count)]
    return [["Code", "Marché", "Modalité", "Contrat", "Début"], *body], SheetMapping(
        0, {0: "participant_code", 1: "tender_reference", 2: "modality", 3: "contract_type", 4: "starts_on"})


@pytest.mark.parametrize("kind_name", ["participants", "placements"])
def test_planning_runs_a_constant_number_of_queries(session, scope, referential, kind_name):
    def statements(count: int) -> int:
        rows, mapping = _lines(kind_name, count)
        seen = []

        def listener(*args) -> None:
            seen.append(args[2])

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            plan = plan_import(session, scope, KINDS[kind_name], rows, mapping)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert plan.count(CREATE) == count, plan.report()
        return len(seen)

    statements(1)  # the session's first statements (its transaction) are not the plan's
    assert statements(5) == statements(300)


def test_placements_each_layout_creates_then_twice_changes_nothing(session, scope, referential):
    apply_plan(session, scope, _import(session, scope, "participants", people.PARTICIPANTS_TOOL))
    stored = _people(session, scope)
    marie = stored[("DUPONT", "Marie", date(1985, 3, 12))]
    plan = _import(session, scope, "placements", people.placements_tool())
    assert not plan.has_errors, plan.report()
    apply_plan(session, scope, plan)
    plan = _import(session, scope, "placements", people.placements_handmade(marie.code))
    assert not plan.has_errors, plan.report()
    assert [r.action for r in plan.results] == [CREATE, CREATE, SKIP, SKIP]
    apply_plan(session, scope, plan)
    found = session.execute(select(Participant.last_name, Placement.lot_id, Placement.company_id, Placement.siae_id,
                                   Placement.modality, Placement.contract_type, Placement.starts_on,
                                   Placement.ends_on).join(Participant)
                            .where(Placement.organisation_id == scope.organisation_id,
                                   Participant.code.like("P-0%")).order_by(Placement.starts_on)).all()
    lots, companies = referential["lots"], referential["companies"]
    assert [tuple(row) for row in found] == [
        ("DUPONT", lots[(people.TENDER_TWO_LOTS, 2)], companies[people.EMPLOYER], referential["siae"], Modality.ETTI,
         ContractType.MISSION_ETTI, date(2025, 2, 3), date(2025, 3, 28)),
        ("N'DIAYE", lots[(people.TENDER_ONE_LOT, 1)], companies[people.OTHER_WINNER], None,
         Modality.EMBAUCHE_DIRECTE, ContractType.CDDI, date(2025, 4, 1), None),
        ("DUPONT", lots[(people.TENDER_TWO_LOTS, 1)], companies[people.WINNER], None, Modality.INTERIM,
         ContractType.MISSION_INTERIM, date(2025, 5, 5), date(2025, 6, 30)),
        ("LEFEBVRE", lots[(people.TENDER_ONE_LOT, 1)], companies[people.OTHER_WINNER], None,
         Modality.EMBAUCHE_DIRECTE, ContractType.CDI, date(2025, 6, 2), None)]
    for data in (people.placements_tool(), people.placements_handmade(marie.code)):
        again = _import(session, scope, "placements", data)
        assert again.count(CREATE) == again.count(UPDATE) == again.count(ERROR) == 0


def test_placements_unresolved_references_say_what_to_do_and_write_nothing(session, scope, referential):
    apply_plan(session, scope, _import(session, scope, "participants", people.PARTICIPANTS_TOOL))
    data = tool_csv(
        ["Nom", "Prénom", "Date de naissance", "Référence du marché", "N° de lot", "SIRET de l'employeur",
         "Modalité", "Type de contrat", "Date de début"],
        [["DUPONT", "Marie", "12/03/1985", people.TENDER_ONE_LOT, "", "", "embauche", "CDI", "01/09/2025"],
         ["Durant", "Paul", "01/01/1990", people.TENDER_ONE_LOT, "", "", "embauche", "CDI", "01/09/2025"],
         ["Dupont", "Marie", "", people.TENDER_ONE_LOT, "", "", "embauche", "CDI", "01/09/2025"],
         ["DUPONT", "Marie", "12/03/1985", people.TENDER_TWO_LOTS, "3", "", "embauche", "CDI", "01/09/2025"],
         ["DUPONT", "Marie", "12/03/1985", people.TENDER_TWO_LOTS, "", "", "embauche", "CDI", "01/09/2025"],
         ["DUPONT", "Marie", "12/03/1985", "X-404", "1", "", "embauche", "CDI", "01/09/2025"],
         ["DUPONT", "Marie", "12/03/1985", people.TENDER_ONE_LOT, "", SIRETS[0][:-1] + "9", "MAD ETTI", "CDI",
          "02/09/2025"],
         ["DUPONT", "Marie", "12/03/1985", people.TENDER_ONE_LOT, "", "85000000100014", "embauche", "CDI",
          "03/09/2025"]])
    plan = _import(session, scope, "placements", data)
    reasons = [r.reasons for r in plan.results]
    assert plan.results[0].action == CREATE
    assert reasons[1] == ["Personne inconnue (DURANT Paul, né(e) le 01/01/1990) : importez d'abord les participants."]
    assert reasons[2][0].startswith("Personne inconnue (DUPONT Marie, sans date de naissance) : importez d'abord "
                                    "les participants (proche de DUPONT Marie, née le 12/03/1985 (P-")
    assert reasons[3] == [f"Marché « {people.TENDER_TWO_LOTS} » sans lot n° 3 (lots : 1, 2)."]
    assert reasons[4] == [f"Marché « {people.TENDER_TWO_LOTS} » : indiquez le n° de lot (lots : 1, 2)."]
    assert reasons[5] == ["Marché « X-404 » inconnu : importez d'abord les marchés, ou corrigez la référence."]
    assert "clé de contrôle" in reasons[6][0]
    assert reasons[7] == [("SIRET de l'employeur 85000000100014 inconnu dans vos entreprises : importez d'abord les "
                          "entreprises, ou corrigez le SIRET.")]
    before = _count(session, Placement)
    with pytest.raises(ImportRefused):
        apply_plan(session, scope, plan)
    assert _count(session, Placement) == before


def test_placements_update_only_what_differs_and_end_before_start_refused(session, scope, referential):
    apply_plan(session, scope, _import(session, scope, "participants", people.PARTICIPANTS_TOOL))
    apply_plan(session, scope, _import(session, scope, "placements", people.placements_tool()))
    header = ["Nom", "Prénom", "Date de naissance", "Référence du marché", "N° de lot", "SIRET SIAE", "Modalité",
              "Type de contrat", "Date de début", "Date de fin"]
    data = tool_csv(header, [
        ["DUPONT", "Marie", "12/03/1985", people.TENDER_TWO_LOTS, "2", "", "MAD ETTI", "CTTI", "03/02/2025",
         "30/04/2025"],
        ["N'DIAYE", "Aïssatou", "07/11/1999", people.TENDER_ONE_LOT, "", "", "Embauche", "CDD insertion",
         "01/04/2025", ""]])
    plan = _import(session, scope, "placements", data)
    assert [r.action for r in plan.results] == [UPDATE, SKIP]
    assert plan.results[0].changes == {"ends_on": (date(2025, 3, 28), date(2025, 4, 30))}
    apply_plan(session, scope, plan)
    session.expire_all()
    assert session.scalar(select(Placement.siae_id).where(Placement.ends_on == date(2025, 4, 30))) \
        == referential["siae"]  # an empty cell never erases the SIAE
    wrong = tool_csv(header, [["DUPONT", "Marie", "12/03/1985", people.TENDER_TWO_LOTS, "1", "", "MAD ETTI", "CTTI",
                               "03/02/2025", "01/01/2025"]])
    plan = _import(session, scope, "placements", wrong)
    assert plan.results[0].reasons == ["La date de fin (01/01/2025) précède la date de début (03/02/2025)."]


def test_placements_export_round_trip_changes_nothing(session, scope, referential):
    apply_plan(session, scope, _import(session, scope, "participants", people.PARTICIPANTS_TOOL))
    apply_plan(session, scope, _import(session, scope, "placements", people.placements_tool()))
    exported = export_rows(session, scope, KINDS["placements"])
    rows = list(load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Code Clausier", "Nom", "Prénom", "Date de naissance", "Référence du marché")
    assert (people.TENDER_TWO_LOTS, 2, people.EMPLOYER, people.SIAE_SIRET, "etti", "mission_etti") in \
        {row[4:10] for row in rows[1:]}
    again = _import(session, scope, "placements", exported)
    assert not again.has_errors, again.report()
    assert again.count(CREATE) == again.count(UPDATE) == 0 and again.count(SKIP) == len(rows) - 1


def test_cli_import_participants_json(app, session, world, tmp_path):
    path = tmp_path / "extraction.csv"
    path.write_bytes(people.PARTICIPANTS_TOOL)
    args = ["import", "participants", str(path), "--json", "--organisation", str(world.a.organisation_id)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["kind"], report["created"], report["errors"]) == ("participants", 3, 0)
    assert report["rows"][0]["key"] == "DUPONT / Marie / 12/03/1985"
    scope = Scope(organisation_id=world.a.organisation_id)
    assert _criteria(_people(session, scope)[("DUPONT", "Marie", date(1985, 3, 12))]) == \
        {"brsa": date(2024, 2, 1), "deld": date(2024, 2, 1)}
    again = json.loads(app.test_cli_runner().invoke(args=args).stdout)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert "participants, placements" in app.test_cli_runner().invoke(args=["import", "--help"]).output


# Hypothesis runs every example inside one test's transaction: the counts are compared to the start.
# Each cell is mostly a plausible value of its column, sometimes anything: lines create, update and fail.
NOISE = st.one_of(st.none(), st.text(max_size=15), st.integers(-5, 50_000), st.dates(), st.booleans(),
                  st.sampled_from(["Total", "(", "+", "/", "31/02/2024", SIRETS[0]]))
PLAUSIBLE = {
    "participants": {
        "participant_code": ["", "", "", "P-own"], "last_name": ["Dupont", "DUPONT", "Dupond", "Durand ORG-A"],
        "first_name": ["Marie", "Camille", "marie"], "birth_on": ["12/03/1985", "", date(1990, 5, 17), "1985-03-12"],
        "criteria": ["RSA, TH (01/02/2024)", "", "DELD", "-26 ans + QPV", "RSA (01/01/2024)"],
        "proof_on": ["", "01/02/2024", date(2024, 1, 1)], "criterion_brsa": ["X", "", "01/03/2024", "non"],
        "sex": ["F", "H", "", "Homme"]},
    "placements": {
        "participant_code": ["P-own", "P-other", "P-own", ""], "last_name": ["", "Durand ORG-A"],
        "first_name": ["", "Camille"], "birth_on": ["", "17/05/1990"],
        "tender_reference": [people.TENDER_ONE_LOT, people.TENDER_TWO_LOTS, "REF ORG-A"],
        "lot_number": ["", "1", "1", "2"], "modality": ["MAD ETTI", "embauche", "MAD AI"],
        "contract_type": ["CDI", "CTTI"],
        "starts_on": ["01/02/2025", "02/02/2025", date(2025, 3, 1)], "ends_on": ["", "", "30/06/2025", "01/01/2025"]},
}


def _cell(values: list[object]):
    return st.integers(0, 11).flatmap(lambda n: NOISE if n == 0 else st.sampled_from(values))


def _line(kind_name: str):
    return st.tuples(*(_cell(values) for values in PLAUSIBLE[kind_name].values())).map(list)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(PLAUSIBLE)).flatmap(lambda name: st.tuples(st.just(name),
                                                                        st.lists(_line(name), max_size=5))))
def test_people_imports_any_rows_report_per_row_and_never_write_half(session, scope, referential, case):
    kind_name, body = case
    kind = KINDS[kind_name]
    roles = list(PLAUSIBLE[kind_name])
    rows = [[kind.field(role).label for role in roles], *body]
    assert_all_or_nothing(session, scope, kind, rows, SheetMapping(0, dict(enumerate(roles))),
                          [Participant, ParticipantCriterion, Placement])
