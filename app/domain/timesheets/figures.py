"""Day cells as floats: plain figures of text cells, and float sums as Decimal hours.

Grids repeat the same few figures ("7,5", "8") and monthly totals, so both conversions
are cached; the caches are bounded and hold pure results, whatever file they came from.
"""

from decimal import ROUND_HALF_UP, Decimal

from app.domain.sheetmap.hours import parse_hours
from app.domain.timesheets.model import CENT

_PLAIN: dict[str, float] = {}


def plain_figure(text: str) -> float | None:
    """Return the hours a text cell holds as a float when it is a plain figure, else None."""
    cell = parse_hours(text)
    if cell.hours is None or cell.failed or cell.absence:
        return None
    value = float(cell.hours)
    if len(_PLAIN) < 4096:
        _PLAIN[text] = value
    return value


def text_figures(texts: list[str]) -> list[float] | None:
    """Return the float of each text cell, or None when one is not a plain figure."""
    found = list(map(_PLAIN.get, texts))
    if None in found:
        found = [plain_figure(text) if value is None else value for value, text in zip(found, texts)]
        if None in found:
            return None
    return found


DECIMALS: dict[float, Decimal] = {}


def to_decimal(total: float) -> Decimal:
    """Turn a float sum of Excel cells into hours rounded to the hundredth."""
    # Monthly totals repeat a lot (151,67, 165…): cache the conversion.
    found = DECIMALS.get(total)
    if found is None:
        found = Decimal(repr(total)).quantize(CENT, rounding=ROUND_HALF_UP)
        if len(DECIMALS) < 4096:
            DECIMALS[total] = found
    return found


def float_days(values: list, texts: list[str], figures: list[float]) -> list[float]:
    """Return day cells of text as floats (blank → 0.0), given their figures."""
    # The figures, not the bounded cache, give the values: once the cache is full a figure
    # seen for the first time must not count 0 in the weekly sums.
    lookup = dict(zip(texts, figures))
    return [lookup[value] if value else 0.0 for value in values]
