"""Dataclasses shared by every timesheet reader, and their JSON shape."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.domain.sheetmap.hours import parse_hours

ZERO = Decimal(0)
CENT = Decimal("0.01")


class TimesheetError(Exception):
    """A file could not be read; ``message_fr`` is shown to the user as is."""

    def __init__(self, message_fr: str, code: str = "unreadable") -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr
        self.code = code

    def __reduce__(self):
        # Keep the code when the error crosses the sandbox's process boundary (pickle).
        return type(self), (self.message_fr, self.code)


@dataclass(frozen=True)
class ParseWarning:
    """Something a person should look at; the figures were kept as written."""

    code: str
    message: str
    person: str | None = None


@dataclass(slots=True)
class ParsedRow:
    """One person's hours for the month (``day`` is None) or for one dated line."""

    last_name: str
    first_name: str
    hours: Decimal
    training_hours: Decimal = ZERO
    lot: str | None = None
    day: date | None = None
    source: dict = field(default_factory=dict)
    needs_review: bool = False
    notes: list[str] = field(default_factory=list)
    external_id: str | None = None
    # Raw cells of a daily or weekly grid, kept unparsed because most callers never
    # need them and big sheets must stay fast: day numbers and their cells side by side.
    day_keys: tuple[int, ...] = ()
    day_values: list[object] | tuple = ()
    week_cells: dict[str, object] = field(default_factory=dict)

    @property
    def person(self) -> str:
        """Return the name as a person would write it: ``DUPONT Marie``."""
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def day_cells(self) -> dict[int, object]:
        """Return day of month → raw cell for daily grids."""
        return dict(zip(self.day_keys, self.day_values))

    def day_hours(self) -> dict[int, Decimal]:
        """Return the hours of each day of the month that has some (grids only)."""
        return _hours_of(self.day_cells)

    def week_hours(self) -> dict[str, Decimal]:
        """Return the hours of each week column that has some (weekly grids only)."""
        return _hours_of(self.week_cells)


def _hours_of(cells: dict) -> dict:
    found = {}
    for key, value in cells.items():
        hours = parse_hours(value).hours
        if hours:
            found[key] = hours
    return found


@dataclass
class ParsedTimesheet:
    """What one file holds: the month, the hour lines and what to check."""

    period: str | None
    rows: list[ParsedRow]
    warnings: list[ParseWarning]
    file_kind: str
    sheets: list[str] = field(default_factory=list)
    info: dict[str, str] = field(default_factory=dict)


def format_decimal(value: Decimal) -> str:
    """Write hours with at most two decimals and no trailing zeros: ``7.5``, ``151.67``."""
    text = format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def row_to_dict(row: ParsedRow) -> dict:
    """Return the JSON shape of one row (the CLI and the golden files use it)."""
    return {
        "last_name": row.last_name,
        "first_name": row.first_name,
        "hours": format_decimal(row.hours),
        "training_hours": format_decimal(row.training_hours),
        "lot": row.lot,
        "day": row.day.isoformat() if row.day else None,
        "needs_review": row.needs_review,
        "notes": list(row.notes),
        "source": dict(row.source),
    }


def timesheet_to_dict(sheet: ParsedTimesheet) -> dict:
    """Return the JSON document printed by ``clausier timesheet parse --json``."""
    return {
        "period": sheet.period,
        "rows": [row_to_dict(row) for row in sheet.rows],
        "warnings": [
            {"code": w.code, "message": w.message, "person": w.person} for w in sheet.warnings
        ],
    }


@dataclass
class Grid:
    """A sheet, a CSV file or a PDF table as rows of cells, with where each row came from."""

    name: str
    rows: list[list[object]]
    sources: list[dict]
    ocr: bool = False
    # A PDF whose text layer lies over a scanned image: read, but every figure is a guess.
    over_scan: bool = False
    # What the reader left out on purpose (hidden sheets and columns), said in the preview.
    warnings: list[ParseWarning] = field(default_factory=list)


FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit)


def reraise_fatal(exc: BaseException) -> None:
    """Let Ctrl-C and exits through; readers turn everything else into a TimesheetError."""
    # Rust readers raise pyo3's PanicException, a BaseException, on malformed input.
    if isinstance(exc, FATAL):
        raise exc
