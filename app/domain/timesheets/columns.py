"""Recognise what each header cell of a timesheet table means."""

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, time, timedelta

from app.domain.sheetmap.hours import fold
from app.domain.timesheets.names import FIRST_LAST, LAST_FIRST

LAST, FIRST, FULL = "last", "first", "full"
DAY, WEEK, DATE = "day", "week", "date"
HOURS, TENDER, TOTAL, TRAINING = "hours", "tender", "total", "training"
OVERTIME = "overtime"
START, END, BREAK = "start", "end", "break"
ITEM, QUANTITY, UNIT = "item", "quantity", "unit"
REMARKS, LOT, ID, IGNORE = "remarks", "lot", "id", "ignore"
FULL_FIRST_LAST = "full_fl"
NAME_LABELS = (LAST, FULL, FIRST, FULL_FIRST_LAST)
HOUR_KINDS = (DAY, WEEK, HOURS, TENDER, TOTAL, TRAINING, OVERTIME, START, END)

_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mar|mer|jeu|ven|sam|dim|lu|ma|me|je|ve|sa|di|[lmjvsd])\.?"
WEEKDAY_ONLY = re.compile(rf"^{_WEEKDAY}$")
# Half-day columns under a day number: « M »/« AM », « Matin »/« Après-midi ».
HALF_DAY = re.compile(r"^(m|am|a-m|a\.m\.?|pm|p\.m\.?|mat\.?|matin|ap\.?|apm|apres[- ]midi|soir)$")
_DAY_LABEL = re.compile(rf"^(?:{_WEEKDAY}\s*)?(\d{{1,2}})(?:\s*{_WEEKDAY})?$")
_DAY_MONTH = re.compile(r"^(?:\w+\.?\s+)?(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")
_WEEK_LABEL = re.compile(r"^(?:s|sem|semaine)\s*\.?\s*(?:n°|no|n)?\s*(\d{1,2})$")
_WEEK_FROM = re.compile(r"^semaine\s+du\s+(\d{1,2})[/.](\d{1,2})")
_HOURS_WORD = re.compile(r"\bheures?\b|\bh\b|\bnb\s*h|\bvolume horaire|\bhrs?\b")

# Order matters: the first pattern that matches a folded label wins.
_HALF = r"(\s*(matin|am|apres[- ]midi|pm|\d))?"
_HALF_NEEDED = r"\s*(matin|am|apres[- ]midi|pm|\d)"
_LABEL_RULES = (
    # Arrival and departure times (a time clock, a day sheet): the hours are worked out from them.
    # A bare « Entrée » or « Sortie » is a contract date or an exit remark, not a time.
    (START, rf"^(heure|h\.?)\s+(d'|de\s+)?(arrivee|debut|entree){_HALF}$|^(arrivee|debut){_HALF}$"
     rf"|^entree{_HALF_NEEDED}$|^(matin|apres[- ]midi|am|pm)\s+(arrivee|debut|de)$"),
    (END, rf"^(heure|h\.?)\s+(de\s+|d')?(depart|fin|sortie){_HALF}$|^(depart|fin){_HALF}$"
     rf"|^sortie{_HALF_NEEDED}$|^(matin|apres[- ]midi|am|pm)\s+(depart|fin|a)$"),
    (BREAK, r"^(temps\s+de\s+|duree\s+(de\s+)?)?(pause|coupure)s?\b"),
    # Payroll and time-clock exports: one line per pay item, its label and its quantity.
    (ITEM, r"^(libelle|designation|intitule)(\s+(de\s+(la\s+)?)?rubrique)?$|^rubrique|^element\s+de\s+(paie|remuneration)"
     r"|^nature(\s+d'heures?)?$|^type\s+d'heures?$|^code(\s+(rubrique|heures?|activite|absence))?$"),
    (QUANTITY, r"^(quantite|qte\.?|nombre|nb|valeur|volume)(\s*\((h|heures?)\))?$"),
    (UNIT, r"^unite$|^u\.?$"),
    (TRAINING, r"formation"),
    # Payroll recaps put the contract's share in a "dont" column beside the hours worked.
    (TENDER, r"^dont\b.*(marche|chantier|operation|clause|lot\b)"),
    # Year-to-date and contract-to-date columns repeat earlier months: never this month's hours.
    (IGNORE, r"\bcumul(?!\s*(du\s+)?mois)|depuis le debut|\bannuel|anterieur|precedent"),
    # Overtime is worked time (2026-12: it used to be dropped with the "supp" columns).
    (OVERTIME, r"\bsupp?\b|\bsuppl|\bh\.?\s*s\.?\b|^hs\b|complementaire"),
    (REMARKS, r"remarque|observation|commentaire|motif|\bnotes?\b|\bsortie\b|precision"),
    (IGNORE, r"naissance|\bage\b|absence|entree|debut|\bfin\b|embauche|taux|montant|cout"),
    (TENDER, r"(heures?|\bh\b).*(marche|chantier|operation|clause|imput|insertion|affect|retenu|\blot\b)"),
    (TOTAL, r"\btotal|\bcumul|\bsomme"),
    (HOURS, r"heure|^h\.?\s+(en\s+)?entreprise|realise|effectue|travaille|presence|\bnb\s*h|volume horaire|\bduree\b"),
    (DATE, r"^(date|jour|journee|date du jour|date de travail|date d'intervention)$"),
    (LOT, r"^lots?\b|\blot\s*(n°|no)?$"),
    (ID, r"pass\s*iae|matricule|identifiant|^n°|^no$|^id$|numero"),
    (IGNORE, r"entreprise|client|chantier|marche|structure|operation|\bsite\b|adresse|employeur"
     r"|siret|contrat|type|poste|emploi|qualification|fonction|metier|sexe|categorie|statut"
     r"|public|critere|qpv|signature|service|equipe"),
    (FULL_FIRST_LAST, r"^prenom\s*(et|/|-|,)?\s*nom"),
    (FULL, r"salarie|participant|identite|beneficiaire|intervenant|interimaire|agent|personne|stagiaire|apprenant"
     r"|collaborateur|employe|ouvrier|noms?\s*(et|/|-|,)?\s*prenoms?"),
    (FIRST, r"prenom"),
    (LAST, r"\bnoms?\b"),
)
_COMPILED = tuple((kind, re.compile(pattern)) for kind, pattern in _LABEL_RULES)


@dataclass(frozen=True, slots=True)
class Column:
    """One useful column of a table: its position, meaning and header detail."""

    index: int
    kind: str
    label: str
    day: int | None = None
    month: int | None = None
    on: date | None = None
    week: str | None = None
    order: str = LAST_FIRST


def label_text(value: object) -> str:
    """Return a header cell as folded text (numbers as integers)."""
    if value is None:
        return ""
    if value.__class__ is str:
        return _label_of_text(value)
    if value.__class__ is float and value.is_integer():
        return str(int(value))  # digits and a sign: nothing to fold or to join
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return " ".join(fold(str(value)).replace("\n", " ").split())


@lru_cache(maxsize=2048)
def _label_of_text(value: str) -> str:
    # Headers repeat on every PDF page and every sheet: fold each label once.
    return " ".join(fold(value).replace("\n", " ").split())


def day_of(value: object) -> tuple[int, int | None, date | None] | None:
    """Return (day, month, date) when a header cell names a day of the month."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.day, value.month, value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return (int(value), None, None) if float(value).is_integer() and 1 <= value <= 31 else None
    text = label_text(value)
    if text.isascii() and text.isdigit() and len(text) <= 2:
        # "7" or "07": what _DAY_LABEL reads, without its weekday alternatives.
        return (int(text), None, None) if 1 <= int(text) <= 31 else None
    match = _DAY_LABEL.match(text)
    if match and 1 <= int(match.group(1)) <= 31:
        return int(match.group(1)), None, None
    match = _DAY_MONTH.match(text)
    if match and 1 <= int(match.group(1)) <= 31 and 1 <= int(match.group(2)) <= 12:
        day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
        if year:
            full = int(year) + (2000 if len(year) == 2 else 0)
            try:
                return day, month, date(full, month, day)
            except ValueError:
                return None
        return day, month, None
    return None


def week_of(value: object) -> str | None:
    """Return a week label (``S14``) when a header cell names a week."""
    if isinstance(value, (int, float, date, time, timedelta)):
        return None  # their labels (digits, dates, times) never start with "s" or "semaine"
    text = label_text(value)
    match = _WEEK_LABEL.match(text)
    if match:
        return f"S{int(match.group(1))}"
    match = _WEEK_FROM.match(text)
    if match:
        return f"semaine du {int(match.group(1)):02d}/{int(match.group(2)):02d}"
    return None


@lru_cache(maxsize=4096)
def kind_of_label(text: str) -> str:
    """Return the kind a folded label names, IGNORE when it names nothing we use."""
    # Cached: the same labels come back on every page, sheet and header check, and each
    # costs up to fourteen searches.
    for kind, pattern in _COMPILED:
        if pattern.search(text):
            return kind
    return IGNORE


def classify(index: int, parts: list[object]) -> Column | None:
    """Return the column a stack of header cells (top to bottom) describes."""
    # A PDF repeats its header on every page and a workbook on every sheet: the same
    # stacks come back, and a Column is an immutable value, so each is worked out once.
    try:
        return _classify(index, tuple(parts), tuple(map(type, parts)))
    except TypeError:  # a cell that cannot be hashed
        return _classify.__wrapped__(index, parts, ())


@lru_cache(maxsize=4096)
def _classify(index: int, parts: tuple, kinds: tuple) -> Column | None:
    # ``kinds`` keeps 1, 1.0 and True (equal, same hash) apart in the cache.
    texts = [label_text(part) for part in parts]
    label = " ".join(filter(None, texts))
    if not label:
        return None
    # Weeks first: "S14" is week 14, while "S 7" under a day grid is fixed by the table.
    for part in reversed(parts):
        week = week_of(part)
        if week:
            return _column(index, WEEK, label, None, None, None, week)
    for part in reversed(parts):
        found = day_of(part)
        if found:
            return _column(index, DAY, label, *found)
    lowest = next(t for t in reversed(texts) if t)
    kind = kind_of_label(lowest)
    if kind == IGNORE and _HOURS_WORD.search(label):
        # "Heures" merged above "marché" or "réalisées": the pair says what the column is.
        kind = kind_of_label(label)
    if kind == FULL_FIRST_LAST:
        return _column(index, FULL, label, None, None, None, None, FIRST_LAST)
    return _column(index, kind, label)


# Columns are immutable values and the same headers come back on every page and sheet:
# building one (frozen, so field by field through object.__setattr__) costs more than
# finding it again.
_column = lru_cache(maxsize=4096)(Column)


def is_header_token(value: object) -> bool:
    """Tell whether a cell can belong to a header block (label, day number or weekday)."""
    text = label_text(value)
    if not text:
        return True
    if WEEKDAY_ONLY.match(text) or HALF_DAY.match(text) or week_of(value):
        return True
    if isinstance(value, (int, float, date)) and not isinstance(value, bool):
        return day_of(value) is not None
    if day_of(value) is not None:
        return True
    return kind_of_label(text) != IGNORE or _HOURS_WORD.search(text) is not None
