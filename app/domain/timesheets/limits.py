"""Size, page, row and time limits, and the zip checks done before any parser runs."""

import time
import zipfile
from dataclasses import dataclass

from app.domain.timesheets.model import TimesheetError

MB = 1024 * 1024
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


def check_zip(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse zip bombs and odd entries by reading the central directory only."""
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
    _refuse_doctypes(archive, entries)


def _refuse_doctypes(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    # Office and ODF parts never carry a DTD; one is how entity bombs and XXE start.
    for entry in entries:
        if not entry.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(entry) as stream:
                head = stream.read(2048)
        except Exception as exc:  # noqa: BLE001 - zipfile raises zlib, struct, lzma errors too
            raise TimesheetError(
                "Le classeur est abîmé (fichier incomplet ou corrompu).", "corrupt"
            ) from exc
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper() or _utf16_doctype(head):
            raise TimesheetError("Le classeur contient des éléments suspects.", "xml_suspicious")


def _utf16_doctype(head: bytes) -> bool:
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    text = head.decode("utf-16", errors="ignore").upper()
    return "<!DOCTYPE" in text or "<!ENTITY" in text
