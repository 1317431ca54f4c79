"""The European emblem with « Cofinancé par l'Union européenne », drawn within the project.

Geometry from the EU's graphic rules (« Le drapeau européen », Commission européenne):
a rectangle 1.5 times as wide as high, Reflex Blue; twelve Yellow five-pointed stars, one point
up, on an invisible circle whose radius is a third of the height; each star inscribed in a
circle of radius one eighteenth of the height. The emblem is public: nothing is downloaded.
The funding statement is written next to the emblem, in a plain font, never inside it.
"""

from __future__ import annotations

import functools
import io
import math
import zipfile

from docx import Document
from docx.shared import Cm
from PIL import Image, ImageDraw

EU_BLUE = (0, 51, 153)  # Reflex Blue, #003399
EU_YELLOW = (255, 204, 0)  # Yellow, #FFCC00
COFUNDED = "Cofinancé par l’Union européenne"
# Pentagram: inner radius / outer radius = sin 18° / sin 126°.
_INNER = math.sin(math.radians(18)) / math.sin(math.radians(126))


def star_points(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    """Return the ten corners of a five-pointed star, one point up (y grows downwards)."""
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * _INNER
        angle = math.radians(-90 + 36 * i)
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def emblem_shapes(x: float, y: float, height: float):
    """Return the blue rectangle (x, y, w, h) and the twelve star polygons of an emblem."""
    width = height * 1.5
    cx, cy = x + width / 2, y + height / 2
    stars = []
    for hour in range(12):  # stars where a clock face puts its hours
        angle = math.radians(-90 + 30 * hour)
        stars.append(star_points(cx + height / 3 * math.cos(angle), cy + height / 3 * math.sin(angle),
                                 height / 18))
    return (x, y, width, height), stars


@functools.lru_cache(maxsize=4)
def emblem_png(height_px: int = 240) -> bytes:
    """Return the emblem as a PNG (for DOCX documents), drawn at 4× then reduced for smooth edges."""
    scale = 4
    (x, y, width, height), stars = emblem_shapes(0, 0, height_px * scale)
    image = Image.new("RGB", (round(width), round(height)), EU_BLUE)
    draw = ImageDraw.Draw(image)
    for star in stars:
        draw.polygon(star, fill=EU_YELLOW)
    image = image.resize((round(width / scale), height_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# A template asks for the emblem with a paragraph holding only this marker (see templates_docs/README.md).
EU_MARKER = "[emblème UE]"


def insert_eu_emblem(docx_bytes: bytes, height_cm: float = 1.2) -> bytes:
    """Replace each paragraph holding only ``EU_MARKER`` with the emblem and the funding statement."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        if EU_MARKER.encode() not in archive.read("word/document.xml"):
            return docx_bytes
    document = Document(io.BytesIO(docx_bytes))
    for paragraph in document.paragraphs:
        if paragraph.text.strip() != EU_MARKER:
            continue
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        paragraph.add_run().add_picture(io.BytesIO(emblem_png()), height=Cm(height_cm))
        for doc_pr in paragraph._p.xpath(".//wp:docPr"):
            doc_pr.set("descr", "Emblème de l’Union européenne")
        statement = paragraph.add_run("  " + COFUNDED)
        statement.bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
