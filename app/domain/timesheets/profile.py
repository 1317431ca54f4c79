"""Read a timesheet the way a person said its columns should be read (a reading profile)."""

from dataclasses import dataclass

from app.domain.sheetmap import SEARCH_ROWS, MappingError, SheetMapping, find_header, skipped
from app.domain.timesheets import columns as c
from app.domain.timesheets.columns import Column, classify, day_of, label_text, week_of
from app.domain.timesheets.hidden import column_letter
from app.domain.timesheets.layout import Table, find_first_table
from app.domain.timesheets.limits import Deadline
from app.domain.timesheets.families.marks import stated_lengths
from app.domain.timesheets.families.payitems import merge_item_lines
from app.domain.timesheets.model import Grid, ParsedRow, ParseWarning
from app.domain.timesheets.names import FIRST_LAST
from app.domain.sheetmap.period import find_period_in_cells, find_period_in_text, majority_period, title_info
from app.domain.timesheets.rows import RowReader
from app.domain.timesheets.sheet import GridResult, lot_of

# What a column can hold, in the order the mapping grid offers it.
ROLES = {
    "ignore": "— Ne pas lire —",
    "last": "Nom",
    "first": "Prénom",
    "full": "Nom et prénom (NOM Prénom)",
    "full_fl": "Prénom et nom (Prénom NOM)",
    "id": "Identifiant (PASS IAE, matricule)",
    "day": "Heures d'un jour",
    "week": "Heures d'une semaine",
    "date": "Date de la ligne",
    "start": "Heure d'arrivée (début)",
    "end": "Heure de départ (fin)",
    "break": "Pause (déduite)",
    "item": "Rubrique ou code (export de paie)",
    "quantity": "Quantité de la rubrique",
    "unit": "Unité de la rubrique (H, J…)",
    "hours": "Heures travaillées du mois",
    "tender": "Heures sur le marché (dont)",
    "overtime": "Heures supplémentaires",
    "training": "Heures de formation",
    "absence": "Absences (comptent zéro)",
    "total": "Total écrit (contrôle seulement)",
    "lot": "Lot",
    "remarks": "Remarques",
}
_KINDS = {
    "last": c.LAST, "first": c.FIRST, "full": c.FULL, "full_fl": c.FULL, "id": c.ID, "day": c.DAY,
    "week": c.WEEK, "date": c.DATE, "hours": c.HOURS, "tender": c.TENDER, "overtime": c.OVERTIME,
    "training": c.TRAINING, "total": c.TOTAL, "lot": c.LOT, "remarks": c.REMARKS,
    "start": c.START, "end": c.END, "break": c.BREAK, "item": c.ITEM, "quantity": c.QUANTITY, "unit": c.UNIT,
}
_INCOMPLETE = (
    "Indiquez au moins la colonne du nom (ou du nom et du prénom) et une colonne d'heures "
    "(jours, semaines, heures du mois ou heures sur le marché), ou les heures d'arrivée et de départ, "
    "ou la rubrique et sa quantité."
)


@dataclass(frozen=True)
class ReadingProfile:
    """A saved mapping and the name people know it by."""

    name: str
    mapping: SheetMapping


def mapped_table(header: list[object], mapping: SheetMapping) -> Table:
    """Build the table the mapping describes; raise MappingError when it cannot be read."""
    columns: list[Column] = []
    next_day = 1
    for index, role in sorted(mapping.columns.items()):
        kind = _KINDS.get(role)
        if kind is None:
            continue  # ignored, or absences: they count zero
        cell = header[index] if index < len(header) else None
        label = label_text(cell) or f"colonne {column_letter(index)}"
        if kind == c.DAY:
            found = day_of(cell)
            day, month, on = found if found else (next_day, None, None)
            next_day = day + 1
            columns.append(Column(index, c.DAY, label, day=day, month=month, on=on))
        elif kind == c.WEEK:
            columns.append(Column(index, c.WEEK, label, week=week_of(cell) or label))
        elif role == "full_fl":
            columns.append(Column(index, c.FULL, label, order=FIRST_LAST))
        else:
            columns.append(Column(index, kind, label))
    by_kind: dict[str, list[Column]] = {}
    for col in columns:
        by_kind.setdefault(col.kind, []).append(col)
    if c.LAST in by_kind and c.FULL in by_kind:
        raise MappingError("Choisissez soit « Nom » (et « Prénom »), soit « Nom et prénom », pas les deux.")
    has_name = c.LAST in by_kind or c.FULL in by_kind
    timed = c.START in by_kind and c.END in by_kind
    itemised = c.ITEM in by_kind and c.QUANTITY in by_kind
    if not has_name or not (timed or itemised or any(k in by_kind for k in (c.DAY, c.WEEK, c.HOURS, c.TENDER, c.TOTAL))):
        raise MappingError(_INCOMPLETE)
    return Table(mapping.header_row, mapping.header_row + 1, columns, by_kind)


def read_mapped(grid: Grid, mapping: SheetMapping, header_row: int, *, period_hint: str | None,
                deadline: Deadline) -> GridResult:
    """Read one grid with a mapping whose header sits at ``header_row``."""
    rows = grid.rows
    if header_row >= len(rows):
        raise MappingError("La ligne d'en-tête choisie n'existe pas dans cette feuille.")
    table = mapped_table(rows[header_row], mapping)
    info = title_info(rows[:header_row])
    dated = [col.on for col in table.by_kind.get(c.DAY, []) if col.on]
    period = (find_period_in_cells(rows[:header_row + 1]) or find_period_in_text(grid.name, with_dates=False)
              or majority_period(dated))
    warnings: list[ParseWarning] = []
    lot = lot_of(grid.name) or (lot_of("Lot " + info["lot"]) if info.get("lot") else None)
    reader = RowReader(table, period=period or period_hint, lot=lot, warnings=warnings)
    if reader.days:
        reader.use_marks(*stated_lengths(rows[:header_row]))
    found: list[ParsedRow] = []
    for index in range(header_row + 1, len(rows)):
        deadline.check()
        if skipped(mapping, index, rows[index]):
            continue
        parsed = reader.read(rows[index], grid.sources[index])
        if parsed is not None:
            found.append(parsed)
    if period is None:
        period = majority_period([r.day for r in found if r.day]) or None
    if reader.items:
        found = merge_item_lines(found)
    return GridResult(grid.name, found, period, warnings, info)


def read_with_mapping(grids: list[Grid], mapping: SheetMapping, *, period_hint: str | None,
                      deadline: Deadline) -> list[GridResult]:
    """Read a file with one mapping: made on this file, or saved and found again by its header."""
    if not mapping.signature:
        named = [grid for grid in grids if mapping.sheet and grid.name == mapping.sheet]
        return [read_mapped(grid, mapping, mapping.header_row, period_hint=period_hint, deadline=deadline)
                for grid in named or grids[:1]]
    results = []
    for grid in grids:
        header_row = find_header(grid.rows, mapping.signature)
        if header_row is not None:
            results.append(read_mapped(grid, mapping, header_row, period_hint=period_hint, deadline=deadline))
    if not results:
        raise MappingError("Ce fichier n'a pas la ligne d'en-tête du profil de lecture : il vient "
                           "d'un autre logiciel, ou ses colonnes ont changé.")
    return results


def read_with_profiles(grids: list[Grid], profiles, *, period_hint: str | None,
                       deadline: Deadline) -> tuple[ReadingProfile, list[GridResult]] | None:
    """Return the first profile whose header is found in the file, with what it read."""
    for profile in profiles:
        results = []
        for grid in grids:
            header_row = find_header(grid.rows, profile.mapping.signature)
            if header_row is not None:
                results.append(read_mapped(grid, profile.mapping, header_row,
                                           period_hint=period_hint, deadline=deadline))
        if results:
            return profile, results
    return None


_ROLE_OF_KIND = {
    c.LAST: "last", c.FIRST: "first", c.FULL: "full", c.DAY: "day", c.WEEK: "week", c.DATE: "date",
    c.HOURS: "hours", c.TENDER: "tender", c.OVERTIME: "overtime", c.TRAINING: "training", c.TOTAL: "total",
    c.LOT: "lot", c.REMARKS: "remarks", c.ID: "id", c.START: "start", c.END: "end", c.BREAK: "break",
    c.ITEM: "item", c.QUANTITY: "quantity", c.UNIT: "unit",
}


def suggest_header_row(rows: list[list[object]]) -> int:
    """Return the likeliest header line: the automatic reading's, else the first with three labels."""
    table = find_first_table(rows)
    if table is not None:
        return table.data_start - 1
    for index, row in enumerate(rows[:SEARCH_ROWS]):
        labels = [cell for cell in row if isinstance(cell, str) and cell.strip() and not cell.strip()[0].isdigit()]
        if len(labels) >= 3:
            return index
    return 0


def suggest_roles(header: list[object]) -> dict[int, str]:
    """Return the role the automatic reading would give each header cell, as a starting point."""
    roles = {}
    for index, cell in enumerate(header):
        column = classify(index, [cell])
        if column is None or column.kind not in _ROLE_OF_KIND:
            continue
        role = _ROLE_OF_KIND[column.kind]
        roles[index] = "full_fl" if role == "full" and column.order == FIRST_LAST else role
    if "last" in roles.values() and "first" not in roles.values():
        roles = {i: "full" if r == "last" else r for i, r in roles.items()}  # a lone « Nom » holds both
    return roles
