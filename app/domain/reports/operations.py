"""Build the "Liste des opérations / marchés clausés" as XLSX and as a landscape PDF.

One line per lot clausé; the counts and totals come from the indicators module (``Figures``),
and the definitions used are printed under the title.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fpdf.fonts import FontFace

from app.domain.enums import LegalInstrument
from app.domain.formats import format_date_fr, format_number, format_pct
from app.domain.documents.pdfdoc import FONT, ClausierPdf
from app.domain.reports.common import label, ratio
from app.domain.reports.indicators import Figures, LotFigure, definitions_note
from app.domain.documents.typography import plural
from app.domain.documents.xlsx import HOURS_FORMAT, PCT_FORMAT
from app.domain.documents.xlsx_stream import StreamBook

HEADERS = (
    "Acheteur",
    "Référence",
    "Objet du marché",
    "Lot",
    "Code CPV",
    "Entreprise",
    "Type de clause",
    "Début",
    "Fin",
    "Heures exigées",
    "Heures maximum (accord-cadre)",
    "Heures réalisées",
    "Restant à réaliser",
    "Taux de réalisation",
)
_FORMATS = (None,) * 9 + (HOURS_FORMAT,) * 4 + (PCT_FORMAT,)
# Relative widths for the PDF, tuned for A4 landscape at 7.5 pt.
_PDF_WIDTHS = (24, 16, 40, 8, 18, 26, 22, 17, 17, 16, 16, 16, 16, 16)
CONDITIONAL = "conditionnel"
NOTES = ("hours_done", "hours_required", "hours_remaining", "tenders")


@dataclass(frozen=True, kw_only=True)
class OperationLine:
    """A tender lot carrying a clause, with its hours required and done."""

    buyer: str
    tender_reference: str
    tender_object: str
    lot: str
    cpv: str
    company: str
    hours_required: Decimal
    hours_done: Decimal
    clause_type: LegalInstrument | None
    start_on: date | None = None
    end_on: date | None = None
    hours_max: Decimal | None = None
    is_conditional: bool = False
    remaining: Decimal = Decimal(0)

    @property
    def completion(self) -> Decimal:
        """Return hours done ÷ hours required (0 when nothing is required or due yet)."""
        return Decimal(0) if self.is_conditional else ratio(self.hours_done, self.hours_required)


def operation_line(lot: LotFigure) -> OperationLine:
    """Return the list's line of a lot figure."""
    return OperationLine(
        buyer=lot.buyer, tender_reference=lot.tender_reference, tender_object=lot.tender_object,
        lot=str(lot.lot_number), cpv=lot.cpv, company=lot.company, hours_required=lot.required,
        hours_done=lot.done, clause_type=lot.clause_type, start_on=lot.starts_on, end_on=lot.ends_on,
        hours_max=lot.maximum, is_conditional=lot.is_conditional, remaining=lot.remaining)


def counts_line(figures: Figures) -> str:
    """Return « 8 marchés clausés, 19 lots clausés » (the number and its noun agreed)."""
    return (f"{format_number(figures.tenders)} {plural(figures.tenders, 'marché clausé', 'marchés clausés')}, "
            f"{format_number(figures.lots_count)} {plural(figures.lots_count, 'lot clausé', 'lots clausés')}")


def _hours(value: Decimal) -> str:
    """Write hours without decimals unless there are some (``1 234`` / ``1 234,50``)."""
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def _required(line: OperationLine):
    return CONDITIONAL if line.is_conditional else line.hours_required


def _total(figures: Figures) -> tuple:
    maximum = figures.hours_max if any(lot.maximum is not None for lot in figures.lots) else None
    return (figures.hours_required, maximum, figures.hours_done_to_date, figures.hours_remaining,
            figures.completion)


def build_operations_xlsx(figures: Figures, title: str = "Liste des opérations") -> bytes:
    """Return the operations list as a workbook with typed cells, a totals row and its definitions."""
    book = StreamBook()
    ws = book.sheet("Opérations")
    ws.title(title, [counts_line(figures), *definitions_note(*NOTES)])
    ws.header(HEADERS)
    for lot in figures.lots:
        line = operation_line(lot)
        ws.write((
            line.buyer,
            line.tender_reference,
            line.tender_object,
            line.lot,
            line.cpv,
            line.company,
            label(line.clause_type),
            line.start_on,
            line.end_on,
            _required(line),
            line.hours_max,
            line.hours_done,
            line.remaining,
            line.completion,
        ), _FORMATS)
    ws.write(("Total",) + ("",) * 8 + _total(figures), _FORMATS, bold=True)
    ws.size_columns()
    return book.finish()


def build_operations_pdf(figures: Figures, title: str, *, issued_on: date = date(2000, 1, 1)) -> bytes:
    """Return the operations list as an A4 landscape PDF table with repeated headings."""
    lines = [operation_line(lot) for lot in figures.lots]
    pdf = ClausierPdf(title=title, issued_on=issued_on, orientation="L", running_header=title)
    pdf.heading(title)
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 6, counts_line(figures), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 7)
    for note in definitions_note(*NOTES):
        pdf.multi_cell(0, 3.5, note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    body = [(line.buyer, line.tender_reference, line.tender_object, line.lot, line.cpv, line.company,
             label(line.clause_type), format_date_fr(line.start_on), format_date_fr(line.end_on))
            for line in lines]
    widths = pdf.fit_widths(_PDF_WIDTHS, HEADERS, body, 7.5)
    pdf.set_font(FONT, "", 7.5)
    bold = FontFace(family=FONT, emphasis="BOLD")
    with pdf.table(
        col_widths=widths,
        repeat_headings=1,
        text_align="LEFT",
        headings_style=FontFace(family=FONT, emphasis="BOLD", fill_color=(225, 232, 242)),
        line_height=4,
    ) as table:
        table.row(HEADERS)
        for line, texts in zip(lines, body):
            row = table.row()
            for text in texts:
                row.cell(text)
            row.cell(CONDITIONAL if line.is_conditional else _hours(line.hours_required), align="RIGHT")
            row.cell(_hours(line.hours_max) if line.hours_max is not None else "", align="RIGHT")
            row.cell(_hours(line.hours_done), align="RIGHT")
            row.cell(_hours(line.remaining), align="RIGHT")
            row.cell(format_pct(line.completion), align="RIGHT")
        required, maximum, done, remaining, completion = _total(figures)
        row = table.row(style=bold)
        row.cell("Total", colspan=9)
        for value in (required, maximum, done, remaining):
            row.cell(_hours(value) if value is not None else "", align="RIGHT")
        row.cell(format_pct(completion), align="RIGHT")
    return pdf.to_bytes()
