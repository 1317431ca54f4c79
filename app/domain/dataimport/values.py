"""Read one cell as a field's value: text, SIRET, dates of every spreadsheet, coded values.

Each reader returns ``(value, reason)``: a French reason instead of an exception, so a row
with ten bad cells says ten things and the file is never half read.
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from email_validator import EmailNotValidError, validate_email

from app.domain.dataimport.kinds import (
    BOOL,
    CODES,
    DATE,
    DECIMAL,
    EMAIL,
    ENUM,
    HOURS,
    INT,
    MARK,
    MONTH,
    PHONE,
    POSTCODE,
    SIRET,
    Field,
)
from app.domain.formats import PHONE_RE, POSTCODE_RE, check_siret
from app.domain.numbers import NumberInputError, hours_to_minutes, minutes_to_hours, parse_decimal_fr
from app.domain.sheetmap import cell_text, header_key
from app.domain.sheetmap.hours import parse_hours
from app.domain.sheetmap.period import find_period_in_text

# A coded value is matched as a column title is: « Ent. ins. », « ent ins » and « ENT-INS » alike.
value_key = header_key

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_FRENCH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?: .*)?$")
# Excel counts days from 30/12/1899 (its 1900 leap-year bug included); 1 to 31/12/9999.
_EXCEL_EPOCH = date(1899, 12, 30)
_MAX_SERIAL = 2_958_465
_OLDEST, _NEWEST = date(1900, 1, 1), date(2100, 12, 31)

ValueMap = dict[str, str]


def is_blank(raw: object) -> bool:
    """Tell whether a cell holds nothing a person would see."""
    if raw is None:
        return True
    if type(raw) is str:  # most cells: blank when only spaces, as cell_text reads it
        return not raw.strip()
    return cell_text(raw) == ""


def written(field: Field, value: object) -> object:
    """Return a stored value as an export writes it, so that reading it back gives the same value."""
    if value is None:
        return ""
    if field.parser == HOURS:
        return minutes_to_hours(value)
    if field.parser == CODES:
        return ", ".join(member.value + (f" ({proof:%d/%m/%Y})" if proof else "") for member, proof in value)
    if field.parser == MARK and value is True:
        return "X"
    shown = value.value if hasattr(value, "value") and not isinstance(value, bool) else value
    return shown.isoformat() if isinstance(shown, date) else shown


def read_value(field: Field, raw: object, value_map: ValueMap | None = None) -> tuple[object, str | None]:
    """Return the value of ``raw`` for ``field`` (None when blank), or None and a French reason."""
    if is_blank(raw):
        return None, None
    if callable(field.parser):
        return field.parser(field, raw)
    if field.parser == ENUM:
        return _read_enum(field, raw, value_map or {})
    if field.parser == CODES:
        return _read_codes(field, raw, value_map or {})
    return _READERS.get(field.parser, _read_text)(field, raw)


def unknown_spellings(field: Field, raw: object, value_map: ValueMap | None = None) -> list[str]:
    """Return what a coded cell says that neither Clausier nor the value map knows (one code, or several)."""
    if field.parser == CODES:
        return [text for text, _proof in map(_code_and_date, split_codes(raw))
                if _member(field, text, value_map or {}) is None]
    return [cell_text(raw)] if field.parser == ENUM and _member(field, raw, value_map or {}) is None else []


def _read_text(field: Field, raw: object) -> tuple[object, str | None]:
    text = cell_text(raw)
    if len(text) > field.max_length:
        return None, f"{field.label} : texte trop long ({len(text)} caractères, {field.max_length} au plus)."
    return text, None


def _read_siret(field: Field, raw: object) -> tuple[object, str | None]:
    # A SIRET read as a number by the spreadsheet loses nothing but may show as 7.3282932000074E13.
    text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else cell_text(raw)
    digits, problem = check_siret(text[:40])
    if problem:
        return None, f"{field.label} « {text[:40]} » : {problem[0].lower()}{problem[1:]}"
    return digits, None


def _read_postcode(field: Field, raw: object) -> tuple[object, str | None]:
    text = cell_text(raw).replace(" ", "")
    if isinstance(raw, int | float) and len(text) == 4:
        text = "0" + text  # 01000 read as the number 1000
    if not POSTCODE_RE.match(text):
        return None, f"{field.label} « {text[:20]} » : un code postal compte 5 chiffres (exemple : 59140)."
    return text, None


def _read_email(field: Field, raw: object) -> tuple[object, str | None]:
    text = cell_text(raw)
    if len(text) <= field.max_length and _is_email(text):
        return text, None
    return None, f"{field.label} « {text[:60]} » : cette adresse e-mail n'est pas valide."


def _is_email(text: str) -> bool:
    # The check the forms make (WTForms' Email is email-validator too), without a DNS lookup.
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _read_phone(field: Field, raw: object) -> tuple[object, str | None]:
    text = cell_text(raw)
    if isinstance(raw, int | float) and len(text) == 9:
        text = "0" + text  # 0320000000 read as a number
    if not PHONE_RE.match(text):
        return None, f"{field.label} « {text[:40]} » : ce numéro de téléphone n'est pas valide."
    return text, None


def read_date(raw: object) -> date | None:
    """Return the date of a cell: a spreadsheet date, an Excel serial, JJ/MM/AAAA or AAAA-MM-JJ."""
    found = None
    if isinstance(raw, datetime):
        found = raw.date()
    elif isinstance(raw, date):
        found = raw
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1 <= raw <= _MAX_SERIAL:
            found = _EXCEL_EPOCH + timedelta(days=int(raw))
    else:
        text = cell_text(raw)
        if text.isascii() and text.isdigit() and len(text) <= 7:  # « ² » is a digit to str.isdigit
            return read_date(int(text))
        try:
            if match := _ISO.match(text):
                found = date(int(match[1]), int(match[2]), int(match[3]))
            elif match := _FRENCH.match(text):
                year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
                found = date(year, int(match[2]), int(match[1]))
        except ValueError:
            found = None
    return found if found is not None and _OLDEST <= found <= _NEWEST else None


def _read_date(field: Field, raw: object) -> tuple[object, str | None]:
    found = read_date(raw)
    if found is None:
        return None, (f"{field.label} « {cell_text(raw)[:30]} » : date non comprise "
                      "(formats acceptés : JJ/MM/AAAA, AAAA-MM-JJ ou une date du tableur).")
    return found, None


def _read_decimal(field: Field, raw: object) -> tuple[object, str | None]:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        return None, f"{field.label} « {cell_text(raw)[:30]} » n'est pas un nombre."
    try:
        return parse_decimal_fr(raw if not isinstance(raw, str) else raw[:60], label=field.label), None
    except (NumberInputError, ValueError, ArithmeticError) as exc:
        return None, str(exc)


def _read_int(field: Field, raw: object) -> tuple[object, str | None]:
    value, problem = _read_decimal(field, raw)
    if problem:
        return None, problem
    if value != value.to_integral_value() or abs(value) > 10**12:
        return None, f"{field.label} « {cell_text(raw)[:30]} » n'est pas un nombre entier."
    return int(value), None


def _member(field: Field, raw: object, value_map: ValueMap):
    key = value_key(raw)
    value = value_map.get(key) or field.known_spellings.get(key)
    try:
        return field.enum(value)
    except ValueError:  # no correspondence, or a saved one that names no code (any more)
        return None


def _read_enum(field: Field, raw: object, value_map: ValueMap) -> tuple[object, str | None]:
    member = _member(field, raw, value_map)
    if member is None:
        return None, (f"{field.label} « {cell_text(raw)[:60]} » : valeur inconnue, "
                      "indiquez à quoi elle correspond.")
    return member, None


_DATED = re.compile(r"^(.*?)\s*\(([^()]*)\)$")


def split_codes(raw: object) -> list[str]:
    """Return the codes a cell lists, as written (separated by , ; / + or line breaks).

    Nothing in brackets separates (« RSA (12/03/2024) »), nor a « + » before a figure (« +50 ans »).
    """
    # The cell as typed: a line break (Alt+Entrée) separates too, where cell_text would join the lines.
    text = raw[:1000] if isinstance(raw, str) else cell_text(raw)[:1000]
    parts, start, depth = [], 0, 0
    for index, char in enumerate(text):
        depth = depth + 1 if char == "(" else max(depth - 1, 0) if char == ")" else depth
        if depth == 0 and (char in ",;/\n" or char == "+" and not text[index + 1:].lstrip()[:1].isdigit()):
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [" ".join(part.split()) for part in parts if part.strip()]


def _code_and_date(part: str) -> tuple[str, date | None]:
    # « RSA (12/03/2024) »: the date in brackets; « Travailleur handicapé (RQTH) » keeps its brackets.
    match = _DATED.match(part)
    found = read_date(match[2].strip()) if match and not match[2].strip().isdigit() else None
    return (match[1], found) if found else (part, None)


def _read_codes(field: Field, raw: object, value_map: ValueMap) -> tuple[object, str | None]:
    found: dict[object, date | None] = {}
    unknown, clashes = [], []
    for text, proof in map(_code_and_date, split_codes(raw)):
        member = _member(field, text, value_map)
        if member is None:
            unknown.append(f"« {text[:60]} »")
        elif proof and found.get(member) and found[member] != proof:
            clashes.append(f"« {member.value} »")
        else:
            found[member] = proof or found.get(member)
    if unknown:
        return None, (f"{field.label} : {', '.join(unknown[:10])} "
                      + ("inconnu, indiquez à quoi il correspond." if len(unknown) == 1 else
                         "inconnus, indiquez à quoi chaque valeur correspond."))
    if clashes:
        return None, f"{field.label} : {', '.join(clashes)} cité deux fois avec des dates différentes."
    order = list(field.enum)
    return tuple(sorted(found.items(), key=lambda item: order.index(item[0]))), None


_TRUE = frozenset({"oui", "o", "x", "1", "vrai", "true", "yes", "y", "ok"})
_FALSE = frozenset({"non", "n", "0", "faux", "false", "no", "-"})


def _read_bool(field: Field, raw: object) -> tuple[object, str | None]:
    if isinstance(raw, bool):
        return raw, None
    key = value_key(raw)
    if key in _TRUE:
        return True, None
    if key in _FALSE:
        return False, None
    return None, f"{field.label} « {cell_text(raw)[:30]} » : répondez par oui ou non (ou laissez vide)."


def _read_mark(field: Field, raw: object) -> tuple[object, str | None]:
    # A ticked cell is True, a date is the date of what it ticks; « non » or « - » is nothing.
    key = value_key(raw) if not isinstance(raw, bool) else ("oui" if raw else "non")
    if key in _TRUE:
        return True, None
    if key in _FALSE:
        return None, None
    found = read_date(raw)
    if found is None:
        return None, (f"{field.label} « {cell_text(raw)[:30]} » : mettez X (ou oui), une date (JJ/MM/AAAA) "
                      "ou laissez vide.")
    return found, None


def read_month(raw: object) -> date | None:
    """Return the first day of the month a cell names: a date, « mars 2024 », 03/2024, 2024-03."""
    if isinstance(raw, datetime | date):
        return date(raw.year, raw.month, 1) if _OLDEST <= date(raw.year, raw.month, 1) <= _NEWEST else None
    text = cell_text(raw)
    period = find_period_in_text(text[:60]) if text else None
    if period is None:
        found = read_date(raw)
        return date(found.year, found.month, 1) if found else None
    year, month = period.split("-")
    return date(int(year), int(month), 1)


def _read_month(field: Field, raw: object) -> tuple[object, str | None]:
    found = read_month(raw)
    if found is None:
        return None, (f"{field.label} « {cell_text(raw)[:30]} » : mois non compris "
                      "(exemples : mars 2024, 03/2024, 2024-03 ou une date du mois).")
    return found, None


_MAX_MONTH_MINUTES = 31 * 24 * 60


def _read_hours(field: Field, raw: object) -> tuple[object, str | None]:
    cell = parse_hours(raw if not isinstance(raw, str) else raw[:40])
    if cell.failed or cell.hours is None:
        return None, (f"{field.label} « {cell_text(raw)[:30]} » : nombre d'heures non compris "
                      "(exemples : 35, 7,5 ou 7h30).")
    if cell.hours * 60 > _MAX_MONTH_MINUTES:
        return None, f"{field.label} « {cell_text(raw)[:30]} » : plus d'heures qu'un mois n'en compte."
    return hours_to_minutes(cell.hours), None


_READERS = {SIRET: _read_siret, POSTCODE: _read_postcode, EMAIL: _read_email, PHONE: _read_phone,
            DATE: _read_date, DECIMAL: _read_decimal, INT: _read_int, BOOL: _read_bool, MONTH: _read_month,
            HOURS: _read_hours, MARK: _read_mark}
