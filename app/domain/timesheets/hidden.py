"""Find the hidden columns of an .xlsx sheet: they hold last month's figures or plans."""

import io
import posixpath
import re
import zipfile

from defusedxml import ElementTree

_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_COL = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_ATTR = re.compile(rb'\b(min|max|hidden)="([^"]*)"')
# <cols> comes before <sheetData>: the head of the part is enough, whatever the sheet's size.
_HEAD = 65536


def column_letter(index: int) -> str:
    """Return the Excel letter of a 0-based column index: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def hidden_columns(data: bytes) -> dict[str, list[int]]:
    """Return sheet name → 0-based indexes of its hidden columns (empty when none or unreadable)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # Most workbooks hide nothing: look at the sheets' heads before mapping names to parts.
            found = {part: hidden for part in archive.namelist()
                     if part.startswith("xl/worksheets/") and part.endswith(".xml")
                     and (hidden := _hidden_in(archive, part))}
            if not found:
                return {}
            return {name: found[part] for name, part in _sheet_parts(archive).items() if part in found}
    except Exception:  # noqa: BLE001 - the guards already vetted the file; hiding is a nicety
        return {}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for sheet in workbook.iter():
        if sheet.tag.endswith("}sheet") and sheet.get(_REL_NS) in targets:
            target = targets[sheet.get(_REL_NS)]
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            parts[sheet.get("name")] = path
    return parts


def _hidden_in(archive: zipfile.ZipFile, part: str) -> list[int]:
    head = b""
    with archive.open(part) as stream:
        while len(head) < _HEAD:
            chunk = stream.read(4096)
            head += chunk
            if not chunk or b"sheetData" in head:
                break
    end = head.find(b"sheetData")
    if b"hidden" not in (head[:end] if end > 0 else head):
        return []
    found: set[int] = set()
    for tag in _COL.findall(head[:end] if end > 0 else head):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get(b"hidden") in (b"1", b"true"):
            low, high = int(attrs.get(b"min", b"1")), int(attrs.get(b"max", b"1"))
            found.update(range(low - 1, min(high, low + 16384)))
    return sorted(found)
