"""Read a run of data lines of a daily grid at once, column by column.

``RowReader.read`` takes one line and every odd case. A sheet of 300 people is mostly
plain lines (a name, hours in [0, 10] in every filled day, a matching total), and for
them the work of each line is the same: here it runs over whole columns in C loops
(``map``, ``sorted``, ``fsum``, one search over the joined names) and each line only pays
for its ParsedRow. Any other line goes through ``RowReader.read``, in order, so the
warnings keep their order and every line gives exactly what ``RowReader.read`` gives.
"""

from itertools import chain, groupby, repeat
from math import fsum, isfinite
from operator import itemgetter

from app.domain.timesheets.figures import DECIMALS, float_days, text_figures, to_decimal
from app.domain.timesheets.model import ZERO, ParsedRow
from app.domain.timesheets.names import clean_names, person_flags, split_full_name
from app.domain.timesheets.rows import RowReader

_BLANK = frozenset((None, ""))
_FLOAT = {float}
_TEXT = {str}


def read_block(reader: RowReader, rows: list[list[object]], sources: list[dict]) -> list[ParsedRow]:
    """Return the ParsedRows of consecutive data lines (no header or heading among them)."""
    width = _widest_column(reader)
    if width is None or not rows:
        return _one_by_one(reader, rows, sources)
    if min(map(len, rows)) > width:
        return _read_long_lines(reader, rows, sources)
    # Lines too short for every column (a PDF page title, a cut CSV line) go one by one.
    found: list[ParsedRow] = []
    for long_enough, run in groupby(range(len(rows)), lambda i: len(rows[i]) > width):
        run = list(run)
        read = _read_long_lines if long_enough else _one_by_one
        found.extend(read(reader, rows[run[0]:run[-1] + 1], sources[run[0]:run[-1] + 1]))
    return found


def _one_by_one(reader: RowReader, rows: list[list[object]], sources: list[dict]) -> list[ParsedRow]:
    return [parsed for parsed in map(reader.read, rows, sources) if parsed is not None]


def _read_long_lines(reader: RowReader, rows: list[list[object]], sources: list[dict]) -> list[ParsedRow]:
    block = _Block(reader, rows, sources)
    found: list[ParsedRow] = []
    for plain, run in groupby(range(len(rows)), block.plain.__getitem__):
        run = list(run)
        if plain:
            found.extend(block.plain_lines(slice(run[0], run[-1] + 1)))
        else:
            found.extend(_one_by_one(reader, rows[run[0]:run[-1] + 1], sources[run[0]:run[-1] + 1]))
    return found


def _widest_column(reader: RowReader) -> int | None:
    """Return the last column a plain daily line uses, or None for other tables."""
    if not reader.days or reader.day_slice is None or reader.date_col is not None:
        return None
    if reader.overtime or reader.outside:
        return None  # overtime adds to the days, and a week's total may count another month's days
    used = [reader.last, reader.first_col, reader.full, reader.total, reader.lot_col, reader.id_col,
            *reader.training, *reader.remarks]
    return max([reader.day_slice.stop - 1, *(col.index for col in used if col is not None)])


def _column(rows: list[list[object]], index: int) -> list[object]:
    return list(map(itemgetter(index), rows))


def _blank(rows: list[list[object]], columns: list) -> bool:
    return all(set(_column(rows, col.index)) <= _BLANK for col in columns)


class _Block:
    """The columns of a run of lines, read once; ``plain`` tells which lines are plain."""

    def __init__(self, reader: RowReader, rows: list[list[object]], sources: list[dict]) -> None:
        self.reader, self.rows, self.sources = reader, rows, sources
        self.days = list(map(itemgetter(reader.day_slice), rows))
        self.totals, self.peaks = _day_totals(self.days)
        self.lasts, self.firsts = _names(reader, rows)
        persons = person_flags(list(map(str.strip, map(" ".join, zip(self.lasts, self.firsts)))))
        self.plain = [total is not None and person and last != "" and first != ""
                      for total, person, last, first in zip(self.totals, persons, self.lasts, self.firsts)]
        if reader.training and not _blank(rows, reader.training):
            # Training hours make a line not plain (blank cells only count zero).
            for i, row in enumerate(rows):
                if any(row[col.index] not in _BLANK for col in reader.training):
                    self.plain[i] = False
        self.ids = clean_names(_column(rows, reader.id_col.index)) if reader.id_col else [""] * len(rows)
        self.extras = not _blank(rows, [*reader.remarks, *filter(None, [reader.lot_col])])
        self.busiest: int | None = None

    def plain_lines(self, run: slice) -> list[ParsedRow]:
        """Return the ParsedRows of consecutive plain lines, then run their few checks."""
        reader, totals = self.reader, self.totals[run]
        hours = list(map(DECIMALS.get, totals))  # monthly totals repeat: mostly cached already
        if None in hours:
            hours = list(map(to_decimal, totals))
        found = list(map(
            ParsedRow, self.lasts[run], self.firsts[run], hours, repeat(ZERO),
            repeat(reader.lot), repeat(None), self.sources[run], repeat(False), map(list, repeat(())),
            [external_id or None for external_id in self.ids[run]], repeat(reader.day_numbers),
            self.days[run], map(dict, repeat(()))))
        reader.previous = (found[-1].last_name, found[-1].first_name)
        weekly = self._may_pass_48h(run)
        printed = _column(self.rows[run], reader.total.index) if reader.total else None
        mismatched = printed is not None and not _totals_match(printed, totals)
        if weekly or mismatched or self.extras:
            # The checks RowReader.read runs after the days, in the same order, line by line.
            for parsed, row, total, peak, values, written in zip(
                    found, self.rows[run], totals, self.peaks[run], self.days[run], printed or repeat(None)):
                if weekly and total > 48.0 and peak * self.busiest > 48.0:
                    reader.check_float_weeks(parsed, _as_floats(values))
                if mismatched and not (written.__class__ is float and abs(written - total) < 0.005):
                    reader.check_total(written, parsed)
                if self.extras:
                    reader.extras(row, parsed)
        return found

    def _may_pass_48h(self, run: slice) -> bool:
        # A week holds at most `busiest` filled days, each under the line's largest hours:
        # when that product stays under 48 h, no week of the line can pass it.
        if max(self.totals[run]) <= 48.0:
            return False
        if self.busiest is None:
            filled = list(map(any, zip(*self.days)))  # day columns holding something
            if self.reader.week_groups is None:
                self.reader.week_groups = self.reader.week_runs()
            self.busiest = max((sum(filled[week]) for _, week in self.reader.week_groups), default=0)
        return max(self.peaks[run]) * self.busiest > 48.0


def _totals_match(printed: list[object], totals: list[float]) -> bool:
    """Tell whether every printed total is a float within 0.005 of the line's sum."""
    if set(map(type, printed)) != _FLOAT:
        return False
    return all(map(float.__lt__, map(abs, map(float.__sub__, printed, totals)), repeat(0.005)))


def _names(reader: RowReader, rows: list[list[object]]) -> tuple[list[str], list[str]]:
    # Same reading as RowReader.name_of, one column at a time.
    if reader.last is not None:
        first = clean_names(_column(rows, reader.first_col.index)) if reader.first_col else [""] * len(rows)
        return clean_names(_column(rows, reader.last.index)), first
    texts = clean_names(_column(rows, reader.full.index))
    if reader.first_col is not None:
        return texts, clean_names(_column(rows, reader.first_col.index))
    order = reader.full.order
    pairs = [split_full_name(text, order) for text in texts]
    return [pair[0] for pair in pairs], [pair[1] for pair in pairs]


def _day_totals(days: list[list[object]]) -> tuple[list, list]:
    """Return each line's float total and largest hours, None for lines that are not plain."""
    try:
        numbers = list(map(sorted, map(filter, repeat(None), days)))
    except TypeError:  # text beside numbers in a line: see line by line
        numbers = None
    # Excel grids: check the whole run at once. Sorted lines give their smallest and
    # largest hours; a NaN would upset the sort, but it also makes its total NaN.
    if numbers and [] not in numbers and set(map(type, chain.from_iterable(numbers))) == _FLOAT:
        highs = list(map(itemgetter(-1), numbers))
        if min(map(itemgetter(0), numbers)) >= 0 and max(highs) <= 10.0:
            try:
                totals = list(map(fsum, numbers))
            except (OverflowError, ValueError):  # infinities
                totals = [float("nan")]
            if isfinite(sum(totals)):
                return totals, highs
    found = [_line_total(values) for values in days]
    return [total for total, _ in found], [peak for _, peak in found]


def _line_total(values: list[object]) -> tuple[float | None, float | None]:
    numbers = list(filter(None, values))
    if numbers and set(map(type, numbers)) == _TEXT:
        numbers = text_figures(numbers)  # CSV and PDF cells: "7,5" → 7.5
    if not numbers or set(map(type, numbers)) != _FLOAT or min(numbers) < 0 or max(numbers) > 10.0:
        return None, None
    try:
        total = fsum(numbers)
    except (OverflowError, ValueError):
        return None, None
    return (total, max(numbers)) if total == total else (None, None)


def _as_floats(values: list[object]) -> list[object]:
    texts = [value for value in values if value and value.__class__ is str]
    return float_days(values, texts, text_figures(texts)) if texts else values
