"""Guards added by issue #12: .ods repeats, CR-only CSV rows, PDF stream bypasses, pdfplumber's cost."""

import pytest

from app.domain.timesheets import TimesheetError, parse_timesheet
from app.domain.timesheets.csv import count_lines
from app.domain.timesheets.guards import check_pdf_streams
from tests.domain.timesheets.test_timesheet_units import calamine_forbidden  # noqa: F401 - a fixture
from tests.security.hostile_corpus import (
    _bomb_stream,
    _ods_cell,
    _ruled_maze,
    ods_repeat_bomb,
    ods_specifics,
    ods_with_rows,
)

MB = 1024 * 1024


@pytest.mark.parametrize("item", list(ods_specifics()), ids=lambda item: item.name)
def test_parse_timesheet_ods_repeats_expanding_too_far_are_refused_before_calamine(item, calamine_forbidden):  # noqa: F811
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(item.data(), item.name)
    assert caught.value.code == "too_many_rows"


def test_parse_timesheet_ods_empty_padding_repeats_still_read():
    # LibreOffice pads every sheet with a million empty rows and a thousand empty cells.
    rows = (b"<table:table-row>" + _ods_cell(1, b"<text:p>Nom</text:p>") + _ods_cell(1, b"<text:p>Heures</text:p>")
            + b'<table:table-cell table:number-columns-repeated="1022"/></table:table-row>'
            + b"<table:table-row>" + _ods_cell(1, b"<text:p>DUPONT Marie</text:p>")
            + _ods_cell(1, b"<text:p>35</text:p>", b"float", b' office:value="35"') + b"</table:table-row>"
            + b'<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
              b'table:number-columns-repeated="1024"/></table:table-row>')
    result = parse_timesheet(ods_with_rows(rows), period_hint="2026-03")
    assert [(row.last_name, row.hours) for row in result.rows] == [("DUPONT", 35)]


def test_ods_repeat_bomb_is_the_size_of_the_reported_file():
    assert len(ods_repeat_bomb(text=True)) < 1000 and len(ods_repeat_bomb(text=False)) < 1000


@pytest.mark.parametrize("text, lines", [("a\nb\n", 2), ("a\rb\r", 2), ("a\r\nb\r\n", 2), ("a\r\nb\rc\n", 3), ("a", 0)])
def test_count_lines_counts_as_the_csv_module_splits(text, lines):
    assert count_lines(text) == lines


def test_parse_timesheet_csv_cr_only_over_row_limit_is_refused():
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(b"Nom;Heures\r" + b"DUPONT;7\r" * 20_001)
    assert caught.value.code == "too_many_rows"


@pytest.mark.parametrize("dictionary, extra", [
    (b"/Filter /F#6cateDecode", ()),
    (b"/Filter /#46#6C#61#74#65#44#65#63#6F#64#65", ()),
    (b"/Filter /FlateDecode /Pad (" + b"x" * 5000 + b")", ()),
    (b"/Filter 5 0 R", (b"/FlateDecode",)),
    (b"/Filter [5 0 R]", (b"/FlateDecode",)),
], ids=["hex-escape", "all-escaped", "long-dictionary", "indirect", "indirect-array"])
def test_check_pdf_streams_bypasses_are_caught(dictionary, extra):
    with pytest.raises(TimesheetError) as caught:
        check_pdf_streams(_bomb_stream(dictionary, extra), 16 * MB, 200 * MB)
    assert caught.value.code == "pdf_bomb"


def test_parse_timesheet_pdf_of_400k_strokes_never_reaches_pdfplumber(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("pdfplumber was handed 400 000 strokes")

    monkeypatch.setattr("app.domain.timesheets.pdfruled.read_ruled_tables", never)
    with pytest.raises(TimesheetError) as caught:
        parse_timesheet(_ruled_maze(4000), "note.pdf")
    assert caught.value.code == "no_table"
