"""Reading profiles: a layout the automatic reading refuses, mapped once, read every month."""

from pathlib import Path

import pytest

from app.domain.sheetmap import SheetMapping, with_skip_labels
from app.domain.timesheets import (
    ROLES,
    ReadingProfile,
    TimesheetError,
    parse_timesheet,
    preview_sheets,
    suggest_header_row,
    suggest_roles,
    timesheet_to_dict,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "timesheets" / "profiles"
MARCH, APRIL = (DATA / "ressources_mars.xlsx").read_bytes(), (DATA / "ressources_avril.xlsx").read_bytes()
# Ressource | Code RH | Réalisé (h) | Form. | Sup. | Commentaire, header on the third line in March.
COLUMNS = {0: "full", 1: "id", 2: "hours", 3: "training", 4: "overtime", 5: "remarks"}


def _mapping() -> SheetMapping:
    rows = [[cell for cell in row] for row in preview_sheets(MARCH)[0].rows]
    mapping = SheetMapping(2, COLUMNS, "Export", frozenset({6}))
    return with_skip_labels(mapping, rows)


def _people(sheet) -> list[tuple[str, str, str, str]]:
    return [(r["last_name"], r["first_name"], r["hours"], r["training_hours"])
            for r in timesheet_to_dict(sheet)["rows"]]


def test_parse_timesheet_unmapped_layout_refused():
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(MARCH, "export.xlsx")
    assert caught.value.code == "no_table"


def test_parse_timesheet_with_mapping_reads_civilities_overtime_and_skips_the_sum_line():
    sheet = parse_timesheet(MARCH, "export.xlsx", mapping=_mapping())
    assert sheet.period == "2026-03"
    assert _people(sheet) == [("BERTRAND-N'GOMA", "Océane", "140", "7"), ("DE LA ROCHE", "Édouard", "155.67", "0"),
                              ("PHAM", "Minh-Tuấn", "77", "3.5")]
    assert sheet.info["profile"] == ""


def test_parse_timesheet_next_month_recognised_by_its_header_signature():
    profile = ReadingProfile("Export PlanRessources", SheetMapping.from_dict(_mapping().to_dict(), set(ROLES)))
    sheet = parse_timesheet(APRIL, "export-avril.xlsx", profiles=[profile])
    assert sheet.info["profile"] == "Export PlanRessources" and sheet.period == "2026-04"
    assert _people(sheet) == [("BERTRAND-N'GOMA", "Océane", "135", "7"), ("PHAM", "Minh-Tuấn", "151.67", "0"),
                              ("ZÉNOU", "Lou-Anne", "35", "14")]


def test_parse_timesheet_profile_of_another_layout_falls_back_to_automatic_reading():
    other = ReadingProfile("Autre", SheetMapping(0, {0: "full", 1: "hours"}, signature="0" * 32))
    golden = Path(__file__).resolve().parents[2] / "data" / "timesheets" / "mensuel_siae.xlsx"
    sheet = parse_timesheet(golden.read_bytes(), "mensuel.xlsx", profiles=[other])
    assert "profile" not in sheet.info and len(sheet.rows) == 4


@pytest.mark.parametrize(("columns", "words"), [
    ({0: "full"}, "colonne d'heures"), ({2: "hours"}, "colonne du nom"),
    ({0: "full", 1: "last", 2: "hours"}, "pas les deux"),
])
def test_parse_timesheet_incomplete_mapping_refused_in_french(columns, words):
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(MARCH, "export.xlsx", mapping=SheetMapping(2, columns))
    assert caught.value.code == "mapping" and words in caught.value.message_fr


def test_parse_timesheet_saved_mapping_finds_its_header_in_the_next_file():
    saved = SheetMapping.from_dict(_mapping().to_dict(), set(ROLES))
    sheet = parse_timesheet(APRIL, "export-avril.xlsx", mapping=saved)
    assert [r["hours"] for r in timesheet_to_dict(sheet)["rows"]] == ["135", "151.67", "35"]


def test_parse_timesheet_saved_mapping_on_another_layout_refused():
    saved = SheetMapping.from_dict(_mapping().to_dict(), set(ROLES))
    golden = Path(__file__).resolve().parents[2] / "data" / "timesheets" / "mensuel_siae.xlsx"
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(golden.read_bytes(), "mensuel.xlsx", mapping=saved)
    assert caught.value.code == "mapping" and "ligne d'en-tête du profil" in caught.value.message_fr


def test_suggest_header_row_and_roles_start_the_grid_where_a_person_would():
    rows = preview_sheets(MARCH)[0].rows
    header = suggest_header_row(rows)
    assert header == 2
    # « Ressource » and « Form. » are for the person to say: the grid leaves them unread.
    assert suggest_roles(rows[header]) == {2: "hours", 4: "overtime", 5: "remarks"}
    assert suggest_roles(["Nom", "1", "2", "Total"]) == {0: "full", 1: "day", 2: "day", 3: "total"}


def test_parse_timesheet_pay_item_mapping_folds_each_person():
    # A pay-item export whose headers the automatic reading does not know: « Élt », « Qté paie ».
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Période 04/2026"])
    ws.append(["Collab.", "Élt", "Qté paie", "U."])
    ws.append(["FERREIRA Nuno", "Heures normales", "140:00", "H"])
    ws.append([None, "Heures sup. 25 %", "5:30", "H"])
    ws.append([None, "Congés payés", "2", "J"])
    ws.append(["OUMAROU Hawa", "Heures normales", "151:40", "H"])
    out = io.BytesIO()
    wb.save(out)
    mapping = SheetMapping(1, {0: "full", 1: "item", 2: "quantity", 3: "unit"})
    sheet = parse_timesheet(out.getvalue(), "paie.xlsx", mapping=mapping)
    assert _people(sheet) == [("FERREIRA", "Nuno", "145.5", "0"), ("OUMAROU", "Hawa", "151.67", "0")]
    assert sheet.rows[0].notes == ["Congés payés : 2 j"]
