from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.domain.enums import LegalInstrument
from app.domain.reports import DEFINITIONS, LotFigure, build_operations_pdf, build_operations_xlsx, compute_figures

LOT = LotFigure(
    lot_id=1, tender_id=1, operation_id=None, buyer_id=1, company_id=1,
    buyer="Conseil départemental du Pas-de-Calais", tender_reference="2026-014",
    tender_object="Entretien des espaces verts — collèges de l'Artois", lot_number=3, cpv="77310000-6",
    company="Jardins & Élagage", required=Decimal("1200"), done=Decimal("834.5"),
    clause_type=LegalInstrument.CLAUSE_EXECUTION, starts_on=date(2026, 1, 5), ends_on=date(2027, 6, 30),
)


@pytest.fixture
def figures():
    surplus = replace(LOT, lot_id=2, tender_id=2, tender_reference="2026-015", lot_number=1,
                      required=Decimal("800"), done=Decimal("812"), company="=cmd|' /C calc'!A0", starts_on=None)
    return compute_figures([LOT, surplus], ())


def pdf_text(data: bytes) -> list[str]:
    """Return each page's text, table-cell line breaks folded into spaces."""
    return [page.extract_text().replace("\n", " ") for page in PdfReader(BytesIO(data)).pages]


def test_build_operations_xlsx_typed_cells_totals_and_definitions(figures):
    ws = load_workbook(BytesIO(build_operations_xlsx(figures))).active
    header_row = next(c.row for c in ws["A"] if c.value == "Acheteur")
    header = [c.value for c in ws[header_row]]
    first, second, totals = (list(r) for r in ws.iter_rows(min_row=header_row + 1))
    col = header.index
    assert first[col("Heures exigées")].value == 1200
    assert first[col("Heures réalisées")].value == pytest.approx(834.5)
    assert first[col("Restant à réaliser")].value == pytest.approx(365.5)
    assert first[col("Taux de réalisation")].value == pytest.approx(0.6954)
    assert first[col("Début")].value == datetime(2026, 1, 5)
    assert second[col("Début")].value is None
    assert (second[col("Entreprise")].data_type, second[col("Entreprise")].value) == ("s", "=cmd|' /C calc'!A0")
    assert totals[0].value == "Total"
    assert totals[col("Heures exigées")].value == 2000
    assert totals[col("Heures réalisées")].value == pytest.approx(1646.5)
    # The surplus of 12 h on 2026-015 does not offset the 365,5 h missing on 2026-014.
    assert totals[col("Restant à réaliser")].value == pytest.approx(365.5)
    notes = [c.value for c in ws["A"][:header_row]]
    assert "2 marchés clausés, 2 lots clausés" in notes
    assert DEFINITIONS["hours_remaining"] in notes


def test_build_operations_xlsx_accord_cadre_and_conditional_lot():
    framework = replace(LOT, required=Decimal(500), maximum=Decimal(1500), done=Decimal(200))
    tranche = replace(LOT, lot_id=2, lot_number=4, required=Decimal(300), is_conditional=True, done=Decimal(0))
    ws = load_workbook(BytesIO(build_operations_xlsx(compute_figures([framework, tranche], ())))).active
    header_row = next(c.row for c in ws["A"] if c.value == "Acheteur")
    header = [c.value for c in ws[header_row]]
    first, second, totals = (list(r) for r in ws.iter_rows(min_row=header_row + 1))
    col = header.index
    assert (first[col("Heures exigées")].value, first[col("Heures maximum (accord-cadre)")].value) == (500, 1500)
    assert second[col("Heures exigées")].value == "conditionnel"
    assert totals[col("Heures exigées")].value == 500
    assert totals[col("Heures maximum (accord-cadre)")].value == 1500
    assert totals[col("Restant à réaliser")].value == 300
    assert "1 marché clausé, 2 lots clausés" in [c.value for c in ws["A"][:header_row]]


def test_build_operations_pdf_text_has_accents_euro_and_totals(figures):
    title = "Liste des opérations clausées — budget 250 000 €"
    text = "\n".join(pdf_text(build_operations_pdf(figures, title, issued_on=date(2026, 12, 31))))
    assert "Liste des opérations clausées — budget 250 000 €" in text
    for expected in ("Conseil départemental du Pas-de-Calais", "Jardins & Élagage", "collèges", "05/01/2026",
                     "30/06/2027", "Taux de", "Page 1 / 1", "2 marchés clausés, 2 lots clausés"):
        assert expected in text
    # Babel groups thousands with a narrow no-break space; the font must carry it.
    assert "1\u202f200 834,50 365,50 70 %" in text
    assert "Total 2\u202f000 1\u202f646,50 365,50 82 %" in text


def test_build_operations_pdf_long_list_repeats_headings_on_each_page():
    many = [replace(LOT, lot_id=i, tender_id=i, tender_reference=f"2026-{i:03d}") for i in range(80)]
    pages = pdf_text(build_operations_pdf(compute_figures(many, ()), "Opérations 2026",
                                          issued_on=date(2026, 12, 31)))
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert "Acheteur" in text and "Heures exigées" in text
        assert f"Page {number} / {len(pages)}" in text
    assert "2026-079" in pages[-1] and "Total" in pages[-1]


def test_build_operations_pdf_same_input_same_bytes(figures):
    first = build_operations_pdf(figures, "Opérations", issued_on=date(2026, 12, 31))
    assert first.startswith(b"%PDF-")
    assert first == build_operations_pdf(figures, "Opérations", issued_on=date(2026, 12, 31))
