"""The European emblem drawn within the project, and its block in DOCX and PDF documents."""

import io
from datetime import date

import pdfplumber
from docx import Document
from PIL import Image

from app.domain.documents.eu_emblem import (
    COFUNDED,
    EU_BLUE,
    EU_MARKER,
    EU_YELLOW,
    emblem_png,
    emblem_shapes,
    insert_eu_emblem,
)
from app.domain.documents.pdfdoc import ClausierPdf
from app.domain.documents.rendering import docx_text, render_docx


def test_emblem_geometry_follows_the_graphic_rules():
    (x, y, width, height), stars = emblem_shapes(0, 0, 90)
    assert (width, height) == (135, 90) and len(stars) == 12
    tops = [min(point[1] for point in star) for star in stars]
    centre_x = [sum(p[0] for p in star[::2]) / 5 for star in stars]
    assert abs(centre_x[0] - 67.5) < 1e-9 and abs(tops[0] - (45 - 30 - 5)) < 1e-9  # radius h/3, star h/18


def test_emblem_png_is_blue_with_yellow_stars():
    image = Image.open(io.BytesIO(emblem_png(120))).convert("RGB")
    assert image.size == (180, 120)
    assert image.getpixel((5, 5)) == EU_BLUE and image.getpixel((90, 60)) == EU_BLUE
    star = image.getpixel((90, 20))  # the star at twelve o'clock (centre 60 - 40), resampled
    assert all(abs(a - b) <= 8 for a, b in zip(star, EU_YELLOW))


def test_marker_paragraph_becomes_emblem_and_statement():
    document = Document()
    document.add_paragraph("{% if fse %}" + EU_MARKER + "{% endif %}")
    out = io.BytesIO()
    document.save(out)
    funded = render_docx(out.getvalue(), {"fse": True})
    assert COFUNDED in docx_text(funded) and EU_MARKER not in docx_text(funded)
    assert len(Document(io.BytesIO(funded)).inline_shapes) == 1
    plain = render_docx(out.getvalue(), {"fse": False})
    assert COFUNDED not in docx_text(plain) and insert_eu_emblem(plain) == plain


def test_pdf_eu_block_draws_the_flag_and_the_statement():
    pdf = ClausierPdf(title="Essai", issued_on=date(2026, 12, 1))
    pdf.eu_block(detail="Fonds social européen plus (FSE+)")
    with pdfplumber.open(io.BytesIO(pdf.to_bytes())) as document:
        page = document.pages[0]
        assert COFUNDED in page.extract_text()
        blue = [r for r in page.rects if r["width"] > 17 and abs(r["width"] / r["height"] - 1.5) < 0.01]
        assert blue and len(page.curves) + len(page.lines) + len(page.rects) >= 12
