"""Find the month a timesheet covers, and the key/value lines of its title block."""

import re
from collections import Counter
from datetime import date, datetime
from functools import lru_cache

from app.domain.sheetmap.hours import fold

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}
MONTH_NAMES = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)
_MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))
_RANGE = re.compile(
    r"\bdu\s+(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s+au\s+(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
)
_NAMED = re.compile(rf"\b({_MONTH_WORD})\.?\s*[-/ ]?\s*'?(\d{{4}}|\d{{2}})\b")
_FULL_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_MONTH_YEAR = re.compile(r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})\b")
# A full date on these lines is an edit or birth date, not the month covered.
_NOT_PERIOD = re.compile(r"naissance|edit|imprim|fait (a|le)|signe|entree|sortie|\ble\b")
_KEY_VALUE = re.compile(r"^\s*([^:]{2,40}?)\s*:\s*(.+?)\s*$")


def period_of(year: int, month: int) -> str | None:
    """Return ``YYYY-MM`` for a plausible month, else None."""
    if 2000 <= year <= 2100 and 1 <= month <= 12:
        return f"{year:04d}-{month:02d}"
    return None


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _range_period(d1: int, m1: int, y1: int, d2: int, m2: int, y2: int) -> str | None:
    # « du 30/03/2026 au 05/04/2026 » is a week of April: the month holding most of the days.
    try:
        start, end = date(y1, m1, d1), date(y2, m2, d2)
    except ValueError:
        return period_of(y1, m1)
    if (start.year, start.month) == (end.year, end.month) or end < start or (end - start).days > 62:
        return period_of(y1, m1)
    first_of_next = date(end.year, end.month, 1)
    return period_of(y2, m2) if (end - first_of_next).days + 1 > (first_of_next - start).days else period_of(y1, m1)


@lru_cache(maxsize=1024)
def find_period_in_text(text: str, *, with_dates: bool = True) -> str | None:
    """Return the month a title-block line names: ``Mois : mars 2026``, ``03/2026``…"""
    # Cached: title lines and sheet names come back on every page and every sheet.
    folded = fold(text)
    match = _RANGE.search(folded)
    if match:
        return _range_period(*(int(group) for group in match.groups()))
    match = _NAMED.search(folded)
    if match:
        return period_of(_year(match.group(2)), MONTHS[match.group(1)])
    match = _MONTH_YEAR.search(folded)
    if match:
        return period_of(int(match.group(2)), int(match.group(1)))
    match = _ISO.search(folded)
    if match:
        return period_of(int(match.group(1)), int(match.group(2)))
    match = _FULL_DATE.search(folded)
    if with_dates and match and not _NOT_PERIOD.search(folded):
        return period_of(int(match.group(3)), int(match.group(2)))
    return None


def find_period_in_cells(rows: list[list[object]], *, with_dates: bool = True) -> str | None:
    """Return the month named in a title block (month words first, then dates unless told not to)."""
    texts = [cell for row in rows for cell in row if isinstance(cell, str) and cell.strip()]
    # "Mois :" | "mars" | "2026" in separate cells (or PDF segments) read as one line too.
    texts += [" ".join(c for c in row if isinstance(c, str) and c.strip()) for row in rows]
    for with_dates in (False, True) if with_dates else (False,):
        for text in texts:
            found = find_period_in_text(text, with_dates=with_dates)
            if found:
                return found
    for row in rows:
        labelled = any(isinstance(c, str) and fold(c).strip(" :").startswith(("mois", "periode")) for c in row)
        for cell in row:
            if labelled and isinstance(cell, (date, datetime)):
                return period_of(cell.year, cell.month)
    return None


def majority_period(days: list[date]) -> str | None:
    """Return the month most of the given dates fall in."""
    if not days:
        return None
    (year, month), _ = Counter((d.year, d.month) for d in days).most_common(1)[0]
    return period_of(year, month)


def month_label(period: str) -> str:
    """``2026-03`` → ``mars 2026``."""
    year, month = period.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def title_info(rows: list[list[object]]) -> dict[str, str]:
    """Collect ``Structure : X`` lines and ``label | value`` pairs from a title block."""
    info: dict[str, str] = {}
    for row in rows:
        cells = [c for c in row if c not in (None, "")]
        for i, cell in enumerate(cells):
            if not isinstance(cell, str):
                continue
            match = _KEY_VALUE.match(cell)
            if match and match.group(2):
                info.setdefault(fold(match.group(1)).strip(), match.group(2))
            elif cell.rstrip().endswith(":") and i + 1 < len(cells):
                value = cells[i + 1]
                if isinstance(value, (date, datetime)):
                    value = value.strftime("%d/%m/%Y")
                info.setdefault(fold(cell).rstrip(" :"), str(value).strip())
    return info
