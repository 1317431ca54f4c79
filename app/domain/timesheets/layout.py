"""Find the header block of a timesheet table and what each column holds."""

import re
from dataclasses import dataclass, field

from app.domain.timesheets import columns as c
from app.domain.timesheets.columns import Column, classify, is_header_token, kind_of_label, label_text

_MAX_TITLE_ROWS = 60
_GROUP_WORDS = ("heure", "jour", "semaine", "mois", "salarie", "identite", "formation", "total",
                "realise", "periode", "presence", "detail")


@dataclass
class Table:
    """A header block and the columns it defines; data rows start at ``data_start``."""

    header_start: int
    data_start: int
    columns: list[Column]
    by_kind: dict[str, list[Column]] = field(default_factory=dict)

    def first(self, kind: str) -> Column | None:
        """Return the first column of a kind, if any."""
        found = self.by_kind.get(kind)
        return found[0] if found else None


HEADER_ROOTS = ("nom", "salari", "particip", "identit", "benefic", "interv", "interim", "agent",
                "personne", "collab", "employ", "ouvrier", "prenom", "prénom", "stagiaire", "apprenant")
HEADER_ROOT = re.compile("|".join(HEADER_ROOTS))


def maybe_header(row: list[object], index: int) -> bool:
    """Cheaply tell whether a data line could be a repeated header (checked on every line)."""
    cell = row[index] if index < len(row) else None
    if not isinstance(cell, str):
        cell = next((x for x in row[:4] if isinstance(x, str) and x), None)
        if cell is None:
            return False
    return HEADER_ROOT.search(cell.lower()) is not None and _name_labels(row)


def _name_labels(row: list[object]) -> bool:
    # Cheap pre-check run on every data row: a header names people in its first cells.
    seen = 0
    for cell in row:
        if cell is None or cell == "":
            continue
        if isinstance(cell, str) and kind_of_label(label_text(cell)) in c.NAME_LABELS:
            return True
        seen += 1
        if seen >= 4:
            return False
    return False


def _is_continuation(row: list[object]) -> bool:
    filled = [cell for cell in row if cell is not None and cell != ""]
    if not filled or not all(is_header_token(cell) for cell in filled):
        return False
    days = [c.day_of(cell)[0] for cell in filled if isinstance(cell, (int, float))]
    return all(a < b for a, b in zip(days, days[1:]))


def _is_group_row(row: list[object]) -> bool:
    filled = [cell for cell in row if cell is not None and cell != ""]
    if not filled or len(filled) > len(row) // 2 + 1:
        return False
    for cell in filled:
        text = label_text(cell)
        if not isinstance(cell, str) or ":" in text:
            return False
        if not any(word in text for word in _GROUP_WORDS) and kind_of_label(text) == c.IGNORE:
            return False
    return True


def table_at(rows: list[list[object]], index: int) -> Table | None:
    """Return the table whose header starts at ``rows[index]``, if that row is a header."""
    row = rows[index]
    if not _name_labels(row):
        return None
    block = [index]
    below = index + 1
    while below < len(rows) and below <= index + 3 and _is_continuation(rows[below]):
        block.append(below)
        below += 1
    if index > 0 and _is_group_row(rows[index - 1]):
        block.insert(0, index - 1)
    width = max(len(rows[i]) for i in block)
    stacks: list[list[object]] = [[] for _ in range(width)]
    for depth, row_index in enumerate(block):
        cells = list(rows[row_index]) + [None] * (width - len(rows[row_index]))
        upper = depth < len(block) - 1
        carry = None
        for col, cell in enumerate(cells):
            empty = cell is None or cell == ""
            # A merged cell is stored in its first column only: spread it over the blanks.
            if upper and empty and carry is not None:
                cell = carry
            elif upper and not empty:
                carry = cell
            stacks[col].append(None if empty and not upper else cell)
    columns = [col for i, parts in enumerate(stacks) if (col := classify(i, parts)) is not None]
    table = _finish(columns, index, block[-1] + 1)
    return table if table and _usable(table) else None


def _finish(columns: list[Column], start: int, data_start: int) -> Table | None:
    days = [col for col in columns if col.kind == c.DAY]
    if len(days) >= 3:
        # "S 7" inside a day grid is Saturday the 7th, not week 7.
        columns = [
            Column(col.index, c.DAY, col.label, day=int(col.week[1:]))
            if col.kind == c.WEEK and col.week.startswith("S") and " " in col.label else col
            for col in columns
        ]
    by_kind: dict[str, list[Column]] = {}
    for col in columns:
        by_kind.setdefault(col.kind, []).append(col)
    if c.LAST in by_kind and c.FIRST not in by_kind and c.FULL not in by_kind:
        # A lone "Nom" column usually holds "DUPONT Marie".
        last = by_kind.pop(c.LAST)
        by_kind[c.FULL] = [Column(col.index, c.FULL, col.label) for col in last]
    return Table(start, data_start, columns, by_kind)


def _usable(table: Table) -> bool:
    has_name = c.LAST in table.by_kind or c.FULL in table.by_kind
    has_hours = any(kind in table.by_kind for kind in c.HOUR_KINDS)
    items = c.ITEM in table.by_kind and c.QUANTITY in table.by_kind
    return has_name and (has_hours or items)


def find_table(rows: list[list[object]], start: int = 0, *, limit: int | None = None) -> Table | None:
    """Return the first table whose header starts at or after ``start``."""
    end = len(rows) if limit is None else min(len(rows), start + limit)
    for index in range(start, end):
        table = table_at(rows, index)
        if table:
            return table
    return None


def find_first_table(rows: list[list[object]]) -> Table | None:
    """Return the table under the title block (the header sits in the first rows)."""
    return find_table(rows, 0, limit=_MAX_TITLE_ROWS)
