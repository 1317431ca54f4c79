"""Hours worked from arrival and departure times: ``8:00``–``12:00``, breaks deducted."""

import re
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from app.domain.timesheets import checks
from app.domain.sheetmap.hours import parse_hours
from app.domain.timesheets.model import CENT, ZERO, ParsedRow, ParseWarning

_CLOCK = re.compile(r"^(\d{1,2})\s*(?:h|:|\.)\s*(\d{2})?(?::\d{2})?\s*$|^(\d{1,2})\s*h$")
_DURATION = re.compile(r"^(\d{1,2})\s*(?:h|:)\s*(\d{2})?\s*$")


def clock_minutes(value: object) -> int | None:
    """Return minutes after midnight for a time of day (``8:30``, ``08h30``, Excel time), else None."""
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    if isinstance(value, timedelta) and 0 <= value.total_seconds() < 86400:
        return int(value.total_seconds()) // 60
    if isinstance(value, float) and 0 <= value < 1:
        return round(value * 1440)  # an Excel time read as a fraction of a day
    if not isinstance(value, str):
        return None
    match = _CLOCK.match(value.strip().lower())
    if not match:
        return None
    hours = int(match.group(1) or match.group(3))
    minutes = int(match.group(2) or 0)
    return hours * 60 + minutes if hours <= 24 and minutes < 60 else None


def break_minutes(value: object, label: str) -> tuple[int | None, bool]:
    """Return a break in minutes and whether its unit was guessed (a bare « 1 » or « 45 »)."""
    if value is None or value == "":
        return 0, False
    if isinstance(value, (time, datetime)):
        value = value if isinstance(value, time) else value.time()
        return value.hour * 60 + value.minute, False
    if isinstance(value, timedelta):
        return int(value.total_seconds()) // 60, False
    text = str(value).strip().lower().replace(",", ".")
    match = _DURATION.match(text)
    if match and ("h" in text or ":" in text):
        return int(match.group(1)) * 60 + int(match.group(2) or 0), False
    try:
        number = float(text[:-3] if text.endswith("min") else text.rstrip("mn "))
    except ValueError:
        return None, False
    if number < 0:
        return None, False
    if "min" in label or text.endswith(("min", "mn")):
        return round(number), False
    if "(h)" in label or "heure" in label:
        return round(number * 60), False
    # Without a unit: people write « 0,5 » or « 1 » for hours and « 30 » or « 45 » for minutes.
    return (round(number * 60), True) if number <= 4 else (round(number), True)


def span_minutes(start: int, end: int) -> int:
    """Return the minutes between two times of day; a shift past midnight ends the next day."""
    return end - start if end >= start else end + 1440 - start


def hours_from_times(reader, row: list[object], parsed: ParsedRow) -> Decimal:
    """Work a line's hours out from its arrival and departure times (a RowReader's pairs), breaks deducted."""
    minutes, spans = 0, []
    for start_col, end_col in reader.pairs:
        start, end = _cell(row, start_col.index), _cell(row, end_col.index)
        if start in (None, "") and end in (None, ""):
            continue
        begin, finish = clock_minutes(start), clock_minutes(end)
        if begin is None or finish is None:
            absence = parse_hours(start).absence or parse_hours(end).absence
            if absence:
                parsed.notes.append(absence)
            else:
                bad = (start, start_col) if begin is None else (end, end_col)
                reader.unreadable(parsed, *bad)
            continue
        minutes += span_minutes(begin, finish)
        spans.append(f"{begin // 60}:{begin % 60:02d}–{finish // 60}:{finish % 60:02d}")
    for col in reader.breaks:
        value = _cell(row, col.index)
        pause, guessed = break_minutes(value, col.label)
        if pause is None:
            reader.unreadable(parsed, value, col)
            continue
        if guessed and pause:
            parsed.needs_review = True
            reader.warnings.append(ParseWarning(
                "break_unit_guessed",
                f"{parsed.person} : la pause « {value} » n'a pas d'unité ; elle a été lue comme "
                f"{pause} min ({checks.where(parsed.source)}). Vérifiez.",
                parsed.person,
            ))
        minutes -= pause
        if pause:
            spans.append(f"pause {pause} min")
    if spans:
        parsed.notes.append("calculé : " + ", ".join(spans))
    if minutes < 0:
        parsed.needs_review = True
        reader.warnings.append(checks.unreadable_cell(parsed.person, "pause plus longue que la présence",
                                                    "pause", parsed.source))
        return ZERO
    return (Decimal(minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def _cell(row: list[object], index: int) -> object:
    return row[index] if index < len(row) else None
