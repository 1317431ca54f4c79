"""Check what a file claims before a native reader sizes its memory on it.

python-calamine and pdfium allocate from the file's own figures: a cell address, a
shared-string count, a compressed content stream, a page size. A 5 KB workbook claiming a
cell at XFD1048576 makes calamine ask for 512 GB and abort the whole process (Rust aborts
on a failed allocation; no exception reaches Python), so these checks run first.
Found by tests/security/test_hostile_uploads.py (2026-11).
"""

import io
import math
import re
import struct
import zipfile
import zlib

import olefile
from defusedxml.ElementTree import iterparse

from app.domain.timesheets.model import TimesheetError

# Cheap screens over an XML part, whitespace first turned into spaces; a hit only sends the
# part to the exact count. Writers put ``r="A1"`` first in every cell and row: anything else
# (a far address, a cell without address, other quotes or spacing, a second ``r``, a
# prefixed tag) is counted cell by cell. Each screen costs ~0.5 ms on a 300-line grid.
_SPACES = bytes.maketrans(b"\t\n\r", b"   ")
_ODD_REF = re.compile(rb' r(?!="[A-Za-z]{0,2}[0-9]{0,4}")[\s=]')
_CELL_WITHOUT_REF = re.compile(rb'<c(?! r=)[\s/>]')
_PREFIXED_CELL = re.compile(rb":(?:c|row)[\s/>]")
_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)[\s/>][^>]*")
_REF = re.compile(rb"""(?<![\w:.-])r\s*=\s*["']\s*([A-Za-z]{0,8})([0-9]{0,12})""")
_UNIQUE_COUNT = re.compile(rb"""uniqueCount\s*=\s*["']\s*([0-9]+)""")
# calamine reserves this many shared strings up front (24 bytes each).
MAX_SHARED_STRINGS = 1_000_000
_TOO_BIG = "too_many_rows"
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_FLATE = re.compile(rb"/Fl(?:ateDecode)?(?![A-Za-z])")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_INDIRECT_FILTER = re.compile(rb"/Filter\s*(?:\[[^\]]*\sR\b|\d+\s+\d+\s+R\b)")
# A monthly sheet rendered at 300 dpi on A3 is 17 Mpx; a claimed 5 m page would be 3 Gpx.
MAX_OCR_PIXELS = 20_000_000
# Inflated PDF content, images apart: pdfium takes ~0.3 s per MB of drawing operators and a
# 200 KB file can hold 80 MB of them (12 s, 1.5 GB); a timesheet page holds tens of KB.
MAX_PDF_CONTENT_BYTES = 16 * 1024 * 1024


def check_workbook_claims(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], max_rows: int,
                          max_columns: int) -> None:
    """Refuse far cell addresses and huge shared-string counts in an Excel package."""
    # Worksheets may live anywhere the workbook's relationships point, so every XML part is
    # screened; calamine reads the shared strings from their fixed name only.
    for entry in entries:
        name = entry.filename.lower()
        if not name.endswith(".xml") or name.startswith("xl/theme/"):
            continue
        with archive.open(entry) as stream:
            xml = stream.read()  # the zip checks already bounded every entry's size
        if name == "xl/sharedstrings.xml" and any(
                int(count) > MAX_SHARED_STRINGS for count in _UNIQUE_COUNT.findall(xml)):
            raise TimesheetError("Le classeur annonce un nombre de textes démesuré : il ne peut pas être lu.",
                                 _TOO_BIG)
        xml = xml.translate(_SPACES)
        if _ODD_REF.search(xml) or _CELL_WITHOUT_REF.search(xml) or _PREFIXED_CELL.search(xml):
            rows, columns = _extent(xml, max_rows, max_columns)
            if rows > max_rows or columns > max_columns:
                raise _too_far(rows, columns, max_rows, max_columns)


def _extent(xml: bytes, max_rows: int, max_columns: int) -> tuple[int, int]:
    """Return the largest row and column a sheet addresses, cells without address included."""
    row = column = top = right = 0
    for tag in _TAG.finditer(xml):
        # A tag may carry r twice (calamine keeps the last): take the farthest of them.
        refs = _REF.findall(tag.group(0))
        digits = max((d for _, d in refs if d), key=int, default=b"")
        letters = max((l for l, _ in refs if l), key=_column_number, default=b"")
        if tag.group(1) == b"row":
            row, column = (int(digits) if digits else row + 1), 0
        else:
            column = _column_number(letters) if letters else column + 1
            row = int(digits) if digits else row
        top, right = max(top, row), max(right, column)
        if top > max_rows or right > max_columns:
            break
    return top, right


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper()[:8]:
        number = number * 26 + letter - 64
    return number


# BIFF records calamine turns into cells (row, then column, first in the record), and the
# records that size a sheet before its cells are read.
_XLS_CELLS = frozenset({0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0006})
_XLS_MULRK, _XLS_DIMENSIONS, _XLS_BOUNDSHEET, _XLS_EOF = 0x00BD, 0x0200, 0x0085, 0x000A
_RECORD = struct.Struct("<HH")
_U16 = struct.Struct("<H")
_U32 = 0xFFFFFFFF


def check_xls_claims(data: bytes, max_rows: int, max_columns: int) -> None:
    """Refuse far cells and oversized DIMENSIONS records in a legacy .xls workbook.

    calamine reads every sheet of an .xls when it opens it, and sizes each sheet from its
    DIMENSIONS record and from the farthest cell: a cell at column 16 383, or a DIMENSIONS
    record claiming a million rows, makes it abort the process (found 2026-11). The records
    are walked the way calamine walks them: the globals up to their EOF, then each sheet from
    the offset its BOUNDSHEET record gives.
    """
    stream = _xls_workbook_stream(data)
    sheets = [_u32(body) for typ, body in _xls_records(stream, 0) if typ == _XLS_BOUNDSHEET and len(body) >= 4]
    for start in sheets:
        top = right = 0
        for typ, body in _xls_records(stream, start):
            if typ in _XLS_CELLS and len(body) >= 4:
                row, column = _RECORD.unpack_from(body)
            elif typ == _XLS_MULRK and len(body) >= 6:
                row, first = _RECORD.unpack_from(body)
                column = max(first, _U16.unpack_from(body, len(body) - 2)[0])
            elif typ == _XLS_DIMENSIONS:
                # Only a claim, which calamine reserves as rows × columns cells before reading.
                rows, columns = _dimensions_size(body)
                if rows * columns > max_rows * max_columns:
                    raise _too_far(rows, columns, max_rows, max_columns)
                continue
            else:
                continue
            top, right = max(top, row + 1), max(right, column + 1)
            if top > max_rows or right > max_columns:
                raise _too_far(top, right, max_rows, max_columns)


def _too_far(rows: int, columns: int, max_rows: int, max_columns: int) -> TimesheetError:
    """Build the refusal of a sheet reaching past the limits (.xlsx and .xls alike)."""
    return TimesheetError(
        f"Une feuille du classeur s'étend trop loin (ligne {rows}, colonne {columns}) : "
        f"un relevé mensuel dépasse rarement {max_rows} lignes et {max_columns} colonnes.", _TOO_BIG)


def _xls_workbook_stream(data: bytes) -> bytes:
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            return ole.openstream(name).read()
    except Exception as exc:  # noqa: BLE001 - olefile raises OSError, struct and index errors
        raise TimesheetError(
            "Le classeur Excel (.xls) est abîmé ou incomplet : ouvrez-le, enregistrez-le au format "
            ".xlsx puis renvoyez-le.", "corrupt") from exc


def _xls_records(stream: bytes, start: int):
    """Yield (type, body) of the BIFF records from ``start`` up to the EOF record."""
    position, end = start, len(stream)
    while position + 4 <= end:
        typ, size = _RECORD.unpack_from(stream, position)
        body = stream[position + 4:position + 4 + size]
        yield typ, body
        if typ == _XLS_EOF:
            return
        position += 4 + size


def _u32(body: bytes) -> int:
    return int.from_bytes(body[:4], "little")


def _dimensions_size(body: bytes) -> tuple[int, int]:
    """Return the rows and columns calamine reserves for a DIMENSIONS record."""
    if len(body) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<4H", body)
    elif len(body) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", body)
    else:
        return 0, 0
    if last_row < 1 or last_col < 1:
        return 1, 1
    # calamine computes (last - 1) - first + 1 in unsigned 32 bits: a first past the last wraps.
    return (last_row - first_row) & _U32, (last_col - first_col) & _U32


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_SPACE = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}s"
_ODS_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
# Characters of cell text (repeats expanded) a monthly sheet could never need.
MAX_ODS_TEXT = 64 * 1024 * 1024


def check_ods_claims(archive: zipfile.ZipFile, max_rows: int, max_columns: int) -> None:
    """Refuse an .ods whose repeated rows and cells expand past the sheet limits.

    ODF compresses a sheet with repeat counts: an 860-byte file holding one row repeated
    1 000 times, with a 10 000-character cell repeated 1 000 times, made calamine expand
    10 GB and abort the process (issue #12, 2026-12). content.xml is streamed, each cell's
    text measured once, and the expansion is computed before calamine sees the file. Empty
    cells and rows cost nothing: LibreOffice pads every sheet with huge empty repeats.
    """
    try:
        with archive.open("content.xml") as stream:
            _measure_ods(stream, max_rows, max_columns)
    except TimesheetError:
        raise
    except Exception as exc:  # noqa: BLE001 - defusedxml, zipfile and zlib errors alike
        raise TimesheetError("Le classeur est abîmé (fichier incomplet ou corrompu).", "corrupt") from exc


def _measure_ods(stream, max_rows: int, max_columns: int) -> None:
    top = right = text = row = column = row_right = row_text = 0
    for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
        tag = element.tag
        if event == "start":
            if tag == f"{_TABLE}table":
                row = 0
            elif tag == f"{_TABLE}table-row":
                column = row_right = row_text = 0
            continue
        if tag in _ODS_CELLS:
            repeat = _repeat(element, "number-columns-repeated")
            size = _cell_text(element)
            if size or element.get(f"{_OFFICE}value-type"):
                row_right, row_text = column + repeat, row_text + repeat * (size + 8)
            column += repeat
            element.clear()
        elif tag == f"{_TABLE}table-row":
            repeat = _repeat(element, "number-rows-repeated")
            if row_right:
                top, right = max(top, row + repeat), max(right, row_right)
                text += repeat * row_text
            row += repeat
            element.clear()
            if top > max_rows or right > max_columns:
                raise _too_far(top, right, max_rows, max_columns)
            if text > MAX_ODS_TEXT:
                raise TimesheetError("Le classeur contient un texte démesuré une fois ses répétitions "
                                     "développées : il ne peut pas être lu.", _TOO_BIG)


def _repeat(element, name: str) -> int:
    raw = element.get(f"{_TABLE}{name}") or "1"
    return int(raw) if raw.isdigit() and len(raw) <= 12 else 10 ** 12


def _cell_text(cell) -> int:
    size = 0
    for inner in cell.iter():
        if inner is not cell:
            size += len(inner.tail or "")
        size += len(inner.text or "")
        if inner.tag == _SPACE:  # <text:s text:c="1000000"/> stands for that many spaces
            raw = inner.get("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}c") or "1"
            size += int(raw) if raw.isdigit() and len(raw) <= 12 else 10 ** 12
    return size


def check_pdf_streams(data: bytes, max_content_bytes: int, max_total_bytes: int) -> None:
    """Refuse a PDF whose compressed streams inflate to far more than a timesheet holds.

    Each stream's dictionary is read from its object's start, however long it is, with name
    escapes decoded (``/F#6cateDecode`` is ``/FlateDecode``); a filter given by reference
    (``/Filter 7 0 R``) cannot be resolved here, so the stream is inflated as deep as it goes.
    The three bypasses cost 230–270 s and several GB each (issue #12, 2026-12).
    """
    content = total = 0
    previous = 0
    for match in _PDF_STREAM.finditer(data):
        start = data.rfind(b"obj", previous, match.start())
        head = _HEX_ESCAPE.sub(_unescape, data[max(start, previous):match.start()])
        previous = match.end()
        budget = max_total_bytes - total
        if _INDIRECT_FILTER.search(head):
            size = _deepest_size(data, match.end(), budget)
        else:
            depth = len(_FLATE.findall(head))
            if not depth:
                continue
            size = _inflated_size(data, match.end(), min(depth, 3), budget)
        total += size
        if b"/Image" not in head:
            content += size
        if content > max_content_bytes or total > max_total_bytes:
            raise TimesheetError(
                "Le PDF contient des données compressées démesurées : il ne peut pas être lu. "
                "Enregistrez-le à nouveau depuis le tableur, ou envoyez le relevé au format Excel.",
                "pdf_bomb",
            )


def _unescape(match: re.Match) -> bytes:
    return bytes([int(match.group(1), 16)])


def _deepest_size(data: bytes, start: int, budget: int) -> int:
    """Return the largest size the stream inflates to, one to three times (0: not deflated)."""
    best = 0
    for depth in (1, 2, 3):
        size = _inflated_size(data, start, depth, budget)
        if not size:
            break
        best = max(best, size)
    return best


def _inflated_size(data: bytes, start: int, depth: int, budget: int) -> int:
    """Inflate a stream ``depth`` times in 1 MB steps; stop one byte past ``budget``."""
    pieces = (data[offset:offset + 65536] for offset in range(start, len(data), 65536))
    for _ in range(depth):
        pieces = _inflate(pieces)
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > budget:
            break
    return size


def _inflate(chunks):
    inflater = zlib.decompressobj()
    for chunk in chunks:
        while chunk:
            try:
                out = inflater.decompress(chunk, 1 << 20)
            except zlib.error:
                return
            if out:
                yield out
            if inflater.eof:
                return
            chunk = inflater.unconsumed_tail


def ocr_scale(width: float, height: float, dpi: int) -> float:
    """Return the render scale for OCR: ``dpi``, lowered so the bitmap stays under MAX_OCR_PIXELS."""
    full = dpi / 72
    pixels = max(width, 1.0) * max(height, 1.0) * full * full
    return full if pixels <= MAX_OCR_PIXELS else full * math.sqrt(MAX_OCR_PIXELS / pixels)
