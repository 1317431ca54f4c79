"""Unit tests of the timesheet reader: names, hours, codes, periods, limits, matching, template."""

import ast
import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.domain.timesheets import (
    KnownParticipant,
    Limits,
    TemplateLine,
    TimesheetError,
    build_timesheet_template,
    match_participants,
    parse_timesheet,
)
from app.domain.timesheets.detect import detect_kind
from app.domain.sheetmap.hours import parse_hours
from app.domain.timesheets.model import ParsedRow
from app.domain.timesheets.names import FIRST_LAST, split_full_name
from app.domain.sheetmap.period import find_period_in_text

DATA = Path(__file__).resolve().parents[2] / "data" / "timesheets"
PACKAGE = Path(__file__).resolve().parents[3] / "app" / "domain" / "timesheets"


@pytest.mark.parametrize(("text", "order", "expected"), [
    ("DUPONT Marie", "last_first", ("DUPONT", "Marie")),
    ("Marie DUPONT", "last_first", ("DUPONT", "Marie")),
    ("DE SOUSA João", "last_first", ("DE SOUSA", "João")),
    ("João DE SOUSA", "last_first", ("DE SOUSA", "João")),
    ("LE GALL Anne-Sophie", "last_first", ("LE GALL", "Anne-Sophie")),
    ("Dupont, Marie", "last_first", ("Dupont", "Marie")),
    ("Marie Dupont", FIRST_LAST, ("Dupont", "Marie")),
    ("  DUPONT   Marie ", "last_first", ("DUPONT", "Marie")),
])
def test_split_full_name_french_forms_give_last_and_first(text, order, expected):
    assert split_full_name(text, order) == expected


@pytest.mark.parametrize(("value", "hours"), [
    ("7,5", "7.5"), ("7.5", "7.5"), ("7h30", "7.5"), ("7h", "7"), ("7:30", "7.5"),
    ("7 h 30", "7.5"), ("7H45", "7.75"), (7.5, "7.5"), (8, "8"), ("120h30", "120.5"),
])
def test_parse_hours_common_spellings_give_decimal_hours(value, hours):
    assert parse_hours(value).hours == Decimal(hours)


@pytest.mark.parametrize(("value", "label"), [
    ("CP", "congés payés"), ("AT", "accident du travail"), ("maladie", "maladie"),
    ("abs", "absence"), ("RTT", "RTT"), ("férié", "jour férié"), ("Ferie", "jour férié"),
])
def test_parse_hours_absence_codes_count_zero_and_are_named(value, label):
    cell = parse_hours(value)
    assert (cell.hours, cell.absence, cell.failed) == (None, label, False)


@pytest.mark.parametrize("value", ["sept", "7h75", "-3", "7,5,5", True])
def test_parse_hours_nonsense_is_flagged_not_guessed(value):
    assert parse_hours(value).failed


@pytest.mark.parametrize(("text", "period"), [
    ("Mois : mars 2026", "2026-03"), ("Période du 01/03/2026 au 31/03/2026", "2026-03"),
    ("03/2026", "2026-03"), ("Mars 2026", "2026-03"), ("Relevé février 2026", "2026-02"),
    ("Fait à Lille le 02/04/2026", None), ("Lot 3 - Peinture", None),
])
def test_find_period_in_text_title_lines_give_the_month(text, period):
    assert find_period_in_text(text) == period


def test_parse_timesheet_no_period_in_file_uses_hint():
    data = "Nom;Prénom;Heures\nDUPONT;Marie;35\n".encode()
    assert parse_timesheet(data, period_hint="2026-05").period == "2026-05"
    assert parse_timesheet(data).period is None


def test_parse_timesheet_hint_differs_from_file_warns():
    data = "Mois : mars 2026\nNom;Prénom;Heures\nDUPONT;Marie;35\n".encode()
    result = parse_timesheet(data, period_hint="2026-04")
    assert result.period == "2026-03"
    assert [w.code for w in result.warnings] == ["period_differs"]


def test_detect_kind_renamed_xlsx_is_read_by_content():
    data = (DATA / "mensuel_siae.xlsx").read_bytes()
    result = parse_timesheet(data, "releve.pdf")
    assert result.file_kind == "xlsx"
    assert [r.last_name for r in result.rows] == ["MARTIN", "DIALLO", "LE GALL", "BENALI"]


@pytest.mark.parametrize(("name", "kind"), [
    ("mensuel_siae.xlsx", "xlsx"), ("hebdo_semaines.xlsm", "xlsm"), ("par_jour_dates.xls", "xls"),
    ("plusieurs_lots.ods", "ods"), ("export_utf8.csv", "csv"), ("pdf_multipage.pdf", "pdf"),
])
def test_detect_kind_magic_bytes_give_the_format(name, kind):
    assert detect_kind((DATA / name).read_bytes(), Limits()) == kind


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"), (b"   \n ", "empty"), (b"\x89PNG\r\n\x1a\n" + bytes(50), "image"),
    (b"%PDF-1.7\n trailer", "corrupt"), (b"PK\x03\x04garbage", "corrupt"),
    (b"<!DOCTYPE html><html><table></table></html>", "no_table"), (bytes(range(256)) * 4, "wrong_type"),
])
def test_parse_timesheet_unreadable_files_raise_french_error(data, code):
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(data, "releve.xlsx")
    assert caught.value.code == code
    assert len(caught.value.message_fr) > 15 and caught.value.message_fr.endswith((".", ")"))


@pytest.fixture
def calamine_forbidden(monkeypatch):
    """Fail the test if the parse hands the file to calamine (the guards must refuse it first)."""

    def never(*args, **kwargs):
        raise AssertionError("calamine was handed a file its guards should have refused")

    monkeypatch.setattr("app.domain.timesheets.excel.read_workbook", never)


def test_parse_timesheet_binary_workbook_xlsb_is_refused_before_calamine(calamine_forbidden):
    # Binary sheets escape the cell-address guard: calamine must never be handed one.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override PartName="/xl/workbook.bin" ContentType='
                         '"application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
        archive.writestr("xl/workbook.bin", bytes(range(256)))
        archive.writestr("xl/worksheets/sheet1.bin", bytes(range(256)))
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(out.getvalue(), "releve.xlsb")
    assert caught.value.code == "xlsb"
    assert "Enregistrer sous" in caught.value.message_fr and ".xlsx" in caught.value.message_fr


def test_parse_timesheet_file_over_size_limit_is_refused():
    data = (DATA / "export_utf8.csv").read_bytes()
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(data, limits=Limits(max_file_bytes=100))
    assert caught.value.code == "too_big" and "Mo" in caught.value.message_fr


def test_parse_timesheet_zip_bomb_is_refused_before_parsing():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * (5 * 1024 * 1024) + "</a>")
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(out.getvalue(), limits=Limits(max_unzipped_bytes=1024 * 1024))
    assert caught.value.code == "zip_bomb"


def test_parse_timesheet_xml_entity_bomb_is_refused():
    data = (DATA / "mensuel_siae.xlsx").read_bytes()
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                content = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + content
            target.writestr(info, content)
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(out.getvalue())
    assert caught.value.code == "xml_suspicious"


def test_parse_timesheet_too_many_pages_is_refused():
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet((DATA / "pdf_multipage.pdf").read_bytes(), limits=Limits(max_pages=2))
    assert caught.value.code == "too_many_pages"


def test_parse_timesheet_scan_without_ocr_gives_scan_error(monkeypatch):
    monkeypatch.setattr("app.domain.timesheets.pdf.ocr_available", lambda: False)
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet((DATA / "pdf_scan.pdf").read_bytes())
    assert caught.value.code == "scan" and "scann" in caught.value.message_fr


def test_parse_timesheet_sheet_without_table_says_what_is_missing():
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet("Bonjour;merci\nà bientôt;\n".encode())
    assert caught.value.code == "no_table" and "« Nom »" in caught.value.message_fr


ROSTER = [
    KnownParticipant(1, "Dupont", "Marie", date(1990, 5, 2), date(2026, 3, 10), None),
    KnownParticipant(2, "DE SOUSA", "João"),
    KnownParticipant(3, "MARTIN", "Paul"),
    KnownParticipant(4, "Martin", "Paul", date(1970, 1, 1)),
]


def _row(last, first, **extra):
    return ParsedRow(last, first, extra.pop("hours", Decimal(7)), **extra)


def test_match_participants_case_and_accents_are_ignored():
    result = match_participants([_row("DUPONT", "marie"), _row("de sousa", "Joao")], ROSTER)
    assert [(m.status, m.participant_id) for m in result.matches] == [("exact", 1), ("exact", 2)]


def test_match_participants_near_miss_gives_scored_suggestion():
    result = match_participants([_row("DUPOND", "Marie")], ROSTER)
    match = result.matches[0]
    assert match.status == "suggested" and match.participant_id is None
    assert match.suggestions[0].participant_id == 1 and 0.8 < match.suggestions[0].score < 1
    assert result.warnings[0].code == "unknown_person" and "Vouliez-vous dire" in result.warnings[0].message


def test_match_participants_homonyms_are_ambiguous():
    result = match_participants([_row("MARTIN", "Paul")], ROSTER)
    assert result.matches[0].status == "ambiguous"
    assert {s.participant_id for s in result.matches[0].suggestions} == {3, 4}
    assert result.warnings[0].code == "ambiguous_person"


def test_match_participants_unknown_person_is_reported():
    result = match_participants([_row("ZOLA", "Émile")], ROSTER)
    assert result.matches[0].status == "unknown" and result.warnings[0].person == "ZOLA Émile"


def test_match_participants_hours_before_entry_date_warn():
    row = _row("DUPONT", "Marie", day=date(2026, 3, 3))
    result = match_participants([row], ROSTER, period="2026-03")
    assert [w.code for w in result.warnings] == ["outside_placement"]
    assert "03/03/2026" in result.warnings[0].message


def test_build_timesheet_template_round_trip_reads_back_filled_hours():
    lines = [TemplateLine("DUPONT", "Marie", "Lot 3 - Peinture"), TemplateLine("DE SOUSA", "João", "Lot 3 - Peinture")]
    data = build_timesheet_template("Régie Nord", "12345678900012", "2026-03", lines)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    ws["E9"], ws["F9"], ws["E10"] = 7.5, 7, 3.5  # 2 and 3 March
    ws.cell(row=10, column=35).value = 2  # training column after day 31
    out = io.BytesIO()
    wb.save(out)
    result = parse_timesheet(out.getvalue())
    assert result.period == "2026-03" and result.warnings == []
    assert [(r.last_name, r.first_name, r.hours, r.training_hours, r.lot) for r in result.rows] == [
        ("DUPONT", "Marie", Decimal("14.5"), Decimal(0), "Lot 3 - Peinture"),
        ("DE SOUSA", "João", Decimal("3.5"), Decimal(2), "Lot 3 - Peinture"),
    ]
    assert result.rows[0].day_hours() == {2: Decimal("7.5"), 3: Decimal(7)}
    assert result.info["siret"] == "12345678900012"


def test_build_timesheet_template_formula_looking_names_stay_text():
    lines = [TemplateLine("=HYPERLINK(\"http://x\")", "+33612", "@SUM(A1)"), TemplateLine("-DUPONT", "Marie")]
    data = build_timesheet_template("=cmd|' /C calc'!A0", "1", "2026-02", lines)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert '<is><t>=HYPERLINK("http://x")</t></is>' in sheet_xml  # a string cell
    assert "<f>HYPERLINK" not in sheet_xml and "<f>cmd" not in sheet_xml
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb.active["D9"] = 7  # with hours, even an odd-looking name is a line to read
    out = io.BytesIO()
    wb.save(out)
    rows = parse_timesheet(out.getvalue()).rows
    assert [(r.last_name, r.first_name, r.lot) for r in rows] == [
        ("=HYPERLINK(\"http://x\")", "+33612", "@SUM(A1)"), ("-DUPONT", "Marie", None)]


def test_build_timesheet_template_protects_totals_and_validates_hours():
    data = build_timesheet_template("Régie", "1", "2026-03", [TemplateLine("DUPONT", "Marie")], daily=False)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.protection.sheet and ws["F9"].value == "=SUM(D9:D9)" and ws["F9"].protection.locked
    assert not ws["D9"].protection.locked
    rules = {str(v.sqref): (v.type, v.formula1, v.formula2) for v in ws.data_validations.dataValidation}
    assert rules["D9:D24"] == ("decimal", "0", "310")  # the known person and the 15 blank lines


def test_build_timesheet_template_leaves_unlocked_lines_to_add_a_person_and_says_how():
    data = build_timesheet_template("Régie Nord", "12345678900012", "2026-03",
                                    [TemplateLine("DUPONT", "Marie", "Lot 3 - Peinture")])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.protection.sheet
    assert ws["A7"].protection.locked and ws["A9"].protection.locked  # titles and known names stay
    assert ws["AJ9"].value == "=SUM(D9:AH9)" and ws["AJ10"].protection.locked  # totals stay locked
    for row in (10, 24):  # the 15 blank lines under the known person
        assert ws.cell(row, 1).value is None
        assert not any(ws.cell(row, col).protection.locked for col in (1, 2, 3, 4, 34, 35, 37))
    assert ws.cell(25, 1).protection.locked
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    hours = rules["D9:AH24"]  # days 1 to 31 of March
    assert (hours.type, hours.operator, hours.formula1, hours.formula2) == ("decimal", "between", "0", "10")
    assert hours.showErrorMessage and "entre 0 et 10" in hours.error
    note = "Ajouter une personne : écrivez son nom, son prénom et son lot dans une ligne vide du tableau (lignes 10 à 24)"
    assert ws["A6"].value.startswith(note) and ws["A10"].comment.text.startswith(note)
    # The structure fills a blank line: the project's own reader reads the added person.
    ws["A10"], ws["B10"], ws["C10"], ws["E10"], ws["F10"] = "NOUVEAU", "Karim", "Lot 3 - Peinture", 7, 3.5
    ws["D9"] = 7
    out = io.BytesIO()
    wb.save(out)
    result = parse_timesheet(out.getvalue(), "releve.xlsx")
    assert result.period == "2026-03" and result.warnings == []
    assert [(r.last_name, r.first_name, r.hours, r.lot) for r in result.rows] == [
        ("DUPONT", "Marie", Decimal(7), "Lot 3 - Peinture"), ("NOUVEAU", "Karim", Decimal("10.5"), "Lot 3 - Peinture")]


def test_timesheet_package_imports_no_framework():
    banned = {"flask", "sqlalchemy", "rq", "redis", "werkzeug"}
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not {n.split(".")[0] for n in names} & banned, path.name


def test_parse_timesheet_unruled_pdf_keeps_every_day_column():
    rows = parse_timesheet((DATA / "pdf_colonnes_alignees.pdf").read_bytes()).rows
    assert rows[0].day_hours() == {day: Decimal(7) for day in range(2, 7)}
    assert rows[1].day_hours() == {9: Decimal("7.5"), 10: Decimal("7.5"), 11: Decimal("7.5")}
    assert rows[1].notes == ["congés payés le 12/03/2026"]


def test_parse_timesheet_ruled_pdf_with_wrapped_cells_keeps_one_row_per_person():
    rows = parse_timesheet((DATA / "pdf_tableau_regle.pdf").read_bytes()).rows
    assert [(r.last_name, r.first_name) for r in rows] == [
        ("ROUX", "Thomas"), ("DE SOUSA FERREIRA", "Maria da Conceição"), ("LAMBERT", "Lucas")]


@pytest.mark.parametrize("text", [
    # A surname that is also a header word, in every name layout (found 2026-11).
    "Relevé mars 2026\nNom;Prénom;1;2;3;Total\nDUPONT;Marie;7;7;7;21\nNOM;Paul;7;7;;14\nMARTIN;Léa;3,5;;;3,5\n",
    "Relevé mars 2026\nNom;Prénom;1;2;3;Total\nDUPONT;Marie;7;7;7;21\nNOM;Paul;7;8;;15\nMARTIN;Léa;3,5;;;3,5\n",
    "Relevé mars 2026\nSalarié;1;2;3;Total\nDUPONT Marie;7;7;7;21\nNOM Paul;7;8;;15\nMARTIN Léa;3,5;;;3,5\n",
    "Relevé mars 2026\nNom;Prénom;Heures\nDUPONT;Marie;21\nNOM;Paul;15\nMARTIN;Léa;3,5\n",
])
def test_parse_timesheet_person_named_like_a_header_is_a_person(text):
    result = parse_timesheet(text.encode())
    people = [(row.last_name.upper(), row.first_name.upper(), row.hours) for row in result.rows]
    assert people[0] == ("DUPONT", "MARIE", Decimal(21))
    assert people[1][:2] == ("NOM", "PAUL") and people[1][2] in (Decimal(14), Decimal(15))
    assert people[2] == ("MARTIN", "LÉA", Decimal("3.5"))


@pytest.mark.parametrize("text", [
    "Relevé mars 2026\nNom;Prénom;1;2;3;Total\nDUPONT;Marie;7;7;7;21\nNom;Prénom;1;2;3;Total\nMARTIN;Léa;3,5;;;3,5\n",
    "Relevé mars 2026\nSalarié;1;2;3;Total\nDUPONT Marie;7;7;7;21\nSalarié;1;2;3;Total\nMARTIN Léa;3,5;;;3,5\n",
])
def test_parse_timesheet_header_repeated_under_the_data_is_skipped(text):
    result = parse_timesheet(text.encode())
    assert [(row.last_name, row.hours) for row in result.rows] == [("DUPONT", Decimal(21)), ("MARTIN", Decimal("3.5"))]


@pytest.mark.parametrize("name", ["cellule_colonne_16383.xls", "dimensions_1M_lignes.xls", "mulrk_lointain.xls"])
def test_parse_timesheet_legacy_xls_reaching_far_is_refused_before_calamine(name, calamine_forbidden):
    # calamine reads every .xls sheet on opening and aborts the process on these (2026-11).
    from tests.security.hostile_corpus import xls_specifics

    data = next(item for item in xls_specifics() if item.name == name).data()
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(data, name)
    assert caught.value.code == "too_many_rows" and "trop loin" in caught.value.message_fr


def test_parse_timesheet_legacy_xls_golden_still_reads():
    result = parse_timesheet((DATA / "par_jour_dates.xls").read_bytes())
    assert result.file_kind == "xls" and len(result.rows) == 8


def test_parse_timesheet_legacy_xls_generous_dimensions_claim_still_reads():
    # A writer may claim every row of the sheet: 65 536 × 20 cells is a claim calamine can afford.
    from tests.security.hostile_corpus import _xls_patched

    data = _xls_patched(0x0200, 0, "<IIHH", 0, 65536, 0, 20)
    assert len(parse_timesheet(data, "releve.xls").rows) == 8


def test_template_names_siae_declared_people_read_only_and_the_reader_skips_them():
    data = build_timesheet_template("Entreprise B", "12345678900011", "2026-11", [
        TemplateLine("MARTIN", "Paul", "T-1 — lot 1"),
        TemplateLine("DUMONT", "Sandrine", "T-1 — lot 2", declared_by="ETTI Interim Lys")])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    texts = [cell.value for cell in ws["A"] if cell.value]
    assert "DUMONT Sandrine — T-1 — lot 2 : déclaré par ETTI Interim Lys (lecture seule)" in texts
    assert [ws.cell(9, 1).value, ws.cell(10, 1).value] == ["MARTIN", None]
    ws.cell(9, 4).value = 7.5
    out = io.BytesIO()
    wb.save(out)
    sheet = parse_timesheet(out.getvalue(), "releve.xlsx", period_hint="2026-11")
    assert [(row.last_name, row.hours) for row in sheet.rows] == [("MARTIN", Decimal("7.50"))]
