"""Read the page count of a signed scan (PDF), the only thing Clausier asks of a scan's content."""

import io
import warnings

from pypdf import PdfReader


def count_pdf_pages(data: bytes) -> int:
    """Return the number of pages pypdf finds in ``data``; 0 when the PDF cannot be read.

    Any failure counts as unreadable: a page tree nested 101 levels deep raised a
    RecursionError here, which reached the user as a 500 (issue #12, 2026-12).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return len(PdfReader(io.BytesIO(data)).pages)
    except (Exception, RecursionError):  # noqa: BLE001 - pypdf raises many types on broken files
        return 0
