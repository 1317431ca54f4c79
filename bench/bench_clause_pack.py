"""Time the clause pack: cached DOCX rendering vs plain docxtpl, batch PDF vs one file at a time.

Run: .venv/bin/python bench/bench_clause_pack.py [--rounds 20]
Goals: cached render ≤ 0.8 × plain docxtpl (same template, same context); PDF time per
document through Clausier ≤ 1.3 × a bare LibreOffice batch conversion of the same files. The
one-process-per-document time is printed to show what batching saves.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docxtpl import DocxTemplate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.domain.clauses.pack import CLAUSE_PACK_DOCUMENTS  # noqa: E402
from app.domain.clauses.request import parse_clause_input  # noqa: E402
from app.domain.documents.rendering import TEMPLATES_DIR, render_docx  # noqa: E402
from app.pdf import convert_to_pdf, find_soffice, pdf_available  # noqa: E402

RENDER_GOAL = 0.8
PDF_GOAL = 1.3


def _median_seconds(function, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _plain_render(path: Path, context: dict) -> bytes:
    document = DocxTemplate(path)
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def bench_render(request, rounds: int) -> float:
    """Print render times per template and return the pack ratio (cached / plain)."""
    cached_total = plain_total = 0.0
    print("Rendu DOCX (médiane de", rounds, "passages, contexte identique) :")
    for name, build in CLAUSE_PACK_DOCUMENTS.items():
        path, context = TEMPLATES_DIR / f"{name}.docx", build(request)
        render_docx(path, context)  # warm the cache as a running worker would be
        cached = _median_seconds(lambda: render_docx(path, context), rounds)
        plain = _median_seconds(lambda: _plain_render(path, context), rounds)
        cached_total, plain_total = cached_total + cached, plain_total + plain
        print(f"  {name:<14} Clausier {cached * 1000:7.1f} ms   docxtpl seul {plain * 1000:7.1f} ms"
              f"   ratio {cached / plain:.2f}")
    ratio = cached_total / plain_total
    print(f"  dossier complet : {cached_total * 1000:.1f} ms contre {plain_total * 1000:.1f} ms, "
          f"ratio {ratio:.2f} (objectif ≤ {RENDER_GOAL})")
    return ratio


def _raw_batch(files: dict[str, bytes], profile: Path) -> float:
    """Convert the files with one bare soffice call (no Clausier code) and return its duration."""
    with tempfile.TemporaryDirectory() as work:
        paths = []
        for name, data in files.items():
            path = Path(work) / name
            path.write_bytes(data)
            paths.append(str(path))
        command = [find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(Path(work) / "pdf"), *paths]
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, timeout=300)
        return time.perf_counter() - started


def bench_pdf(request) -> float | None:
    """Print PDF times (Clausier batch vs a bare soffice batch, and one call per document)."""
    available, reason = pdf_available()
    if not available:
        print(f"PDF : partie ignorée — {reason}")
        return None
    files = {f"{name}.docx": render_docx(TEMPLATES_DIR / f"{name}.docx", build(request))
             for name, build in CLAUSE_PACK_DOCUMENTS.items()}
    count = len(files)
    with tempfile.TemporaryDirectory() as raw_profile:
        warm = {"chauffe.docx": next(iter(files.values()))}
        convert_to_pdf(warm)  # both profiles warm, as in a running worker
        _raw_batch(warm, Path(raw_profile))
        started = time.perf_counter()
        convert_to_pdf(files)
        ours = time.perf_counter() - started
        raw = _raw_batch(files, Path(raw_profile))
    started = time.perf_counter()
    for name, data in files.items():
        convert_to_pdf({name: data})
    one_by_one = time.perf_counter() - started
    ratio = (ours / count) / (raw / count)
    print(f"PDF ({count} documents) :")
    print(f"  Clausier, un appel groupé : {ours:.2f} s ({ours / count:.2f} s/document)")
    print(f"  soffice seul, un appel groupé : {raw:.2f} s ({raw / count:.2f} s/document)")
    print(f"  pour mémoire, un appel par document : {one_by_one:.2f} s ({one_by_one / count:.2f} s/document)")
    print(f"  ratio Clausier / soffice groupé, par document : {ratio:.2f} (objectif ≤ {PDF_GOAL})")
    return ratio


def main() -> int:
    """Run both benchmarks once and print the ratios against their goals."""
    parser = argparse.ArgumentParser(description="Banc d'essai du dossier de clause.")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    example = json.loads((ROOT / "docs" / "examples" / "tender.json").read_text(encoding="utf-8"))
    request = parse_clause_input(example)
    render_ratio = bench_render(request, args.rounds)
    pdf_ratio = bench_pdf(request)
    print("Résultat :", "rendu OK" if render_ratio <= RENDER_GOAL else "rendu AU-DESSUS de l'objectif",
          "/", "PDF ignoré" if pdf_ratio is None else
          ("PDF OK" if pdf_ratio <= PDF_GOAL else "PDF AU-DESSUS de l'objectif"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
