"""Read numbers the way French users type them (``1 234,56``, ``1000000,50``)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal

LOCALE = "fr_FR"


class NumberInputError(ValueError):
    """A value a user typed is not a number; the message is French and shown as is."""


def parse_decimal_fr(text: str | int | float | Decimal, *, label: str = "la valeur") -> Decimal:
    """Return the Decimal a French user meant, or raise NumberInputError."""
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(str(text))
    label = label[:1].upper() + label[1:]  # str.capitalize() would turn « HT » into « ht »
    cleaned = (text or "").strip().replace("€", "").replace("%", "").strip()
    if not cleaned:
        raise NumberInputError(f"{label} est vide.")
    # Babel accepts plain spaces where French uses a narrow no-break space.
    try:
        value = parse_decimal(cleaned, locale=LOCALE, strict=False)
    except (NumberFormatError, InvalidOperation):
        raise NumberInputError(
            f"{label} « {text} » n'est pas un nombre (exemples : 1 234,56 ou 1000000)."
        ) from None
    if not value.is_finite():
        raise NumberInputError(f"{label} « {text} » n'est pas un nombre fini.")
    return value


def euros_to_cents(value: Decimal | int) -> int:
    """Convert euros to whole cents, rounding half up (money is stored in cents)."""
    return int((Decimal(value) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def cents_to_euros(cents: int | None) -> Decimal:
    """Convert cents to a two-decimal euro amount."""
    return (Decimal(cents or 0) / 100).quantize(Decimal("0.01"))


def minutes_to_hours(minutes: int | None) -> Decimal:
    """Convert stored minutes to hours with two decimals (7h30 → 7.50)."""
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def hours_to_minutes(hours: Decimal) -> int:
    """Convert hours to whole minutes, rounding half up (7,5 → 450)."""
    return int((hours * 60).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
