"""Turn the loosely typed values of real DECP files into dates, amounts, codes and SIRETs.

Each reader returns ``(value, problem)``: ``problem`` is a French sentence when the raw value was
present but unusable, so the caller can warn about the record instead of rejecting the file.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from decimal import Decimal, InvalidOperation

from stdnum.fr import siret as stdnum_siret

from app.domain.decp.model import (
    CLAUSE_SOCIALE,
    CONCESSION_RESERVEE,
    CRITERE_SOCIAL,
    MARCHE_RESERVE,
    PAS_DE_CONSIDERATION,
)

_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATE_FR = re.compile(r"(\d{2})/(\d{2})/(\d{4})$")
_CPV = re.compile(r"(\d{8})(-\d)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
MAX_AMOUNT = Decimal("1e12")  # a trillion euros: anything above is a typing accident, not a contract

# Lower-cased spellings seen in real files → the schema's value. « Sans objet » is how the
# consolidated CSV exports write that the buyer declared no social consideration.
_SOCIAL_SPELLINGS = {
    "clause sociale": CLAUSE_SOCIALE,
    "critère social": CRITERE_SOCIAL,
    "critere social": CRITERE_SOCIAL,
    "marché réservé": MARCHE_RESERVE,
    "marche reserve": MARCHE_RESERVE,
    "concession réservée": CONCESSION_RESERVEE,
    "concession reservee": CONCESSION_RESERVEE,
    "pas de considération sociale": PAS_DE_CONSIDERATION,
    "pas de consideration sociale": PAS_DE_CONSIDERATION,
    "sans objet": PAS_DE_CONSIDERATION,
}


def text(value: object, limit: int = 1000) -> str:
    """Return a stripped string for a scalar, else an empty string."""
    if type(value) is str:
        return value.strip()[:limit]
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()[:limit]


def read_siret(value: object) -> tuple[str | None, str | None]:
    """Return a valid 14-digit SIRET (spaces removed), or None and why."""
    if isinstance(value, (str, int)):
        return _read_siret(value)  # the same few buyers recur on every record: check each once
    return _read_siret_uncached(value)


@lru_cache(maxsize=65536)
def _read_siret(value: str | int) -> tuple[str | None, str | None]:
    return _read_siret_uncached(value)


def _read_siret_uncached(value: object) -> tuple[str | None, str | None]:
    raw = text(value, 40)
    if isinstance(value, int) and not isinstance(value, bool):
        raw = f"{value:014d}"  # a SIRET read as a number loses its leading zeros
    if not raw:
        return None, "SIRET absent"
    digits = _SPACES.sub("", raw)
    if not stdnum_siret.is_valid(digits):
        return None, f"SIRET « {raw[:20]} » invalide"
    return digits, None


def read_amount(value: object) -> tuple[Decimal | None, str | None]:
    """Return an amount in euros from a number or a string (``1234.5``, ``1 234,50``, ``1234,5 €``)."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        return None, "montant illisible"
    if isinstance(value, (int, float)):
        raw = repr(value) if isinstance(value, float) else str(value)
    else:
        raw = _SPACES.sub("", str(value)).replace("€", "")
        if "," in raw and "." in raw:
            raw = raw.replace(".", "").replace(",", ".") if raw.rfind(",") > raw.rfind(".") else raw.replace(",", "")
        else:
            raw = raw.replace(",", ".")
    try:
        amount = Decimal(raw)
    except (InvalidOperation, ValueError):
        return None, f"montant « {str(value)[:30]} » illisible"
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        return None, f"montant « {str(value)[:30]} » hors limites"
    return amount.quantize(Decimal("0.01")), None


def read_date(value: object) -> tuple[date | None, str | None]:
    """Return a date from ``2026-08-22``, ``2026-08-22+02:00``, ``2026-08-22T10:00`` or ``22/08/2026``."""
    raw = text(value, 40)
    if not raw:
        return None, None
    iso = _DATE_ISO.match(raw)
    french = _DATE_FR.match(raw)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3])), None
        if french:
            return date(int(french[3]), int(french[2]), int(french[1])), None
    except ValueError:
        pass
    return None, f"date « {raw[:20]} » illisible"


def read_months(value: object) -> tuple[int | None, str | None]:
    """Return a duration in whole months."""
    amount, problem = read_amount(value)
    if amount is None:
        return None, problem and "durée en mois illisible"
    if amount != amount.to_integral_value() or amount > 1200:
        return None, f"durée « {str(value)[:20]} » mois illisible"
    return int(amount), None


def read_cpv(value: object) -> tuple[str, str | None]:
    """Return the 8 digits of a CPV code (the check digit dropped)."""
    raw = _SPACES.sub("", text(value, 40))
    if not raw:
        return "", None
    match = _CPV.match(raw)
    if not match:
        return "", f"code CPV « {raw[:20]} » invalide"
    return match[1], None


def read_social(value: object) -> tuple[tuple[str, ...] | None, list[str]]:
    """Return the social considerations (None when absent) and the values not understood.

    Accepts the schema's ``{"considerationSociale": [...]}``, a bare list, or a string where several
    values are joined (``Clause sociale, Critère social``), as the tabular exports write them.
    """
    if isinstance(value, dict):
        value = value.get("considerationSociale", next(iter(value.values()), None) if len(value) == 1 else None)
    if value is None:
        return None, []
    items = value if isinstance(value, list) else re.split(r"[,;|]", value) if isinstance(value, str) else [value]
    found: list[str] = []
    unknown: list[str] = []
    for item in items:
        raw = text(item, 80)
        if not raw:
            continue
        known = _SOCIAL_SPELLINGS.get(_SPACES.sub(" ", raw).lower())
        if known is None:
            unknown.append(raw)
        elif known not in found:
            found.append(known)
    if not found and not unknown:
        return None, []
    return tuple(found), unknown
