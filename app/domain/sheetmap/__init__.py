"""Say once what each column of a spreadsheet holds, and find the same layout next time.

A mapping is the user's reading of one layout: the header row, the role of each useful
column (the roles are the importing job's vocabulary) and the lines to skip. It is saved
with the header's signature, so the next file with the same header is read the same way,
even when its title block grows by a line or its month has fewer days. Pure code: any
spreadsheet import (timesheets, data imports) can use it.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

SEARCH_ROWS = 60
_DIGITS = re.compile(r"\d+")


class MappingError(ValueError):
    """A mapping that cannot be applied; the message is French and shown as is."""


@dataclass(frozen=True)
class SheetMapping:
    """Which row is the header, what each column holds, which lines to skip."""

    header_row: int
    columns: dict[int, str]
    sheet: str | None = None
    skip_rows: frozenset[int] = frozenset()
    # Lines skipped in the file the mapping was made on, by their first text: "Total", "Visa".
    skip_labels: frozenset[str] = frozenset()
    signature: str = ""

    def to_dict(self) -> dict:
        """Return a JSON-safe form to store (row indexes of this file are not kept)."""
        return {
            "header_row": self.header_row,
            "columns": {str(index): role for index, role in sorted(self.columns.items())},
            "sheet": self.sheet,
            "skip_labels": sorted(self.skip_labels),
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, data: dict, roles: set[str] | frozenset[str]) -> "SheetMapping":
        """Read a stored or submitted mapping, refusing roles outside the job's vocabulary."""
        try:
            columns = {int(index): str(role) for index, role in dict(data.get("columns", {})).items()}
            header_row = int(data.get("header_row", 0))
            skip_rows = frozenset(int(i) for i in data.get("skip_rows", ()))
        except (TypeError, ValueError, AttributeError) as exc:
            raise MappingError("La correspondance des colonnes est illisible.") from exc
        unknown = {role for role in columns.values() if role not in roles}
        if unknown or header_row < 0 or any(index < 0 for index in columns):
            raise MappingError("La correspondance des colonnes contient un choix inconnu.")
        return cls(header_row, columns, data.get("sheet") or None, skip_rows,
                   frozenset(str(label) for label in data.get("skip_labels", ())),
                   str(data.get("signature") or ""))


def cell_text(value: object) -> str:
    """Return a cell as a person reads it in the grid (dates and durations the French way)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != time() else value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, timedelta):
        minutes = int(value.total_seconds()) // 60
        return f"{minutes // 60}:{minutes % 60:02d}"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return " ".join(str(value).split())


def label_key(value: object) -> str:
    """Return a label folded for comparison: case, accents and spacing ignored."""
    if type(value) is str and value.isascii():  # most cells: nothing to decompose, casefold is lower
        return " ".join(value.lower().split())
    text = unicodedata.normalize("NFKD", cell_text(value).casefold())
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())


_PUNCTUATION = re.compile(r"[^\w]+")


def header_key(value: object) -> str:
    """Return a column title folded for matching names: ``N° SIRET`` and ``n siret`` alike.

    As ``label_key``, with punctuation (``°``, ``-``, ``.``, apostrophes) read as a space.
    """
    return " ".join(_PUNCTUATION.sub(" ", label_key(value)).replace("_", " ").split())


def header_signature(row: list[object]) -> str:
    """Return a short fingerprint of a header line that survives month-to-month changes.

    Figures become ``#`` and repeats collapse, so "1 … 31" and "1 … 28", or "Semaine 14"
    and "Semaine 18", give the same signature; blank cells do not count.
    """
    tokens: list[str] = []
    for cell in row:
        text = _DIGITS.sub("#", label_key(cell))
        if text and (not tokens or tokens[-1] != text):
            tokens.append(text)
    if not tokens:
        return ""
    return hashlib.sha256("\x1f".join(tokens).encode("utf-8")).hexdigest()[:32]


def find_header(rows: list[list[object]], signature: str, limit: int = SEARCH_ROWS) -> int | None:
    """Return the index of the first line whose signature is ``signature``, if any."""
    if not signature:
        return None
    for index, row in enumerate(rows[:limit]):
        if header_signature(row) == signature:
            return index
    return None


def skipped(mapping: SheetMapping, index: int, row: list[object]) -> bool:
    """Tell whether a data line is one the user asked to skip."""
    if index in mapping.skip_rows:
        return True
    if mapping.skip_labels:
        first = next((label_key(cell) for cell in row if label_key(cell)), "")
        return first in mapping.skip_labels
    return False


def with_skip_labels(mapping: SheetMapping, rows: list[list[object]], keep=lambda label: True) -> SheetMapping:
    """Return the mapping with its skipped lines also remembered by their first text.

    ``keep`` lets the importing job refuse to remember some texts (a person's name).
    """
    labels = set(mapping.skip_labels)
    for index in mapping.skip_rows:
        if 0 <= index < len(rows):
            first = next((label_key(cell) for cell in rows[index] if label_key(cell)), "")
            if first and keep(first):
                labels.add(first)
    header = rows[mapping.header_row] if mapping.header_row < len(rows) else []
    return SheetMapping(mapping.header_row, dict(mapping.columns), mapping.sheet, mapping.skip_rows,
                        frozenset(labels), header_signature(header))


@dataclass
class SheetPreview:
    """The first lines of one sheet as text, for a person to point at columns."""

    name: str
    rows: list[list[str]]
    width: int
    total_rows: int
    hidden_columns: list[int] = field(default_factory=list)


def preview_sheet(name: str, rows: list[list[object]], limit: int = 40) -> SheetPreview:
    """Return the first ``limit`` lines of a sheet as text, padded to the same width."""
    shown = [[cell_text(cell) for cell in row] for row in rows[:limit]]
    # Trailing empty columns are formatting, not data.
    width = max((max((i + 1 for i, text in enumerate(row) if text), default=0) for row in shown), default=0)
    return SheetPreview(name, [row[:width] + [""] * (width - len(row[:width])) for row in shown], width, len(rows))
