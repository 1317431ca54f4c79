"""Field layouts: what each header means, and the files that must be refused in plain French."""

import importlib.util
from pathlib import Path

import pytest

from app.domain.timesheets import TimesheetError, format_decimal, parse_timesheet
from app.domain.timesheets import columns as c
from app.domain.timesheets.columns import kind_of_label, label_text
from app.domain.timesheets.names import split_full_name

CORPUS = Path(__file__).resolve().parents[2] / "data" / "timesheets" / "_make_field_corpus.py"


def corpus():
    spec = importlib.util.spec_from_file_location("field_corpus", CORPUS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("label", "kind"), [
    ("Heures sup. 25 %", c.OVERTIME), ("H. supp.", c.OVERTIME), ("HS 50%", c.OVERTIME),
    ("Heures supplémentaires", c.OVERTIME), ("Heures complémentaires", c.OVERTIME),
    ("Cumul depuis le début", c.IGNORE), ("Cumul annuel", c.IGNORE), ("Total annuel", c.IGNORE),
    ("Cumul contrat", c.IGNORE), ("Cumul du mois", c.TOTAL), ("Total mois", c.TOTAL),
    ("dont heures sur le marché", c.TENDER), ("Dont h. marché", c.TENDER), ("H. entreprise", c.HOURS),
    ("Heures en entreprise", c.HOURS), ("Heures en formation", c.TRAINING), ("Absences (h)", c.IGNORE),
    ("Heures normales", c.HOURS),
])
def test_kind_of_label_field_headers(label, kind):
    assert kind_of_label(label_text(label)) == kind


@pytest.mark.parametrize(("text", "expected"), [
    ("Mme BERTRAND-N'GOMA Océane", ("BERTRAND-N'GOMA", "Océane")), ("M. DE LA ROCHE Édouard", ("DE LA ROCHE", "Édouard")),
    ("Madame N'DIAYE Aïssatou", ("N'DIAYE", "Aïssatou")), ("MARTIN Paul", ("MARTIN", "Paul")),
    ("MME", ("MME", "")),
])
def test_split_full_name_civility_dropped(text, expected):
    assert split_full_name(text) == expected


def test_parse_timesheet_pdf_needing_a_password_refused_in_french():
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(corpus().mot_de_passe_pdf(), "releve.pdf")
    assert caught.value.code == "encrypted" and "mot de passe" in caught.value.message_fr


def test_parse_timesheet_encrypted_workbook_refused_in_french():
    # What Excel writes when « Protéger le classeur » sets an opening password: an OLE file holding
    # an EncryptedPackage stream, whatever the .xlsx name.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(512)
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(data, "releve.xlsx")
    assert caught.value.code == "encrypted" and "mot de passe" in caught.value.message_fr


def test_parse_timesheet_owner_password_pdf_with_a_logo_read_without_doubt():
    sheet = parse_timesheet((CORPUS.parent / "proprietaire.pdf").read_bytes(), "releve.pdf")
    assert not any(row.needs_review for row in sheet.rows)
    assert [w.code for w in sheet.warnings] == []


def test_parse_timesheet_plain_daily_grid_overtime_column_added():
    # Plain daily lines take a fast path: overtime must not be lost there.
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Mois : mars 2026"])
    ws.append(["Nom", "Prénom", *range(1, 32), "H. sup.", "Total"])
    weekdays = [7.0 if d % 7 not in (0, 6) else None for d in range(1, 32)]
    for last, first in (("DUPONT", "Marie"), ("D'ALMEIDA", "José"), ("LE GOFF", "Maëlys")):
        ws.append([last, first, *weekdays, 5.0, sum(v or 0 for v in weekdays) + 5])
    out = io.BytesIO()
    wb.save(out)
    sheet = parse_timesheet(out.getvalue(), "mars.xlsx")
    assert [str(row.hours) for row in sheet.rows] == ["166.00"] * 3  # 23 days of 7 h, and 5 h over
    assert sheet.warnings == [] and all(row.notes == ["dont 5 h supplémentaires"] for row in sheet.rows)


@pytest.mark.parametrize(("value", "label", "expected"), [
    ("30", "pause (min)", (30, False)), ("0:45", "pause", (45, False)), ("1h", "pause", (60, False)),
    ("1", "pause", (60, True)), ("45", "pause", (45, True)), ("0,5", "pause (h)", (30, False)),
    (None, "pause", (0, False)), ("midi", "pause", (None, False)),
])
def test_break_minutes_units(value, label, expected):
    from app.domain.timesheets.families.clock import break_minutes

    assert break_minutes(value, label) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("8:00", 480), ("08h30", 510), ("7h", 420), ("17.45", 1065), ("25:00", None), ("CP", None), (0.5, 720),
])
def test_clock_minutes_reads_times_of_day(value, expected):
    from app.domain.timesheets.families.clock import clock_minutes

    assert clock_minutes(value) == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("Une demi-journée = 3,5 h", ("3.5", None)), ("Durée d'une demi-journée : 3h30", ("3.5", None)),
    ("1/2 journée : 4 h", ("4", None)), ("Journée de 7 h", (None, "7")), ("Relevé de juin 2026", (None, None)),
])
def test_stated_lengths_read_from_the_title(title, expected):
    from app.domain.timesheets.families.marks import stated_lengths

    found = stated_lengths([[title]])
    assert tuple(None if value is None else format(value.normalize(), "f") for value in found) == expected


@pytest.mark.parametrize(("text", "unit", "kind"), [
    ("1000 Heures normales", "H", "worked"), ("HS25 Heures sup 25%", "", "worked"),
    ("Heures complémentaires", "", "worked"), ("1110 Majoration heures supp. 25 %", "H", "premium"),
    ("3100 Heures de formation", "H", "training"), ("CP Congés payés", "J", "absence"),
    ("Absence maladie", "H", "absence"), ("Jour férié", "", "absence"), ("5010 Indemnité repas", "U", "other"),
    ("Heures normales", "J", "other"), ("Heures de nuit", "H", "unknown"), ("AST Astreinte", "", "unknown"),
])
def test_item_kind_pay_items(text, unit, kind):
    from app.domain.timesheets.families.payitems import item_kind

    assert item_kind(text, unit) == kind


def test_parse_timesheet_sheet_named_after_its_person_without_a_name_line():
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Mode d'emploi"
    wb.active.append(["Une feuille par salarié, nommée NOM Prénom."])
    ws = wb.create_sheet("LE ROUX Anaïs")
    ws.append(["Relevé de décembre 2026"])
    ws.append(["Semaine", "Heures travaillées", "Total"])
    for week, hours in (("S49", 35), ("S50", 35), ("S51", 28)):
        ws.append([week, hours, hours])
    ws.append(["Total du mois", 98, 98])
    out = io.BytesIO()
    wb.save(out)
    sheet = parse_timesheet(out.getvalue(), "decembre.xlsx")
    assert [(row.person, format_decimal(row.hours)) for row in sheet.rows] == [("LE ROUX Anaïs", "98")]
    assert sheet.period == "2026-12" and [w.code for w in sheet.warnings] == ["names_above_tables"]


def test_text_pdf_without_pictures_never_walks_its_page_objects():
    # fpdf and office suites list « /ImageB » in every page's ProcSet: that is no picture, and
    # walking the objects of a long text PDF would cost more than reading it.
    from app.domain.timesheets.pdf import _IMAGE_XOBJECT

    text_only = (CORPUS.parent / "pdf_multipage.pdf").read_bytes()
    assert b"/ImageB" in text_only and _IMAGE_XOBJECT.search(text_only) is None
    assert _IMAGE_XOBJECT.search((CORPUS.parent / "scan_texte_releve.pdf").read_bytes()) is not None
