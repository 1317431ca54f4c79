"""Size, page, row and time limits, and the zip checks done before any parser runs."""

import struct
import time
import zipfile
import zlib
from dataclasses import dataclass

from app.domain.timesheets.model import TimesheetError

MB = 1024 * 1024
_LOCAL_HEADER = struct.Struct(zipfile.structFileHeader)
_NESTED_ARCHIVES = (".zip", ".xlsx", ".xlsm", ".ods", ".gz", ".7z", ".rar", ".jar", ".tar")


@dataclass(frozen=True)
class Limits:
    """What one upload may cost; the defaults fit a monthly sheet many times over."""

    max_file_bytes: int = 10 * MB
    max_pages: int = 40
    max_rows: int = 20_000
    max_columns: int = 500
    max_unzipped_bytes: int = 200 * MB
    max_zip_ratio: int = 200
    max_zip_entries: int = 2_000
    timeout_seconds: float = 60.0
    ocr_timeout_seconds: float = 60.0


DEFAULT_LIMITS = Limits()


class Deadline:
    """Raise a French error once a parse has run longer than allowed."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        """Stop the parse if its time is up (called between pages, sheets and rows)."""
        if time.monotonic() > self.end:
            raise TimesheetError(
                "La lecture du fichier prend trop de temps : il est sans doute trop gros ou "
                "abîmé. Essayez d'envoyer seulement le mois concerné.",
                "timeout",
            )

    def remaining(self) -> float:
        """Return the seconds left, never less than one."""
        return max(1.0, self.end - time.monotonic())


def check_file_size(data: bytes, limits: Limits) -> None:
    """Refuse empty files and files above the size limit."""
    if not data or not data.strip():
        raise TimesheetError("Le fichier est vide.", "empty")
    if len(data) > limits.max_file_bytes:
        size = len(data) / MB
        raise TimesheetError(
            f"Le fichier est trop gros ({size:.1f} Mo ; maximum "
            f"{limits.max_file_bytes // MB} Mo). Envoyez seulement le mois concerné.",
            "too_big",
        )


def check_zip(archive: zipfile.ZipFile, limits: Limits, data: bytes | None = None) -> dict[str, bytes]:
    """Refuse zip bombs and odd entries by reading the central directory only.

    ``data`` (the archive's bytes) lets the XML heads be read without zipfile's plumbing.
    Returns the small XML parts read whole on the way (name → content).
    """
    entries = archive.infolist()
    if len(entries) > limits.max_zip_entries:
        raise TimesheetError("Le classeur contient trop d'éléments pour être lu.", "zip_bomb")
    total = 0
    for entry in entries:
        name = entry.filename
        if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
            raise TimesheetError("Le classeur contient des éléments suspects.", "zip_suspicious")
        if name.lower().endswith(_NESTED_ARCHIVES):
            raise TimesheetError(
                "Le classeur contient un autre fichier compressé à l'intérieur ; "
                "enregistrez-le à nouveau sans pièce jointe.",
                "zip_nested",
            )
        if entry.flag_bits & 0x1:
            raise TimesheetError(
                "Le classeur est protégé par un mot de passe : enregistrez-le sans mot de passe.",
                "encrypted",
            )
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if total > limits.max_unzipped_bytes or (entry.file_size > MB and ratio > limits.max_zip_ratio):
            raise TimesheetError(
                "Le classeur décompressé serait anormalement gros : il ne peut pas être lu.",
                "zip_bomb",
            )
    return _refuse_doctypes(archive, entries, data)


def _refuse_doctypes(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo],
                     data: bytes | None) -> dict[str, bytes]:
    # Office and ODF parts never carry a DTD; one is how entity bombs and XXE start.
    # Returns the parts read whole on the way, so small ones need not be read again.
    whole: dict[str, bytes] = {}
    for entry in entries:
        if not entry.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        head, complete = _head(data, entry) if data is not None else (None, False)
        if head is None:
            try:
                with archive.open(entry) as stream:
                    head = stream.read(2048)
            except Exception as exc:  # noqa: BLE001 - zipfile raises zlib, struct, lzma errors too
                raise TimesheetError(
                    "Le classeur est abîmé (fichier incomplet ou corrompu).", "corrupt"
                ) from exc
        if complete:
            whole[entry.filename] = head
        else:
            whole.pop(entry.filename, None)
        upper = head.upper()
        if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper or _utf16_doctype(head):
            raise TimesheetError("Le classeur contient des éléments suspects.", "xml_suspicious")
    return whole


def _head(data: bytes, entry: zipfile.ZipInfo) -> tuple[bytes | None, bool]:
    """Return what ``archive.open(entry).read(2048)`` gives and whether that is the whole part.

    zipfile spends far more in its Python plumbing than zlib spends decompressing, for
    nine parts in every workbook. This replays its first read (same chunk sizes, same CRC
    check when the part ends) straight from the bytes; anything unusual returns None and
    zipfile itself reads the part, raising exactly as it always did.
    """
    if entry.header_offset < 0:
        return None, False
    try:
        header = _LOCAL_HEADER.unpack_from(data, entry.header_offset)
        name = data[entry.header_offset + 30:entry.header_offset + 30 + header[10]]
        name = name.decode("utf-8" if header[3] & 0x800 else "cp437")
        if header[0] != b"PK\x03\x04" or name != entry.orig_filename or entry.flag_bits & 0x61:
            return None, False
        start = entry.header_offset + 30 + header[10] + header[11]
        chunk = data[start:start + min(4096, entry.compress_size)]
        if len(chunk) != min(4096, entry.compress_size):
            return None, False
        if entry.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-15)
            out = inflater.decompress(chunk, 4096)
            end = inflater.eof or (entry.compress_size <= 4096 and not inflater.unconsumed_tail)
            out += inflater.flush() if end else b""
        elif entry.compress_type == zipfile.ZIP_STORED:
            out, end = chunk, entry.compress_size <= 4096
        else:
            return None, False
    except Exception:  # noqa: BLE001 - zipfile will raise its own error for this part
        return None, False
    out = out[:entry.file_size]
    end = end or len(out) >= entry.file_size
    if end and zlib.crc32(out) != entry.CRC:
        return None, False
    if len(out) >= 2048:
        return out[:2048], end and len(out) == 2048
    return (out, True) if end else (None, False)


def _utf16_doctype(head: bytes) -> bool:
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    text = head.decode("utf-16", errors="ignore").upper()
    return "<!DOCTYPE" in text or "<!ENTITY" in text
