"""Hours worked from arrival and departure times: ``8:00``–``12:00``, breaks deducted."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

SIXTY = Decimal(60)
_CLOCK = re.compile(r"^(\d{1,2})\s*(?:h|:|\.)\s*(\d{2})?(?::\d{2})?\s*$|^(\d{1,2})\s*h$")
_DURATION = re.compile(r"^(\d{1,2})\s*(?:h|:)\s*(\d{2})?\s*$")
_MINUTES = re.compile(r"^(\d{1,3})\s*(?:min|mn|m)?$")


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
