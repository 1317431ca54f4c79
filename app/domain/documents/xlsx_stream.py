"""Write large workbooks row by row (XlsxWriter, constant memory): the cells ``xlsx.py`` writes.

openpyxl keeps every cell of a workbook in memory and serialises them at the end; a tableau
d'impact of 2 000 rows took a second, mostly there. XlsxWriter in constant-memory mode writes
each row to disk once the next one starts, so rows must come in order: a sheet is written from
its title down to its totals, and the column widths are measured on the way.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from app.domain.documents.xlsx import DATE_FORMAT, clean_text

DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"
HEADER_STYLE = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "pattern": 1, "text_wrap": True,
                "valign": "vcenter"}
TITLE_STYLE = {"bold": True, "font_size": 14}
PADDING = 5 / 7  # 5 pixels, in characters of Calibri 11's 7-pixel digit
# Text stays text: XlsxWriter's write() would turn « =… » into a formula and URLs into links.
OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
           "strings_to_numbers": False}


class StreamSheet:
    """One sheet written top-down: a title, a header, rows; widths sized to the longest values."""

    def __init__(self, book: "StreamBook", worksheet: Worksheet) -> None:
        self._book = book
        self._ws = worksheet
        self.row = 1  # the next row to write, 1-based as in xlsx.py
        self._measure_from: int | None = None
        self._widths: dict[int, int] = {}

    def title(self, title: str, subtitles: Sequence[str] = ()) -> int:
        """Write a bold title and its subtitle lines from A1; return the first row after a gap."""
        self.write([title], styles=[TITLE_STYLE])
        for line in subtitles:
            self.write([line])
        self.skip()
        return self.row

    def header(self, headers: Sequence[str]) -> int:
        """Write a styled header row, freeze the rows above it, and size columns from here; return its row."""
        self.measure_from_here()
        row = self.write(headers, styles=[HEADER_STYLE] * len(headers))
        self._ws.freeze_panes(row, 0)
        return row

    def measure_from_here(self) -> None:
        """Size the columns on the values written from the next row on (titles above may overflow)."""
        self._measure_from = self.row

    def skip(self, rows: int = 1) -> None:
        """Leave ``rows`` empty rows."""
        self.row += rows

    def write(self, values: Iterable[object], formats: Sequence[str | None] = (),
              styles: Sequence[dict | None] = (), *, bold: bool = False) -> int:
        """Write one row with per-column number formats (and styles); return its 1-based index."""
        row, ws, measuring = self.row - 1, self._ws, self._measure_from is not None
        cell_format = self._book.cell_format
        for column, value in enumerate(values):
            number_format = formats[column] if column < len(formats) else None
            style = styles[column] if column < len(styles) else None
            if isinstance(value, str) and value:
                text = clean_text(value)
                ws.write_string(row, column, text, cell_format(number_format, style, bold))
            elif isinstance(value, bool):
                text = "Oui" if value else "Non"
                ws.write_string(row, column, text, cell_format(number_format, style, bold))
            elif isinstance(value, int | float | Decimal):
                ws.write_number(row, column, value, cell_format(number_format, style, bold))
                text = str(value)
            elif isinstance(value, date):
                default = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
                ws.write_datetime(row, column, value, cell_format(number_format or default, style, bold))
                text = "0123456789"
            elif value is None or value == "":
                if number_format or style or bold:
                    ws.write_blank(row, column, None, cell_format(number_format, style, bold))
                continue
            else:
                text = clean_text(str(value))
                ws.write_string(row, column, text, cell_format(number_format, style, bold))
            if measuring and len(text) > self._widths.get(column, 0):
                self._widths[column] = len(text)
        self.row += 1
        return self.row - 1

    def autofilter(self, first_row: int, last_row: int, columns: int) -> None:
        """Put filters on rows ``first_row``..``last_row`` (1-based, header first) of ``columns`` columns."""
        self._ws.autofilter(first_row - 1, 0, last_row - 1, columns - 1)

    def size_columns(self, minimum: int = 8, maximum: int = 50) -> None:
        """Give each column the width of its longest measured value, within bounds."""
        for column, width in self._widths.items():
            # XlsxWriter adds Excel's 5-pixel cell padding to the width it is given; take it
            # off so the file stores the width openpyxl's ``autosize_columns`` stores.
            self._ws.set_column(column, column, min(max(width + 2, minimum), maximum) - PADDING)


class StreamBook:
    """A workbook whose sheets are written one after the other, in constant memory."""

    def __init__(self) -> None:
        self._output = BytesIO()
        self._workbook = Workbook(self._output, OPTIONS)
        self._formats: dict[tuple, Format] = {}

    def sheet(self, title: str) -> StreamSheet:
        """Add a sheet named ``title`` (cut to Excel's 31 characters)."""
        return StreamSheet(self, self._workbook.add_worksheet(title[:31]))

    def cell_format(self, number_format: str | None, style: dict | None, bold: bool) -> Format | None:
        """Return the (shared) format of a number format, a style and bold, None when plain."""
        if number_format is None and style is None and not bold:
            return None
        key = (number_format, tuple(sorted(style.items())) if style else (), bold)
        found = self._formats.get(key)
        if found is None:
            properties = dict(style or {})
            if number_format:
                properties["num_format"] = number_format
            if bold:
                properties["bold"] = True
            found = self._formats[key] = self._workbook.add_format(properties)
        return found

    def finish(self) -> bytes:
        """Close the workbook and return its XLSX bytes."""
        self._workbook.close()
        return self._output.getvalue()
