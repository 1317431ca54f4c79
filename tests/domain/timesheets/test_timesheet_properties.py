"""Property tests: whatever the bytes, the reader returns a result or a TimesheetError."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.timesheets import ParsedTimesheet, TimesheetError, parse_timesheet

DATA = Path(__file__).resolve().parents[2] / "data" / "timesheets"
GOLDEN = sorted(p for p in DATA.iterdir() if p.suffix in {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".pdf"}
                and p.stem != "pdf_scan")
PREFIXES = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"Nom;Pr\xc3\xa9nom;Heures\n"]


def _parse_or_error(data: bytes) -> None:
    try:
        result = parse_timesheet(data, "fichier.xlsx")
    except TimesheetError as exc:
        assert exc.code != "internal_error", exc.__cause__
        assert exc.message_fr
    else:
        assert isinstance(result, ParsedTimesheet)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2048))
def test_parse_timesheet_arbitrary_bytes_give_result_or_timesheet_error(prefix, body):
    _parse_or_error(prefix + body)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("NomPrénomHeures;,\t\n 0123456789,.hCPTotal:/")), max_size=400))
def test_parse_timesheet_arbitrary_csv_text_gives_result_or_timesheet_error(text):
    _parse_or_error(text.encode("utf-8"))


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_parse_timesheet_mutated_golden_file_gives_result_or_timesheet_error(path, data):
    original = path.read_bytes()
    cut = data.draw(st.integers(min_value=0, max_value=len(original)), label="cut")
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(original) - 1), st.integers(0, 255)), max_size=8))
    mutated = bytearray(original)
    for index, value in flips:
        mutated[index] = value
    _parse_or_error(bytes(mutated[:cut]) if data.draw(st.booleans(), label="truncate") else bytes(mutated))
