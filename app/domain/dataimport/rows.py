"""Check every line of a mapped sheet: one RowResult per line, French reasons, never an exception.

The domain says what each line would create, or why it cannot; matching with the records
already stored (update, « identique ») is the service's, which fills ``changes``.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from app.domain.dataimport.kinds import MONTH, Field, Kind
from app.domain.dataimport.values import ValueMap, is_blank, read_value, unknown_spellings, value_key
from app.domain.sheetmap import SheetMapping, cell_text, label_key, skipped
from app.domain.sheetmap.period import month_label

CREATE, UPDATE, SKIP, ERROR = "create", "update", "skip", "error"
ACTION_LABELS = {CREATE: "création", UPDATE: "mise à jour", SKIP: "ignorée", ERROR: "erreur"}
_TOTALS = ("total", "sous total", "totaux", "ensemble")


@dataclass
class RowResult:
    """What one line of the file does, and why."""

    row: int  # the line number a person sees in the spreadsheet (1-based)
    action: str
    key: str = ""
    values: dict[str, object] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    # Filled by the service for an update: role → (stored value, value in the file).
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)
    match_id: int | None = None
    # Coded cells neither Clausier nor the user's value map knows: role → the spellings the file uses.
    unknown: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Return the JSON-safe report of the line."""
        return {"row": self.row, "action": self.action, "key": self.key, "reasons": list(self.reasons),
                "changes": {role: [shown(old), shown(new)] for role, (old, new) in self.changes.items()}}


def shown(value: object) -> object:
    """Return a value as JSON and reports show it (dates ISO, enums by their code)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value if value is None or isinstance(value, int | str) else str(value)


def fold_value_maps(value_maps: dict[str, dict[str, str]] | None) -> dict[str, ValueMap]:
    """Return the user's value maps with their spellings folded as cells are compared."""
    return {role: {value_key(raw): value for raw, value in (mapped or {}).items()}
            for role, mapped in (value_maps or {}).items()}


def natural_key(values: dict[str, object], kind: Kind) -> tuple[str, ...] | None:
    """Return the folded natural key of a line's values, or None when a required part of it is missing."""
    parts = tuple(label_key(shown(values.get(role))) for role in kind.natural_key)
    needed = [part for part, role in zip(parts, kind.natural_key, strict=True) if role not in kind.key_optional]
    return parts if all(needed) and any(parts) else None


def _is_total(row: list[object]) -> bool:
    first = next((label_key(cell) for cell in row if not is_blank(cell)), "")
    return first.replace("-", " ").startswith(_TOTALS)


def validate_rows(rows: list[list[object]], mapping: SheetMapping, kind: Kind,
                  value_maps: dict[str, dict[str, str]] | None = None) -> list[RowResult]:
    """Return one RowResult per line below the header: create, skip (blank, total, repeat) or error."""
    maps = fold_value_maps(value_maps)
    results: list[RowResult] = []
    seen: dict[tuple[str, ...], RowResult] = {}
    for index in range(mapping.header_row + 1, len(rows)):
        row = rows[index] or []
        result = RowResult(index + 1, CREATE)
        results.append(result)
        if all(is_blank(cell) for cell in row):
            result.action, result.reasons = SKIP, ["ligne vide"]
            continue
        if skipped(mapping, index, row) or _is_total(row):
            result.action, result.reasons = SKIP, ["ligne de total ou ligne écartée"]
            continue
        _read_line(result, row, mapping, kind, maps)
        key = natural_key(result.values, kind)
        result.key = _shown_key(result, row, mapping, kind)
        if result.reasons:
            result.action = ERROR
            continue
        if key is None:  # a required field's absence is already a reason; here a key that folds to nothing
            result.action, result.reasons = ERROR, ["identifiant vide"]
            continue
        first = seen.setdefault(key, result)
        if first is not result:
            if first.values == result.values:
                result.action, result.reasons = SKIP, [f"répète la ligne {first.row}"]
            else:
                result.action = ERROR
                result.reasons = [f"en double dans le fichier : la ligne {first.row} a le même identifiant "
                                  f"({result.key}) avec d'autres valeurs"]
    return results


def _shown_key(result: RowResult, row: list[object], mapping: SheetMapping, kind: Kind) -> str:
    # The stored form when the value is good (14 digits), else what the file says, to find the line.
    raw = {role: row[index] for index, role in mapping.columns.items() if index < len(row)}
    parts = (_as_read(kind.field(role), result.values[role]) if role in result.values else cell_text(raw.get(role))[:60]
             for role in kind.natural_key)
    return " / ".join(part for part in parts if part)


def _as_read(field_: Field, value: object) -> str:
    # Dates the French way (« 13/10/1991 », a month « mars 2024 »), codes by their code.
    if field_.parser == MONTH:
        return month_label(f"{value:%Y-%m}")
    return cell_text(value if isinstance(value, date) else shown(value))


def _read_line(result: RowResult, row: list[object], mapping: SheetMapping, kind: Kind,
               maps: dict[str, ValueMap]) -> None:
    for index, role in mapping.columns.items():
        if role not in kind.roles:
            continue
        field_ = kind.field(role)
        raw = row[index] if index < len(row) else None
        value, problem = read_value(field_, raw, maps.get(role))
        if problem:
            result.reasons.append(problem)
            if field_.coded:
                result.unknown[role] = unknown_spellings(field_, raw, maps.get(role))
        elif value is not None:
            result.values[role] = value
    for field_ in kind.fields:
        if field_.role in result.values or any(reason.startswith(field_.label) for reason in result.reasons):
            continue
        if field_.default is not None:
            result.values[field_.role] = field_.default
        elif field_.required:
            result.reasons.append(f"{field_.label} manquant (champ obligatoire).")


def unknown_values(rows: list[list[object]], mapping: SheetMapping, kind: Kind,
                   value_maps: dict[str, dict[str, str]] | None = None) -> dict[str, list[str]]:
    """Return, per coded column, the values neither Clausier nor the user's value map knows."""
    return unknown_in(validate_rows(rows, mapping, kind, value_maps))


def unknown_in(results: list[RowResult]) -> dict[str, list[str]]:
    """Return, per coded column, the unknown values the checked lines met (each spelling once)."""
    found: dict[str, dict[str, str]] = {}
    for result in results:
        for role, spellings in result.unknown.items():
            for raw in spellings:
                found.setdefault(role, {}).setdefault(value_key(raw), cell_text(raw))
    return {role: sorted(values.values()) for role, values in found.items()}
