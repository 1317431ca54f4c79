"""Import of tenders and lots: one line per lot, buyer and winner resolved, all or nothing, round trip, CLI."""

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.domain.dataimport import CREATE, ERROR, KINDS, SKIP, UPDATE
from app.domain.enums import LegalInstrument, Procedure, TenderStatus
from app.domain.sheetmap import SheetMapping
from app.models import Company, Lot, Tender
from app.services.dataimport import ImportRefused, apply_plan, export_rows, plan_import, read_import
from tests.services.dataimport.checks import assert_all_or_nothing
from tests.services.dataimport import files_tenders as ft
from tests.services.dataimport.files import SIRETS, tool_csv

KIND = KINDS["tenders"]
HEADER = ["Référence du marché", "Acheteur", "Objet du marché", "N° de lot", "Intitulé du lot",
          "Heures d'insertion exigées", "Montant du marché (€ HT)"]


@pytest.fixture
def parties(session, scope):
    return ft.stored_parties(session, scope.organisation_id)


def _plan(session, scope, data):
    read = read_import(session, scope, KIND, data)
    return plan_import(session, scope, KIND, read.rows, read.mapping, read.value_maps)


def _lots(session, scope, references):
    lots = session.scalars(select(Lot).join(Tender).where(Tender.organisation_id == scope.organisation_id,
                                                          Tender.reference.in_(references))).all()
    sirets = dict(session.execute(select(Company.id, Company.siret)).all())
    return {(lot.tender.reference, lot.number): (lot.label, lot.amount_cents, lot.hours_required, lot.hours_max,
                                                 sirets.get(lot.company_id)) for lot in lots}


@pytest.mark.parametrize(("data", "expected"), [(ft.TENDERS_TOOL, ft.TENDERS_TOOL_EXPECTED),
                                                (ft.TENDERS_HANDMADE, ft.TENDERS_HANDMADE_EXPECTED)])
def test_import_tenders_each_layout_creates_its_lots_then_twice_changes_nothing(session, scope, parties, data,
                                                                                 expected):
    plan = _plan(session, scope, data)
    assert not plan.has_errors, plan.report()
    assert plan.count(CREATE) == len(expected)
    apply_plan(session, scope, plan, "marches")
    references = {reference for reference, _number in expected}
    assert _lots(session, scope, references) == expected
    again = _plan(session, scope, data)
    assert again.count(CREATE) == again.count(UPDATE) == again.count(ERROR) == 0
    assert {tuple(r.reasons) for r in again.results} <= {("identique",), ("ligne vide",),
                                                         ("ligne de total ou ligne écartée",)}
    assert _lots(session, scope, references) == expected


def test_import_tenders_reads_the_tools_codes_and_french_numbers(session, scope, parties):
    apply_plan(session, scope, _plan(session, scope, ft.TENDERS_TOOL))
    school = session.scalar(select(Tender).where(Tender.reference == "2024-DK-017"))
    assert (school.buyer_id, school.procedure, school.legal_instrument, school.status) == (
        parties["dunkerque"].id, Procedure.APPEL_OFFRES_OUVERT, LegalInstrument.CLAUSE_EXECUTION,
        TenderStatus.ATTRIBUE)
    assert (school.amount_cents, school.is_framework, school.cpv) == (123_456_789, False, "45454000")
    assert (school.notified_on, school.starts_on, school.ends_on) == (date(2024, 3, 15), date(2024, 4, 2),
                                                                      date(2025, 12, 19))
    assert [lot.trade for lot in school.lots] == ["Maçonnerie", "Électricité"]
    cleaning = session.scalar(select(Tender).where(Tender.reference == "AC-2024-08"))
    assert (cleaning.buyer_id, cleaning.procedure, cleaning.legal_instrument, cleaning.is_framework,
            cleaning.status) == (parties["partenord"].id, Procedure.PROCEDURE_ADAPTEE, LegalInstrument.RESERVE_SIAE,
                                 True, TenderStatus.EN_EXECUTION)


def test_import_tenders_handmade_lines_below_the_first_inherit_the_tender(session, scope, parties):
    plan = _plan(session, scope, ft.TENDERS_HANDMADE)
    assert [(r.row, r.action) for r in plan.results] == [(5, CREATE), (6, CREATE), (7, CREATE), (8, SKIP),
                                                         (9, SKIP)]
    apply_plan(session, scope, plan)
    green = session.scalar(select(Tender).where(Tender.reference == "CD59-2024-112"))
    assert (green.buyer_id, green.amount_cents, green.is_framework, green.notified_on) == (
        parties["nord"].id, 25_000_000, True, date(2024, 2, 12))
    assert [lot.number for lot in green.lots] == [1, 2]


def test_export_tenders_then_import_changes_nothing(session, scope, parties):
    apply_plan(session, scope, _plan(session, scope, ft.TENDERS_TOOL))
    apply_plan(session, scope, _plan(session, scope, ft.TENDERS_HANDMADE))
    exported = export_rows(session, scope, KIND)
    again = _plan(session, scope, exported)
    assert not again.has_errors, again.report()
    lines = [r for r in again.results if r.action != SKIP or r.reasons == ["identique"]]
    # The world's own tender of organisation A, and the six lots imported: each identical.
    assert len(lines) >= 7
    assert all(r.action == SKIP and r.reasons == ["identique"] for r in lines)


def test_import_tenders_unknown_buyer_suggests_the_closest_names(session, scope, parties):
    data = tool_csv(HEADER, [["X-1", "Ville de Dunkerke", "Voirie", "1", "Chaussée", "100", ""]])
    plan = _plan(session, scope, data)
    assert plan.results[0].action == ERROR
    reason = plan.results[0].reasons[0]
    assert "« Ville de Dunkerke »" in reason and "importez d'abord les acheteurs" in reason
    assert "Noms proches : « Ville de Dunkerque »" in reason


def test_import_tenders_lines_of_one_tender_must_agree(session, scope, parties):
    data = tool_csv(HEADER, [["X-2", "Partenord Habitat", "Voirie", "1", "Chaussée", "100", "10 000"],
                             ["X-2", "Partenord Habitat", "Voirie", "2", "Trottoirs", "50", "12 000"]])
    plan = _plan(session, scope, data)
    assert [r.action for r in plan.results] == [CREATE, ERROR]
    reason = plan.results[1].reasons[0]
    assert "« 12000.00 » ici, « 10000.00 » à la ligne 2" in reason and "Montant du marché" in reason


def test_import_tenders_stored_reference_with_another_buyer_is_refused(session, scope, parties):
    apply_plan(session, scope, _plan(session, scope, ft.TENDERS_TOOL))
    data = tool_csv(HEADER, [["2024-dk-017", "Département du Nord", "Réhabilitation", "1", "Gros œuvre", "", ""]])
    plan = _plan(session, scope, data)
    reason = plan.results[0].reasons[0]
    assert "« 2024-DK-017 »" in reason and "« Ville de Dunkerque »" in reason and "« Département du Nord »" in reason


def test_import_tenders_an_error_line_blocks_the_whole_file(session, scope, parties):
    data = tool_csv([*HEADER, "SIRET de l'attributaire"],
                    [["X-3", "Partenord Habitat", "Voirie", "1", "Chaussée", "1 200 h", "", SIRETS[0]],
                     ["X-3", "Partenord Habitat", "Voirie", "2", "Trottoirs", "deux cents", "", SIRETS[1]],
                     ["X-4", "Partenord Habitat", "Éclairage", "1", "Mâts", "10", "", "40483304800022"]])
    plan = _plan(session, scope, data)
    assert [r.action for r in plan.results] == [CREATE, ERROR, ERROR]
    assert "« deux cents » : nombre d'heures non compris" in plan.results[1].reasons[0]
    assert "« 40483304800022 »" in plan.results[2].reasons[0] and "importez d'abord les entreprises" in \
        plan.results[2].reasons[0]
    before = session.scalar(select(func.count(Tender.id)))
    with pytest.raises(ImportRefused):
        apply_plan(session, scope, plan)
    assert session.scalar(select(func.count(Tender.id))) == before


def test_import_tenders_updates_only_the_fields_present(session, scope, parties):
    apply_plan(session, scope, _plan(session, scope, ft.TENDERS_TOOL))
    data = tool_csv(["N° marché", "Acheteur", "Objet", "Lot", "Nb heures", "Montant lot"],
                    [["2024-DK-017", "Ville de Dunkerque", "Réhabilitation du groupe scolaire Lamartine", "2",
                      "400 h", "500 567,89"],
                     ["2024-DK-017", "Ville de Dunkerque", "Réhabilitation du groupe scolaire Lamartine", "3",
                      "", ""]])
    plan = _plan(session, scope, data)
    assert [r.action for r in plan.results] == [UPDATE, CREATE]
    assert plan.results[0].changes == {"hours_required": (350, 400)}
    apply_plan(session, scope, plan)
    lots = _lots(session, scope, {"2024-DK-017"})
    assert lots[("2024-DK-017", 2)] == ("Électricité", 50_056_789, 400, None, SIRETS[2])
    assert lots[("2024-DK-017", 3)] == ("Réhabilitation du groupe scolaire Lamartine", 0, 0, None, None)
    school = session.scalar(select(Tender).where(Tender.reference == "2024-DK-017"))
    assert (school.cpv, school.amount_cents) == ("45454000", 123_456_789)  # blank cells erase nothing


def test_import_tenders_abandoned_without_reason_is_refused(session, scope, parties):
    data = tool_csv([*HEADER, "Statut"], [["X-5", "Partenord Habitat", "Voirie", "1", "Chaussée", "", "",
                                          "sans suite"]])
    plan = _plan(session, scope, data)
    assert "Indiquez pourquoi le marché est abandonné" in plan.results[0].reasons[0]


# Hypothesis runs every example inside one test's transaction: the counts are compared to the start.
CELLS = st.one_of(st.none(), st.text(max_size=12), st.integers(min_value=-10, max_value=10**15),
                  st.floats(allow_nan=False), st.dates(),
                  st.sampled_from(["X-1", "X-2", "Partenord Habitat", ft.BUYER_SIRETS[0], "1 200 h", "2", "0",
                                   "1e400", "Total", "Voirie", SIRETS[0], "oui"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELLS, min_size=7, max_size=7), max_size=8))
def test_import_tenders_any_rows_report_per_row_and_never_write_half(session, scope, parties, body):
    rows = [["Référence", "Acheteur", "Objet", "Lot", "Heures", "Montant", "SIRET"], *body]
    mapping = SheetMapping(0, {0: "reference", 1: "buyer", 2: "object", 3: "lot_number", 4: "hours_required",
                               5: "amount", 6: "company_siret"})
    assert_all_or_nothing(session, scope, KIND, rows, mapping, [Tender, Lot])


def test_cli_import_tenders_json(app, session, world, scope, parties, tmp_path):
    session.commit()  # the CLI opens its own session: it must see the stored buyers and companies
    path = tmp_path / "marches.csv"
    path.write_bytes(ft.TENDERS_TOOL)
    result = app.test_cli_runner().invoke(args=["import", "tenders", str(path), "--json", "--organisation",
                                                str(world.a.organisation_id)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["kind"], report["created"], report["errors"]) == ("tenders", 3, 0)
    assert _lots(session, scope, {"2024-DK-017", "AC-2024-08"}) == ft.TENDERS_TOOL_EXPECTED
