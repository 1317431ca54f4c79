"""Read and check a table of amount bands → hours ("0-99999:150,100000-:300").

Bands are closed ranges of whole euros: ``0-99999`` then ``100000-199999`` are contiguous
because the next low is the previous high + 1. Only the last band may be open (``400000-``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from app.domain.formats import format_number
from app.domain.clauses.result import HoursInputError

# Users paste figures with plain, no-break or narrow no-break spaces ("1 000 000").
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_BAND = re.compile(r"^(?P<low>\d*)-(?P<high>\d*):(?P<hours>[^:]*)$")


@dataclass(frozen=True)
class Band:
    """Amounts from ``low`` to ``high`` euros included (``None``: no upper bound) owe ``hours``."""

    low: int
    high: int | None
    hours: int

    @property
    def spec(self) -> str:
        """Return the band in the CLI syntax (``100000-199999:300``)."""
        return f"{self.low}-{'' if self.high is None else self.high}:{self.hours}"

    @property
    def label(self) -> str:
        """Return the band in French words (``de 100 000 € à 199 999 € : 300 h``)."""
        upper = "et au-delà" if self.high is None else f"à {format_number(self.high)}\u00a0€"
        return f"de {format_number(self.low)}\u00a0€ {upper} : {format_number(self.hours)}\u00a0h"


def _whole(value, what: str) -> int:
    if isinstance(value, bool):
        raise HoursInputError(f"{what} doit être un nombre entier (valeur reçue : {value}).")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise HoursInputError(f"{what} doit être un nombre entier (valeur reçue : {value}).") from None
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        raise HoursInputError(f"{what} doit être un nombre entier positif (valeur reçue : {value}).")
    return int(number)


def parse_bands(text: str) -> list[Band]:
    """Parse ``low-high:hours`` items separated by commas or semicolons into checked bands."""
    cleaned = _SPACES.sub("", text or "")
    if not cleaned:
        raise HoursInputError("Le barème est vide (exemple : « 0-99999:150 ; 100000-:300 »).")
    bands = []
    for item in filter(None, re.split(r"[,;]", cleaned)):
        match = _BAND.match(item)
        if not match or not match["low"]:
            raise HoursInputError(f"Tranche « {item} » illisible : écrire « minimum-maximum:heures », "
                        "par exemple « 100000-199999:300 » ou « 400000-:900 ».")
        high = match["high"] or None
        bands.append(Band(
            low=_whole(match["low"], f"Le minimum de la tranche « {item} »"),
            high=None if high is None else _whole(high, f"Le maximum de la tranche « {item} »"),
            hours=_whole(match["hours"], f"Le nombre d'heures de la tranche « {item} »"),
        ))
    return validate_bands(bands)


def validate_bands(bands) -> list[Band]:
    """Return the bands as ``Band`` objects, or raise HoursInputError naming the offending bands."""
    table = []
    for item in bands or ():
        if isinstance(item, Band):
            table.append(item)
            continue
        if isinstance(item, dict):
            item = (item.get("low"), item.get("high"), item.get("hours"))
        try:
            low, high, hours = item
        except (TypeError, ValueError):
            raise HoursInputError(
                f"Tranche mal formée : {item!r} (attendu : minimum, maximum, heures).") from None
        table.append(Band(
            low=_whole(low, "Le minimum d'une tranche"),
            high=None if high is None else _whole(high, "Le maximum d'une tranche"),
            hours=_whole(hours, "Le nombre d'heures d'une tranche"),
        ))
    if not table:
        raise HoursInputError("Le barème ne contient aucune tranche.")
    for band in table:
        if band.high is not None and band.high < band.low:
            raise HoursInputError(f"Tranche « {band.spec} » : le maximum est inférieur au minimum.")
    for previous, band in zip(table, table[1:]):
        if previous.high is None:
            raise HoursInputError(f"Seule la dernière tranche peut être ouverte : « {previous.spec} » "
                        f"est suivie de « {band.spec} ».")
        if band.low < previous.low:
            raise HoursInputError(f"Tranches non triées : « {band.spec} » vient après « {previous.spec} ».")
        if band.low <= previous.high:
            raise HoursInputError(f"Tranches qui se chevauchent : « {previous.spec} » et « {band.spec} ».")
        if band.low > previous.high + 1:
            missing = (f"le montant de {previous.high + 1} € n'est couvert"
                       if band.low == previous.high + 2 else
                       f"les montants de {previous.high + 1} à {band.low - 1} € ne sont couverts")
            raise HoursInputError(f"Trou dans le barème entre « {previous.spec} » et « {band.spec} » : "
                                  f"{missing} par aucune tranche.")
    return table
