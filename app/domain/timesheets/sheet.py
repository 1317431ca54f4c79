"""Read one grid (a sheet, a CSV file, a PDF): title block, tables, lines."""

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from operator import itemgetter

from app.domain.timesheets.block import read_block
from app.domain.timesheets.columns import DAY, HOUR_KINDS, IGNORE, NAME_LABELS, kind_of_label, label_text
from app.domain.sheetmap.hours import fold
from app.domain.timesheets.layout import (
    HEADER_ROOT,
    HEADER_ROOTS,
    Table,
    find_first_table,
    maybe_header,
    table_at,
)
from app.domain.timesheets.limits import Deadline
from app.domain.timesheets.families.marks import stated_lengths
from app.domain.timesheets.families.payitems import merge_item_lines
from app.domain.timesheets.model import Grid, ParsedRow, ParseWarning
from app.domain.sheetmap.period import (
    find_period_in_cells,
    find_period_in_text,
    majority_period,
    period_of,
    title_info,
)
from app.domain.timesheets.rows import RowReader

_LOT = re.compile(r"^\s*lot\s*(n°|no|n)?\s*\d")
_SPECIAL = re.compile(HEADER_ROOT.pattern + r"|^\s*lot", re.IGNORECASE)
_SPECIAL_JOINED = re.compile(HEADER_ROOT.pattern + r"|\x00\s*lot", re.IGNORECASE)
_LOT_JOINED = re.compile(r"\x00\s*lot")


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


def _is_special(row: list[object], name_index: int) -> bool:
    # Only a name cell or first cell that is text can start a repeated header or a
    # "Lot 3 - Peinture" heading.
    name_cell = row[name_index] if name_index < len(row) else None
    first_cell = row[0] if row else None
    return bool((name_cell.__class__ is str and _SPECIAL.search(name_cell)) or (
        first_cell.__class__ is str and _SPECIAL.search(first_cell)))


class _SpecialLines:
    """Find the next line that may be a header or a heading, 2048 lines at a time."""

    def __init__(self, rows: list[list[object]], name_index: int) -> None:
        self.rows, self.name_index = rows, name_index
        self.start = self.stop = 0
        self.found: list[int] = []

    def next_from(self, index: int) -> int:
        """Return the first such line at or after ``index``, or the end of its 2048 lines."""
        if not self.start <= index < self.stop:
            self.start, self.stop = index, min(len(self.rows), index + 2048)
            block = self.rows[self.start:self.stop]
            shortest = min(map(len, block))
            hits = {i for column in {self.name_index, 0} for i in _text_hits(block, column, shortest)}
            self.found = [self.start + i for i in sorted(hits) if _is_special(block[i], self.name_index)]
        at = bisect_left(self.found, index)
        return self.found[at] if at < len(self.found) else self.stop


def _text_hits(block: list[list[object]], column: int, shortest: int) -> list[int]:
    # One search over the column joined replaces a search per line (each hit is checked
    # on its line afterwards). Lower-casing first lets plain substring searches replace
    # the slow case-insensitive regex: only "İ", "ı" and "ſ" match a root letter without
    # lowering to it, and they send the column to the case-insensitive search.
    if shortest > column:
        cells = list(map(itemgetter(column), block))
    else:
        cells = [row[column] if column < len(row) else None for row in block]
    kinds = set(map(type, cells))
    if str not in kinds:
        return []
    texts = cells if kinds == {str} else [cell if cell.__class__ is str else "" for cell in cells]
    joined = "\x00" + "\x00".join(texts)  # each cell starts after a "\x00", like "^"
    if any(odd in joined for odd in "\u0130\u0131\u017f"):
        matches = list(_SPECIAL_JOINED.finditer(joined))
    else:
        joined = joined.lower()
        if not any(root in joined for root in (*HEADER_ROOTS, "lot")):
            return []  # the usual run of names: no root at all
        matches = [*HEADER_ROOT.finditer(joined), *_LOT_JOINED.finditer(joined)]
    return [joined.count("\x00", 0, m.end()) - 1 for m in matches]


def _repeats_header(row: list[object], again: Table, current: Table) -> bool:
    """Tell a header repeated under the data from a person named like a label (« NOM Paul »).

    A header never gives the same day twice (a line of hours does: 7, 7, 14), nor a day
    where the current header says « Total »; and where the current table has name columns it
    holds labels there (« Prénom »), not a first name.
    """
    day_columns = again.by_kind.get(DAY, ())
    if len({col.day for col in day_columns}) < len(day_columns):
        return False
    other_hours = {col.index for col in current.columns if col.kind in HOUR_KINDS and col.kind != DAY}
    if any(col.index in other_hours for col in day_columns):
        return False
    for col in current.columns:
        if col.kind in NAME_LABELS and col.index < len(row) and isinstance(row[col.index], str):
            if kind_of_label(label_text(row[col.index])) == IGNORE:
                return False
    return True


def read_grid(grid: Grid, *, period_hint: str | None, deadline: Deadline) -> GridResult | None:
    """Return the lines of every table in a grid, or None when it holds no timesheet."""
    rows = grid.rows
    table = find_first_table(rows)
    if table is None:
        return None
    title = rows[: table.header_start]
    info = title_info(title)
    head = rows[: table.data_start]
    # Real dates in the header outvote a date range in the title: « du 30/03 au 05/04 » is April's week.
    period = (
        find_period_in_cells(head, with_dates=False)
        or _header_period(table)
        or find_period_in_cells(head)
        or find_period_in_text(grid.name, with_dates=False)
    )
    lot = lot_of(grid.name) or (lot_of("Lot " + info["lot"]) if info.get("lot") else None)
    for row in title:
        lot = _heading(row) or lot
    warnings: list[ParseWarning] = []
    reader = RowReader(table, period=period or period_hint, lot=lot, warnings=warnings)
    marks = stated_lengths(title) if reader.days else (None, None)
    reader.use_marks(*marks)
    name_index = (table.first("full") or table.first("last")).index
    found: list[ParsedRow] = []
    index = table.data_start
    specials = _SpecialLines(rows, name_index)
    while index < len(rows):
        deadline.check()
        special = specials.next_from(index)
        if special > index:
            found.extend(read_block(reader, rows[index:special], grid.sources[index:special]))
            index = special
            continue
        row = rows[index]
        if maybe_header(row, name_index):
            again = table_at(rows, index)
            if again is not None and _repeats_header(row, again, reader.table):
                reader = RowReader(again, period=reader.period, lot=reader.lot, warnings=warnings)
                reader.use_marks(*marks)
                name_index = (again.first("full") or again.first("last")).index
                index = again.data_start
                if name_index != specials.name_index:
                    specials = _SpecialLines(rows, name_index)
                continue
        heading = _heading(row)
        if heading:
            reader.lot = heading
        else:
            parsed = reader.read(row, grid.sources[index])
            if parsed is not None:
                found.append(parsed)
        index += 1
    if period is None:
        period = majority_period([r.day for r in found if r.day]) or None
    if reader.items:
        found = merge_item_lines(found)
    return GridResult(grid.name, found, period, warnings, info)


def normalise_hint(hint: str | None) -> str | None:
    """Accept ``2026-03`` (or ``03/2026``) as a period hint, ignore anything else."""
    if not hint:
        return None
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", hint)
    if match:
        return period_of(int(match.group(1)), int(match.group(2)))
    return find_period_in_text(hint, with_dates=False)
