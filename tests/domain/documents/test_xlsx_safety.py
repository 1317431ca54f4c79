from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from app.domain.documents.xlsx import FORMULA_TRIGGERS, clean_text, csv_safe, safe_cell, write_rows

# Text shaped like an attack as well as arbitrary Unicode, control characters included.
formula_like = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(["=", "+", "-", "@", "\t", "\r", " =", "=cmd|' /C calc'!A0", "=1+2"]),
    st.text(),
)
user_text = st.one_of(formula_like, st.text())


def round_trip(values: list[str]):
    wb = Workbook()
    write_rows(wb.active, [[v] for v in values])
    buffer = BytesIO()
    wb.save(buffer)
    return [row[0] for row in load_workbook(BytesIO(buffer.getvalue())).active.iter_rows()]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(user_text, min_size=1, max_size=8))
def test_write_rows_any_user_text_never_becomes_formula(values):
    cells = round_trip(values)
    for value, cell in zip(values, cells, strict=False):
        assert cell.data_type != "f"
        cleaned = clean_text(value)
        if cleaned:
            assert cell.data_type == "s"
            assert cell.value == cleaned


def test_safe_cell_formula_text_keeps_string_type_in_memory():
    ws = Workbook().active
    cell = safe_cell(ws, 1, 1, "=SUM(A2:A9)")
    assert (cell.data_type, cell.value) == ("s", "=SUM(A2:A9)")


def test_clean_text_control_characters_removed_tabs_kept():
    assert clean_text("a\x00b\x1fc\tdé\n\ufffe") == "abc\tdé\n"
    assert len(clean_text("x" * 40_000)) == 32_767


@given(user_text)
def test_csv_safe_any_text_never_starts_with_trigger(value):
    safe = csv_safe(value)
    assert not safe.startswith(FORMULA_TRIGGERS)
    assert not safe.lstrip(" ").startswith(FORMULA_TRIGGERS)
    assert safe in (value, "'" + value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+33612345678", "'+33612345678"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcalc", "'\tcalc"),
        ("\rcalc", "'\rcalc"),
        ("  =1+2", "'  =1+2"),
        ("Durand", "Durand"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-5, "-5"),  # a number we produced keeps its sign
    ],
)
def test_csv_safe_trigger_characters_get_quote_prefix(value, expected):
    assert csv_safe(value) == expected
