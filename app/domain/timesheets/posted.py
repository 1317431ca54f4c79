"""Hours sent as JSON (the API) read into the same ParsedTimesheet as a file, with the same checks."""

from dataclasses import dataclass
from decimal import Decimal

from app.domain.timesheets import checks
from app.domain.timesheets.model import ParsedRow, ParsedTimesheet

POSTED_KIND = "api"


@dataclass(frozen=True)
class PostedLine:
    """One person's hours on one lot for the month, as the caller sent them."""

    last_name: str
    first_name: str
    lot: str | None
    hours: Decimal
    training_hours: Decimal = Decimal(0)


def read_posted_hours(period: str, lines: list[PostedLine]) -> ParsedTimesheet:
    """Return the sheet a file with these lines would give: monthly rows, 48 h and duplicate checks."""
    rows, warnings = [], []
    for number, line in enumerate(lines, start=1):
        row = ParsedRow(line.last_name, line.first_name, line.hours, line.training_hours, lot=line.lot,
                        source={"line": number})
        # The same monthly ceiling a grid's total column gets (rows.py): 48 h a week on average.
        warning = checks.month_over(row, period)
        if warning:
            row.needs_review = True
            warnings.append(warning)
        rows.append(row)
    warnings.extend(checks.check_rows(rows))
    return ParsedTimesheet(period, rows, warnings, POSTED_KIND)
