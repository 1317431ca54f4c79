"""Read one grid (a sheet, a CSV file, a PDF): title block, tables, lines."""

import re
from dataclasses import dataclass, field

from app.domain.timesheets.columns import DAY
from app.domain.timesheets.hours import fold
from app.domain.timesheets.layout import HEADER_ROOT, Table, find_first_table, maybe_header, table_at
from app.domain.timesheets.limits import Deadline
from app.domain.timesheets.model import Grid, ParsedRow, ParseWarning
from app.domain.timesheets.period import (
    find_period_in_cells,
    find_period_in_text,
    majority_period,
    period_of,
    title_info,
)
from app.domain.timesheets.rows import RowReader

_LOT = re.compile(r"^\s*lot\s*(n°|no|n)?\s*\d")
_SPECIAL = re.compile(HEADER_ROOT.pattern + r"|^\s*lot", re.IGNORECASE)


@dataclass
class GridResult:
    """What one grid gave: its lines, month, lot and title-block fields."""

    name: str
    rows: list[ParsedRow]
    period: str | None
    warnings: list[ParseWarning] = field(default_factory=list)
    info: dict[str, str] = field(default_factory=dict)


def lot_of(text: str) -> str | None:
    """Return ``Lot 3 - Peinture`` when a sheet name or a heading names a lot."""
    text = " ".join(str(text).split())
    return text if _LOT.match(fold(text)) else None


def _header_period(table: Table) -> str | None:
    dated = [col.on for col in table.by_kind.get(DAY, []) if col.on]
    return majority_period(dated)


def _heading(row: list[object]) -> str | None:
    filled = [cell for cell in row[:6] if cell is not None and cell != ""]
    if len(filled) == 1 and isinstance(filled[0], str):
        return lot_of(filled[0])
    return None


def read_grid(grid: Grid, *, period_hint: str | None, deadline: Deadline) -> GridResult | None:
    """Return the lines of every table in a grid, or None when it holds no timesheet."""
    rows = grid.rows
    table = find_first_table(rows)
    if table is None:
        return None
    title = rows[: table.header_start]
    info = title_info(title)
    period = (
        find_period_in_cells(rows[: table.data_start])
        or find_period_in_text(grid.name, with_dates=False)
        or _header_period(table)
    )
    lot = lot_of(grid.name) or (lot_of("Lot " + info["lot"]) if info.get("lot") else None)
    for row in title:
        lot = _heading(row) or lot
    warnings: list[ParseWarning] = []
    reader = RowReader(table, period=period or period_hint, lot=lot, warnings=warnings)
    name_index = (table.first("full") or table.first("last")).index
    found: list[ParsedRow] = []
    index = table.data_start
    while index < len(rows):
        if index % 256 == 0:
            deadline.check()
        row = rows[index]
        # Cheap test on every line: only a name cell or first cell that is text can start
        # a repeated header or a "Lot 3 - Peinture" heading.
        name_cell = row[name_index] if name_index < len(row) else None
        first_cell = row[0] if row else None
        special = (name_cell.__class__ is str and _SPECIAL.search(name_cell)) or (
            first_cell.__class__ is str and _SPECIAL.search(first_cell))
        if special and maybe_header(row, name_index):
            again = table_at(rows, index)
            if again is not None:
                reader = RowReader(again, period=reader.period, lot=reader.lot, warnings=warnings)
                name_index = (again.first("full") or again.first("last")).index
                index = again.data_start
                continue
        heading = _heading(row) if special else None
        if heading:
            reader.lot = heading
        else:
            parsed = reader.read(row, grid.sources[index])
            if parsed is not None:
                found.append(parsed)
        index += 1
    if period is None:
        period = majority_period([r.day for r in found if r.day]) or None
    return GridResult(grid.name, found, period, warnings, info)


def normalise_hint(hint: str | None) -> str | None:
    """Accept ``2026-03`` (or ``03/2026``) as a period hint, ignore anything else."""
    if not hint:
        return None
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", hint)
    if match:
        return period_of(int(match.group(1)), int(match.group(2)))
    return find_period_in_text(hint, with_dates=False)
