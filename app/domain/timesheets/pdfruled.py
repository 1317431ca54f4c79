"""Fallback for PDFs whose text lines do not line up: read ruled tables with pdfplumber."""

import io

from app.domain.timesheets.limits import Deadline
from app.domain.timesheets.model import Grid, TimesheetError, reraise_fatal

# Slow (tens of times the text layer), so only used when the fast path found no table.
_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def read_ruled_tables(data: bytes, deadline: Deadline) -> Grid | None:
    """Return the ruled tables of a PDF as one grid, or None when it has none."""
    import pdfplumber

    rows, sources = [], []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                deadline.check()
                for table in page.extract_tables(_SETTINGS):
                    for line, cells in enumerate(table, start=1):
                        rows.append([" ".join((cell or "").split()) for cell in cells])
                        sources.append({"page": number, "line": line})
    except TimesheetError:
        raise
    except BaseException as exc:  # noqa: BLE001 - a broken fallback must not hide the real message
        reraise_fatal(exc)
        return None
    return Grid("", rows, sources) if rows else None


def read_page_table(data: bytes, number: int, deadline: Deadline) -> list[list[str]] | None:
    """Return the rows of the largest ruled table on one page, or None."""
    import pdfplumber

    deadline.check()
    try:
        with pdfplumber.open(io.BytesIO(data), pages=[number]) as pdf:
            tables = pdf.pages[0].extract_tables(_SETTINGS)
    except BaseException as exc:  # noqa: BLE001 - the fast reading is kept instead
        reraise_fatal(exc)
        return None
    best = max(tables, key=len, default=None)
    if not best or len(best) < 2 or len(best[0]) < 3:
        return None
    return [[" ".join((cell or "").split()) for cell in cells] for cells in best]
