"""``clausier timesheet parse``: JSON shape, exit codes and French errors."""

import json
from pathlib import Path

from click.testing import CliRunner

from app.cli.timesheet import timesheet

DATA = Path(__file__).resolve().parent / "data" / "timesheets"


def _run(*args):
    return CliRunner().invoke(timesheet, ["parse", *map(str, args)])


def test_timesheet_parse_json_has_the_documented_shape():
    result = _run(DATA / "mensuel_siae.xlsx", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"period", "rows", "warnings"} and document["period"] == "2026-03"
    first = document["rows"][0]
    assert {"last_name", "first_name", "hours", "training_hours", "lot", "source"} <= set(first)
    assert (first["last_name"], first["hours"], first["training_hours"]) == ("MARTIN", "140", "7")
    assert first["source"] == {"sheet": "Relevé", "row": 8}
    assert set(document["warnings"][0]) == {"code", "message", "person"}


def test_timesheet_parse_file_with_warnings_exits_zero():
    result = _run(DATA / "hebdo_semaines.xlsm", "--json")
    assert result.exit_code == 0
    codes = [w["code"] for w in json.loads(result.stdout)["warnings"]]
    assert codes == ["week_over_48h", "duplicate_row"]


def test_timesheet_parse_summary_is_a_french_table():
    result = _run(DATA / "journalier_grille.xlsx")
    assert result.exit_code == 0
    assert "mars 2026 — 3 ligne(s)" in result.stdout and "DUPONT Marie" in result.stdout
    assert "72,5 h" in result.stdout and "point(s) à vérifier" in result.stdout


def test_timesheet_parse_period_option_fills_missing_month(tmp_path):
    path = tmp_path / "releve.csv"
    path.write_text("Nom;Prénom;Heures\nDUPONT;Marie;35\n", encoding="utf-8")
    result = _run(path, "--json", "--period", "2026-05")
    assert json.loads(result.stdout)["period"] == "2026-05"


def test_timesheet_parse_empty_file_exits_2_with_french_message(tmp_path):
    path = tmp_path / "vide.xlsx"
    path.write_bytes(b"")
    result = _run(path, "--json")
    assert result.exit_code == 2
    assert result.stdout == "" and "Le fichier est vide." in result.stderr


def test_timesheet_parse_truncated_workbook_exits_2_without_traceback(tmp_path):
    data = (DATA / "mensuel_siae.xlsx").read_bytes()
    path = tmp_path / "coupe.xlsx"
    path.write_bytes(data[: len(data) // 2])
    result = _run(path)
    assert result.exit_code == 2
    assert "abîmé" in result.stderr and "Traceback" not in result.output


def test_timesheet_parse_scan_without_ocr_exits_2(monkeypatch):
    # The sandbox's child would not see the patch: the parse runs in this process here.
    from app.domain.timesheets import parse_timesheet

    monkeypatch.setattr("app.cli.timesheet.read_timesheet", parse_timesheet)
    monkeypatch.setattr("app.domain.timesheets.pdf.ocr_available", lambda: False)
    result = _run(DATA / "pdf_scan.pdf", "--json")
    assert result.exit_code == 2
    assert "scannée" in result.stderr and "Excel" in result.stderr


def test_timesheet_parse_missing_file_exits_2(tmp_path):
    result = _run(tmp_path / "absent.pdf")
    assert result.exit_code == 2 and "introuvable" in result.stderr
