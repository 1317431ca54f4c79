"""Time a document's PDF through the resident LibreOffice against a cold one-shot LibreOffice.

Run: .venv/bin/python bench/bench_pdf.py [--rounds 7]
Same documents, same run: the sample bilan (templates_docs/bilan.docx rendered with the bilan
kind's sample values) and a generated ten-page text. Each round converts each document alone,
as a job does, once through the listener and once with CLAUSIER_PDF_WARM=0. Goal: the median
time per document through the listener ≤ 0.3 × the cold one. The listener's own start, paid once
per worker, is printed apart.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from docx import Document

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.domain.documents.kinds import sample_context  # noqa: E402
from app.domain.documents.rendering import render_docx  # noqa: E402
from app.domain.reports.kinds import REPORT_KINDS  # noqa: E402
from app.pdf import convert_to_pdf, listener, pdf_available  # noqa: E402

GOAL = 0.3


def documents() -> dict[str, bytes]:
    """Return the bilan sample and a generated ten-page text, as DOCX."""
    bilan = next(kind for kind in REPORT_KINDS if kind.key == "bilan")
    text = Document()
    for index in range(400):
        text.add_paragraph(f"Article {index} : les heures d'insertion réalisées par l'entreprise attributaire "
                           "sont justifiées chaque mois par les relevés transmis au facilitateur.")
    out = io.BytesIO()
    text.save(out)
    return {"bilan.docx": render_docx(bilan.template_path, sample_context(bilan)),
            "texte-10-pages.docx": out.getvalue()}


def time_one(name: str, data: bytes, profile: Path, warm: bool) -> float:
    os.environ["CLAUSIER_PDF_WARM"] = "1" if warm else "0"
    started = time.perf_counter()
    pdf = convert_to_pdf({name: data}, profile_dir=profile)[name]
    elapsed = time.perf_counter() - started
    assert pdf.startswith(b"%PDF"), name
    return elapsed


def main() -> int:
    """Print per-document medians and bests, warm against cold, and PASS or FAIL."""
    parser = argparse.ArgumentParser(description="Banc d'essai du LibreOffice résident.")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    available, reason = pdf_available()
    if not available or listener.uno_python() is None:
        print(f"Ignoré : {reason if not available else 'aucun Python ne peut importer uno (python3-uno)'}")
        return 0
    files = documents()
    with tempfile.TemporaryDirectory() as work:
        profile = Path(work) / "profil"
        # Both profiles created before timing; the listener's start is what a worker pays once.
        first = next(iter(files.items()))
        time_one(*first, profile, warm=False)
        start = time_one(*first, profile, warm=True)
        samples = {(name, warm): [] for name in files for warm in (True, False)}
        for _ in range(args.rounds):
            for name, data in files.items():
                for warm in (True, False):
                    samples[name, warm].append(time_one(name, data, profile, warm))
        listener.stop_listeners()
    print(f"PDF, un document par appel ({args.rounds} passages ; démarrage du résident, une fois : {start:.2f} s)")
    warm_total = cold_total = 0.0
    for name in files:
        warm, cold = samples[name, True], samples[name, False]
        warm_total, cold_total = warm_total + statistics.median(warm), cold_total + statistics.median(cold)
        print(f"  {name:<20} résident médiane {statistics.median(warm):.3f} s (meilleur {min(warm):.3f} s)   "
              f"à froid médiane {statistics.median(cold):.3f} s (meilleur {min(cold):.3f} s)   "
              f"ratio {statistics.median(warm) / statistics.median(cold):.2f}")
    ratio = warm_total / cold_total
    print(f"  par document : résident {warm_total / len(files):.3f} s, à froid {cold_total / len(files):.3f} s, "
          f"ratio {ratio:.2f} (objectif ≤ {GOAL})")
    print("PASS" if ratio <= GOAL else "FAIL")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
