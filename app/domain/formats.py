"""Format figures, money and dates the French way, at the edges (documents, pages)."""

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date as _babel_format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "fr_FR"


def format_number(value: int | Decimal | float, digits: int = 0) -> str:
    """``1350`` → ``1 350`` (narrow no-break space, as Babel writes it)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def format_hours(value: int | Decimal) -> str:
    """``1350`` → ``1 350 heures``; ``1`` → ``1 heure``."""
    unit = "heure" if abs(Decimal(value)) <= 1 else "heures"
    digits = 0 if Decimal(value) == Decimal(value).to_integral_value() else 2
    return f"{format_number(value, digits)}\u00a0{unit}"


def format_money(value: int | Decimal) -> str:
    """``1000000`` → ``1 000 000,00 €``."""
    return format_currency(value, "EUR", locale=LOCALE)


def format_pct(value: Decimal | float, digits: int = 0) -> str:
    """``0.05`` → ``5 %``."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0%"
    return format_percent(value, format=pattern, locale=LOCALE)


def format_date_fr(value: date | datetime | None, style: str = "short") -> str:
    """``date(2026, 3, 1)`` → ``01/03/2026`` (``long``: ``1er mars 2026``, the French ordinal)."""
    if value is None:
        return ""
    if style == "short":
        return value.strftime("%d/%m/%Y")
    written = _babel_format_date(value, format=style, locale=LOCALE)
    return "1er" + written[1:] if style == "long" and value.day == 1 else written


def file_slug(text: str) -> str:
    """``"Réunion d'information"`` → ``reunion-d-information``, for file names in French."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "document"
