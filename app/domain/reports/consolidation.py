"""A consolidating body's view of its partner territories: figures per territory, their total, and the
pseudonymised documents of the consolidated dossier.

A territory's rows reach this module already pseudonymised (``pseudonymise_row``): a consolidating
body never holds a participant's name or birth date, only codes and what the FSE+ tables show.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from fpdf.fonts import FontFace

from app.domain.documents.pdfdoc import FONT, ClausierPdf
from app.domain.documents.xlsx import HOURS_FORMAT, INTEGER_FORMAT
from app.domain.documents.xlsx_stream import StreamBook
from app.domain.formats import format_date_fr, format_number
from app.domain.reports.dossier_cover import contents_table
from app.domain.reports.impact import impact_columns
from app.domain.reports.impact_row import ImpactRow
from app.domain.reports.indicators import Figures, compute_figures, definitions_note, indicator_lines

TOTAL_LABEL = "Ensemble des territoires"


def pseudonymise_row(row: ImpactRow) -> ImpactRow:
    """Return ``row`` without the person's names, and with a stand-in birth date of the same age on entry.

    The stand-in (the entry date, that many years before) keeps the « moins de 26 ans » and age
    band columns right; the birth date and age columns themselves are never written (pseudonymised
    tables leave them out).
    """
    stand_in = None
    age = row.age_at_entry
    if age is not None:
        day = 28 if (row.entry_on.month, row.entry_on.day) == (2, 29) else row.entry_on.day
        stand_in = date(row.entry_on.year - age, row.entry_on.month, day)
    return replace(row, last_name="", first_name="", birth_date=stand_in)


@dataclass(frozen=True)
class Territory:
    """One organisation's figures of the period, as its consolidating body sees them."""

    organisation_id: int
    name: str
    territory: str
    figures: Figures
    rows: tuple[ImpactRow, ...]

    @property
    def label(self) -> str:
        """Return « PLIE du Lensois (Lens-Liévin) »."""
        return f"{self.name} ({self.territory})" if self.territory and self.territory != self.name else self.name

    @property
    def has_data(self) -> bool:
        """Tell whether the territory follows a lot or a participant in the period."""
        return bool(self.figures.lots or self.rows)


def total_figures(territories: Sequence[Territory]) -> Figures:
    """Return the figures of all territories together, by the indicators module (never a sum of rates).

    Participant codes are numbered by each organisation: they are prefixed with it so that two
    people of two territories sharing a code stay two people.
    """
    lots = [lot for territory in territories for lot in territory.figures.lots]
    rows = [replace(row, participant_code=f"{territory.organisation_id}:{row.participant_code}")
            for territory in territories for row in territory.rows]
    return compute_figures(lots, rows)


def build_indicators_xlsx(territories: Sequence[Territory], total: Figures, *, title: str,
                          generated_on: date) -> bytes:
    """Return the indicators of every territory side by side, with the total in the last column."""
    columns = [indicator_lines(territory.figures) for territory in territories] + [indicator_lines(total)]
    keys: list[tuple[str, str]] = []
    for lines in columns:
        for section, name, _ in lines:
            if (section, name) not in keys:
                keys.append((section, name))
    values = [{(section, name): value for section, name, value in lines} for lines in columns]
    book = StreamBook()
    ws = book.sheet("Indicateurs par territoire")
    ws.title(title, [f"Édité le {format_date_fr(generated_on)}", *definitions_note()])
    ws.header(["Rubrique", "Indicateur", *(t.label for t in territories), TOTAL_LABEL])
    for key in keys:
        cells = [by_key.get(key, 0) for by_key in values]
        formats = [HOURS_FORMAT if isinstance(cell, Decimal) else INTEGER_FORMAT for cell in cells]
        ws.write([*key, *cells], [None, None, *formats])
    ws.size_columns()
    return book.finish()


def build_compiled_impact_xlsx(territories: Sequence[Territory], *, title: str, generated_on: date) -> bytes:
    """Return every territory's pseudonymised tableau d'impact on one sheet, with a « Territoire » column."""
    columns = impact_columns(pseudonymise=True)
    book = StreamBook()
    ws = book.sheet("Tableau d'impact compilé")
    ws.title(title, [f"Édité le {format_date_fr(generated_on)}",
                     "Export pseudonymisé : noms, prénoms et dates de naissance retirés."])
    header_row = ws.header(["Territoire", *(column.header for column in columns)])
    formats = [None, *(column.number_format for column in columns)]
    for territory in territories:
        for row in territory.rows:
            ws.write([territory.label, *(column.value(row) for column in columns)], formats)
    if ws.row > header_row + 1:
        ws.autofilter(header_row, ws.row - 1, len(columns) + 1)
    ws.size_columns()
    return book.finish()


CONTENTS = (
    ("00", "Sommaire de la consolidation (ce document)"),
    ("01", "Indicateurs par territoire, et leur ensemble"),
    ("02", "Tableau d’impact pseudonymisé de chaque territoire"),
    ("03", "Tableau d’impact compilé de tous les territoires"),
    ("04", "Statistiques par commune, EPCI, division CPV et métier"),
    ("—", "Sommaire des pièces (manifest) avec leurs empreintes SHA-256"),
)


def build_consolidation_cover_pdf(*, body_name: str, territories: Sequence[Territory], total: Figures,
                                  starts_on: date, ends_on: date, data_as_of: date) -> bytes:
    """Return the cover and summary of a consolidated dossier: who compiles whom, and the main figures."""
    pdf = ClausierPdf(title=f"Consolidation — {body_name}", issued_on=data_as_of)
    pdf.heading("Dossier consolidé des clauses sociales", size=16)
    pdf.field_line("Structure consolidante", body_name)
    pdf.field_line("Période", f"du {format_date_fr(starts_on, 'long')} au {format_date_fr(ends_on, 'long')}")
    pdf.field_line("Données arrêtées le", format_date_fr(data_as_of, "long"))
    pdf.ln(3)
    style = FontFace(family=FONT, emphasis="BOLD", fill_color=(225, 232, 242))
    pdf.heading("Indicateurs par territoire", size=11)
    pdf.set_font(FONT, "", 8)
    with pdf.table(col_widths=(62, 24, 24, 18, 16, 22, 20), text_align=("LEFT", *("RIGHT",) * 6),
                   headings_style=style, line_height=4.5) as table:
        table.row(("Territoire", "Heures réalisées", "Heures exigées", "Marchés", "Lots", "Participants",
                   "Sorties"))
        for name, figures in [(t.label, t.figures) for t in territories] + [(TOTAL_LABEL, total)]:
            table.row((name, format_number(figures.hours_done), format_number(figures.hours_required),
                       format_number(figures.tenders), format_number(figures.lots_count),
                       format_number(figures.people.participants), format_number(figures.people.exits)))
    pdf.ln(3)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(0, 4, "Chaque territoire a accepté que ses chiffres soient compilés. Les tableaux sont "
                         "pseudonymisés : aucun nom, prénom ni date de naissance ; les participants y figurent "
                         "par leur code.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    contents_table(pdf, CONTENTS)
    return pdf.to_bytes()
