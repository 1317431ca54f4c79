"""Golden files: every sample timesheet parses to its reviewed expected JSON."""

import json
from pathlib import Path

import pytest

from app.domain.timesheets import TimesheetError, parse_timesheet, timesheet_to_dict
from app.domain.timesheets.ocr import ocr_available

DATA = Path(__file__).resolve().parents[2] / "data" / "timesheets"
CASES = sorted(p for p in DATA.iterdir() if p.suffix in {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".pdf"})


def test_golden_corpus_covers_every_format():
    assert {p.suffix for p in CASES} == {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".pdf"}
    assert all(p.with_name(p.stem + ".expected.json").exists() for p in CASES)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_parse_timesheet_golden_file_matches_expected_json(path):
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    if path.stem == "pdf_scan" and not ocr_available():
        with pytest.raises(TimesheetError) as caught:
            parse_timesheet(path.read_bytes(), path.name)
        assert caught.value.code == "scan"
        pytest.skip("tesseract (fra) absent: the scan is refused with a French message")
    assert timesheet_to_dict(parse_timesheet(path.read_bytes(), path.name)) == expected
