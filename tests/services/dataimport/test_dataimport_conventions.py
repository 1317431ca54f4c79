"""Import of partnership conventions: party resolved and copied, covered tenders, dates, status, round trip."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.domain.dataimport import CREATE, ERROR, KINDS, SKIP, UPDATE
from app.domain.enums import ConventionStatus, PartyKind
from app.domain.sheetmap import SheetMapping
from app.models import Convention, ConventionStatusChange, Operation, Tender
from app.services.dataimport import ImportRefused, apply_plan, export_rows, plan_import, read_import
from tests.services.dataimport.checks import assert_all_or_nothing
from tests.services.dataimport import files_tenders as ft
from tests.services.dataimport.files import SIRETS, tool_csv

KIND = KINDS["conventions"]
HEADER = ["Référence de la convention", "Type de partenaire", "Partenaire", "Date de début", "Date de fin",
          "Marchés couverts"]


@pytest.fixture
def parties(session, scope):
    rows = ft.stored_parties(session, scope.organisation_id)
    tenders = KINDS["tenders"]
    read = read_import(session, scope, tenders, ft.TENDERS_TOOL)
    apply_plan(session, scope, plan_import(session, scope, tenders, read.rows, read.mapping))
    return rows


def _plan(session, scope, data):
    read = read_import(session, scope, KIND, data)
    return plan_import(session, scope, KIND, read.rows, read.mapping, read.value_maps)


def _conventions(session, scope):
    rows = session.scalars(select(Convention).where(Convention.organisation_id == scope.organisation_id))
    return {row.reference: row for row in rows}


@pytest.mark.parametrize(("data", "expected"), [
    (ft.CONVENTIONS_TOOL, {"CONV-2024-01": (PartyKind.ACHETEUR, "Ville de Dunkerque", ConventionStatus.SIGNEE),
                           "CONV-2024-02": (PartyKind.ENTREPRISE, "Bâtiments Réunis", ConventionStatus.ECHUE),
                           "CONV-2024-03": (PartyKind.SIAE, "Régie de quartier Nord", ConventionStatus.BROUILLON)}),
    (ft.CONVENTIONS_HANDMADE, {"PH-2024": (PartyKind.ACHETEUR, "Partenord Habitat", ConventionStatus.SIGNEE),
                               "SIAE-REGIE": (PartyKind.SIAE, "Régie de quartier Nord", ConventionStatus.BROUILLON)}),
])
def test_import_conventions_each_layout_creates_then_twice_changes_nothing(session, scope, parties, data, expected):
    plan = _plan(session, scope, data)
    assert not plan.has_errors, plan.report()
    assert plan.count(CREATE) == len(expected)
    apply_plan(session, scope, plan, "conventions")
    stored = _conventions(session, scope)
    assert {ref: (stored[ref].party_kind, stored[ref].party_name, stored[ref].status) for ref in expected} == expected
    again = _plan(session, scope, data)
    assert again.count(CREATE) == again.count(UPDATE) == again.count(ERROR) == 0
    assert {tuple(r.reasons) for r in again.results} <= {("identique",), ("ligne vide",),
                                                         ("ligne de total ou ligne écartée",)}


def test_import_conventions_copies_the_party_and_links_the_tenders(session, scope, parties):
    apply_plan(session, scope, _plan(session, scope, ft.CONVENTIONS_TOOL))
    stored = _conventions(session, scope)
    company = stored["CONV-2024-02"]
    assert (company.company_id, company.buyer_id, company.party_siret, company.party_address) == (
        parties["batiments"].id, None, SIRETS[0], "1 place d'Armes, 59000 Lille")
    assert [tender.reference for tender in company.tenders] == ["2024-DK-017", "AC-2024-08"]
    assert (company.starts_on, company.ends_on, company.is_fse_funded) == (date(2024, 4, 2), date(2025, 12, 19),
                                                                           False)
    buyer = stored["CONV-2024-01"]
    assert (buyer.buyer_id, buyer.party_signatory_name, buyer.is_fse_funded) == (
        parties["dunkerque"].id, "Mme Hélène Dupré", True)
    history = session.scalars(select(ConventionStatusChange).where(
        ConventionStatusChange.convention_id == buyer.id)).all()
    assert [(change.from_status, change.to_status, change.note) for change in history] == [
        (None, ConventionStatus.SIGNEE, "Convention importée")]


def test_import_conventions_fse_funded_operation_makes_the_mention_due(session, scope, parties):
    operation = Operation(organisation_id=scope.organisation_id, name="PRU Dunkerque", is_fse_funded=True)
    session.add(operation)
    session.flush()
    session.scalar(select(Tender).where(Tender.reference == "2024-DK-017")).operation_id = operation.id
    session.flush()
    data = tool_csv([*HEADER, "Financement FSE+"], [["C-FSE", "entreprise", SIRETS[0], "01/01/2024", "31/12/2025",
                                                    "2024-DK-017", "non"]])
    apply_plan(session, scope, _plan(session, scope, data))
    assert _conventions(session, scope)["C-FSE"].is_fse_funded is True
    again = _plan(session, scope, data)
    assert [r.reasons for r in again.results] == [["identique"]]


def test_export_conventions_then_import_changes_nothing(session, scope, parties):
    apply_plan(session, scope, _plan(session, scope, ft.CONVENTIONS_TOOL))
    apply_plan(session, scope, _plan(session, scope, ft.CONVENTIONS_HANDMADE))
    again = _plan(session, scope, export_rows(session, scope, KIND))
    assert not again.has_errors, again.report()
    assert [r.reasons for r in again.results] == [["identique"]] * 5


@pytest.mark.parametrize(("line", "expected"), [
    (["C-1", "acheteur", "Ville de Dunkerk", "01/01/2024", "31/12/2024", ""],
     ["importez d'abord les acheteurs", "Noms proches : « Ville de Dunkerque »"]),
    (["C-2", "SIAE", SIRETS[0], "01/01/2024", "31/12/2024", ""], [f"SIRET « {SIRETS[0]} » n'est pas parmi les SIAE", "importez d'abord les SIAE"]),
    (["C-3", "entreprise", SIRETS[0], "01/01/2025", "31/12/2024", ""],
     ["La date de fin de la convention précède sa date de début", "(début le 01/01/2025, fin le 31/12/2024)"]),
    (["C-4", "entreprise", SIRETS[0], "01/01/2024", "31/12/2024", "2024-DK-017; 2024-XX-999"],
     ["Marchés couverts : « 2024-XX-999 » introuvable", "importez d'abord les marchés"]),
    (["C-5", "partenaire", SIRETS[0], "01/01/2024", "31/12/2024", ""],
     ["Type de partenaire « partenaire » : valeur inconnue"]),
])
def test_import_conventions_refuses_a_line_with_its_reason(session, scope, parties, line, expected):
    good = ["C-OK", "entreprise", SIRETS[1], "01/01/2024", "31/12/2024", ""]
    plan = _plan(session, scope, tool_csv(HEADER, [good, line]))
    assert [r.action for r in plan.results] == [CREATE, ERROR]
    reasons = " ".join(plan.results[1].reasons)
    assert all(part in reasons for part in expected), reasons
    before = session.scalar(select(func.count(Convention.id)))
    with pytest.raises(ImportRefused):
        apply_plan(session, scope, plan)
    assert session.scalar(select(func.count(Convention.id))) == before


def test_import_conventions_stored_ones_change_only_as_drafts_and_never_their_status(session, scope, parties):
    apply_plan(session, scope, _plan(session, scope, ft.CONVENTIONS_TOOL))
    data = tool_csv(["Ref", "Type", "Partenaire", "Objet", "Date d'effet", "Echéance", "Etat"],
                    [["CONV-2024-01", "MOA", ft.BUYER_SIRETS[0], "Autre objet", "01/01/2024", "31/12/2026", ""],
                     ["CONV-2024-03", "ACI", SIRETS[3], "Parcours renforcés", "01/09/2024", "31/08/2025", ""],
                     ["CONV-2024-02", "ENT", SIRETS[0], "", "02/04/2024", "19/12/2025", "signée"]])
    plan = _plan(session, scope, data)
    assert [r.action for r in plan.results] == [ERROR, UPDATE, ERROR]
    assert "elle est « Signée » et ne se modifie plus" in plan.results[0].reasons[-1]
    assert plan.results[1].changes == {"object": ("Parcours d'insertion sur les chantiers", "Parcours renforcés")}
    assert "changez son statut depuis sa page" in plan.results[2].reasons[-1]
    draft_only = tool_csv(["Ref", "Type", "Partenaire", "Objet", "Date d'effet", "Echéance"],
                          [["CONV-2024-03", "ACI", SIRETS[3], "Parcours renforcés", "01/09/2024", "31/08/2025"]])
    apply_plan(session, scope, _plan(session, scope, draft_only))
    assert _conventions(session, scope)["CONV-2024-03"].object == "Parcours renforcés"


CELLS = st.one_of(st.none(), st.text(max_size=12), st.integers(min_value=-10, max_value=10**6), st.dates(),
                  st.sampled_from(["C-1", "acheteur", "SIAE", "ENT", SIRETS[0], SIRETS[3], "Partenord Habitat",
                                   "2024-DK-017", "AC-2024-08; 2024-DK-017", "01/01/2024", "signée", "Total"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELLS, min_size=7, max_size=7), max_size=8))
def test_import_conventions_any_rows_report_per_row_and_never_write_half(session, scope, parties, body):
    rows = [["Référence", "Type", "Partenaire", "Début", "Fin", "Statut", "Marchés"], *body]
    mapping = SheetMapping(0, {0: "reference", 1: "party_kind", 2: "party", 3: "starts_on", 4: "ends_on",
                               5: "status", 6: "tenders"})
    assert_all_or_nothing(session, scope, KIND, rows, mapping, [Convention])


def test_import_conventions_skip_is_a_repeat_of_an_earlier_line(session, scope, parties):
    line = ["C-R", "entreprise", SIRETS[1], "01/01/2024", "31/12/2024", ""]
    plan = _plan(session, scope, tool_csv(HEADER, [line, line]))
    assert [(r.action, r.reasons) for r in plan.results] == [(CREATE, []), (SKIP, ["répète la ligne 2"])]
