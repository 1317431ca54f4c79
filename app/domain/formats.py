"""Format figures, money and dates the French way, at the edges (documents, pages)."""

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.dates import format_date as _babel_format_date
from babel import Locale
from babel.numbers import format_currency, parse_pattern
from stdnum.fr import siren as stdnum_siren
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

LOCALE = "fr_FR"


# Parsed once: Babel would parse the locale name and the pattern again on every figure, and a
# territory's dashboard prints thousands of them (issue 22).
_BABEL_LOCALE = Locale.parse(LOCALE)


@lru_cache(maxsize=None)
def _number_pattern(pattern: str):
    return parse_pattern(pattern)


# Equal values print the same (1, 1.0 and Decimal("1.00") alike), so a figure is formatted once.
@lru_cache(maxsize=16384)
def _format_with(value: int | Decimal | float, pattern: str) -> str:
    return _number_pattern(pattern).apply(value, _BABEL_LOCALE)


def format_number(value: int | Decimal | float, digits: int = 0) -> str:
    """``1350`` → ``1 350`` (narrow no-break space, as Babel writes it)."""
    return _format_with(value, "#,##0" + ("." + "0" * digits if digits else ""))


def format_figure(value: int | Decimal | float, max_digits: int = 2) -> str:
    """``1203.5`` → ``1 203,5``; ``490.00`` → ``490``: at most ``max_digits`` decimals, none when whole."""
    return _format_with(value, "#,##0" + ("." + "#" * max_digits if max_digits else ""))


def format_hours(value: int | Decimal | float, max_digits: int = 2, *, short: bool = False) -> str:
    """``1350`` → ``1 350 heures``; ``1.5`` → ``1,5 heure``; ``short``: ``7,5 h``.

    At most ``max_digits`` decimals and none when whole (never « 490,00 » nor « h 00 »); a
    projection or an estimate passes ``0``. French keeps the singular below two (« 1,5 heure »).
    """
    figure = format_figure(value, max_digits)
    if short:
        return f"{figure}\u00a0h"
    shown = Decimal(figure.replace("\u202f", "").replace("\u00a0", "").replace(",", "."))
    return f"{figure}\u00a0{plural(shown, 'heure')}"


def format_minutes(minutes: int | None, *, short: bool = False) -> str:
    """Stored minutes as hours: ``72210`` → ``1 203,5 heures`` (never « 1203 h 30 »)."""
    hours = (Decimal(minutes or 0) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_hours(hours, short=short)


def plural(count: int | float | Decimal, singular: str, many: str | None = None) -> str:
    """Return ``singular`` or ``many`` (default ``singular + "s"``): French keeps the singular below 2."""
    return singular if abs(count) < 2 else (many or singular + "s")


def format_count(count: int, singular: str, many: str | None = None) -> str:
    """``3, "lot en retard", "lots en retard"`` → ``3 lots en retard``; ``0, "heure"`` → ``0 heure``."""
    return f"{format_number(count)}\u00a0{plural(count, singular, many)}"


def format_siret(value: str | None) -> str:
    """``12345678900012`` → ``123 456 789 00012`` (SIREN by threes, then the NIC), as documents print it.

    The grouping is python-stdnum's, the one documents use; no-break spaces keep it on one line.
    """
    digits = re.sub(r"\D", "", value or "")
    formatter = {14: stdnum_siret.format, 9: stdnum_siren.format}.get(len(digits))
    return formatter(digits).replace(" ", "\u00a0") if formatter else value or ""


# Metropolitan départements 01–95, then overseas (971–976) and Pacific (984–989) codes.
POSTCODE_RE = re.compile(r"^(?:0[1-9]\d{3}|[1-8]\d{4}|9[0-5]\d{3}|97[1-6]\d{2}|98[4-9]\d{2})$")
# A telephone number as typed in a form or a spreadsheet: digits, spaces, « + », brackets, dots, dashes.
PHONE_RE = re.compile(r"^[0-9 +().-]{6,30}$")


@lru_cache(maxsize=4096)  # a file names the same few structures on thousands of lines
def check_siret(value: str) -> tuple[str, str | None]:
    """Return a SIRET's 14 digits and None, or what is typed and why it is refused (French).

    The check is python-stdnum's (Luhn, La Poste's exception included): forms and imports share it.
    """
    try:
        return stdnum_siret.validate(value), None
    except StdnumError:
        digits = stdnum_siret.compact(value or "")
        if not digits.isdigit() or len(digits) != 14:
            return digits, "Un SIRET compte 14 chiffres (exemple : 732 829 320 00074)."
        return digits, "Ce SIRET n'est pas valide : vérifiez les chiffres (clé de contrôle incorrecte)."


def format_input_number(value: int | Decimal | None, *, money: bool = False) -> str:
    """The value a form field is pre-filled with: ``350000.5`` → ``350 000,50`` (money) or ``350 000,5``.

    Plain spaces, so the figure posts back exactly as a user would type it.
    """
    if value is None:
        return ""
    value = Decimal(value)
    if money and value != value.to_integral_value():
        text = format_number(value, 2)
    else:
        text = format_figure(value, max(0, -value.normalize().as_tuple().exponent))
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def format_money(value: int | Decimal) -> str:
    """``1000000`` → ``1 000 000,00 €``."""
    return format_currency(value, "EUR", locale=LOCALE)


def format_pct(value: Decimal | float, digits: int = 0) -> str:
    """``0.05`` → ``5 %``."""
    return _format_with(value, "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0%")


def format_date_fr(value: date | datetime | None, style: str = "short") -> str:
    """``date(2026, 3, 1)`` → ``01/03/2026`` (``long``: ``1er mars 2026``, the French ordinal)."""
    if value is None:
        return ""
    if style == "short":
        return value.strftime("%d/%m/%Y")
    written = _babel_format_date(value, format=style, locale=LOCALE)
    return "1er" + written[1:] if style == "long" and value.day == 1 else written


def format_time_fr(value: datetime | None) -> str:
    """``9:00`` → ``9 h``; ``14:30`` → ``14 h 30`` (no « 09 h 00 »), with no-break spaces."""
    if value is None:
        return ""
    return f"{value.hour}\u00a0h" + (f"\u00a0{value.minute:02d}" if value.minute else "")


def format_period(starts_on: date | None, ends_on: date | None) -> str:
    """« du 07/11/2026 au 31/12/2026 », « depuis le 07/11/2026 (en cours) », « jusqu'au 31/12/2026 »."""
    if starts_on and ends_on:
        return f"du {format_date_fr(starts_on)} au {format_date_fr(ends_on)}"
    if starts_on:
        return f"depuis le {format_date_fr(starts_on)} (en cours)"
    if ends_on:
        return f"jusqu’au {format_date_fr(ends_on)}"
    return "sans dates connues"


def _ascii(text: str) -> str:
    """Return ``text`` without its accents (« Élagage » → « Elagage »)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def file_slug(text: str) -> str:
    """``"Réunion d'information"`` → ``reunion-d-information``, for file names in French."""
    return re.sub(r"[^a-z0-9]+", "-", _ascii(text).lower()).strip("-") or "document"


# --- Organisation names in prose: « le PLIE du Val-de-Lys », « de la Ville de Lens », « à l’Agence… »

ARTICLES = {"le": "le", "la": "la", "l": "l’", "les": "les", "aucun": ""}
ARTICLE_CHOICES = (("", "Automatique"), ("le", "le (le PLIE…)"), ("la", "la (la Maison de l’emploi…)"),
                   ("l", "l’ (l’Agence…, l’Office…)"), ("les", "les (les Ateliers…)"),
                   ("aucun", "aucun article (Lens Agglomération…)"))
# First words that take « la »; any other word starting with a consonant takes « le », a vowel or
# a mute h « l’ ». Proper names (a city, a brand) are set to « aucun » by whoever enters them.
_FEMININE = {"maison", "ville", "commune", "communaute", "metropole", "region", "mairie", "mission",
             "prefecture", "direction", "societe", "collectivite", "cite", "chambre", "caisse", "federation",
             "fondation", "regie", "plateforme", "structure", "residence", "compagnie", "cooperative",
             "entreprise", "sa", "sas", "sarl", "scop", "scic", "sem", "spl", "dreets", "drieets", "ddets"}
_PLURAL = {"ateliers", "compagnons", "jardins", "services", "amis", "chantiers"}
_MUTE_H = {"habitat", "hopital", "hotel", "habitation", "habitations", "hauts"}


def guess_article(name: str) -> str:
    """Return the article key (``le``, ``la``, ``l``, ``les``) a name most likely takes."""
    words = _ascii(name).lower().split()
    first = re.sub(r"[^a-z]", "", words[0]) if words else ""
    if not first:
        return "aucun"
    if first in _PLURAL:
        return "les"
    if first[0] in "aeiouy" or first in _MUTE_H:
        return "l"
    return "la" if first in _FEMININE else "le"


def with_article(name: str, article: str = "", form: str = "le") -> str:
    """Return ``name`` with its article in a sentence: ``form`` is ``le``, ``Le``, ``de`` or ``à``.

    ``article`` is the stored key (empty: guessed). « de » and « à » contract as French does:
    du, des, au, aux, de l’, d’ before a vowel when there is no article.
    """
    name = name.strip()
    key = article if article in ARTICLES else guess_article(name)
    word = ARTICLES[key]
    lower = form.lower()
    if lower == "de":
        joined = {"le": f"du {name}", "les": f"des {name}", "la": f"de la {name}", "l": f"de l’{name}"}.get(key)
        if joined is None:
            starts_vowel = _ascii(name[:1]).lower()
            joined = f"d’{name}" if starts_vowel and starts_vowel in "aeiouy" else f"de {name}"
    elif lower == "à":
        joined = {"le": f"au {name}", "les": f"aux {name}", "la": f"à la {name}", "l": f"à l’{name}"}.get(
            key, f"à {name}")
    else:
        joined = f"{word}{name}" if key == "l" else (f"{word} {name}" if word else name)
    return joined[:1].upper() + joined[1:] if form[:1].isupper() else joined
