"""Page-layout checks on generated PDFs (pdfplumber): cells, signature blocks, table headers."""

import io

import pdfplumber


def layout_problems(pdf_bytes: bytes, *, signature_marker: str = "Signature", header_marker: str = "") -> list[str]:
    """Return the layout faults of a PDF: text wider than its cell, a lone signature block, an orphan header."""
    problems = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as document:
        for number, page in enumerate(document.pages, start=1):
            words = page.extract_words()
            for table in page.find_tables():
                for row in table.rows:
                    for cell in row.cells:
                        if cell is None:
                            continue
                        x0, top, x1, bottom = cell
                        inside = [w for w in words if w["top"] >= top - 0.5 and w["bottom"] <= bottom + 0.5
                                  and w["x0"] < x1 and w["x1"] > x0]
                        wide = [w["text"] for w in inside if w["x0"] < x0 - 0.5 or w["x1"] > x1 + 0.5]
                        if wide:
                            problems.append(f"page {number} : texte plus large que sa cellule : {wide}")
                if header_marker and len(table.rows) == 1 and header_marker in (page.extract_text() or ""):
                    problems.append(f"page {number} : en-tête de tableau sans ligne")
            text = page.extract_text() or ""
            body = [line for line in text.splitlines() if not line.startswith("Page ")]
            if number > 1 and signature_marker in text and len(body) <= 4:
                problems.append(f"page {number} : bloc de signature seul sur la page")
    return problems
