"""Check that bytes are a sane DOCX package before anything parses them (zip bombs, DTDs).

A DOCX is a ZIP of XML parts. An uploaded one may be truncated, another format renamed,
a decompression bomb, or carry DTD/entity tricks aimed at XML parsers; every check here
reads with explicit limits and parses XML through defusedxml.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

MAX_DOCX_BYTES = 10 * 1024 * 1024  # an upload larger than this is not a clause template
MAX_PART_BYTES = 20 * 1024 * 1024  # decompressed size of one part
MAX_TOTAL_BYTES = 60 * 1024 * 1024  # decompressed size of the whole package
MAX_ENTRIES = 1000
MAX_RATIO = 200  # compression ratio above which a large part is treated as a bomb
REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")


class DocxSafetyError(ValueError):
    """The bytes are not a DOCX Clausier accepts; the message is French."""


def _not_a_zip_reason(data: bytes) -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return ("Ce fichier est au format Word 97-2003 (.doc) : enregistrez-le au format "
                ".docx puis déposez-le à nouveau.")
    if data.startswith(b"%PDF"):
        return "Ce fichier est un PDF : un modèle doit être un document Word (.docx)."
    return "Ce fichier n'est pas un document Word (.docx) : ce n'est pas une archive ZIP valide."


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if len(data) > MAX_DOCX_BYTES:
        raise DocxSafetyError(
            f"Le fichier pèse {len(data) // 1024} Ko : la limite est de "
            f"{MAX_DOCX_BYTES // 1024 // 1024} Mo."
        )
    if not data:
        raise DocxSafetyError("Le fichier est vide.")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise DocxSafetyError(_not_a_zip_reason(data)) from None


def guard_docx_bytes(data: bytes) -> None:
    """Raise DocxSafetyError unless the ZIP directory looks like a reasonable DOCX."""
    with _open_zip(data) as archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise DocxSafetyError(
                f"L'archive contient {len(entries)} fichiers : c'est trop pour un modèle.")
        names = {info.filename for info in entries}
        missing = [part for part in REQUIRED_PARTS if part not in names]
        if missing:
            raise DocxSafetyError(
                "Ce fichier ZIP n'est pas un document Word (.docx) : il manque "
                + ", ".join(missing) + "."
            )
        total = 0
        for info in entries:
            if info.filename.startswith(("/", "\\")) or ".." in info.filename.split("/"):
                raise DocxSafetyError(f"Chemin suspect dans l'archive : {info.filename}.")
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_PART_BYTES or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
                raise DocxSafetyError(
                    f"La partie {info.filename} se décompresse en {info.file_size // 1024} Ko : "
                    "fichier refusé (bombe de décompression possible)."
                )
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise DocxSafetyError("Le document décompressé dépasse la taille autorisée.")


def inspect_docx(data: bytes) -> list[str]:
    """Return French problems found by reading every XML part with limits (empty: sane)."""
    try:
        guard_docx_bytes(data)
    except DocxSafetyError as exc:
        return [str(exc)]
    problems = []
    with _open_zip(data) as archive:
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                # The declared size can lie: read at most one byte past the limit.
                with archive.open(info) as handle:
                    blob = handle.read(MAX_PART_BYTES + 1)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
                problems.append(f"Archive corrompue : la partie {info.filename} est illisible ({exc}).")
                continue
            if len(blob) > MAX_PART_BYTES:
                problems.append(
                    f"La partie {info.filename} dépasse la taille autorisée une fois décompressée.")
                continue
            try:
                fromstring(blob, forbid_dtd=True, forbid_entities=True, forbid_external=True)
            except DefusedXmlException:
                problems.append(f"La partie {info.filename} contient une déclaration DTD ou "
                                "des entités XML : fichier refusé.")
            except ParseError as exc:
                problems.append(f"La partie {info.filename} n'est pas du XML valide ({exc}).")
    return problems
