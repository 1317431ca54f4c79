"""Hours posted as JSON read into the same sheet as a file, with the same checks."""

from decimal import Decimal

from app.domain.timesheets.posted import PostedLine, read_posted_hours


def test_posted_hours_become_monthly_rows_with_their_line():
    sheet = read_posted_hours("2026-03", [PostedLine("DURAND", "Camille", "REF — lot 1", Decimal("35.5"), Decimal(7))])
    row = sheet.rows[0]
    assert (sheet.period, sheet.file_kind, sheet.warnings) == ("2026-03", "api", [])
    assert (row.person, row.hours, row.training_hours, row.lot, row.day, row.source) == (
        "DURAND Camille", Decimal("35.5"), Decimal(7), "REF — lot 1", None, {"line": 1})


def test_posted_hours_over_48_hours_a_week_and_duplicates_are_doubts():
    lines = [PostedLine("DURAND", "Camille", "REF — lot 1", Decimal(300)),
             PostedLine("Durand", "Camille", "REF — lot 1", Decimal(300))]
    sheet = read_posted_hours("2026-02", lines)
    codes = [w.code for w in sheet.warnings]
    assert codes.count("week_over_48h") == 2 and "duplicate_row" in codes
    assert all(row.needs_review for row in sheet.rows)
