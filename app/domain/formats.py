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
    words = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().split()
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
            starts_vowel = unicodedata.normalize("NFKD", name[:1]).encode("ascii", "ignore").decode().lower()
            joined = f"d’{name}" if starts_vowel and starts_vowel in "aeiouy" else f"de {name}"
    elif lower == "à":
        joined = {"le": f"au {name}", "les": f"aux {name}", "la": f"à la {name}", "l": f"à l’{name}"}.get(
            key, f"à {name}")
    else:
        joined = f"{word}{name}" if key == "l" else (f"{word} {name}" if word else name)
    return joined[:1].upper() + joined[1:] if form[:1].isupper() else joined
