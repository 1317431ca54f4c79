"""Time the FSE+ dossier ZIP against a plain ZIP_STORED write of the same ~50 MB of pieces that
also computes each piece's SHA-256 on the same thread (the manifest requires it: no dossier writer
does less). The plain ZIP without hashing is printed beside it.

Run: .venv/bin/python bench/bench_dossier_zip.py   (goal: median ratio ≤ 1.5×)
"""

import gc
import hashlib
import io
import os
import random
import statistics
import sys
import time
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.reports.dossier import DossierPiece, build_dossier_zip
from app.domain.reports.targets import Target, TargetKind

GOAL = 1.5
RUNS = 11
MB = 1024 * 1024


def synthetic_pieces() -> list[DossierPiece]:
    """Return ~50 MB of pieces shaped like a real dossier: mostly compressed office files."""
    rng = random.Random(2026)  # fixed seed: every run times the same bytes
    pieces = []
    # Office files and images are already compressed: random bytes stand in for them.
    for name, count, size in (
        ("tableau_impact", 6, 4 * MB),
        ("bilan", 8, 1 * MB),
        ("convention", 10, int(0.8 * MB)),
        ("emargement", 10, MB // 4),
    ):
        suffix = {"tableau_impact": "xlsx", "bilan": "docx"}.get(name, "pdf")
        for i in range(count):
            pieces.append(
                DossierPiece(
                    f"{name}_{i:02d}.{suffix}",
                    rng.randbytes(size),
                    f"Pièce {name} n° {i}",
                    "80 000 heures",
                )
            )
    pieces.append(DossierPiece("graphique_heures.png", rng.randbytes(2 * MB), "Heures par mois"))
    lines = "".join(
        f"P{i:05d};Dupont;Jeanne;2026-03-{i % 28 + 1:02d};{i % 40},5\n" for i in range(60_000)
    )
    pieces.append(DossierPiece("extraction_heures.csv", lines.encode(), "Extraction des heures"))
    return pieces


def plain_stored_zip(pieces: list[DossierPiece], hashed: bool = True) -> bytes:
    """Write the same pieces with zipfile's defaults, no compression, no manifest; hash each one
    (SHA-256, as the manifest needs) unless told not to."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for piece in pieces:
            if hashed:
                hashlib.sha256(piece.data).hexdigest()
            archive.writestr(piece.filename, piece.data)
    return buffer.getvalue()


def unhashed_zip(pieces: list[DossierPiece]) -> bytes:
    """Write the plain ZIP without hashing: the floor of the ZIP alone."""
    return plain_stored_zip(pieces, hashed=False)


def dossier_zip(pieces: list[DossierPiece]) -> bytes:
    """Write the dossier: stored office files, deflated text, manifest with SHA-256."""
    targets = [Target("Heures d'insertion", TargetKind.HOURS, Decimal(80_000), Decimal(71_250))]
    return build_dossier_zip(
        pieces,
        operation_title="Clauses d'insertion — banc d'essai",
        data_as_of=date(2026, 12, 31),
        indicators_vs_targets=targets,
    )


def timed(pieces) -> tuple[dict, dict]:
    """Time the three writers alternately, so load from other processes hits them alike."""
    steps = (plain_stored_zip, unhashed_zip, dossier_zip)
    times: dict = {step: [] for step in steps}
    sizes: dict = {}
    for _ in range(RUNS):
        for step in steps:
            gc.collect()
            start = time.perf_counter()
            sizes[step] = len(step(pieces))
            times[step].append(time.perf_counter() - start)
    return times, sizes


def main() -> int:
    pieces = synthetic_pieces()
    total = sum(len(p.data) for p in pieces)
    times, sizes = timed(pieces)
    median = {step: statistics.median(values) for step, values in times.items()}
    best = {step: min(values) for step, values in times.items()}
    ratio = median[dossier_zip] / median[plain_stored_zip]
    print(
        f"pieces: {len(pieces)} files, {total / MB:.1f} MB; {RUNS} alternated runs; "
        f"{os.cpu_count()} CPU(s) (the dossier hashes on a second thread beside the ZIP's CRC)"
    )
    for label, step in (("plain ZIP_STORED + SHA-256", plain_stored_zip), ("plain ZIP_STORED          ", unhashed_zip),
                        ("build_dossier_zip         ", dossier_zip)):
        print(f"{label} : median {median[step] * 1000:7.1f} ms, best {best[step] * 1000:7.1f} ms "
              f"-> {sizes[step] / MB:.1f} MB")
    print(
        f"ratio dossier / plain + SHA-256 : {ratio:.2f}x (best runs "
        f"{best[dossier_zip] / best[plain_stored_zip]:.2f}x) goal <= {GOAL}x {'OK' if ratio <= GOAL else 'ABOVE GOAL'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
