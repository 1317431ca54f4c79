"""Who declares a placement's hours, and whether a person's month is plausible (DOMAIN.md §6, §11).

A placement has one declarant of record: the SIAE when it employs or lends the person, the
company otherwise. A sheet from the other party for the same person and month is a second
declaration of the same hours: kept, shown side by side, counted once.
"""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from app.domain.timesheets.checks import MAX_DAY, hours_fr
from app.domain.sheetmap.period import month_label

SIAE, COMPANY = "siae", "company"
# The user's choice when two parties declared the same month.
KEEP_RECORD, KEEP_THIS = "record", "this"


def declarant_of_record(siae_id: int | None, company_id: int | None) -> tuple[str, int] | None:
    """Return ("siae", id) for a placement with an SIAE, else ("company", id), None without either."""
    if siae_id is not None:
        return SIAE, siae_id
    if company_id is not None:
        return COMPANY, company_id
    return None


@lru_cache(maxsize=512)
def working_days(month_on: date) -> int:
    """Return the Monday-to-Friday days of a month (public holidays not deducted)."""
    days = calendar.monthrange(month_on.year, month_on.month)[1]
    return sum(date(month_on.year, month_on.month, day).weekday() < 5 for day in range(1, days + 1))


def plausible_minutes(month_on: date) -> int:
    """Return the most minutes a month's working days allow at the daily maximum (10 h)."""
    return working_days(month_on) * int(MAX_DAY) * 60


@dataclass(frozen=True)
class MonthCheck:
    """What is implausible about one person's month: too many hours, several declarants."""

    month_on: date
    counted_minutes: int
    declarants: tuple[str, ...]

    @property
    def too_many_hours(self) -> bool:
        """Tell whether the counted hours exceed what the working days allow."""
        return self.counted_minutes > plausible_minutes(self.month_on)

    @property
    def several_declarants(self) -> bool:
        """Tell whether more than one party declared the month."""
        return len(self.declarants) > 1

    def messages(self, person: str) -> list[str]:
        """Return the French warnings for this month, none when plausible."""
        label = month_label(f"{self.month_on:%Y-%m}")
        found = []
        if self.too_many_hours:
            hours = hours_fr(Decimal(self.counted_minutes) / 60)
            found.append(f"{person} : {hours} comptées en {label}, plus que ses {working_days(self.month_on)} jours ouvrés ne permettent "
                         f"({plausible_minutes(self.month_on) // 60} h au plus).")
        if self.several_declarants:
            found.append(f"{person} : {label} déclaré par {' et par '.join(self.declarants)}.")
        return found


def check_month(month_on: date, counted_minutes: int, declarants: Mapping[str, int]) -> MonthCheck:
    """Return the check of one person's month (``declarants``: name → minutes declared)."""
    return MonthCheck(month_on, counted_minutes, tuple(sorted(declarants)))
