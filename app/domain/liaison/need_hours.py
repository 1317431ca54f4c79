"""The insertion hours one job need may bring: posts × weekly hours × contract length.

A fiche used to print the lot's whole obligation as the hours it « covers », which a 2-post,
6-month need never does. The estimate is what the need itself brings, when its length is known:
« 6 mois », « 12 semaines », « 1 an ». A CDI, « durée du chantier » or an empty length give no
estimate and the document leaves a space to fill.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.domain.enums import ContractType

WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
WEEKS_PER_YEAR = Decimal(52)
_LENGTH = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(mois|semaines?|sem\.?|ans?|années?)\s*$", re.IGNORECASE)
_UNIT_WEEKS = {"mois": WEEKS_PER_MONTH, "semaine": Decimal(1), "semaines": Decimal(1), "sem": Decimal(1),
               "sem.": Decimal(1), "an": WEEKS_PER_YEAR, "ans": WEEKS_PER_YEAR, "année": WEEKS_PER_YEAR,
               "années": WEEKS_PER_YEAR}


def contract_weeks(contract_length: str) -> Decimal | None:
    """Return the weeks of « 6 mois » (26), « 12 semaines » (12) or « 1 an » (52); None when unreadable."""
    match = _LENGTH.match(contract_length or "")
    if match is None:
        return None
    try:
        value = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None
    if value <= 0:
        return None
    return value * _UNIT_WEEKS[match.group(2).lower()]


def estimate_need_hours(posts: int, weekly_hours: Decimal | None, contract_length: str,
                        contract_type: ContractType | None = None) -> Decimal | None:
    """Return posts × weekly hours × weeks of contract, to the nearest hour; None when unknown.

    A CDI has no end, so no estimate whatever its stated length (often a trial period).
    """
    if contract_type is ContractType.CDI or weekly_hours is None or weekly_hours <= 0 or posts < 1:
        return None
    weeks = contract_weeks(contract_length)
    if weeks is None:
        return None
    return (Decimal(posts) * weekly_hours * weeks).quantize(Decimal(1), ROUND_HALF_UP)
