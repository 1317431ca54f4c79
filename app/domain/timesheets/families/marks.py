"""Presence grids: a mark (X, P) per day or half-day, worth the length the sheet states."""

import re
from decimal import Decimal

from app.domain.sheetmap.hours import fold, parse_hours

MARKS = frozenset({"x", "p", "o", "v", "present", "presente", "pres", "\u2713", "\u2714", "\u2611", "\u2612"})
_LENGTH = re.compile(
    r"(demi[- ]?journee|1/2\s*journee|journee|jour)\D{0,25}?(\d{1,2}(?:[.,]\d{1,2})?\s*(?:h\s*\d{0,2})?)")


def is_mark(value: object) -> bool:
    """Tell whether a cell ticks presence rather than giving hours."""
    return isinstance(value, str) and fold(value).strip(" .") in MARKS


def stated_lengths(rows: list[list[object]]) -> tuple[Decimal | None, Decimal | None]:
    """Return the half-day and day lengths a title block states (« Une demi-journée = 3,5 h »)."""
    half = full = None
    for row in rows:
        for cell in row:
            if not isinstance(cell, str):
                continue
            for match in _LENGTH.finditer(fold(cell)):
                hours = parse_hours(match.group(2).strip()).hours
                if not hours or hours > 12:
                    continue
                if "demi" in match.group(1) or "1/2" in match.group(1):
                    half = half or hours
                else:
                    full = full or hours
    return half, full
