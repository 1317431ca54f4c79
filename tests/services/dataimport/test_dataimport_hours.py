"""Past hours: each line finds its person, lot, placement and month; the month counts once; round trip."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.domain.dataimport import CREATE, ERROR, KINDS, SKIP, UPDATE
from app.domain.enums import ContractType, HourSource, Modality, SiaeKind
from app.domain.sheetmap import SheetMapping
from app.models import Buyer, Company, HourRecord, Lot, Participant, Placement, Siae, Tender
from app.models.timesheets import ImportStatus, TimesheetImport
from app.services.dataimport import ImportRefused, apply_plan, export_rows, plan_import, read_import
from tests.services.dataimport.checks import assert_all_or_nothing
from tests.services.dataimport import files
from tests.services.reports.followup_helpers import QueryCounter

HOURS = KINDS["hours"]
SIAE_SIRET, COMPANY_SIRET = files.SIRETS[0], files.SIRETS[1]


@pytest.fixture
def site(session, scope):
    """A tender of two lots and a single-lot one; four people, one of them placed twice on the same lot."""
    own = {"organisation_id": scope.organisation_id}
    buyer = Buyer(**own, name="Ville de Grande-Synthe")
    company = Company(**own, name="Bâtiments Réunis", siret=COMPANY_SIRET)
    siae = Siae(**own, name="Intérim Solidaire", siret=SIAE_SIRET, kind=SiaeKind.ETTI)
    session.add_all([buyer, company, siae])
    session.flush()
    school = Tender(**own, buyer_id=buyer.id, reference="2024-GS-012", object="Réhabilitation de l'école Jaurès")
    pool = Tender(**own, buyer_id=buyer.id, reference="2023/PISC/04", object="Piscine")
    session.add_all([school, pool])
    session.flush()
    lots = [Lot(**own, tender_id=school.id, number=1, label="Gros œuvre", hours_required=1200, company_id=company.id),
            Lot(**own, tender_id=school.id, number=2, label="Peinture", hours_required=400, company_id=company.id),
            Lot(**own, tender_id=pool.id, number=1, label="Lot unique", hours_required=800, company_id=company.id)]
    people = [Participant(**own, code="P-10001", last_name="Lefèvre", first_name="Noël", birth_on=date(1988, 2, 29)),
              Participant(**own, code="P-10002", last_name="Benali", first_name="Yasmina", birth_on=date(1999, 7, 1)),
              Participant(**own, code="P-10003", last_name="Martin", first_name="Jean", birth_on=date(1970, 1, 3)),
              Participant(**own, code="P-10004", last_name="Martin", first_name="Jean", birth_on=date(1985, 6, 9))]
    session.add_all(lots + people)
    session.flush()

    def placed(person, lot, starts_on, ends_on=None, via_siae=True):
        placement = Placement(**own, participant_id=person.id, lot_id=lot.id, company_id=company.id,
                              siae_id=siae.id if via_siae else None,
                              modality=Modality.ETTI if via_siae else Modality.EMBAUCHE_DIRECTE,
                              contract_type=ContractType.MISSION_ETTI if via_siae else ContractType.CDD,
                              starts_on=starts_on, ends_on=ends_on)
        session.add(placement)
        return placement

    placements = {
        "noel_etti": placed(people[0], lots[0], date(2024, 1, 8), date(2024, 6, 30)),
        "noel_direct": placed(people[0], lots[0], date(2024, 5, 2), via_siae=False),
        "yasmina": placed(people[1], lots[1], date(2024, 3, 1)),
        "jean_70": placed(people[2], lots[2], date(2023, 9, 1)),
        "jean_85": placed(people[3], lots[2], date(2023, 9, 1)),
    }
    session.flush()
    return {"lots": lots, "people": people, "placements": placements, "siae": siae, "company": company}


def _import(session, scope, data, value_maps=None):
    read = read_import(session, scope, HOURS, data)
    return read, plan_import(session, scope, HOURS, read.rows, read.mapping, value_maps or read.value_maps)


def _records(session, placement):
    return session.execute(select(HourRecord.month_on, HourRecord.minutes, HourRecord.training_minutes,
                                  HourRecord.source).where(HourRecord.placement_id == placement.id)
                           .order_by(HourRecord.month_on)).all()


# Another tool's extraction: its own person ids (not Clausier's), names and birth dates, months as 03/2024,
# hours with a decimal comma, the employer's SIRET.
TOOL = files.tool_csv(
    ["Matricule", "Nom", "Prénom", "Né(e) le", "N° marché", "Lot", "Période", "Nb heures", "Dont formation",
     "SIRET employeur"],
    [["M-2231", "LEFEVRE", "Noël", "29/02/1988", "2024-GS-012", "1", "02/2024", "151,67", "14", SIAE_SIRET],
     ["M-2231", "LEFEVRE", "Noël", "29/02/1988", "2024-GS-012", "1", "05/2024", "35", "", COMPANY_SIRET],
     ["M-0412", "BENALI", "Yasmina", "01/07/1999", "2024-GS-012", "2", "03/2024", "70", "", SIAE_SIRET]])

# A hand-made workbook: a title block, names and birth dates, months as words or real dates, 7h30, a total.
HANDMADE = files.handmade_xlsx(
    "Heures d'insertion réalisées — reprise de l'historique 2023-2024",
    ["Nom", "Prénom", "Date de naissance", "Marché", "Mois", "Heures"],
    [["Martin", "Jean", date(1970, 1, 3), "2023/PISC/04", "octobre 2023", "7h30"],
     ["MARTIN", "Jean", "09/06/1985", "2023/PISC/04", date(2023, 11, 1), 120],
     ["Martin", "Jean", "03/01/1970", "2023/PISC/04", "nov. 2023", "98,5"]])


def test_another_tools_extraction_finds_the_placement_by_declarant_and_month(session, scope, site):
    _read, plan = _import(session, scope, TOOL)
    assert [r.action for r in plan.results] == [CREATE, CREATE, CREATE], plan.report()
    apply_plan(session, scope, plan, "extraction.csv")
    placements = site["placements"]
    assert _records(session, placements["noel_etti"]) == [(date(2024, 2, 1), 9100, 840, HourSource.REPRISE)]
    assert _records(session, placements["noel_direct"]) == [(date(2024, 5, 1), 2100, 0, HourSource.REPRISE)]
    assert _records(session, placements["yasmina"]) == [(date(2024, 3, 1), 4200, 0, HourSource.REPRISE)]
    _read, again = _import(session, scope, TOOL)
    assert [r.action for r in again.results] == [SKIP, SKIP, SKIP]
    assert all(r.reasons == ["identique"] for r in again.results)


def test_handmade_workbook_names_people_by_name_and_birth_date(session, scope, site):
    read, plan = _import(session, scope, HANDMADE)
    assert read.mapping.header_row == 3
    assert [(r.row, r.action) for r in plan.results] == [(5, CREATE), (6, CREATE), (7, CREATE), (8, SKIP), (9, SKIP)]
    apply_plan(session, scope, plan)
    placements = site["placements"]
    assert [(m, minutes) for m, minutes, *_ in _records(session, placements["jean_70"])] == [
        (date(2023, 10, 1), 450), (date(2023, 11, 1), 5910)]
    assert [(m, minutes) for m, minutes, *_ in _records(session, placements["jean_85"])] == [(date(2023, 11, 1), 7200)]


def test_a_changed_month_updates_the_hours_and_never_counts_twice(session, scope, site):
    _read, plan = _import(session, scope, TOOL)
    apply_plan(session, scope, plan)
    changed = files.tool_csv(["Code Clausier", "Marché", "Lot", "Mois", "Heures"],
                             [["P-10002", "2024-GS-012", "2", "mars 2024", "77"]])
    _read, plan = _import(session, scope, changed)
    assert [r.action for r in plan.results] == [UPDATE]
    assert plan.results[0].changes == {"minutes": (4200, 4620)}
    apply_plan(session, scope, plan)
    assert _records(session, site["placements"]["yasmina"]) == [(date(2024, 3, 1), 4620, 0, HourSource.REPRISE)]


@pytest.mark.parametrize(("row", "reason"), [
    (["P-99999", "2024-GS-012", "1", "02/2024", "10", ""], "code Clausier « P-99999 » absent de vos participants"),
    (["P-10001", "2099-ZZ", "1", "02/2024", "10", ""], "Marché « 2099-ZZ » inconnu"),
    (["P-10001", "2024-GS-012", "", "02/2024", "10", ""], "indiquez le n° de lot (lots : 1, 2)"),
    (["P-10001", "2024-GS-012", "7", "02/2024", "10", ""], "sans lot n° 7 (lots : 1, 2)"),
    (["P-10002", "2024-GS-012", "1", "02/2024", "10", ""], "Aucune mise en situation de cette personne sur ce lot"),
    (["P-10001", "2024-GS-012", "1", "12/2023", "10", ""], "décembre 2023 est hors des dates"),
    (["P-10001", "2024-GS-012", "1", "05/2024", "10", ""], "2 mises en situation de cette personne sur ce lot couvrent mai"),
    (["P-10001", "2024-GS-012", "1", "02/2024", "10", files.SIRETS[3]], "SIRET du déclarant"),
    (["P-10001", "2024-GS-012", "1", "02/2024", "beaucoup", ""], "nombre d'heures non compris"),
    (["P-10001", "2024-GS-012", "1", "printemps", "10", ""], "mois non compris"),
])
def test_a_line_that_cannot_be_placed_says_why_and_nothing_is_written(session, scope, site, row, reason):
    good = ["P-10002", "2024-GS-012", "2", "03/2024", "70", ""]
    data = files.tool_csv(["Code Clausier", "Marché", "Lot", "Mois", "Heures", "SIRET déclarant"], [good, row])
    _read, plan = _import(session, scope, data)
    assert plan.results[0].action == CREATE
    assert plan.results[1].action == ERROR and reason in " ".join(plan.results[1].reasons), plan.results[1].reasons
    before = session.scalar(select(func.count(HourRecord.id)))
    with pytest.raises(ImportRefused):
        apply_plan(session, scope, plan)
    assert session.scalar(select(func.count(HourRecord.id))) == before


def test_a_person_named_without_birth_date_is_not_guessed(session, scope, site):
    data = files.tool_csv(["Nom", "Prénom", "Marché", "Mois", "Heures"], [["Martin", "Jean", "2023/PISC/04", "10/2023", "7"]])
    _read, plan = _import(session, scope, data)
    assert plan.results[0].action == ERROR
    reason = plan.results[0].reasons[0]
    assert reason.startswith("Personne inconnue (") and "importez d'abord les participants" in reason
    assert "P-10003" in reason and "P-10004" in reason  # the two Jean Martin offered as suggestions


def test_the_same_month_twice_in_the_file_is_refused(session, scope, site):
    data = files.tool_csv(["Code Clausier", "Nom", "Prénom", "Date de naissance", "Marché", "Mois", "Heures"],
                          [["P-10004", "", "", "", "2023/PISC/04", "11/2023", "70"],
                           ["", "Martin", "Jean", "09/06/1985", "2023/PISC/04", "11/2023", "35"]])
    _read, plan = _import(session, scope, data)
    assert [r.action for r in plan.results] == [CREATE, ERROR]
    assert "la ligne 2 déclare déjà ce mois" in plan.results[1].reasons[0]


def test_a_month_a_timesheet_declared_is_not_overwritten(session, scope, site):
    placement = site["placements"]["yasmina"]
    sheet = TimesheetImport(organisation_id=scope.organisation_id, siae_id=site["siae"].id, month_on=date(2024, 3, 1),
                            filename="releve-mars.xlsx", sha256="0" * 64, status=ImportStatus.CONFIRMED)
    session.add(sheet)
    session.flush()
    session.add(HourRecord(organisation_id=scope.organisation_id, placement_id=placement.id, month_on=date(2024, 3, 1),
                           minutes=4200, source=HourSource.IMPORT, import_id=sheet.id))
    session.flush()
    same = files.tool_csv(["Code Clausier", "Marché", "Lot", "Mois", "Heures"], [["P-10002", "2024-GS-012", "2", "03/2024", "70"]])
    _read, plan = _import(session, scope, same)
    assert plan.results[0].action == SKIP and "déjà déclaré par un relevé importé" in plan.results[0].reasons[0]
    other = files.tool_csv(["Code Clausier", "Marché", "Lot", "Mois", "Heures"], [["P-10002", "2024-GS-012", "2", "03/2024", "80"]])
    _read, plan = _import(session, scope, other)
    assert plan.results[0].action == ERROR
    assert "mars 2024 est déjà déclaré pour cette personne sur ce lot (70\u00a0heures)" in plan.results[0].reasons[0]


@pytest.mark.parametrize("data", [TOOL, HANDMADE], ids=["tool", "handmade"])
def test_export_then_import_changes_nothing(session, scope, site, data):
    _read, plan = _import(session, scope, data)
    apply_plan(session, scope, plan)
    exported = export_rows(session, scope, HOURS)
    _read, again = _import(session, scope, exported)
    assert not again.has_errors, again.report()
    assert again.count(CREATE) == again.count(UPDATE) == 0
    # The world's own hours, typed by hand, are exported and read back too.
    assert again.count(SKIP) == len(again.results) > plan.count(CREATE)


def test_plan_runs_in_a_constant_number_of_queries(session, scope, site):
    rows = [["Code Clausier", "Marché", "Lot", "Mois", "Heures"]]
    small = rows + [["P-10002", "2024-GS-012", "2", f"{m:02d}/2024", "70"] for m in range(3, 5)]
    large = rows + [["P-10002", "2024-GS-012", "2", f"{m:02d}/{y}", "70"] for y in (2024, 2025) for m in range(1, 13)]
    mapping = SheetMapping(0, {0: "participant_code", 1: "tender_reference", 2: "lot_number", 3: "month_on",
                               4: "minutes"})
    with QueryCounter() as few:
        plan_import(session, scope, HOURS, small, mapping)
    with QueryCounter() as many:
        plan_import(session, scope, HOURS, large, mapping)
    assert many.count == few.count <= 6


# Hypothesis runs every example inside one test's transaction: the counts are compared to the start.
CELLS = st.one_of(st.none(), st.text(max_size=12), st.integers(-5, 400), st.floats(allow_nan=False),
                  st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 12, 31)),
                  st.sampled_from(["P-10001", "P-10002", "2024-GS-012", "2023/PISC/04", "1", "2", "03/2024", "7h30",
                                   "Total", SIAE_SIRET]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELLS, min_size=6, max_size=6), max_size=8))
def test_any_rows_report_per_row_and_never_write_half(session, scope, site, body):
    rows = [["Code Clausier", "Marché", "Lot", "Mois", "Heures", "SIRET"], *body]
    mapping = SheetMapping(0, {0: "participant_code", 1: "tender_reference", 2: "lot_number", 3: "month_on",
                               4: "minutes", 5: "declarant_siret"})
    assert_all_or_nothing(session, scope, HOURS, rows, mapping, [HourRecord])


def test_a_single_name_column_finds_the_person_whatever_the_order_of_the_names(session, scope, site):
    data = files.tool_csv(["Salarié", "Date de naissance", "Marché", "Lot", "Mois", "Heures"],
                          [["LEFEVRE Noël", "29/02/1988", "2024-GS-012", "", "01/2024", "20"],
                           ["Yasmina Benali", "01/07/1999", "2024-GS-012", "2", "03/2024", "70"],
                           ["MARTIN Jean", "", "2023/PISC/04", "", "10/2023", "7"],
                           ["MARTIN Jeanne", "03/01/1970", "2023/PISC/04", "", "10/2023", "7"]])
    _read, plan = _import(session, scope, data)
    assert [r.action for r in plan.results] == [ERROR, CREATE, ERROR, ERROR], plan.report()
    # Found, but a two-lot tender needs its lot number: the only reason left is the lot's.
    assert plan.results[0].reasons == ["Marché « 2024-GS-012 » : indiquez le n° de lot (lots : 1, 2)."]
    # Without a birth date, as with two columns: not guessed, both Jean Martin suggested.
    assert plan.results[2].reasons[0].startswith("Personne inconnue (« MARTIN Jean ») : importez d'abord")
    assert "(P-10003)" in plan.results[2].reasons[0] and "(P-10004)" in plan.results[2].reasons[0]
    assert plan.results[3].reasons[0].startswith("Personne inconnue (« MARTIN Jeanne », né(e) le 03/01/1970)")
    assert "proche de MARTIN Jean, né(e) le 03/01/1970 (P-10003)" in plan.results[3].reasons[0]
    apply_plan(session, scope, plan_import(session, scope, HOURS, [plan.rows[0], plan.rows[2]], plan.mapping))
    assert _records(session, site["placements"]["yasmina"]) == [(date(2024, 3, 1), 4200, 0, HourSource.REPRISE)]


def test_a_single_name_column_that_fits_two_people_is_not_guessed(session, scope, site):
    session.add(Participant(organisation_id=scope.organisation_id, code="P-10005", last_name="Jean",
                            first_name="Martin", birth_on=date(1970, 1, 3)))
    session.flush()
    data = files.tool_csv(["Nom et prénom", "Né le", "Marché", "Mois", "Heures"],
                          [["MARTIN Jean", "03/01/1970", "2023/PISC/04", "10/2023", "7"]])
    _read, plan = _import(session, scope, data)
    assert plan.results[0].action == ERROR
    reason = plan.results[0].reasons[0]
    assert reason.startswith("« MARTIN Jean, né(e) le 03/01/1970 » peut désigner plusieurs participants")
    assert "(P-10003)" in reason and "(P-10005)" in reason and "séparez le nom et le prénom" in reason
