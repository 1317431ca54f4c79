"""Time the FSE+ dossier ZIP against a plain ZIP_STORED write of the same ~50 MB of pieces.

Run: .venv/bin/python bench/bench_dossier_zip.py   (goal: ratio ≤ 1.5×)
"""

import gc
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

from app.domain.reports.dossier import DossierPiece, Target, TargetKind, build_dossier_zip

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


def plain_stored_zip(pieces: list[DossierPiece]) -> bytes:
    """Write the same pieces with zipfile's defaults, no compression, no manifest."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for piece in pieces:
            archive.writestr(piece.filename, piece.data)
    return buffer.getvalue()


def dossier_zip(pieces: list[DossierPiece]) -> bytes:
    """Write the dossier: stored office files, deflated text, manifest with SHA-256."""
    targets = [Target("Heures d'insertion", TargetKind.HOURS, Decimal(80_000), Decimal(71_250))]
    return build_dossier_zip(
        pieces,
        operation_title="Clauses d'insertion — banc d'essai",
        data_as_of=date(2026, 12, 31),
        indicators_vs_targets=targets,
    )


def timed_pair(pieces) -> tuple[list[float], list[float], int, int]:
    """Time both writers alternately, so load from other processes hits them alike."""
    plain_times, dossier_times, sizes = [], [], {}
    for _ in range(RUNS):
        for step, times in ((plain_stored_zip, plain_times), (dossier_zip, dossier_times)):
            gc.collect()
            start = time.perf_counter()
            sizes[step] = len(step(pieces))
            times.append(time.perf_counter() - start)
    return plain_times, dossier_times, sizes[plain_stored_zip], sizes[dossier_zip]


def main() -> int:
    pieces = synthetic_pieces()
    total = sum(len(p.data) for p in pieces)
    plain_times, dossier_times, baseline_size, dossier_size = timed_pair(pieces)
    baseline, dossier = statistics.median(plain_times), statistics.median(dossier_times)
    ratio = dossier / baseline
    print(
        f"pieces: {len(pieces)} files, {total / MB:.1f} MB; median of {RUNS} alternated runs; "
        f"{os.cpu_count()} CPU(s) (SHA-256 runs on a second thread beside the ZIP's CRC)"
    )
    print(f"plain zipfile ZIP_STORED : {baseline * 1000:7.1f} ms  -> {baseline_size / MB:.1f} MB")
    print(f"build_dossier_zip        : {dossier * 1000:7.1f} ms  -> {dossier_size / MB:.1f} MB")
    print(
        f"ratio dossier / plain    : {ratio:.2f}x (goal <= {GOAL}x) "
        f"{'OK' if ratio <= GOAL else 'ABOVE GOAL'}"
    )
    print(
        f"best runs                : {min(plain_times) * 1000:.1f} ms vs "
        f"{min(dossier_times) * 1000:.1f} ms ({min(dossier_times) / min(plain_times):.2f}x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
