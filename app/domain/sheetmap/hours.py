"""Read one hours cell: ``7,5``, ``7.5``, ``7h30``, ``7:30``, Excel times, absence codes."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

SIXTY = Decimal(60)

# Codes people type instead of hours; each counts zero and is kept as a note.
ABSENCE_CODES = {
    "cp": "congés payés",
    "conges": "congés payés",
    "conges payes": "congés payés",
    "conge": "congés payés",
    "css": "congé sans solde",
    "at": "accident du travail",
    "am": "arrêt maladie",
    "mal": "maladie",
    "maladie": "maladie",
    "arret maladie": "arrêt maladie",
    "abs": "absence",
    "absent": "absence",
    "absente": "absence",
    "absence": "absence",
    "aj": "absence justifiée",
    "ai": "absence injustifiée",
    "rtt": "RTT",
    "ferie": "jour férié",
    "jf": "jour férié",
    "fer": "jour férié",
    "repos": "repos",
    "rc": "repos compensateur",
    "mp": "maladie professionnelle",
    "mat": "congé maternité",
    "pat": "congé paternité",
}
BLANKS = {"", "-", "–", "—", "/", ".", "néant", "neant"}

_NUMBER = re.compile(r"^(\d{1,4}(?:[.,]\d+)?)\s*(?:h|hr?s?|heures?)?$")
_H_MIN = re.compile(r"^(\d{1,3})\s*(?:h|heures?|:)\s*(\d{1,2})?\s*(?:min|mn|m)?$")


@dataclass(frozen=True, slots=True)
class HoursCell:
    """Hours read from a cell (None when blank), an absence label, or a failure."""

    hours: Decimal | None = None
    absence: str | None = None
    failed: bool = False


BLANK = HoursCell()
FAILED = HoursCell(failed=True)
_cache: dict[object, HoursCell] = {}


class _NoCombining(dict):
    """``str.translate`` table deleting combining marks, filled as characters show up."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        if len(self) < 8192:  # an odd file must not grow it without bound
            self[code] = kept
        return kept


_NO_COMBINING = _NoCombining()


# Characters other than ASCII and the combining accents U+0300-U+036F (U+034F, the only
# one there that does not combine, included): French text decomposes into the two only.
_NOT_ASCII_OR_ACCENT = re.compile("[^\x00-\x7f\u0300-\u034e\u0350-\u036f]")


def fold(text: str) -> str:
    """Lower-case and strip accents, for comparing labels typed by people."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Dropping the accents in C rather than with a generator over characters: when all
    # that is not ASCII is an accent, encoding to ASCII drops exactly them.
    if not _NOT_ASCII_OR_ACCENT.search(decomposed):
        return decomposed.encode("ascii", "ignore").decode("ascii")
    return decomposed.translate(_NO_COMBINING)


def parse_hours(value: object) -> HoursCell:
    """Return what a cell says about hours; never raise."""
    if value is None:
        return BLANK
    kind = type(value)
    if kind is float or kind is int or kind is str:
        # Timesheets repeat the same few values (7, 7,5, CP…): cache them.
        key = (kind, value)
        cached = _cache.get(key)
        if cached is None:
            cached = _parse_uncached(value)
            if len(_cache) < 4096:
                _cache[key] = cached
        return cached
    return _parse_uncached(value)


def _parse_uncached(value: object) -> HoursCell:
    if isinstance(value, bool):
        return FAILED
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")) or value < 0:
            return FAILED
        return HoursCell(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
    if isinstance(value, Decimal):
        return HoursCell(value) if value.is_finite() and value >= 0 else FAILED
    if isinstance(value, timedelta):
        seconds = Decimal(int(value.total_seconds()))
        return HoursCell(seconds / 3600) if seconds >= 0 else FAILED
    if isinstance(value, time):
        return HoursCell(Decimal(value.hour) + Decimal(value.minute) / SIXTY)
    if isinstance(value, datetime) or not isinstance(value, str):
        # A date in an hours cell is usually "7.30" turned into a date by Excel.
        return FAILED
    return _parse_text(value)


def _parse_text(raw: str) -> HoursCell:
    text = " ".join(raw.replace("\u00a0", " ").replace("\u202f", " ").split()).lower()
    if text in BLANKS:
        return BLANK
    match = _NUMBER.match(text)
    if match:
        try:
            return HoursCell(Decimal(match.group(1).replace(",", ".")))
        except InvalidOperation:
            return FAILED
    match = _H_MIN.match(text)
    if match:
        minutes = int(match.group(2) or 0)
        if minutes >= 60:
            return FAILED
        return HoursCell(Decimal(int(match.group(1))) + Decimal(minutes) / SIXTY)
    label = ABSENCE_CODES.get(fold(text).strip(" .()"))
    if label:
        return HoursCell(absence=label)
    return FAILED
