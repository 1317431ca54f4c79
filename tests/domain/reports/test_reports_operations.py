from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.domain.enums import LegalInstrument
from app.domain.reports import OperationLine, build_operations_pdf, build_operations_xlsx

LINE = OperationLine(
    buyer="Conseil départemental du Pas-de-Calais",
    tender_reference="2026-014",
    tender_object="Entretien des espaces verts — collèges de l'Artois",
    lot="3",
    cpv="77310000-6",
    company="Jardins & Élagage",
    hours_required=Decimal("1200"),
    hours_done=Decimal("834.5"),
    clause_type=LegalInstrument.CLAUSE_EXECUTION,
    start_on=date(2026, 1, 5),
    end_on=date(2027, 6, 30),
)


@pytest.fixture
def lines() -> list[OperationLine]:
    return [
        LINE,
        replace(
            LINE,
            tender_reference="2026-015",
            lot="1",
            hours_required=Decimal("800"),
            hours_done=Decimal("812"),
            company="=cmd|' /C calc'!A0",
            start_on=None,
        ),
    ]


def pdf_text(data: bytes) -> list[str]:
    """Return each page's text, table-cell line breaks folded into spaces."""
    return [page.extract_text().replace("\n", " ") for page in PdfReader(BytesIO(data)).pages]


def test_build_operations_xlsx_typed_cells_and_totals(lines):
    ws = load_workbook(BytesIO(build_operations_xlsx(lines))).active
    header_row = next(c.row for c in ws["A"] if c.value == "Donneur d'ordre")
    header = [c.value for c in ws[header_row]]
    first, second, totals = (list(r) for r in ws.iter_rows(min_row=header_row + 1))
    col = header.index
    assert first[col("Heures prévues")].value == 1200
    assert first[col("Heures réalisées")].value == pytest.approx(834.5)
    assert first[col("Taux de réalisation")].value == pytest.approx(0.6954)
    assert first[col("Début")].value == datetime(2026, 1, 5)
    assert second[col("Début")].value is None
    assert (second[col("Entreprise")].data_type, second[col("Entreprise")].value) == (
        "s",
        "=cmd|' /C calc'!A0",
    )
    assert totals[0].value == "Total"
    assert totals[col("Heures prévues")].value == 2000
    assert totals[col("Heures réalisées")].value == pytest.approx(1646.5)
    assert totals[col("Taux de réalisation")].value == pytest.approx(0.8233)


def test_build_operations_pdf_text_has_accents_euro_and_totals(lines):
    title = "Liste des opérations clausées — budget 250 000 €"
    pages = pdf_text(build_operations_pdf(lines, title, issued_on=date(2026, 12, 31)))
    text = "\n".join(pages)
    assert "Liste des opérations clausées — budget 250 000 €" in text
    for expected in (
        "Conseil départemental du Pas-de-Calais",
        "Jardins & Élagage",
        "collèges",
        "05/01/2026",
        "30/06/2027",
        "Taux de",
        "Page 1 / 1",
    ):
        assert expected in text
    # Babel groups thousands with a narrow no-break space; the font must carry it. The
    # no-break space before "%" shares the space glyph, so extraction gives a plain space.
    assert "1\u202f200 834,50 70 %" in text
    assert "Total 2\u202f000 1\u202f646,50 82 %" in text


def test_build_operations_pdf_long_list_repeats_headings_on_each_page():
    many = [replace(LINE, tender_reference=f"2026-{i:03d}") for i in range(80)]
    pages = pdf_text(build_operations_pdf(many, "Opérations 2026", issued_on=date(2026, 12, 31)))
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert "Donneur d’ordre" in text and "Heures prévues" in text
        assert f"Page {number} / {len(pages)}" in text
    assert "2026-079" in pages[-1] and "Total" in pages[-1]


def test_build_operations_pdf_same_input_same_bytes(lines):
    first = build_operations_pdf(lines, "Opérations", issued_on=date(2026, 12, 31))
    assert first.startswith(b"%PDF-")
    assert first == build_operations_pdf(lines, "Opérations", issued_on=date(2026, 12, 31))
