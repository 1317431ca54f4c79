"""Read an HTML table saved with an Excel name, as web payroll tools export "for Excel"."""

import re
from html.parser import HTMLParser

from app.domain.timesheets.csv import decode_text
from app.domain.timesheets.limits import Limits
from app.domain.timesheets.model import Grid, TimesheetError

_CHARSET = re.compile(rb"charset\s*=\s*['\"]?([\w-]+)", re.IGNORECASE)


class _Cells(HTMLParser):
    """Collect the cells of every table row; colspan repeats nothing (like a merged cell)."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(convert_charrefs=True)
        self.limits = limits
        self.rows: list[list[object]] = []
        self.row: list[object] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self._close_row()
            self.row = []
        elif tag in ("td", "th"):
            self._close_cell()
            if self.row is None:
                self.row = []
            self.cell = []
            span = dict(attrs).get("colspan") or "1"
            self.span = min(int(span), 50) if span.isdigit() and int(span) > 0 else 1
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._close_cell()
        elif tag in ("tr", "table"):
            self._close_row()

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def _close_cell(self) -> None:
        if self.cell is not None and self.row is not None:
            text = " ".join("".join(self.cell).split())
            self.row.extend([text or None] + [None] * (self.span - 1))
            if len(self.row) > self.limits.max_columns:
                raise TimesheetError("Le tableau a trop de colonnes pour être lu.", "too_many_columns")
        self.cell = None

    def _close_row(self) -> None:
        self._close_cell()
        if self.row is not None:
            self.rows.append(self.row)
            if len(self.rows) > self.limits.max_rows:
                raise TimesheetError(
                    f"Le tableau a trop de lignes (maximum {self.limits.max_rows}).", "too_many_rows")
        self.row = None


def decode_html(data: bytes) -> str:
    """Decode with the charset the page declares, else the way CSV files are decoded."""
    declared = _CHARSET.search(data[:2048])
    if declared and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def read_html(data: bytes, limits: Limits) -> list[Grid]:
    """Return the page's table rows as one grid of strings (figures stay text, like CSV)."""
    parser = _Cells(limits)
    parser.feed(decode_html(data))
    parser.close()
    parser._close_row()
    rows = parser.rows
    return [Grid("", rows, [{"line": i + 1} for i in range(len(rows))])]
