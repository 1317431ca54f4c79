"""Build the tableau d'impact workbook: one row per participant × tender, then indicators."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl.worksheet.worksheet import Worksheet

from app.domain.enums import Criterion
from app.domain.formats import format_date_fr
from app.domain.reports.common import CRITERIA_COLUMNS, has_any, label, qualification_label
from app.domain.reports.impact_row import ImpactRow
from app.domain.reports.indicators import Figures, definitions_note, indicator_lines
from app.domain.documents.xlsx import (
    HOURS_FORMAT,
    INTEGER_FORMAT,
    autosize_columns,
    new_workbook,
    safe_cell,
    style_total_row,
    workbook_bytes,
    write_header,
    write_rows,
    write_title,
)

IMPACT_SHEET = "Tableau d'impact"
INDICATORS_SHEET = "Indicateurs"


@dataclass(frozen=True)
class Column:
    """A sheet column: French header, value getter, number format, personal-data flag."""

    header: str
    value: Callable[[ImpactRow], object]
    number_format: str | None = None
    is_personal: bool = False


def _criteria_column(header: str, wanted: frozenset[Criterion]) -> Column:
    return Column(header, lambda r: has_any(r.criteria, wanted))


COLUMNS: tuple[Column, ...] = (
    Column("Acheteur", lambda r: r.buyer),
    Column("Référence du marché", lambda r: r.tender_reference),
    Column("Objet du marché", lambda r: r.tender_object),
    Column("Lot", lambda r: r.lot),
    Column("Code CPV", lambda r: r.cpv),
    Column("SIRET entreprise", lambda r: r.company_siret),
    Column("Entreprise", lambda r: r.company_name),
    Column("Modalité", lambda r: label(r.modality)),
    Column("SIRET SIAE", lambda r: r.siae_siret),
    Column("Type de clause", lambda r: label(r.clause_type)),
    Column("Code participant", lambda r: r.participant_code),
    Column("Nom", lambda r: r.last_name, is_personal=True),
    Column("Prénom", lambda r: r.first_name, is_personal=True),
    Column("Sexe", lambda r: label(r.sex)),
    Column("Date de naissance", lambda r: r.birth_date, is_personal=True),
    Column("Âge à l'entrée", lambda r: r.age_at_entry, is_personal=True),
    Column("Moins de 26 ans", lambda r: r.is_under_26),
    Column("Tranche d'âge", lambda r: r.age_band),
    Column("Niveau de qualification", lambda r: qualification_label(r.qualification_level)),
    Column("QPV", lambda r: r.is_qpv),
    *(_criteria_column(header, wanted) for header, wanted in CRITERIA_COLUMNS),
    Column("Type de contrat", lambda r: label(r.contract_type)),
    Column("Date d'entrée", lambda r: r.entry_on),
    Column("Date de sortie", lambda r: r.exit_on),
    Column("Heures réalisées", lambda r: r.hours_done, HOURS_FORMAT),
    Column("Heures de formation", lambda r: r.training_hours, HOURS_FORMAT),
    Column("Catégorie de sortie", lambda r: label(r.exit_category)),
)


def impact_columns(pseudonymise: bool) -> tuple[Column, ...]:
    """Return the columns of the impact sheet, without personal ones when pseudonymised."""
    return tuple(c for c in COLUMNS if not (pseudonymise and c.is_personal))


def build_impact_xlsx(
    rows: Sequence[ImpactRow],
    figures: Figures,
    *,
    title: str,
    generated_on: date,
    pseudonymise: bool = False,
) -> bytes:
    """Return the tableau d'impact XLSX: typed rows, a totals row and an indicators sheet."""
    wb, ws = new_workbook(IMPACT_SHEET)
    subtitles = [f"Édité le {format_date_fr(generated_on)}"]
    if pseudonymise:
        subtitles.append("Export pseudonymisé : noms, prénoms et dates de naissance retirés.")
    header_row = write_title(ws, title, subtitles)
    columns = impact_columns(pseudonymise)
    write_header(ws, header_row, [c.header for c in columns])
    formats = [c.number_format for c in columns]
    total_row = write_rows(
        ws, ([c.value(r) for c in columns] for r in rows), header_row + 1, formats
    )
    if rows:
        ws.auto_filter.ref = f"A{header_row}:{ws.cell(total_row - 1, len(columns)).coordinate}"
    _write_totals(ws, total_row, columns, rows, figures.people.participants)
    autosize_columns(ws, from_row=header_row)
    _write_indicators(wb.create_sheet(INDICATORS_SHEET), figures, title, generated_on)
    return workbook_bytes(wb)


def _write_totals(ws: Worksheet, row: int, columns: Sequence[Column], rows: Sequence[ImpactRow], people: int):
    # Computed values rather than SUM formulas: readers without a calculation engine see them.
    safe_cell(ws, row, 1, "Total")
    for index, column in enumerate(columns, start=1):
        if column.number_format == HOURS_FORMAT:
            total = sum((Decimal(column.value(r)) for r in rows), Decimal(0))
            safe_cell(ws, row, index, total, HOURS_FORMAT)
        elif column.header == "Code participant":
            safe_cell(ws, row, index, f"{people} participant{'s' if people > 1 else ''}")
    style_total_row(ws, row)


def _write_indicators(ws: Worksheet, figures: Figures, title: str, generated_on: date):
    header_row = write_title(
        ws, f"Indicateurs — {title}", [f"Édité le {format_date_fr(generated_on)}", *definitions_note()]
    )
    write_header(ws, header_row, ["Rubrique", "Indicateur", "Valeur"])
    for offset, line in enumerate(indicator_lines(figures), header_row + 1):
        number_format = HOURS_FORMAT if isinstance(line[2], Decimal) else INTEGER_FORMAT
        write_rows(ws, [line], offset, [None, None, number_format])
    autosize_columns(ws, from_row=header_row)
