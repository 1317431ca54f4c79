"""Build the tableau d'impact workbook: one row per participant × tender, then indicators."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.enums import Criterion
from app.domain.formats import format_date_fr
from app.domain.reports.common import CRITERIA_COLUMNS, has_any, label, qualification_label
from app.domain.reports.impact_row import ImpactRow
from app.domain.reports.indicators import Figures, definitions_note, indicator_lines
from app.domain.documents.xlsx import HOURS_FORMAT, INTEGER_FORMAT
from app.domain.documents.xlsx_stream import StreamBook, StreamSheet

IMPACT_SHEET = "Tableau d'impact"
INDICATORS_SHEET = "Indicateurs"
PROGRESS_EVERY = 500


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
    rows: Iterable[ImpactRow],
    figures: Figures,
    *,
    title: str,
    generated_on: date,
    pseudonymise: bool = False,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """Return the tableau d'impact XLSX: typed rows, a totals row and an indicators sheet.

    Rows are written as they come (constant memory); ``progress(n)`` hears every
    ``PROGRESS_EVERY`` rows how many are written.
    """
    book = StreamBook()
    ws = book.sheet(IMPACT_SHEET)
    subtitles = [f"Édité le {format_date_fr(generated_on)}"]
    if pseudonymise:
        subtitles.append("Export pseudonymisé : noms, prénoms et dates de naissance retirés.")
    ws.title(title, subtitles)
    columns = impact_columns(pseudonymise)
    header_row = ws.header([c.header for c in columns])
    formats = [c.number_format for c in columns]
    getters = [c.value for c in columns]
    summed = [index for index, c in enumerate(columns) if c.number_format == HOURS_FORMAT]
    # Computed values rather than SUM formulas: readers without a calculation engine see them.
    totals = dict.fromkeys(summed, Decimal(0))
    for count, row in enumerate(rows, start=1):
        values = [value(row) for value in getters]
        for index in summed:
            totals[index] += values[index]
        ws.write(values, formats)
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if ws.row > header_row + 1:
        ws.autofilter(header_row, ws.row - 1, len(columns))
    people = figures.people.participants
    totals_row: list[object] = [None] * len(columns)
    totals_row[0] = "Total"
    for index, column in enumerate(columns):
        if index in totals:
            totals_row[index] = totals[index]
        elif column.header == "Code participant":
            totals_row[index] = f"{people} participant{'s' if people > 1 else ''}"
    ws.write(totals_row, formats, bold=True)
    ws.size_columns()
    _write_indicators(book.sheet(INDICATORS_SHEET), figures, title, generated_on)
    return book.finish()


def _write_indicators(ws: StreamSheet, figures: Figures, title: str, generated_on: date):
    ws.title(f"Indicateurs — {title}", [f"Édité le {format_date_fr(generated_on)}", *definitions_note()])
    ws.header(["Rubrique", "Indicateur", "Valeur"])
    for line in indicator_lines(figures):
        number_format = HOURS_FORMAT if isinstance(line[2], Decimal) else INTEGER_FORMAT
        ws.write(line, [None, None, number_format])
    ws.size_columns()
