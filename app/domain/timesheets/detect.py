"""Tell a file's kind from its first bytes, never from its name."""

import io
import zipfile

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from app.domain.timesheets.guards import check_ods_claims, check_workbook_claims, check_xls_claims
from app.domain.timesheets.limits import Limits, check_zip
from app.domain.timesheets.model import TimesheetError

XLSX, XLSM, XLS, ODS, CSV, PDF, HTML = "xlsx", "xlsm", "xls", "ods", "csv", "pdf", "html"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_XLSB_WORKBOOK = "xl/workbook.bin"
_ACCEPTED = (
    "Formats acceptés : Excel (.xlsx, .xlsm, .xls), LibreOffice (.ods), CSV ou PDF."
)
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")


def refuse(what: str, code: str = "wrong_type") -> TimesheetError:
    """Build the error for a file that is not a timesheet format."""
    return TimesheetError(f"{what} {_ACCEPTED}", code)


def detect_kind(data: bytes, limits: Limits) -> str:
    """Return ``xlsx``, ``xlsm``, ``xls``, ``ods``, ``csv``, ``html`` or ``pdf``, or raise."""
    head = data[:1024]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Texte Unicode" export: UTF-16 with tabs (its NULs defeat the text test).
        try:
            text = data[:1024].decode("utf-16", errors="ignore")
        except UnicodeError:
            text = ""
        return HTML if _is_html(text.encode("utf-8")) else CSV
    if b"%PDF-" in head:
        return PDF
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _detect_zip(data, limits)
    if data.startswith(_OLE):
        if _ENCRYPTED in data[:65536] or _ENCRYPTED in data[-65536:]:
            raise TimesheetError(
                "Le classeur est protégé par un mot de passe : enregistrez-le sans mot de passe "
                "puis envoyez-le à nouveau.",
                "encrypted",
            )
        check_xls_claims(data, limits.max_rows, limits.max_columns)
        return XLS
    if data.startswith(_IMAGES) or head[4:12] in (b"ftypheic", b"ftypmif1"):
        raise refuse(
            "C'est une image (photo ou scan) : enregistrez le relevé en PDF avant de l'envoyer.",
            "image",
        )
    if _looks_like_text(head):
        if _is_html(head):
            # Web payroll tools save an HTML table under a .xls name for Excel to open.
            return HTML
        if head.lstrip().lower().startswith(b"<?xml"):
            raise refuse(
                "Ce fichier est un fichier XML, pas un tableur : ouvrez-le dans "
                "Excel puis « Enregistrer sous » Classeur Excel (.xlsx).",
            )
        return CSV
    raise refuse("Ce fichier n'est pas un relevé d'heures lisible.")


def _is_html(head: bytes) -> bool:
    lowered = head.lstrip().lower()
    return lowered.startswith((b"<!doctype html", b"<html", b"<table")) and b"<t" in lowered


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return controls <= len(head) // 100


def _detect_zip(data: bytes, limits: Limits) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - zipfile raises zlib, struct, lzma errors too
        raise TimesheetError(
            "Le classeur est abîmé ou incomplet (l'envoi a peut-être été coupé) : "
            "enregistrez-le à nouveau puis renvoyez-le.",
            "corrupt",
        ) from exc
    with archive:
        names = set(archive.namelist())
        whole = check_zip(archive, limits, data)
        if "mimetype" in names:
            mime = _read_entry(archive, "mimetype", 200)
            if mime.startswith(_ODS_MIME):
                check_ods_claims(archive, limits.max_rows, limits.max_columns)
                return ODS
            raise refuse("C'est un document LibreOffice qui n'est pas un tableur.")
        if "[Content_Types].xml" in names and any(n.lower() == _XLSB_WORKBOOK for n in names):
            # calamine would read it, but its binary sheets escape the cell-address guard below.
            raise refuse(
                "C'est un classeur Excel binaire (.xlsb) : ouvrez-le dans Excel puis « Enregistrer "
                "sous » Classeur Excel (.xlsx).",
                "xlsb",
            )
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            try:
                check_workbook_claims(archive, archive.infolist(), limits.max_rows, limits.max_columns)
            except TimesheetError:
                raise
            except Exception as exc:  # noqa: BLE001 - a part zipfile cannot inflate (CRC, zlib)
                raise TimesheetError(
                    "Le classeur est abîmé (fichier incomplet ou corrompu).", "corrupt"
                ) from exc
            # Usually read whole by the zip checks already: no second decompression.
            content_types = whole.get("[Content_Types].xml")
            if content_types is None:
                content_types = _read_entry(archive, "[Content_Types].xml", 1024 * 1024)
            return XLSM if _is_macro_enabled(content_types) else XLSX
        if any(n.startswith("word/") for n in names):
            raise refuse("C'est un document Word, pas un tableau d'heures.")
        raise refuse("C'est une archive ZIP, pas un tableur.")


def _read_entry(archive: zipfile.ZipFile, name: str, size: int) -> bytes:
    try:
        with archive.open(name) as stream:
            return stream.read(size)
    except Exception as exc:  # noqa: BLE001 - zipfile raises zlib, struct, lzma errors too
        raise TimesheetError(
            "Le classeur est abîmé (fichier incomplet ou corrompu).", "corrupt"
        ) from exc


def _is_macro_enabled(content_types: bytes) -> bool:
    try:
        root = ElementTree.fromstring(content_types)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise TimesheetError("Le classeur est abîmé (description interne illisible).", "corrupt") from exc
    return any(el.get("ContentType") == _MACRO_TYPE for el in root.iter())
