"""Warnings for figures a person should look at; figures are never changed here."""

import calendar
from collections import defaultdict
from datetime import date
from decimal import Decimal
from operator import attrgetter

from app.domain.timesheets.model import ParsedRow, ParseWarning, format_decimal
from app.domain.timesheets.names import person_keys
from app.domain.sheetmap.period import month_label

_NAMES, _LOT, _DAY = attrgetter("last_name", "first_name"), attrgetter("lot"), attrgetter("day")
MAX_DAY = Decimal(10)
MAX_WEEK = Decimal(48)


def where(source: dict) -> str:
    """Say where a line is, the way the user sees the file."""
    if "sheet" in source:
        sheet = f"feuille « {source['sheet']} », " if source["sheet"] else ""
        return f"{sheet}ligne {source['row']}"
    if "page" in source:
        return f"page {source['page']}, ligne {source['line']}"
    return f"ligne {source.get('line', '?')}"


def hours_fr(value: Decimal) -> str:
    """Write hours the French way: ``7,5 h``."""
    return format_decimal(value).replace(".", ",") + " h"


def day_over(person: str, day: str, hours: Decimal, source: dict) -> ParseWarning:
    """Warn about more than 10 hours in one day."""
    return ParseWarning(
        "day_over_10h",
        f"{person} : {hours_fr(hours)} le {day} ({where(source)}), plus que les 10 h par jour "
        "autorisées. Vérifiez la saisie.",
        person,
    )


def week_over(person: str, week: str, hours: Decimal, source: dict) -> ParseWarning:
    """Warn about more than 48 hours in one week."""
    return ParseWarning(
        "week_over_48h",
        f"{person} : {hours_fr(hours)} sur la {week} ({where(source)}), plus que les 48 h par "
        "semaine autorisées. Vérifiez la saisie.",
        person,
    )


def total_mismatch(person: str, printed: Decimal, computed: Decimal, source: dict) -> ParseWarning:
    """Warn when a printed total differs from the sum of the detail."""
    return ParseWarning(
        "total_mismatch",
        f"{person} : le total écrit ({hours_fr(printed)}) ne correspond pas à la somme des "
        f"heures ({hours_fr(computed)}) ({where(source)}). La somme a été retenue ; vérifiez.",
        person,
    )


def unreadable_cell(person: str | None, value: object, column: str, source: dict) -> ParseWarning:
    """Warn about a cell that should hold hours and could not be read."""
    who = f"{person} : " if person else ""
    return ParseWarning(
        "unreadable_cell",
        f"{who}la case « {str(value)[:40]} » (colonne « {column} », {where(source)}) n'a pas pu "
        "être lue comme un nombre d'heures ; elle compte pour 0 en attendant une correction.",
        person,
    )


def month_over(row: ParsedRow, period: str) -> ParseWarning | None:
    """Warn when a monthly total means more than 48 hours a week on average."""
    year, month = map(int, period.split("-"))
    days = calendar.monthrange(year, month)[1]
    ceiling = MAX_WEEK * days / 7
    if row.hours <= ceiling:
        return None
    return ParseWarning(
        "week_over_48h",
        f"{row.person} : {hours_fr(row.hours)} en {month_label(period)}, soit plus de 48 h par "
        f"semaine en moyenne ({where(row.source)}). Vérifiez la saisie.",
        row.person,
    )


def check_rows(rows: list[ParsedRow]) -> list[ParseWarning]:
    """Find duplicate lines and, for dated lines, too many hours in a day or a week."""
    warnings: list[ParseWarning] = []
    names = person_keys(list(map(_NAMES, rows)))
    lots, days = list(map(_LOT, rows)), list(map(_DAY, rows))
    if days.count(None) == len(rows) and len(set(zip(names, lots))) == len(rows):
        return warnings  # the usual monthly grid: no dated line, nobody twice
    seen: dict[tuple, ParsedRow] = {}
    per_day: dict[tuple, list[ParsedRow]] = defaultdict(list)
    for row, name in zip(rows, names):
        key = (name, row.lot, row.day)
        previous = seen.get(key)
        same = previous is not None and (previous.hours, previous.training_hours, previous.notes) == (
            row.hours, row.training_hours, row.notes)
        if previous is None or _other_days(previous, row):
            seen[key] = row
        elif same or row.day is None:
            # Two dated lines the same day (morning, afternoon) are normal: only the daily
            # limit is checked for them.
            row.needs_review = previous.needs_review = True
            what = "est en double" if same else "apparaît deux fois avec des heures différentes"
            warnings.append(ParseWarning(
                "duplicate_row" if same else "person_repeated",
                f"{row.person} {what} ({where(previous.source)} et {where(row.source)}). "
                "Les deux lignes ont été gardées : supprimez celle qui est en trop.",
                row.person,
            ))
        if row.day is not None:
            per_day[key[:2] + (row.day,)].append(row)
    warnings.extend(_dated_limits(per_day))
    return warnings


def _other_days(previous: ParsedRow, row: ParsedRow) -> bool:
    # One sheet per week: the same person's grid lines cover different days, not twice the month.
    return bool(previous.day_keys and row.day_keys) and set(previous.day_keys).isdisjoint(row.day_keys)


def _dated_limits(per_day: dict[tuple, list[ParsedRow]]) -> list[ParseWarning]:
    warnings = []
    weeks: dict[tuple, Decimal] = defaultdict(Decimal)
    first_row: dict[tuple, ParsedRow] = {}
    for (key, lot, day), rows in per_day.items():
        total = sum((r.hours + r.training_hours for r in rows), Decimal(0))
        if total > MAX_DAY:
            for row in rows:
                row.needs_review = True
            warnings.append(day_over(rows[0].person, day.strftime("%d/%m/%Y"), total, rows[0].source))
        week = (key, lot) + tuple(day.isocalendar()[:2])
        weeks[week] += total
        first_row.setdefault(week, rows[0])
    for week, total in weeks.items():
        if total > MAX_WEEK:
            row = first_row[week]
            row.needs_review = True
            monday = date.fromisocalendar(week[2], week[3], 1)
            warnings.append(week_over(row.person, f"semaine du {monday:%d/%m/%Y}", total, row.source))
    return warnings
