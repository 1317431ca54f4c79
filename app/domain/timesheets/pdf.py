"""Read PDF timesheets: text layer first (pypdfium2), OCR for scans, pdfplumber as fallback."""

import ctypes
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from app.domain.timesheets.guards import MAX_PDF_CONTENT_BYTES, check_pdf_streams, ocr_scale
from app.domain.timesheets.layout import find_first_table
from app.domain.timesheets.limits import Deadline, Limits
from app.domain.timesheets.model import Grid, TimesheetError, reraise_fatal
from app.domain.timesheets.ocr import OCR_DPI, ocr_available, ocr_words
from app.domain.timesheets.pdfwords import Word, group_lines, table_rows

_WORD = re.compile(r"\S+")
# An image's dictionary is never inside a compressed object stream (it is a stream itself), so
# a PDF without this name holds no picture; « /ImageB » in a ProcSet does not count.
_IMAGE_XOBJECT = re.compile(rb"/Subtype\s*/Image\b")
_FIGURE = re.compile(r"^\d[\d,.:h]*$")
# pdfplumber's ruled-table reading costs about 0.25 ms per drawn object: a 10 kB PDF of 400 000
# strokes held a worker 42 s and 2 GB (issue #12, 2026-12). A ruled monthly sheet of 300 lines
# draws a few thousand; past this count the fast reading is kept and pdfplumber never runs.
MAX_RULED_OBJECTS = 20_000
_SCAN_NO_OCR = (
    "Ce PDF est une image scannée, sans texte lisible par l'ordinateur, et la reconnaissance de "
    "caractères n'est pas disponible ici. Envoyez le relevé au format Excel, ou un PDF enregistré "
    "depuis le tableur (pas un scan)."
)


def read_pdf(data: bytes, limits: Limits, deadline: Deadline) -> list[Grid]:
    """Return the PDF as one grid of rows, pages one after the other."""
    check_pdf_streams(data, MAX_PDF_CONTENT_BYTES, limits.max_unzipped_bytes)
    try:
        document = pdfium.PdfDocument(data)
    except BaseException as exc:  # noqa: BLE001 - see reraise_fatal
        reraise_fatal(exc)
        raise _open_error(exc) from None
    try:
        return _read_document(document, data, limits, deadline)
    finally:
        document.close()


def _open_error(exc: BaseException) -> TimesheetError:
    if "password" in str(exc).lower():
        return TimesheetError(
            "Le PDF est protégé par un mot de passe : enregistrez-le sans mot de passe.", "encrypted"
        )
    return TimesheetError(
        "Le PDF est abîmé ou incomplet (l'envoi a peut-être été coupé) : enregistrez-le à "
        "nouveau puis renvoyez-le.",
        "corrupt",
    )


def _read_document(document, data: bytes, limits: Limits, deadline: Deadline) -> list[Grid]:
    try:
        count = len(document)
    except BaseException as exc:  # noqa: BLE001 - see reraise_fatal
        reraise_fatal(exc)
        raise _open_error(exc) from None
    if count == 0:
        raise _open_error(ValueError("no page"))
    if count > limits.max_pages:
        raise TimesheetError(
            f"Le PDF a trop de pages ({count} ; maximum {limits.max_pages}). "
            "Envoyez seulement le mois concerné.",
            "too_many_pages",
        )
    pages: list[list[Word] | None] = []
    drawn: list[int] = []
    for index in range(count):
        deadline.check()
        try:
            pages.append(_page_words(document, index, drawn))
        except BaseException as exc:  # noqa: BLE001 - see reraise_fatal
            reraise_fatal(exc)
            raise _open_error(exc) from None
    ocr = False
    if any(words is None for words in pages):
        if not any(pages) and not ocr_available():
            raise TimesheetError(_SCAN_NO_OCR, "scan")
        if ocr_available():
            pages = [words if words is not None else _ocr_page(document, i, limits, deadline)
                     for i, words in enumerate(pages)]
            ocr = True
    grid = _grid(pages, ocr, data, deadline, drawn)
    # A scanner's own OCR text over the page image reads like a text PDF, but is not one.
    over_scan = not ocr and _IMAGE_XOBJECT.search(data) is not None and _covered_by_image(document)
    if find_first_table(grid.rows) is None and not ocr and sum(drawn) <= MAX_RULED_OBJECTS:
        from app.domain.timesheets.pdfruled import read_ruled_tables

        grid = read_ruled_tables(data, deadline) or grid
    grid.over_scan = over_scan
    return [grid]


def _covered_by_image(document) -> bool:
    """Tell whether a page lies under an image covering half of it or more (a scan)."""
    for index in range(len(document)):
        page = document[index]
        try:
            width, height = page.get_size()
            for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
                left, bottom, right, top = image.get_bounds()
                if (right - left) * (top - bottom) >= 0.5 * width * height:
                    return True
        finally:
            page.close()
    return False


def _page_words(document, index: int, drawn: list[int]) -> list[Word] | None:
    page = document[index]
    drawn.append(pdfium_c.FPDFPage_CountObjects(page.raw))
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        if len(text.strip()) < 3:
            return None
        return _words(textpage, text)
    finally:
        textpage.close()
        page.close()


# pypdfium2's bindings convert every argument through their declared argtypes, which
# costs three times the call itself; a bare prototype of the same function takes the
# already-typed arguments as they are (a void pointer, a Python int, a byref).
_LOOSE_BOX = ctypes.CFUNCTYPE(None)(ctypes.cast(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_void_p).value)
# How the right edge of a word starting with a digit follows from its first character box:
# 0.0 when it is not a plain figure. Grids repeat the same few figures ("7,5", "8").
_FIGURE_WIDTHS: dict[str, float] = {}


def _figure_width(word: str) -> float:
    width = 0.0
    if _FIGURE.match(word):
        narrow = word.count(",") + word.count(".") + word.count(":") + word.count("h")
        width = len(word) - 0.5 * narrow
    if len(_FIGURE_WIDTHS) < 4096:
        _FIGURE_WIDTHS[word] = width
    return width


def _words(textpage, text: str) -> list[Word]:
    # One reused buffer for every character box. The loose box follows the font's ascent
    # and descent, so every word of a line gets the same bottom whatever its letters.
    # Figures use one call: digits share one width, so the right edge follows from the
    # first one; words of letters pay a second call for their last character.
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    loose, handle = _LOOSE_BOX, ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
    widths = _FIGURE_WIDTHS
    words = []
    append = words.append
    for match in _WORD.finditer(text):
        word = match.group()
        loose(handle, match.start(), ref)
        x0, bottom, top = rect.left, rect.bottom, rect.top
        if len(word) == 1:
            x1 = rect.right
        else:
            width = widths.get(word) if word[0].isdecimal() else 0.0  # _FIGURE needs a digit first
            if width is None:
                width = _figure_width(word)
            if width:
                x1 = x0 + (rect.right - x0) * width
            else:
                loose(handle, match.end() - 1, ref)
                x1 = rect.right
        append((word, x0, x1, bottom, top - bottom))
    return words


def _ocr_page(document, index: int, limits: Limits, deadline: Deadline) -> list[Word]:
    deadline.check()
    page = document[index]
    try:
        image = page.render(scale=ocr_scale(*page.get_size(), OCR_DPI)).to_pil().convert("L")
    finally:
        page.close()
    words = ocr_words(image, min(limits.ocr_timeout_seconds, deadline.remaining()))
    if words is None:
        raise TimesheetError(
            "La reconnaissance de caractères a échoué sur ce scan : envoyez le relevé au "
            "format Excel ou un PDF enregistré depuis le tableur.",
            "ocr_failed",
        )
    return words


def _grid(pages: list[list[Word] | None], ocr: bool, data: bytes, deadline: Deadline, drawn: list[int]) -> Grid:
    rows, sources, spans = [], [], None
    for number, words in enumerate(pages, start=1):
        if not words:
            continue
        page_rows, page_sources, spans, titles, wrapped = table_rows(group_lines(words), number, spans)
        if wrapped and not ocr and drawn[number - 1] <= MAX_RULED_OBJECTS:
            # Cells on several lines: where the table is ruled, its rulings say exactly
            # which line belongs to which row, so the slower reader is worth it here.
            from app.domain.timesheets.pdfruled import read_page_table

            ruled = read_page_table(data, number, deadline)
            if ruled:
                page_rows = page_rows[:titles] + ruled
                page_sources = page_sources[:titles] + [
                    {"page": number, "line": titles + i} for i in range(1, len(ruled) + 1)]
        rows.extend(page_rows)
        sources.extend(page_sources)
    return Grid("", rows, sources, ocr=ocr)
