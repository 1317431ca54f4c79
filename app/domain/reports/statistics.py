"""Aggregated statistics for exports that leave the structure: small cells are masked.

A count of 1 to 4 people could point at someone (one RQTH participant on a small site): such
cells print « < 5 », and so do their hours. When a table would mask a single cell, its total
would give it away, so the next smallest cell is masked too (secondary suppression).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from app.domain.reports.impact_row import ImpactRow
from openpyxl.styles import Font

from app.domain.documents.xlsx import autosize_columns, new_workbook, safe_cell, workbook_bytes, write_title

THRESHOLD = 5
MASK = "< 5"


@dataclass(frozen=True)
class StatCell:
    """One line of a statistics table: a category, its people and their hours, maybe masked."""

    label: str
    people: int
    hours: Decimal
    masked: bool = False


@dataclass(frozen=True)
class StatTable:
    """A breakdown of participants by one dimension."""

    title: str
    cells: tuple[StatCell, ...]


def _dimensions(row: ImpactRow) -> dict[str, list[str]]:
    return {
        "Sexe": [row.sex.label if row.sex else "Non renseigné"],
        "Tranche d'âge à l'entrée": [row.age_band or "Non renseignée"],
        "Critères d'éligibilité": sorted(c.label for c in row.criteria) or ["Aucun critère renseigné"],
        "Type de contrat": [row.contract_type.label if row.contract_type else "Non renseigné"],
        "Sortie": [row.exit_category.label if row.exit_category else "Pas encore sorti·e"],
        "Acheteur": [row.buyer],
    }


def mask_cells(cells: list[StatCell], threshold: int = THRESHOLD) -> list[StatCell]:
    """Mask cells under the threshold, and one more when a single masked cell would show."""
    small = {i for i, cell in enumerate(cells) if 0 < cell.people < threshold}
    if len(small) == 1:
        others = sorted((cell.people, i) for i, cell in enumerate(cells) if i not in small and cell.people > 0)
        if others:
            small.add(others[0][1])
    return [StatCell(c.label, c.people, c.hours, masked=i in small) for i, c in enumerate(cells)]


def build_statistics(rows: list[ImpactRow], threshold: int = THRESHOLD) -> list[StatTable]:
    """Count distinct participants and sum their hours by each dimension, masking small cells."""
    people: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    hours: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        for dimension, labels in _dimensions(row).items():
            for label in labels:
                people[dimension][label].add(row.participant_code)
                hours[dimension][label] += row.hours_done
    tables = []
    for dimension in ("Sexe", "Tranche d'âge à l'entrée", "Critères d'éligibilité", "Type de contrat", "Sortie", "Acheteur"):
        cells = [StatCell(label, len(codes), hours[dimension][label]) for label, codes in sorted(people[dimension].items())]
        tables.append(StatTable(dimension, tuple(mask_cells(cells, threshold))))
    return tables


def build_statistics_xlsx(rows: list[ImpactRow], *, title: str, generated_on, threshold: int = THRESHOLD) -> bytes:
    """Write the aggregated statistics workbook (no name, no code, small cells masked)."""
    wb, ws = new_workbook("Statistiques")
    line = write_title(ws, title, [f"Édité le {generated_on:%d/%m/%Y} — effectifs de moins de {threshold} "
                                   f"masqués (« {MASK} »), sans nom ni identifiant"])
    for table in build_statistics(rows, threshold):
        safe_cell(ws, line, 1, table.title).font = Font(bold=True, size=12)
        line += 1
        for column, header in enumerate(("Catégorie", "Participants", "Heures réalisées"), start=1):
            safe_cell(ws, line, column, header).font = Font(bold=True)
        line += 1
        for cell in table.cells:
            safe_cell(ws, line, 1, cell.label)
            if cell.masked:
                safe_cell(ws, line, 2, MASK)
                safe_cell(ws, line, 3, MASK)
            else:
                safe_cell(ws, line, 2, cell.people, "0")
                safe_cell(ws, line, 3, cell.hours, "#,##0.00")
            line += 1
        line += 1
    autosize_columns(ws)
    return workbook_bytes(wb)
