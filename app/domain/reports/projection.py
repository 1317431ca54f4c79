"""Project a clause's hours to its end date and list the monthly sheets still missing.

Monthly sheets for a month arrive during the next one, so figures are measured at the
*cut-off*: the last day of the month before ``today``. Hours expected by then follow a straight
line over the contract's days; the projection extends the pace observed up to the cut-off.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from app.domain.reports.common import ratio

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Projection:
    """Where a clause stands and where its current pace leads."""

    done: Decimal
    remaining: Decimal
    pct: Decimal
    expected_by_now: Decimal
    projected_at_end: Decimal
    is_behind: bool
    months_left: int


@dataclass(frozen=True, order=True)
class MissingSheet:
    """A structure's monthly sheet that was expected and has not arrived."""

    structure: str
    month: str
    # ``siae:3`` or ``company:5``: who to remind (the reminders read the dashboard's own list).
    structure_key: str = field(default="", compare=False)


def month_key(day: date) -> str:
    """Return the ``YYYY-MM`` key of a day."""
    return f"{day.year:04d}-{day.month:02d}"


def _month_index(key: str) -> int:
    match = _MONTH.match(key)
    if not match:
        raise ValueError(f"Mois « {key} » invalide : format attendu AAAA-MM.")
    return int(match[1]) * 12 + int(match[2]) - 1


def cutoff_on(today: date) -> date:
    """Return the last day of the month before ``today``."""
    return today.replace(day=1) - timedelta(days=1)


def months_between(start_on: date, end_on: date) -> list[str]:
    """Return the ``YYYY-MM`` keys from ``start_on``'s month to ``end_on``'s, inclusive."""
    first, last = _month_index(month_key(start_on)), _month_index(month_key(end_on))
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(first, last + 1)]


def due_months(start_on: date, end_on: date, today: date) -> list[str]:
    """Return the months whose sheet should have arrived by ``today``."""
    cutoff = min(cutoff_on(today), end_on)
    return months_between(start_on, cutoff) if cutoff >= start_on else []


def project_hours(
    required: Decimal,
    monthly_done: Mapping[str, Decimal],
    start_on: date,
    end_on: date,
    today: date,
) -> Projection:
    """Compare hours done with a linear schedule and project them to ``end_on``."""
    if required <= 0:
        raise ValueError("Le nombre d'heures prévues doit être positif.")
    if end_on < start_on:
        raise ValueError("La date de fin est antérieure à la date de début.")
    for key in monthly_done:
        _month_index(key)
    done = sum(monthly_done.values(), Decimal(0))
    cutoff = min(cutoff_on(today), end_on)
    total_days = (end_on - start_on).days + 1
    elapsed_days = max((cutoff - start_on).days + 1, 0)
    expected = required * elapsed_days / total_days
    if elapsed_days:
        projected = done * total_days / elapsed_days
    else:
        # Nothing could have been reported yet: no pace to extend.
        projected = done
    months_left = 0 if today > end_on else len(months_between(max(today, start_on), end_on))
    return Projection(
        done=done,
        remaining=max(required - done, Decimal(0)),
        pct=ratio(done, required),
        expected_by_now=expected.quantize(_CENT),
        projected_at_end=projected.quantize(_CENT),
        is_behind=done < expected.quantize(_CENT),
        months_left=months_left,
    )


def missing_sheets(
    expected: Mapping[str, Iterable[str]], received: Mapping[str, Iterable[str]]
) -> list[MissingSheet]:
    """Return, sorted, each (structure, month) expected but not received."""
    missing = [
        MissingSheet(structure, month)
        for structure, months in expected.items()
        for month in set(months) - set(received.get(structure, ()))
    ]
    return sorted(missing)
