"""Transposed grids: days down the first column, one column (or column group) per person."""

from app.domain.timesheets import columns as c
from app.domain.timesheets.columns import classify, day_of, label_text
from app.domain.timesheets.hidden import column_letter
from app.domain.timesheets.model import Grid
from app.domain.timesheets.names import FOOTER, PERSON, clean_name, name_status

_DAY_HEADINGS = {"date", "dates", "jour", "jours", "jour du mois", "journee"}
_SEARCH_ROWS = 40


def _is_person(cell: object) -> bool:
    name = clean_name(cell) if isinstance(cell, str) else ""
    return name_status(name) == PERSON and len(name.split()) >= 2


def transpose(grid: Grid) -> Grid | None:
    """Return the grid turned into one line per person and one column per day, or None."""
    rows = grid.rows
    for index, row in enumerate(rows[:_SEARCH_ROWS]):
        if not row or label_text(row[0]) not in _DAY_HEADINGS:
            continue
        people = [i for i, cell in enumerate(row) if i > 0 and _is_person(cell)]
        if people:
            return _turn(grid, index, people)
    return None


def _person_columns(rows: list[list[object]], index: int, people: list[int]) -> tuple[dict, int]:
    """Return person column → (hours columns, training columns), and where the days start."""
    below = rows[index + 1] if index + 1 < len(rows) else []
    width = max(len(row) for row in rows[index:index + 2])
    sub = {i: classify(i, [below[i]]) for i in range(len(below)) if isinstance(below[i], str) and below[i].strip()}
    if not sub or (below and day_of(below[0]) is not None):
        # The line under the names is already a day: one column per person.
        return {p: ([p], []) for p in people}, index + 1
    groups = {}
    for number, start in enumerate(people):
        stop = people[number + 1] if number + 1 < len(people) else width
        hours = [i for i in range(start, stop) if sub.get(i) and sub[i].kind in (c.HOURS, c.TENDER, c.OVERTIME)]
        training = [i for i in range(start, stop) if sub.get(i) and sub[i].kind == c.TRAINING]
        groups[start] = (hours or [start], training)
    return groups, index + 2


def _turn(grid: Grid, index: int, people: list[int]) -> Grid | None:
    rows = grid.rows
    groups, first = _person_columns(rows, index, people)
    day_rows, total_row = [], None
    for position in range(first, len(rows)):
        key = rows[position][0] if rows[position] else None
        if key is None or key == "":
            continue
        if day_of(key) is not None:
            day_rows.append(position)
        elif isinstance(key, str) and name_status(clean_name(key)) == FOOTER:
            total_row = position  # the totals line ends the days; its figures are checked
            break
    if len(day_rows) < 2:
        return None
    has_training = any(training for _, training in groups.values())
    header = ["Nom", *(rows[p][0] for p in day_rows), *(["Formation"] if has_training else []),
              *(["Total"] if total_row is not None else [])]
    out, sources = [header], [grid.sources[index]]
    for column, (hours, training) in groups.items():
        line: list[object] = [clean_name(rows[index][column])]
        for position in day_rows:
            values = [rows[position][i] for i in hours if i < len(rows[position])]
            filled = [value for value in values if value not in (None, "")]
            line.append(filled[0] if len(filled) == 1 else _sum(filled) if filled else None)
        if has_training:
            line.append(_sum([rows[p][i] for p in day_rows for i in training if i < len(rows[p])
                              and rows[p][i] not in (None, "")]) or None)
        if total_row is not None:
            written = rows[total_row]
            line.append(written[hours[0]] if hours[0] < len(written) else None)
        out.append(line)
        sources.append({**grid.sources[index], "column": column_letter(column)})
    return Grid(grid.name, out, sources, grid.ocr, grid.over_scan, grid.warnings)


def _sum(values: list[object]) -> object:
    from app.domain.sheetmap.hours import parse_hours

    cells = [parse_hours(value) for value in values]
    if any(cell.failed or cell.absence for cell in cells):
        return values[0]  # a code or a typo: left for the reader to report
    return float(sum(cell.hours for cell in cells if cell.hours is not None))
