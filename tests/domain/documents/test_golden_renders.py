"""Golden renders: every document kind's PDF, page by page, compared with tests/data/golden/.

Set CLAUSIER_UPDATE_GOLDEN=1 to rewrite the PNGs after a deliberate layout change, then look at
them before committing. DOCX kinds need LibreOffice; without it only the fpdf2 kinds run.
"""

import io
import os
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from app.domain.documents.rendering import docx_text
from app.pdf import pdf_available
from tests.domain.documents.golden_examples import docx_examples, pdf_examples
from tests.domain.documents.layout import layout_problems
from tests.domain.documents.readback import french_problems

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden"
UPDATE = os.environ.get("CLAUSIER_UPDATE_GOLDEN") == "1"
DPI = 50
# LibreOffice versions and font hinting move a few pixels: compare the mean, and the share of
# pixels that changed a lot.
MEAN_TOLERANCE = 0.015
CHANGED_TOLERANCE = 0.02
HAS_PDF = pdf_available()[0]
FPDF_KINDS = ["emargement", "liste_operations", "page_de_garde"]
DOCX_KINDS = ["ccap_article", "rc_mention", "ae_annex", "note_calcul", "fiche_liaison", "convention", "bilan"]


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return pdf_examples(with_docx=HAS_PDF)


def pages_png(pdf_bytes: bytes) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        return [page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def difference(actual: Image.Image, expected: Image.Image) -> tuple[float, float]:
    a = np.asarray(actual, dtype=np.int16)
    b = np.asarray(expected, dtype=np.int16)
    delta = np.abs(a - b)
    return float(delta.mean() / 255), float((delta > 64).mean())


def kinds():
    for kind in FPDF_KINDS:
        yield pytest.param(kind, id=kind)
    for kind in DOCX_KINDS:
        yield pytest.param(kind, id=kind, marks=pytest.mark.skipif(not HAS_PDF, reason="LibreOffice absent"))


@pytest.mark.parametrize("kind", list(kinds()))
def test_golden_render_matches(kind, pdfs):
    images = pages_png(pdfs[kind])
    if UPDATE:
        for old in GOLDEN.glob(f"{kind}-*.png"):
            old.unlink()
        for number, image in enumerate(images, start=1):
            image.save(GOLDEN / f"{kind}-{number}.png", optimize=True)
    expected = sorted(GOLDEN.glob(f"{kind}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    assert len(images) == len(expected), f"{kind}: {len(images)} pages, golden {len(expected)}"
    for number, (image, path) in enumerate(zip(images, expected), start=1):
        golden = Image.open(path)
        assert image.size == golden.size, f"{kind} page {number}"
        mean, changed = difference(image, golden)
        assert mean < MEAN_TOLERANCE and changed < CHANGED_TOLERANCE, \
            f"{kind} page {number}: mean {mean:.4f}, changed {changed:.4f}"


@pytest.mark.parametrize("kind", list(kinds()))
def test_pdf_layout_has_no_overflow_lone_signature_or_orphan_header(kind, pdfs):
    assert layout_problems(pdfs[kind]) == []


@pytest.mark.parametrize("kind", DOCX_KINDS)
def test_docx_kind_passes_the_french_readback(kind):
    assert french_problems(docx_text(docx_examples()[kind])) == []
