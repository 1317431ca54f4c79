"""The extract of the activity log: one row per entry, for the FSE+ dossier or a download.

A participant appears by code only: the extract travels to funders and auditors, who check
that the work was done, not who it was done with (DOMAIN.md §9).
"""

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from openpyxl.utils import get_column_letter

from app.domain.documents.xlsx import (
    DATE_FORMAT,
    INTEGER_FORMAT,
    autosize_columns,
    new_workbook,
    write_header,
    write_rows,
    workbook_bytes,
    write_title,
)
from app.domain.formats import format_count
from app.domain.reports.activities import COUNTED_KINDS, MAX_NOTE, MAX_QUANTITY, ActivityKind

HEADERS = ("Date", "Type", "Intitulé", "Quantité", "Entreprise", "Donneur d'ordre", "SIAE", "Partenaire",
           "Marché", "Participant (code)", "Opération FSE+", "Auteur", "Compte rendu", "Note")
FORMATS = (DATE_FORMAT, None, None, INTEGER_FORMAT)
# An entry is dated when the work was done; a date far ahead is a typing slip (2062 for 2026).
MAX_DAYS_AHEAD = 365
MAX_MINUTES_BYTES = 10 * 1024 * 1024
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
MINUTES_FORMATS = "PDF, DOCX, ODT, JPEG ou PNG"


@dataclass(frozen=True)
class LogEntry:
    """One line of the extract, as plain values (no participant's name)."""

    occurred_on: date
    kind: ActivityKind
    title: str
    quantity: int = 1
    company: str = ""
    buyer: str = ""
    siae: str = ""
    partner: str = ""
    tender: str = ""
    participant_code: str = ""
    operation: str = ""
    author: str = ""
    has_minutes: bool = False
    note: str = ""

    @property
    def counted_quantity(self) -> int | None:
        """Return the quantity when the kind counts it (« 4 postes transmis »), else None."""
        return self.quantity if self.kind in COUNTED_KINDS else None


def entry_problems(kind: ActivityKind, occurred_on: date, quantity: int | None, note: str, today: date
                   ) -> list[tuple[str, str]]:
    """Return (field, French message) for each rule an entry breaks."""
    problems = []
    if occurred_on > today + timedelta(days=MAX_DAYS_AHEAD):
        problems.append(("occurred_on", "Cette date est à plus d'un an : vérifiez l'année."))
    if quantity is not None and not 1 <= quantity <= MAX_QUANTITY:
        problems.append(("quantity", f"La quantité va de 1 à {MAX_QUANTITY:,}.".replace(",", "\u202f")))
    if quantity not in (None, 1) and kind not in COUNTED_KINDS:
        problems.append(("quantity", f"« {kind.label} » compte une fois par entrée : laissez la quantité vide "
                                     "ou notez une entrée par contact."))
    if len(note or "") > MAX_NOTE:
        problems.append(("note", f"La note compte {len(note)} caractères pour {MAX_NOTE} au plus : raccourcissez-la."))
    return problems


def _zip_names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {info.filename for info in archive.infolist()[:2000]}
    except (zipfile.BadZipFile, ValueError, EOFError):
        return set()


def _odt_mimetype(data: bytes) -> bytes:
    # An ODT starts with an uncompressed « mimetype » entry whose content names the format.
    return data[38:38 + len(ODT_TYPE)] if data[30:38] == b"mimetype" else b""


def minutes_type(data: bytes) -> tuple[str, str] | str:
    """Return (content type, extension) of a compte rendu read from its bytes, or a French refusal."""
    if not data:
        return "Le fichier est vide."
    if len(data) > MAX_MINUTES_BYTES:
        weight = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        return (f"Le fichier pèse {weight} Mo pour {MAX_MINUTES_BYTES // 1024 // 1024} Mo au plus : "
                "enregistrez-le en PDF ou numérisez-le à une résolution plus faible.")
    if b"%PDF-" in data[:1024]:
        return PDF_TYPE, "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if data.startswith(b"PK\x03\x04"):
        if _odt_mimetype(data) == ODT_TYPE.encode():
            return ODT_TYPE, "odt"
        if "word/document.xml" in _zip_names(data):
            return DOCX_TYPE, "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "Ce fichier est au format Word 97-2003 (.doc) : enregistrez-le en .docx ou en PDF."
    return f"Ce fichier n'est pas un document lisible : déposez-le au format {MINUTES_FORMATS}."


def _row(entry: LogEntry) -> tuple:
    return (entry.occurred_on, entry.kind.label, entry.title, entry.counted_quantity, entry.company, entry.buyer,
            entry.siae, entry.partner, entry.tender, entry.participant_code, entry.operation, entry.author,
            "Oui" if entry.has_minutes else "", entry.note)


def build_activity_log_xlsx(entries: Iterable[LogEntry], title: str, subtitle_lines: Sequence[str]) -> bytes:
    """Return the XLSX extract of the activity log, oldest entry first, with a count per kind."""
    entries = sorted(entries, key=lambda e: e.occurred_on)
    wb, ws = new_workbook("Journal d'activité")
    header_row = write_title(ws, title, [*subtitle_lines, format_count(len(entries), "entrée")])
    write_header(ws, header_row, HEADERS)
    last_row = write_rows(ws, map(_row, entries), start_row=header_row + 1, formats=FORMATS) - 1
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(HEADERS))}{max(last_row, header_row)}"
    autosize_columns(ws, from_row=header_row)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    summary = wb.create_sheet("Par type")
    write_header(summary, 1, ("Type", "Entrées", "Quantité"))
    kinds = [kind for kind in ActivityKind if any(e.kind is kind for e in entries)]
    write_rows(summary, [(kind.label, sum(e.kind is kind for e in entries),
                          sum(e.quantity for e in entries if e.kind is kind) if kind in COUNTED_KINDS else None)
                         for kind in kinds], start_row=2, formats=(None, INTEGER_FORMAT, INTEGER_FORMAT))
    autosize_columns(summary)
    return workbook_bytes(wb)
