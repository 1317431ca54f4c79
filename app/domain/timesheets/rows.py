"""Turn the data lines under a header block into ParsedRow objects."""

import math
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from app.domain.timesheets import checks
from app.domain.timesheets import columns as c
from app.domain.timesheets.families.clock import hours_from_times
from app.domain.timesheets.figures import float_days, text_figures, to_decimal
from app.domain.sheetmap.hours import HoursCell, parse_hours
from app.domain.timesheets.families.marks import is_mark
from app.domain.timesheets.layout import Table
from app.domain.timesheets.families.payitems import item_text, read_item
from app.domain.timesheets.model import CENT, ZERO, ParsedRow, ParseWarning
from app.domain.sheetmap.period import month_label
from app.domain.timesheets.names import (
    FOOTER,
    PERSON,
    clean_name,
    name_status,
    split_full_name,
)

_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$|^(\d{4})-(\d{2})-(\d{2})")
_FLOAT_ONLY = {float}
_TEXT_ONLY = {str}


def _runs(days) -> str:
    """Write dates as runs: « 30/03/2026 au 31/03/2026, 01/05/2026 »."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(f"{run[0]:%d/%m/%Y}" if len(run) == 1 else f"{run[0]:%d/%m/%Y} au {run[-1]:%d/%m/%Y}"
                     for run in runs)


def _cell(row: list[object], index: int) -> object:
    return row[index] if index < len(row) else None


class RowReader:
    """Read the data lines of one table, with the sheet's period and lot."""

    # What a presence mark (X, P) is worth, when the sheet states it: see ``use_marks``.
    mark_hours: Decimal | None = None

    def __init__(self, table: Table, *, period: str | None, lot: str | None,
                 warnings: list[ParseWarning]) -> None:
        self.table, self.period, self.lot, self.warnings = table, period, lot, warnings
        kinds = table.by_kind
        self.full = table.first(c.FULL)
        self.last, self.first_col = table.first(c.LAST), table.first(c.FIRST)
        self.outside: list[c.Column] = []
        self.days = self._month_days(kinds.get(c.DAY, []))
        self.weeks = kinds.get(c.WEEK, [])
        self.date_col = table.first(c.DATE)
        main = next((kinds[k][0] for k in (c.TENDER, c.HOURS, c.TOTAL) if k in kinds), None)
        self.main = None if self.days or self.weeks else main
        self.total = table.first(c.TOTAL) if (self.days or self.weeks or self.main and self.main.kind != c.TOTAL) else None
        self.training = kinds.get(c.TRAINING, [])
        # Arrival and departure times, read only where no column gives the hours themselves.
        timed = not (self.days or self.weeks or self.main is not None)
        self.pairs = list(zip(kinds.get(c.START, []), kinds.get(c.END, []))) if timed else []
        self.breaks = kinds.get(c.BREAK, []) if self.pairs else []
        # Pay-item exports: the hours are the quantity of the items that are hours worked.
        itemised = timed and not self.pairs and c.ITEM in kinds and c.QUANTITY in kinds
        self.items = kinds[c.ITEM] if itemised else []
        self.quantity = kinds[c.QUANTITY][0] if itemised else None
        self.unit = table.first(c.UNIT) if itemised else None
        # Overtime adds to hours worked, never to a total or to the contract's share.
        adds = self.days or self.weeks or (self.main is not None and self.main.kind == c.HOURS)
        self.overtime = kinds.get(c.OVERTIME, []) if adds else []
        self.remarks = kinds.get(c.REMARKS, [])
        self.lot_col, self.id_col = table.first(c.LOT), table.first(c.ID)
        self.day_index = [col.index for col in self.days]
        # Day columns are usually side by side: then one slice reads them all.
        first_day = self.day_index[0] if self.day_index else 0
        contiguous = self.day_index == list(range(first_day, first_day + len(self.day_index)))
        self.day_slice = slice(first_day, first_day + len(self.day_index)) if contiguous else None
        self.day_numbers = tuple(col.day for col in self.days)
        self.week_labels = [col.week for col in self.weeks]
        self.day_dates = self._day_dates()
        self.week_groups: list[tuple[str, slice]] | None = None
        self.float_total: float | None = None
        self.previous: tuple[str, str] | None = None

    def use_marks(self, half: Decimal | None, full: Decimal | None) -> None:
        """Count each presence mark as the stated half-day (half-day grids) or day length."""
        halves = len(set(self.day_numbers)) < len(self.day_numbers)
        self.mark_hours = half if halves else full
        if halves and half is None and full is not None:
            self.mark_hours = full / 2
        if self.mark_hours is not None:
            what = "demi-journée" if halves else "journée"
            stated = "déduite de la journée indiquée" if halves and half is None else "indiquée en tête du relevé"
            warning = ParseWarning(
                "marks_counted",
                f"Les cases cochées (X, P…) comptent chacune {checks.hours_fr(self.mark_hours)}, la durée "
                f"d'une {what} {stated} : vérifiez-la.",
            )
            if warning not in self.warnings:
                self.warnings.append(warning)

    def _month_days(self, days: list[c.Column]) -> list[c.Column]:
        """Keep the day columns of the sheet's month: weekly grids run over its edges."""
        if not self.period or not any(col.on for col in days):
            return days
        year, month = map(int, self.period.split("-"))
        outside = [col for col in days if col.on and (col.on.year, col.on.month) != (year, month)]
        if not outside:
            return days
        self.outside = outside
        warning = ParseWarning(
            "days_outside_month",
            f"Les jours qui ne sont pas en {month_label(self.period)} ({_runs(col.on for col in outside)}) "
            "n'ont pas été comptés : ils relèvent du relevé du mois voisin.",
        )
        if warning not in self.warnings:
            self.warnings.append(warning)
        return [col for col in days if col not in outside]

    def _day_dates(self) -> list[date | None]:
        year_month = tuple(map(int, self.period.split("-"))) if self.period else None
        found = []
        for col in self.days:
            on = col.on
            if on is None and year_month:
                try:
                    on = date(year_month[0], col.month or year_month[1], col.day)
                except ValueError:
                    on = None
            found.append(on)
        return found

    def name_of(self, row: list[object]) -> tuple[str, str]:
        """Return (last, first) from the name columns of a line."""
        if self.last is not None:
            first = clean_name(_cell(row, self.first_col.index)) if self.first_col else ""
            return clean_name(_cell(row, self.last.index)), first
        text = clean_name(_cell(row, self.full.index))
        if self.first_col is not None:
            return text, clean_name(_cell(row, self.first_col.index))
        return split_full_name(text, self.full.order)

    def read(self, row: list[object], source: dict) -> ParsedRow | None:
        """Return the line as a ParsedRow, or None for totals, footers and blank lines."""
        self.float_total = None
        last, first = self.name_of(row)
        name = f"{last} {first}".strip()
        if not name and self.previous and (
                self.date_col is not None and _cell(row, self.date_col.index) or self.items and item_text(self, row)):
            # Per-day and pay-item exports often write the name on the first line of each person only.
            last, first = self.previous
            name = f"{last} {first}".strip()
        status = name_status(name)
        if status == FOOTER:
            return None
        if not (status == PERSON and last and first) and not self._has_figures(row):
            # Lines without figures are kept only when they clearly name someone.
            return None
        self.previous = (last, first)
        parsed = ParsedRow(last, first, ZERO, lot=self.lot, source=source)
        if self.days:
            self._read_days(row, parsed)
        elif self.weeks:
            self._read_weeks(row, parsed)
        elif self.main is not None:
            parsed.hours = self._one(row, self.main, parsed) or ZERO
        elif self.pairs:
            parsed.hours = hours_from_times(self, row, parsed)
        elif self.items:
            read_item(self, row, parsed)
        if self.overtime:
            self._add_overtime(row, parsed)
        if self.training:
            parsed.training_hours = sum((self._one(row, col, parsed) or ZERO for col in self.training), ZERO)
        if self.total is not None and self.outside:
            # A week's total may count the neighbouring month's days too: accept that as well.
            beside = sum((parse_hours(_cell(row, col.index)).hours or ZERO for col in self.outside), ZERO)
            self.check_total(_cell(row, self.total.index), parsed, beside)
        elif self.total is not None:
            printed = _cell(row, self.total.index)
            # Fast path: an Excel total equal to the float sum needs no Decimal work.
            if not (printed.__class__ is float and self.float_total is not None
                    and (abs(printed - self.float_total) < 0.005 or abs(
                        printed - self.float_total - float(parsed.training_hours)) < 0.005)):
                self.check_total(printed, parsed)
        if self.date_col is not None:
            parsed.day = self._date_of(_cell(row, self.date_col.index), parsed)
        self.extras(row, parsed)
        if self.main is not None and self.period and self.date_col is None:
            warning = checks.month_over(parsed, self.period)
            if warning:
                parsed.needs_review = True
                self.warnings.append(warning)
        return parsed

    def _add_overtime(self, row: list[object], parsed: ParsedRow) -> None:
        extra = sum((self._one(row, col, parsed) or ZERO for col in self.overtime), ZERO)
        if extra:
            parsed.hours += extra
            parsed.notes.append(f"dont {checks.hours_fr(extra)} supplémentaires")
            if self.float_total is not None:
                self.float_total += float(extra)

    def _has_figures(self, row: list[object]) -> bool:
        for col in self.table.columns:
            if col.kind in c.HOUR_KINDS and parse_hours(_cell(row, col.index)).hours:
                return True
        return False

    def _one(self, row: list[object], col: c.Column, parsed: ParsedRow) -> Decimal | None:
        value = _cell(row, col.index)
        cell = parse_hours(value)
        if cell.failed:
            self.unreadable(parsed, value, col)
        elif cell.absence:
            parsed.notes.append(f"{cell.absence} ({col.label})")
        return cell.hours

    def unreadable(self, parsed: ParsedRow, value: object, col: c.Column) -> None:
        """Flag a cell that should hold hours and could not be read; it counts zero."""
        parsed.needs_review = True
        self.warnings.append(checks.unreadable_cell(parsed.person, value, col.label, parsed.source))

    def week_runs(self) -> list[tuple[str, slice]]:
        """Return the label and the day positions (a slice) of each week of the grid."""
        groups: dict[tuple, list[int]] = {}
        for position, (col, on) in enumerate(zip(self.days, self.day_dates)):
            # Keyed by Monday, or by block of seven days: each label is written once.
            if on is not None:
                key = ("monday", on.toordinal() - on.weekday())
            else:
                key = ("days", (col.day - 1) // 7 * 7 + 1)
            groups.setdefault(key, []).append(position)
        runs = []
        for (kind, start), found in groups.items():
            label = (f"semaine du {date.fromordinal(start):%d/%m/%Y}" if kind == "monday"
                     else f"semaine du {start} au {start + 6}")
            # Day columns run in order, so each week is a run of positions: a slice.
            runs.append((label, slice(found[0], found[-1] + 1)))
        return runs

    def _day_label(self, position: int) -> str:
        on = self.day_dates[position]
        return on.strftime("%d/%m/%Y") if on else f"jour {self.days[position].day}"

    def _read_days(self, row: list[object], parsed: ParsedRow) -> None:
        if self.day_slice is not None and self.day_slice.stop <= len(row):
            values = row[self.day_slice]
        else:
            values = [_cell(row, i) for i in self.day_index]
        parsed.day_keys, parsed.day_values = self.day_numbers, values
        # Fast path for plain numbers: drop blanks in C, sum, and check the types once.
        numbers = list(filter(None, values))
        kinds = set(map(type, numbers))
        if kinds == _TEXT_ONLY:
            # CSV and PDF cells are text: "7,5" → 7.5 through a cache of plain figures.
            figures = text_figures(numbers)
            if figures is not None:
                kinds, values = _FLOAT_ONLY, float_days(values, numbers, figures)
                numbers = figures
        if numbers and kinds == _FLOAT_ONLY and min(numbers) >= 0 and max(numbers) <= 10.0:
            total = math.fsum(numbers)
            parsed.hours = to_decimal(total)
            self.float_total = total
            if total > 48.0:
                self.check_float_weeks(parsed, values)
            return
        if not numbers:
            parsed.hours = ZERO
            self.float_total = 0.0
            return
        self.float_total = None
        cells = [parse_hours(value) for value in values]
        if self.mark_hours is not None:
            cells = [HoursCell(self.mark_hours) if cell.failed and is_mark(value) else cell
                     for cell, value in zip(cells, values)]
        for position, cell in enumerate(cells):
            if cell.hours is None and not cell.failed and not cell.absence:
                continue
            if cell.failed:
                self.unreadable(parsed, values[position], self.days[position])
            elif cell.absence:
                parsed.notes.append(f"{cell.absence} le {self._day_label(position)}")
            elif cell.hours > checks.MAX_DAY:
                parsed.needs_review = True
                self.warnings.append(checks.day_over(
                    parsed.person, self._day_label(position), cell.hours, parsed.source))
        hours = [cell.hours or ZERO for cell in cells]
        parsed.hours = sum(hours, ZERO).quantize(CENT, rounding=ROUND_HALF_UP)
        if parsed.hours > checks.MAX_WEEK:
            self._check_weeks(parsed, lambda run: sum(hours[run], ZERO), Decimal)

    def check_float_weeks(self, parsed: ParsedRow, values: list) -> None:
        """Warn about weeks over 48 h in a line of plain float days (blanks allowed)."""
        if self.week_groups is None:
            self.week_groups = self.week_runs()
        fsum = math.fsum
        if any(fsum(filter(None, values[run])) > 48.0 for _, run in self.week_groups):
            self._check_weeks(parsed, lambda run: fsum(filter(None, values[run])), to_decimal)

    def _check_weeks(self, parsed: ParsedRow, total_of, as_decimal) -> None:
        if self.week_groups is None:
            self.week_groups = self.week_runs()
        for label, run in self.week_groups:
            total = total_of(run)
            if total > 48:
                parsed.needs_review = True
                self.warnings.append(checks.week_over(parsed.person, label, as_decimal(total), parsed.source))

    def _read_weeks(self, row: list[object], parsed: ParsedRow) -> None:
        total = ZERO
        for col in self.weeks:
            value = self._one(row, col, parsed) or ZERO
            parsed.week_cells[col.week] = _cell(row, col.index)
            if value > checks.MAX_WEEK:
                parsed.needs_review = True
                self.warnings.append(checks.week_over(parsed.person, f"semaine {col.week}", value, parsed.source))
            total += value
        parsed.hours = total.quantize(CENT, rounding=ROUND_HALF_UP)

    def check_total(self, value: object, parsed: ParsedRow, beside: Decimal = ZERO) -> None:
        """Warn when the printed total differs from the hours read (with or without training)."""
        printed = parse_hours(value)
        if printed.hours is None:
            return
        expected = (parsed.hours, parsed.hours + parsed.training_hours)
        if beside:
            expected += tuple(value + beside for value in expected)
        if all(abs(printed.hours - value) > CENT for value in expected):
            parsed.needs_review = True
            self.warnings.append(checks.total_mismatch(parsed.person, printed.hours, parsed.hours, parsed.source))

    def _date_of(self, value: object, parsed: ParsedRow) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        match = _DATE.match(str(value or "").strip())
        if match:
            try:
                if match.group(4):
                    return date(int(match.group(4)), int(match.group(5)), int(match.group(6)))
                year = match.group(3) or (self.period[:4] if self.period else None)
                if year:
                    year = int(year) + (2000 if len(str(year)) == 2 else 0)
                    return date(int(year), int(match.group(2)), int(match.group(1)))
            except ValueError:
                pass
        self.unreadable(parsed, value, self.date_col)
        return None

    def extras(self, row: list[object], parsed: ParsedRow) -> None:
        """Read the remarks, lot and identifier columns of a line."""
        for col in self.remarks:
            text = clean_name(_cell(row, col.index))
            if text:
                parsed.notes.append(text)
        if self.lot_col is not None:
            lot = clean_name(_cell(row, self.lot_col.index))
            if lot:
                parsed.lot = f"Lot {lot}" if lot.isdigit() else lot
        if self.id_col is not None:
            parsed.external_id = clean_name(_cell(row, self.id_col.index)) or None
