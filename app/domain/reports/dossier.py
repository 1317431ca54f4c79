"""Assemble the FSE+ justification dossier: a deterministic ZIP of pieces with a manifest.

Pieces are written one at a time and only their manifest lines are kept, so a caller that
passes a generator and a file holds at most two pieces in memory (one being written, one
being hashed), however large the dossier.
"""

import csv
import hashlib
import io
import json
import posixpath
import zipfile
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import BinaryIO

from app.domain.reports.indicators import definitions_note
from app.domain.reports.targets import CATALOGUE, Proof, Target
from app.domain.documents.xlsx import csv_safe

# Formats that are already compressed: deflating them again costs time and saves nothing.
STORED_SUFFIXES = frozenset({".docx", ".xlsx", ".pdf", ".png", ".jpg", ".jpeg", ".zip", ".odt"})
INDICATORS_NAME = "indicateurs_vs_cibles.csv"
MANIFEST_CSV = "manifest.csv"
MANIFEST_JSON = "manifest.json"
RESERVED_NAMES = frozenset({INDICATORS_NAME, MANIFEST_CSV, MANIFEST_JSON})
# Level 3 packs text nearly as tightly as the default 6 in half the time (bench/).
DEFLATE_LEVEL = 3
# Regular file, rw-r--r--, recorded as made on Unix whatever machine builds the ZIP.
_FILE_ATTRIBUTES = 0o100644 << 16
_UNIX = 3


@dataclass(frozen=True)
class DossierPiece:
    """A file of the dossier, what it proves and the family of proof it belongs to.

    ``proof`` links the piece to every target whose catalogue entry lists that family
    (app.domain.reports.targets.CATALOGUE); ``target`` names a target explicitly instead.
    """

    filename: str
    data: bytes
    proves: str
    target: str | None = None
    proof: Proof | None = None


@dataclass(frozen=True)
class ManifestEntry:
    """A manifest line: the piece, its size and its SHA-256."""

    filename: str
    proves: str
    target: str | None
    size: int
    sha256: str
    is_stored: bool


def _check_name(name: str, seen: set[str]) -> None:
    if not name or "\\" in name or name.startswith("/") or ".." in name.split("/"):
        raise ValueError(f"Nom de pièce « {name} » invalide : chemin relatif attendu.")
    if name in RESERVED_NAMES:
        raise ValueError(f"Le nom « {name} » est réservé au sommaire du dossier.")
    if name in seen:
        raise ValueError(f"La pièce « {name} » figure deux fois dans le dossier.")
    seen.add(name)


def _fr_decimal(value: Decimal) -> str:
    """Write a Decimal the way French Excel reads it in a CSV (``87,5``)."""
    return f"{value.normalize():f}".replace(".", ",")


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    # From the exact quotient: rounding the 4-decimal ratio again would round twice.
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows([csv_safe(value) for value in row] for row in rows)
    # BOM so that Excel FR opens the file as UTF-8 and keeps the accents.
    return buffer.getvalue().encode("utf-8-sig")


def indicators_csv(targets: Sequence[Target]) -> bytes:
    """Return the targets-versus-achievements CSV (``;``, UTF-8 with BOM)."""
    header = ("Indicateur", "Type", "Public", "Du", "Au", "Cible", "Réalisé", "Taux de réalisation (%)",
              "Définition", "Pièces justificatives")
    rows = (
        (
            t.label,
            t.kind.label,
            t.breakdown.label if t.breakdown else "Tous",
            f"{t.starts_on:%d/%m/%Y}" if t.starts_on else "",
            f"{t.ends_on:%d/%m/%Y}" if t.ends_on else "",
            _fr_decimal(t.target),
            _fr_decimal(t.achieved),
            _fr_decimal(_percent(t.achieved, t.target)),
            t.definition,
            " ; ".join(t.pieces) or "Aucune pièce du dossier",
        )
        for t in targets
    )
    return _csv_bytes(header, rows)


def _entry(name: str, data: bytes, proves: str, target: str | None, is_stored: bool):
    digest = hashlib.sha256(data).hexdigest()
    return ManifestEntry(name, proves, target, len(data), digest, is_stored)


# From this size a piece is hashed on a second thread while the ZIP's CRC pass runs: hashlib
# and zlib both release the GIL on large buffers. Below it, handing the piece over costs more
# than hashing it here (measured in bench/bench_dossier.py).
PARALLEL_HASH_BYTES = 256 * 1024
# Text under this size is stored: deflating a few kilobytes costs a compressor set-up per
# entry and saves nothing a download would notice.
DEFLATE_FROM_BYTES = 64 * 1024


class _DossierWriter:
    """Write entries with fixed timestamps and collect their manifest lines."""

    def __init__(self, archive: zipfile.ZipFile, data_as_of: date) -> None:
        self.archive = archive
        # ZIP timestamps cannot predate 1980.
        self.date_time = (max(data_as_of.year, 1980), data_as_of.month, data_as_of.day, 0, 0, 0)
        self._entries: list[ManifestEntry] = []
        self._pending: Future[ManifestEntry] | None = None
        self._hasher: ThreadPoolExecutor | None = None

    def write(self, name: str, data: bytes, proves: str = "", target: str | None = None) -> None:
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        info.create_system = _UNIX
        info.external_attr = _FILE_ATTRIBUTES
        already_compressed = posixpath.splitext(name)[1].lower() in STORED_SUFFIXES
        deflate = not already_compressed and len(data) >= DEFLATE_FROM_BYTES
        info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
        level = DEFLATE_LEVEL if deflate else None
        if len(data) < PARALLEL_HASH_BYTES:
            self.entries()
            self._entries.append(_entry(name, data, proves, target, not deflate))
            self.archive.writestr(info, data, compresslevel=level)
            return
        if self._hasher is None:
            self._hasher = ThreadPoolExecutor(1, thread_name_prefix="dossier-sha256")
        future = self._hasher.submit(_entry, name, data, proves, target, not deflate)
        self.archive.writestr(info, data, compresslevel=level)
        # The hash may finish while the next piece is written: at most two pieces in memory.
        self.entries()
        self._pending = future

    def entries(self) -> list[ManifestEntry]:
        """Return the manifest lines of every entry written so far."""
        if self._pending is not None:
            self._entries.append(self._pending.result())
            self._pending = None
        return list(self._entries)

    def close(self) -> None:
        """Stop the hashing thread, if one was started."""
        if self._hasher is not None:
            self._hasher.shutdown()


def write_dossier_zip(
    out: BinaryIO,
    pieces: Iterable[DossierPiece],
    *,
    operation_title: str,
    data_as_of: date,
    indicators_vs_targets: Sequence[Target],
) -> list[ManifestEntry]:
    """Write the dossier ZIP to ``out``; return the manifest of the pieces written."""
    seen: set[str] = set()
    proven: dict[int, list[str]] = {index: [] for index in range(len(indicators_vs_targets))}
    by_proof = _targets_by_proof(indicators_vs_targets)
    with zipfile.ZipFile(out, "w") as archive:
        writer = _DossierWriter(archive, data_as_of)
        try:
            for piece in pieces:
                _check_name(piece.filename, seen)
                supported = (by_proof.get(piece.proof, []) if piece.proof is not None else
                             [i for i, t in enumerate(indicators_vs_targets) if piece.target and t.label == piece.target])
                for index in supported:
                    proven[index].append(piece.filename)
                labels = [indicators_vs_targets[index].label for index in supported]
                writer.write(piece.filename, piece.data, piece.proves,
                             " ; ".join(labels) or piece.target)
            # Each target with the names of the pieces that prove it, for the CSV and the JSON.
            indicators_vs_targets = [replace(target, pieces=tuple(proven[index]))
                                     for index, target in enumerate(indicators_vs_targets)]
            writer.write(
                INDICATORS_NAME,
                indicators_csv(indicators_vs_targets),
                f"Indicateurs réalisés comparés aux cibles de l'opération au {data_as_of:%d/%m/%Y}",
            )
            entries = writer.entries()
            writer.write(MANIFEST_CSV, _manifest_csv(entries))
            writer.write(
                MANIFEST_JSON,
                _manifest_json(entries, operation_title, data_as_of, indicators_vs_targets),
            )
        finally:
            writer.close()
    return entries


def _targets_by_proof(targets: Sequence[Target]) -> dict[Proof, list[int]]:
    """Return, for each family of proof, the indexes of the targets its pieces prove (a piece
    without a family names its target by label instead)."""
    found: dict[Proof, list[int]] = {}
    for index, target in enumerate(targets):
        for proof in CATALOGUE[target.kind].proofs:
            found.setdefault(proof, []).append(index)
    return found


def build_dossier_zip(
    pieces: Iterable[DossierPiece],
    *,
    operation_title: str,
    data_as_of: date,
    indicators_vs_targets: Sequence[Target],
) -> bytes:
    """Return the dossier ZIP as bytes (use write_dossier_zip to stream into a file)."""
    buffer = io.BytesIO()
    write_dossier_zip(
        buffer,
        pieces,
        operation_title=operation_title,
        data_as_of=data_as_of,
        indicators_vs_targets=indicators_vs_targets,
    )
    return buffer.getvalue()


def _manifest_csv(entries: Sequence[ManifestEntry]) -> bytes:
    header = ("Fichier", "Ce que la pièce prouve", "Cibles justifiées", "Taille (octets)", "SHA-256")
    rows = ((e.filename, e.proves, e.target or "", e.size, e.sha256) for e in entries)
    return _csv_bytes(header, rows)


def _manifest_json(
    entries: Sequence[ManifestEntry], title: str, data_as_of: date, targets: Sequence[Target]
) -> bytes:
    document = {
        "operation": title,
        "data_as_of": data_as_of.isoformat(),
        "pieces": [
            {
                "filename": e.filename,
                "proves": e.proves,
                "target": e.target,
                "size": e.size,
                "sha256": e.sha256,
                "compression": "stored" if e.is_stored else "deflated",
            }
            for e in entries
        ],
        # Decimals as strings: JSON numbers would go through binary floats.
        "indicators_vs_targets": [
            {
                "label": t.label,
                "kind": t.kind.value,
                "kind_label": t.kind.label,
                "breakdown": t.breakdown.value if t.breakdown else None,
                "starts_on": t.starts_on.isoformat() if t.starts_on else None,
                "ends_on": t.ends_on.isoformat() if t.ends_on else None,
                "target": str(t.target),
                "achieved": str(t.achieved),
                "pct": str(t.pct),
                "definition": t.definition,
                "pieces": list(t.pieces),
            }
            for t in targets
        ],
        "definitions": definitions_note(),
    }
    # One line: the C encoder is ten times faster than the indenting one; people read the CSV.
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
