"""Build the "Liste des opérations / marchés clausés" as XLSX and as a landscape PDF."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fpdf.fonts import FontFace

from app.domain.enums import LegalInstrument
from app.domain.formats import format_date_fr, format_number, format_pct
from app.domain.documents.pdfdoc import FONT, ClausierPdf
from app.domain.reports.common import label, ratio
from app.domain.documents.typography import plural
from app.domain.documents.xlsx import (
    HOURS_FORMAT,
    PCT_FORMAT,
    autosize_columns,
    new_workbook,
    style_total_row,
    workbook_bytes,
    write_header,
    write_rows,
    write_title,
)

HEADERS = (
    "Donneur d'ordre",
    "Référence",
    "Objet du marché",
    "Lot",
    "Code CPV",
    "Entreprise",
    "Type de clause",
    "Début",
    "Fin",
    "Heures prévues",
    "Heures réalisées",
    "Taux de réalisation",
)
_FORMATS = (None,) * 9 + (HOURS_FORMAT, HOURS_FORMAT, PCT_FORMAT)
# Relative widths for the PDF, tuned for A4 landscape at 7.5 pt.
_PDF_WIDTHS = (26, 18, 45, 10, 20, 30, 24, 19, 19, 18, 18, 18)


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

    @property
    def completion(self) -> Decimal:
        """Return hours done ÷ hours required (0 when nothing is required)."""
        return ratio(self.hours_done, self.hours_required)


def _hours(value: Decimal) -> str:
    """Write hours without decimals unless there are some (``1 234`` / ``1 234,50``)."""
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def _totals(lines: Sequence[OperationLine]) -> tuple[Decimal, Decimal]:
    required = sum((line.hours_required for line in lines), Decimal(0))
    return required, sum((line.hours_done for line in lines), Decimal(0))


def build_operations_xlsx(
    lines: Sequence[OperationLine], title: str = "Liste des opérations"
) -> bytes:
    """Return the operations list as a workbook with typed cells and a totals row."""
    wb, ws = new_workbook("Opérations")
    header_row = write_title(ws, title, [f"{len(lines)} {plural(len(lines), 'marché clausé', 'marchés clausés')}"])
    write_header(ws, header_row, HEADERS)
    rows = (
        (
            line.buyer,
            line.tender_reference,
            line.tender_object,
            line.lot,
            line.cpv,
            line.company,
            label(line.clause_type),
            line.start_on,
            line.end_on,
            line.hours_required,
            line.hours_done,
            line.completion,
        )
        for line in lines
    )
    total_row = write_rows(ws, rows, header_row + 1, _FORMATS)
    required, done = _totals(lines)
    total = ("Total",) + ("",) * 8 + (required, done, ratio(done, required))
    write_rows(ws, [total], total_row, _FORMATS)
    style_total_row(ws, total_row)
    autosize_columns(ws, from_row=header_row)
    return workbook_bytes(wb)


def build_operations_pdf(
    lines: Sequence[OperationLine], title: str, *, issued_on: date = date(2000, 1, 1)
) -> bytes:
    """Return the operations list as an A4 landscape PDF table with repeated headings."""
    pdf = ClausierPdf(title=title, issued_on=issued_on, orientation="L", running_header=title)
    pdf.heading(title)
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 6, f"{len(lines)} {plural(len(lines), 'marché clausé', 'marchés clausés')}", new_x="LMARGIN",
             new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "", 7.5)
    bold = FontFace(family=FONT, emphasis="BOLD")
    with pdf.table(
        col_widths=_PDF_WIDTHS,
        repeat_headings=1,
        text_align="LEFT",
        headings_style=FontFace(family=FONT, emphasis="BOLD", fill_color=(225, 232, 242)),
        line_height=4,
    ) as table:
        table.row(HEADERS)
        for line in lines:
            row = table.row()
            for text in (
                line.buyer,
                line.tender_reference,
                line.tender_object,
                line.lot,
                line.cpv,
                line.company,
                label(line.clause_type),
                format_date_fr(line.start_on),
                format_date_fr(line.end_on),
            ):
                row.cell(text)
            row.cell(_hours(line.hours_required), align="RIGHT")
            row.cell(_hours(line.hours_done), align="RIGHT")
            row.cell(format_pct(line.completion), align="RIGHT")
        required, done = _totals(lines)
        row = table.row(style=bold)
        row.cell("Total", colspan=9)
        row.cell(_hours(required), align="RIGHT")
        row.cell(_hours(done), align="RIGHT")
        row.cell(format_pct(ratio(done, required)), align="RIGHT")
    return pdf.to_bytes()
