"""Vocabulary shared by the report builders: criteria columns, ages, ratios, labels."""

from collections.abc import Set
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.domain.enums import Criterion, LabelledEnum

# The criteria columns of the tableau d'impact (DOMAIN §7). A DETLD person (≥ 24 months)
# is also a DELD (≥ 12 months), so the DELD column counts both.
CRITERIA_COLUMNS: tuple[tuple[str, frozenset[Criterion]], ...] = (
    ("BRSA", frozenset({Criterion.BRSA})),
    ("ASS", frozenset({Criterion.ASS})),
    ("AAH", frozenset({Criterion.AAH})),
    ("DELD", frozenset({Criterion.DELD, Criterion.DETLD})),
    ("RQTH", frozenset({Criterion.RQTH})),
    ("PLIE", frozenset({Criterion.PLIE})),
    ("Senior", frozenset({Criterion.SENIOR})),
)

UNDER_AGE = 26
# Nomenclature des niveaux de diplôme (décret du 8 janvier 2019): exports print the label, not the code.
QUALIFICATION_LABELS = {
    "infra3": "Infra niveau 3 (sans diplôme)",
    "3": "Niveau 3 (CAP, BEP)",
    "4": "Niveau 4 (baccalauréat)",
    "5": "Niveau 5 (bac + 2)",
    "6": "Niveau 6 (bac + 3, licence)",
    "7": "Niveau 7 (bac + 5, master)",
    "8": "Niveau 8 (doctorat)",
}


def qualification_label(code: str) -> str:
    """``"infra3"`` → « Infra niveau 3 (sans diplôme) »; an unknown value is printed as typed."""
    return QUALIFICATION_LABELS.get((code or "").strip().lower(), code or "")
# Coarse bands on purpose: a pseudonymised export shows the band instead of the birth date.
AGE_BANDS = ((0, "Moins de 26 ans"), (26, "26 à 49 ans"), (50, "50 ans et plus"))


def age_on(birth_date: date | None, on: date | None) -> int | None:
    """Return the age in whole years on a given day, or None when a date is missing."""
    if birth_date is None or on is None:
        return None
    had_birthday = (on.month, on.day) >= (birth_date.month, birth_date.day)
    return on.year - birth_date.year - (0 if had_birthday else 1)


def age_band(age: int | None) -> str:
    """Return the French label of the band an age falls in ("" when unknown)."""
    if age is None:
        return ""
    return [label for lower, label in AGE_BANDS if age >= lower][-1]


def is_under(age: int | None, limit: int = UNDER_AGE) -> bool:
    """Tell whether a known age is below ``limit`` (an unknown age is not)."""
    return age is not None and age < limit


def has_any(criteria: Set[Criterion], wanted: Set[Criterion]) -> bool:
    """Tell whether a participant meets at least one of the wanted criteria."""
    return not criteria.isdisjoint(wanted)


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """Return part ÷ whole to four decimals (half up), 0 when the whole is 0."""
    if not whole:
        return Decimal(0)
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def label(member: LabelledEnum | None) -> str:
    """Return an enum member's French label, "" when absent."""
    return member.label if member is not None else ""
