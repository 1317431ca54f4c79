"""The result every hours method returns, its rounding rules and the checks on typed inputs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from app.domain.numbers import parse_decimal_fr

FTE_HOURS = Decimal(1607)  # legal yearly working time of one full-time job
ROUNDINGS = {
    "nearest": (ROUND_HALF_UP, "à l'heure la plus proche (une demi-heure arrondie au-dessus)"),
    "down": (ROUND_FLOOR, "à l'heure entière inférieure"),
    "up": (ROUND_CEILING, "à l'heure entière supérieure"),
}


class HoursInputError(ValueError):
    """An input makes the computation impossible; the message is French and shown as is.

    ``field`` names the missing input in the clause-pack JSON (``labour_share``): the JSON
    reader shows it to whoever wrote the file; a page shows the message alone, in its words.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class HoursResult:
    """Hours of one lot: contractual whole hours, the unrounded value and how they were found."""

    hours: int
    hours_exact: Decimal
    method: str
    details: dict[str, str]
    warnings: tuple[str, ...] = ()

    @property
    def fte(self) -> Decimal:
        """Return the full-time equivalent of the contractual hours."""
        return fte(self.hours)

    def to_dict(self) -> dict:
        """Return the JSON-ready shape printed by ``clausier hours … --json``."""
        return {
            "hours": self.hours,
            "hours_exact": plain_decimal(self.hours_exact),
            "method": self.method,
            "details": dict(self.details),
            "warnings": list(self.warnings),
        }


def plain_decimal(value: Decimal) -> str:
    """Write a Decimal without exponent nor trailing zeros (``1.4E+3`` → ``1400``)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fte(hours: int | Decimal, yearly_hours: Decimal = FTE_HOURS) -> Decimal:
    """Return hours ÷ 1 607 (one full-time job a year), to two decimals."""
    return (Decimal(hours) / yearly_hours).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _sentence(label: str) -> str:
    return label[:1].upper() + label[1:]  # str.capitalize() would turn « HT » into « ht »


def to_number(value, label: str) -> Decimal:
    """Read a number typed the French way, or raise HoursInputError naming ``label``."""
    # Booleans are ints in Python; a JSON ``true`` must not silently become 1 €.
    if isinstance(value, bool) or value is None:
        raise HoursInputError(f"{_sentence(label)} doit être un nombre.")
    try:
        return parse_decimal_fr(value, label=label)
    except ValueError as exc:
        raise HoursInputError(str(exc)) from None


def to_positive(value, label: str, *, allow_zero: bool = True) -> Decimal:
    """Read a number that cannot be negative (nor zero unless ``allow_zero``)."""
    number = to_number(value, label)
    if number < 0 or (number == 0 and not allow_zero):
        rule = "positif ou nul" if allow_zero else "strictement positif"
        raise HoursInputError(f"{_sentence(label)} doit être {rule} (valeur reçue : {value}).")
    return number


def check_rounding(rounding: str) -> None:
    """Raise HoursInputError unless ``rounding`` is nearest, down or up."""
    if rounding not in ROUNDINGS:
        raise HoursInputError(
            f"Règle d'arrondi inconnue « {rounding} » (choix possibles : nearest, down, up)."
        )


def finish_result(exact: Decimal, method: str, details: dict[str, str], warnings: list[str],
                  rounding: str, clause_threshold_hours=None) -> HoursResult:
    """Round ``exact`` to the contractual whole hour and close the details."""
    mode, rounding_label = ROUNDINGS[rounding]
    exact = max(exact, Decimal(0))
    hours = int(exact.to_integral_value(rounding=mode))
    details = {**details, "heures_exactes_h": plain_decimal(exact), "arrondi": rounding_label,
               "heures_retenues_h": str(hours), "etp": plain_decimal(fte(hours))}
    if clause_threshold_hours is not None:
        threshold = to_positive(clause_threshold_hours, "le seuil de clause (heures)")
        details["seuil_clause_h"] = plain_decimal(threshold)
        if hours < threshold:
            warnings.append(
                f"Le lot reste sous le seuil de clause ({plain_decimal(threshold)} h) avec "
                f"{hours} h : vérifier qu'une clause d'insertion y est pertinente."
            )
    return HoursResult(hours, exact, method, details, tuple(warnings))
