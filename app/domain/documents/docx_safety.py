"""Check that bytes are a sane DOCX package before anything parses them (zip bombs, DTDs).

A DOCX is a ZIP of XML parts. An uploaded one may be truncated, another format renamed,
a decompression bomb, or carry DTD/entity tricks aimed at XML parsers; every check here
reads with explicit limits and parses XML through defusedxml.
"""

from __future__ import annotations

import io
import re
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
# A relationship LibreOffice resolves itself when it converts the document: a linked image, an
# attached template, a sub-document, a frame, an OLE link. Pointed at http://127.0.0.1:… or
# file:///etc/…, it fetched the target and embedded it in the PDF a user downloads (issue #12,
# 2026-12). Hyperlinks stay: they are only followed by a reader who clicks them.
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b[^>]*?(?:/>|>\s*</(?:[\w.-]+:)?Relationship>)", re.S)
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_FETCHING_FIELD = re.compile(r"\b(INCLUDEPICTURE|INCLUDETEXT|LINK|DDEAUTO|DDE|IMPORT)\b", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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
                root = fromstring(blob, forbid_dtd=True, forbid_entities=True, forbid_external=True)
            except DefusedXmlException:
                problems.append(f"La partie {info.filename} contient une déclaration DTD ou "
                                "des entités XML : fichier refusé.")
            except ParseError as exc:
                problems.append(f"La partie {info.filename} n'est pas du XML valide ({exc}).")
            else:
                problems += _outside_references(info.filename, blob, root)
    return problems


def _outside_references(name: str, blob: bytes, root) -> list[str]:
    """Return the problems of a part that makes LibreOffice fetch something outside the file."""
    if name.endswith(".rels"):
        targets = [target for match in _RELATIONSHIP.finditer(blob)
                   if (target := _outside_target(match.group(0))) is not None]
        if targets:
            shown = ", ".join(f"« {target[:80]} »" for target in targets[:3])
            return [f"Le modèle renvoie vers des fichiers ou des adresses extérieurs ({shown}) : image liée, "
                    "modèle attaché, sous-document ou cadre. Insérez les images dans le document au lieu de "
                    "les lier (Insertion → Image, sans « Lier au fichier ») et retirez les liens vers d'autres "
                    "fichiers."]
        return []
    codes = [element.text or "" for element in root.iter(f"{_W}instrText")]
    codes += [element.get(f"{_W}instr", "") for element in root.iter(f"{_W}fldSimple")]
    # A field code may be split over several runs (« INCLUDE » + « PICTURE »): read both joins.
    field = _FETCHING_FIELD.search("".join(codes)) or _FETCHING_FIELD.search(" ".join(codes))
    if field:
        return [f"Le modèle contient un champ {field.group(1).upper()} qui irait chercher un fichier ou une "
                "adresse extérieurs : supprimez ce champ (Alt+F9 dans Word montre les codes de champ)."]
    return []


def _outside_target(element: bytes) -> str | None:
    """Return the target of a relationship that points outside the package (hyperlinks apart)."""
    attributes = {key.split(b":")[-1]: (double or single) for key, double, single in _ATTRIBUTE.findall(element)}
    kind, target = attributes.get(b"Type", b""), attributes.get(b"Target", b"")
    if kind.endswith(b"/hyperlink"):
        return None
    outside = (attributes.get(b"TargetMode", b"").lower() == b"external" or b":" in target
               or target.startswith((b"//", b"\\\\")))
    return target.decode("utf-8", "replace") if outside else None


def strip_outside_references(docx_bytes: bytes) -> bytes:
    """Return the DOCX without the relationships that point outside it (hyperlinks kept).

    Run on every document before LibreOffice converts it: templates stored before the upload
    check existed may still hold such links. A DOCX with none is returned as it is.
    """
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        infos = archive.infolist()
        parts = {info.filename: archive.read(info) for info in infos}
    cleaned = {}
    for name, blob in parts.items():
        if name.endswith(".rels"):
            kept = _RELATIONSHIP.sub(lambda match: b"" if _outside_target(match.group(0)) is not None
                                     else match.group(0), blob)
            if kept != blob:
                cleaned[name] = kept
    if not cleaned:
        return docx_bytes
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in infos:
            target.writestr(info, cleaned.get(info.filename, parts[info.filename]))
    return out.getvalue()
