"""Data import service: files read in the sandbox, plans matched by natural key, all or nothing, round trip."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.domain.dataimport import CREATE, ERROR, KINDS, SKIP, UPDATE
from app.domain.enums import BuyerKind, SiaeKind
from app.domain.sheetmap import SheetMapping
from app.models import AuditEvent, Buyer, Company, ImportProfile, Siae
from app.services.dataimport import (
    ImportInputError,
    ImportRefused,
    apply_plan,
    export_rows,
    plan_import,
    read_import,
    save_profile,
)
from tests.services.dataimport.checks import assert_all_or_nothing
from tests.services.dataimport import files
from tests.services.dataimport.files import SIRETS


def _import(session, scope, kind_name, data, profile=None):
    kind = KINDS[kind_name]
    read = read_import(session, scope, kind, data, profile)
    plan = plan_import(session, scope, kind, read.rows, read.mapping, read.value_maps)
    return read, plan


def _ours(session, scope, model):
    return session.scalars(select(model).where(model.organisation_id == scope.organisation_id)
                           .order_by(model.id)).all()


@pytest.mark.parametrize(("kind_name", "data", "model", "created"), [
    ("siae", files.SIAE_TOOL, Siae, {"Régie de quartier Nord", "Éco-Services", "Intérim Solidaire"}),
    ("siae", files.SIAE_HANDMADE, Siae, {"Atelier Vélo Solidaire", "Association Coup de Main"}),
    ("companies", files.COMPANIES_TOOL, Company, {"Propreté Plus", "Élec Concept"}),
    ("companies", files.COMPANIES_HANDMADE, Company, {"Bâtiments Réunis", "Génie Civil du Nord"}),
    ("buyers", files.BUYERS_TOOL, Buyer, {"Communauté urbaine de Dunkerque", "Partenord Habitat"}),
    ("buyers", files.BUYERS_HANDMADE, Buyer, {"Ville d'Hazebrouck", "Département du Nord"}),
])
def test_import_each_layout_creates_then_twice_changes_nothing(session, scope, kind_name, data, model, created):
    before = {row.id for row in _ours(session, scope, model)}
    read, plan = _import(session, scope, kind_name, data)
    assert not plan.has_errors, plan.report()
    assert plan.count(CREATE) == len(created)
    apply_plan(session, scope, plan, "fichier")
    new = [row for row in _ours(session, scope, model) if row.id not in before]
    assert {row.name for row in new} == created
    _read, again = _import(session, scope, kind_name, data)
    assert again.count(CREATE) == again.count(UPDATE) == 0
    assert all(r.reasons in (["identique"], ["ligne vide"], ["ligne de total ou ligne écartée"])
               for r in again.results)


def test_import_reads_another_tools_codes_and_cp1252(session, scope):
    _read, plan = _import(session, scope, "siae", files.SIAE_TOOL)
    apply_plan(session, scope, plan)
    regie = session.scalar(select(Siae).where(Siae.siret == SIRETS[0], Siae.organisation_id == scope.organisation_id))
    assert (regie.kind, regie.address, regie.contact_name) == (SiaeKind.ACI, "12 rue des Écoles", "Hélène Dupré")
    assert regie.contact_phone == "03 28 00 00 00"
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
    assert audit and audit[-1].object_type == "siae"


def test_import_handmade_workbook_skips_title_blank_and_total_lines(session, scope):
    read, plan = _import(session, scope, "buyers", files.BUYERS_HANDMADE)
    assert read.mapping.header_row == 3
    assert [(r.row, r.action) for r in plan.results] == [(5, CREATE), (6, CREATE), (7, SKIP), (8, SKIP)]


def test_import_updates_only_the_fields_that_differ(session, scope):
    _read, plan = _import(session, scope, "companies", files.COMPANIES_TOOL)
    apply_plan(session, scope, plan)
    changed = files.tool_csv(["Siret", "Raison sociale", "CP", "Ville"],
                             [[SIRETS[1], "Propreté Plus", "59100", "Wattrelos"], [SIRETS[2], "Élec Concept", "", ""]])
    _read, plan = _import(session, scope, "companies", changed)
    assert [r.action for r in plan.results] == [UPDATE, SKIP]
    assert plan.results[0].changes == {"city": ("Roubaix", "Wattrelos")}
    assert plan.results[0].to_dict()["changes"] == {"city": ["Roubaix", "Wattrelos"]}
    apply_plan(session, scope, plan)
    company = session.scalar(select(Company).where(Company.siret == SIRETS[2],
                                                   Company.organisation_id == scope.organisation_id))
    assert company.city == "Tourcoing"  # an empty cell never erases


def test_import_with_an_error_writes_nothing(session, scope):
    data = files.tool_csv(["Siret", "Raison sociale"], [[SIRETS[1], "Bon"], ["73282932000075", "Clé fausse"],
                                                       [SIRETS[2], ""]])
    _read, plan = _import(session, scope, "companies", data)
    assert [r.action for r in plan.results] == [CREATE, ERROR, ERROR]
    assert "clé de contrôle incorrecte" in plan.results[1].reasons[0]
    count = session.scalar(select(func.count(Company.id)))
    with pytest.raises(ImportRefused):
        apply_plan(session, scope, plan)
    assert session.scalar(select(func.count(Company.id))) == count


def test_import_missing_required_column_names_it_and_the_headers(session, scope):
    data = files.tool_csv(["Raison sociale", "Ville"], [["Sans SIRET", "Lille"]])
    with pytest.raises(ImportInputError, match="« SIRET ».*« Raison sociale », « Ville »"):
        read_import(session, scope, KINDS["companies"], data)


def test_import_refuses_a_pdf(session, scope):
    with pytest.raises(ImportInputError, match="n'est pas un tableur") as refused:
        read_import(session, scope, KINDS["companies"], b"%PDF-1.4\n%%EOF\n")
    assert "PDF" not in str(refused.value)  # a timesheet may be a PDF, an import may not


@pytest.mark.parametrize("data", [b"PK\x03\x04" + b"\x00" * 40, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40,
                                  b"{\\rtf1 lettre}"])
def test_import_refusals_never_speak_of_a_monthly_timesheet(session, scope, data):
    with pytest.raises(ImportInputError) as refused:
        read_import(session, scope, KINDS["companies"], data)
    message = str(refused.value)
    assert message and not any(word in message for word in ("relevé", "mois concerné", "tableau d'heures"))


def test_import_of_a_huge_sheet_says_to_split_the_file(session, scope, monkeypatch):
    from app.domain.timesheets import TimesheetError
    from app.services.dataimport import reading

    def too_many(*_args, **_kwargs):
        raise TimesheetError("La feuille « A » est trop grande : un relevé mensuel dépasse rarement…", "too_many_rows")

    monkeypatch.setattr(reading, "read_sheets", too_many)
    with pytest.raises(ImportInputError, match="découpez-le en plusieurs fichiers") as refused:
        read_import(session, scope, KINDS["companies"], b"x")
    assert "relevé" not in str(refused.value)


def test_import_profile_is_found_again_by_its_header(session, scope):
    data = files.tool_csv(["Ident", "Libellé", "Cat."], [[SIRETS[0], "Structure A", "1"], [SIRETS[1], "B", "2"]])
    with pytest.raises(ImportInputError):
        read_import(session, scope, KINDS["siae"], data)
    rows = [["Ident", "Libellé", "Cat."]]
    save_profile(session, scope, "siae", "Logiciel X", SheetMapping(0, {0: "siret", 1: "name", 2: "kind"}),
                 {"kind": {"1": "ACI", "2": "EI"}}, rows[0])
    read, plan = _import(session, scope, "siae", data)
    assert read.profile_name == "Logiciel X"
    assert [r.values["kind"] for r in plan.results] == [SiaeKind.ACI, SiaeKind.EI]
    read, _plan = _import(session, scope, "siae", data, "Logiciel X")
    assert read.mapping.columns == {0: "siret", 1: "name", 2: "kind"}
    assert session.scalar(select(func.count(ImportProfile.id))) == 1


@pytest.mark.parametrize(("kind_name", "data"), [("siae", files.SIAE_TOOL), ("companies", files.COMPANIES_HANDMADE),
                                                 ("buyers", files.BUYERS_TOOL)])
def test_export_then_import_changes_nothing(session, scope, kind_name, data):
    _read, plan = _import(session, scope, kind_name, data)
    apply_plan(session, scope, plan)
    exported = export_rows(session, scope, KINDS[kind_name])
    _read, again = _import(session, scope, kind_name, exported)
    assert not again.has_errors, again.report()
    assert again.count(CREATE) == again.count(UPDATE) == 0
    assert again.count(SKIP) >= len(plan.results) - plan.count(SKIP)


def test_buyer_kind_read_from_label_and_code(session, scope):
    _read, plan = _import(session, scope, "buyers", files.BUYERS_TOOL)
    assert [r.values.get("kind") for r in plan.results] == [BuyerKind.COMMUNE, BuyerKind.BAILLEUR]


# Hypothesis runs every example inside one test's transaction: the counts are compared to the start.
CELLS = st.one_of(st.none(), st.text(max_size=20), st.text(min_size=250, max_size=400), st.integers(),
                  st.floats(allow_nan=False), st.dates(), st.sampled_from(SIRETS + ["ACI", "", "Total", "59140"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELLS, min_size=3, max_size=3), max_size=8))
def test_import_any_rows_report_per_row_and_never_write_half(session, scope, body):
    kind = KINDS["siae"]
    rows = [["SIRET", "Raison sociale", "Type de structure"], *body]
    assert_all_or_nothing(session, scope, kind, rows, SheetMapping(0, {0: "siret", 1: "name", 2: "kind"}), [Siae])


def test_a_plan_from_an_earlier_transaction_is_matched_again_before_writing(session, scope):
    _read, plan = _import(session, scope, "companies", files.COMPANIES_TOOL)
    assert [r.action for r in plan.results] == [CREATE, CREATE]
    session.commit()
    # Meanwhile someone types one of the two companies by hand.
    session.add(Company(organisation_id=scope.organisation_id, siret=SIRETS[1], name="Propreté Plus",
                        postcode="59100", city="Roubaix"))
    session.commit()
    done = apply_plan(session, scope, plan)
    assert [r.action for r in done.results] == [SKIP, CREATE]
    assert session.scalar(select(func.count(Company.id)).where(Company.siret == SIRETS[1],
                                                               Company.organisation_id == scope.organisation_id)) == 1


def test_a_plan_made_in_this_transaction_is_written_as_it_was_matched(session, scope):
    _read, plan = _import(session, scope, "companies", files.COMPANIES_TOOL)
    assert apply_plan(session, scope, plan) is plan
