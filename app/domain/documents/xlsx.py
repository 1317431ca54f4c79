"""Write spreadsheet cells safely: user text never turns into a formula, in XLSX or CSV."""

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "DD/MM/YYYY"
HOURS_FORMAT = "#,##0.00"
INTEGER_FORMAT = "#,##0"
PCT_FORMAT = "0.0%"
# Excel refuses longer cell text and would declare the file corrupt.
MAX_CELL_TEXT = 32_767
# OWASP "CSV injection": spreadsheet programs start a formula on these characters.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry; pasted text sometimes has them and the file would not save.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", start_color="1F4E79")
_TOTAL_FONT = Font(bold=True)


def clean_text(text: str) -> str:
    """Return ``text`` without the control characters XLSX cannot hold, line breaks as LF, cut to Excel's limit."""
    # A cell breaks lines on LF only; a CR (pasted Windows text) is stored escaped as « _x000D_ »
    # by XlsxWriter, which some readers (openpyxl) then show as those seven characters.
    return _NOT_XML_CHAR.sub("", text).replace("\r\n", "\n").replace("\r", "\n")[:MAX_CELL_TEXT]


def safe_cell(
    ws: Worksheet, row: int, column: int, value: object, number_format: str | None = None
) -> Cell:
    """Write ``value`` at (row, column); text is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = clean_text(value)
        # openpyxl turns any text starting with "=" into a formula unless told otherwise.
        cell.data_type = "s"
    elif isinstance(value, bool):
        cell.value = "Oui" if value else "Non"
    elif isinstance(value, date) and not isinstance(value, datetime):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif value is None or isinstance(value, int | float | Decimal | datetime):
        cell.value = value
    else:
        cell.value = clean_text(str(value))
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def write_rows(
    ws: Worksheet,
    rows: Iterable[Sequence[object]],
    start_row: int = 1,
    formats: Sequence[str | None] = (),
) -> int:
    """Write ``rows`` from ``start_row`` with per-column number formats; return the next row."""
    row_index = start_row
    for values in rows:
        for column, value in enumerate(values, start=1):
            fmt = formats[column - 1] if column <= len(formats) else None
            safe_cell(ws, row_index, column, value, fmt)
        row_index += 1
    return row_index


def write_header(ws: Worksheet, row: int, headers: Sequence[str]) -> None:
    """Write a styled header row, with filters and the rows above it frozen."""
    write_rows(ws, [headers], start_row=row)
    for column in range(1, len(headers) + 1):
        cell = ws.cell(row=row, column=column)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def write_title(ws: Worksheet, title: str, subtitles: Sequence[str] = ()) -> int:
    """Write a bold title and its subtitle lines from A1; return the first row after a gap."""
    safe_cell(ws, 1, 1, title).font = Font(bold=True, size=14)
    for offset, line in enumerate(subtitles, start=2):
        safe_cell(ws, offset, 1, line)
    return len(subtitles) + 3


def style_total_row(ws: Worksheet, row: int) -> None:
    """Put a totals row in bold."""
    for cell in ws[row]:
        cell.font = _TOTAL_FONT


def autosize_columns(ws: Worksheet, from_row: int = 1, minimum: int = 8, maximum: int = 50) -> None:
    """Size each column to its longest value from ``from_row`` (titles above may overflow)."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=from_row):
        for cell in row:
            if cell.value is None:
                continue
            length = 10 if isinstance(cell.value, date) else len(str(cell.value))
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, minimum), maximum
        )


def new_workbook(title: str) -> tuple[Workbook, Worksheet]:
    """Return a workbook whose first sheet is named ``title``."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]  # Excel's sheet-name limit
    return wb, ws


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise a workbook to XLSX bytes."""
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_safe(value: object) -> str:
    """Return ``value`` as CSV text that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if not isinstance(value, str):
        # Numbers and dates are data we produced; a leading minus there is a real sign.
        return str(value)
    stripped = value.lstrip(" ")
    if value.startswith(FORMULA_TRIGGERS) or stripped.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
