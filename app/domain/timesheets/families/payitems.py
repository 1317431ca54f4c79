"""Payroll and time-clock exports: one line per person and pay item (« Heures normales », « CP »…)."""

import re

from app.domain.timesheets import checks
from app.domain.sheetmap.hours import fold, parse_hours
from app.domain.timesheets.model import ZERO, ParsedRow, ParseWarning, format_decimal
from app.domain.timesheets.names import clean_name

WORKED, TRAINING, ABSENCE, PREMIUM, OTHER, UNKNOWN = "worked", "training", "absence", "premium", "other", "unknown"

# Order matters: a « majoration heures supp. » is a premium on hours already counted, not hours.
_RULES = (
    (PREMIUM, r"major|\bprime\b|\bbonif"),
    (TRAINING, r"formation|\bform\b"),
    (ABSENCE, r"conge|\bcp\b|maladie|absen|\babs\b|accident|\bat\b|ferie|\bjf\b|\brtt\b|repos|greve|sans solde"
              r"|chomage|activite partielle|\bap\b|maternite|paternite|evenement familial"),
    (OTHER, r"repas|panier|\bpan\b|transport|indemn|ticket|\bkm\b|trajet|salissure|outillage|navigo|mutuelle"),
    (WORKED, r"heures? (normales?|travaill|effectu|realis|de base|contrat|supp?|suppl|compl)|\bhn\b|\bhs\s*\d*"
             r"|\bhc\b|heures? sup|temps de travail|\bpresence\b|\btravail\b"),
)
_COMPILED = tuple((kind, re.compile(pattern)) for kind, pattern in _RULES)
_NOT_HOURS = {"j", "jr", "jrs", "jour", "jours", "u", "unite", "nb", "eur", "€", "euros", "%"}


def item_kind(text: str, unit: str = "") -> str:
    """Say what a pay item is: hours worked, training, an absence, a premium, something else."""
    folded = fold(text)
    for kind, pattern in _COMPILED:
        if pattern.search(folded):
            return kind if kind in (ABSENCE, PREMIUM, OTHER) or not is_not_hours(unit) else OTHER
    return UNKNOWN


def is_not_hours(unit: str) -> bool:
    """Tell whether a unit column says days, counts or money."""
    return fold(unit or "").strip(" .") in _NOT_HOURS


def merge_item_lines(rows: list[ParsedRow]) -> list[ParsedRow]:
    """Fold each person's run of undated lines into one line (the first one's place in the file).

    Dated lines stay apart: each is a day, and the daily limits are checked on them.
    """
    merged: list[ParsedRow] = []
    for row in rows:
        last = merged[-1] if merged else None
        same = last is not None and (last.last_name, last.first_name, last.lot, last.day, row.day) == (
            row.last_name, row.first_name, row.lot, None, None)
        if same:
            last.hours += row.hours
            last.training_hours += row.training_hours
            last.notes.extend(row.notes)
            last.needs_review = last.needs_review or row.needs_review
            last.external_id = last.external_id or row.external_id
        else:
            merged.append(row)
    return merged


def item_text(reader, row: list[object]) -> str:
    """Return the pay item a line names: its code and label columns joined."""
    return " ".join(filter(None, (clean_name(_cell(row, col.index)) for col in reader.items)))


def read_item(reader, row: list[object], parsed: ParsedRow) -> None:
    """Count a pay item's quantity where it is hours worked or training; say what was left out."""
    text = item_text(reader, row)
    unit = clean_name(_cell(row, reader.unit.index)) if reader.unit else ""
    value = _cell(row, reader.quantity.index)
    kind = item_kind(text, unit)
    cell = parse_hours(value)
    if kind in (WORKED, TRAINING) and cell.failed:
        reader.unreadable(parsed, value, reader.quantity)
        return
    quantity = cell.hours or ZERO
    if kind == WORKED:
        parsed.hours = quantity
    elif kind == TRAINING:
        parsed.training_hours = quantity
    elif kind == ABSENCE and quantity:
        shown = f"{format_decimal(quantity).replace('.', ',')} {unit.lower() or 'h'}"
        parsed.notes.append(f"{text} : {shown}")
    elif kind == UNKNOWN and quantity:
        parsed.needs_review = True
        reader.warnings.append(ParseWarning(
            "unknown_pay_item",
            f"{parsed.person} : la rubrique « {text} » ({format_decimal(quantity).replace('.', ',')} "
            f"{unit or 'h'}, {checks.where(parsed.source)}) n'est pas reconnue et n'a pas été comptée. "
            "Si ce sont des heures travaillées, ajoutez-les à la main.",
            parsed.person,
        ))


def _cell(row: list[object], index: int) -> object:
    return row[index] if index < len(row) else None
