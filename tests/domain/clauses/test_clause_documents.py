"""Clause pack documents: the four templates rendered, opened and read back (DOCX and PDF)."""

import io
import re

import pytest
from docx import Document

from app.domain.clauses.pack import (
    CLAUSE_PACK_DOCUMENTS,
    build_clause_context,
    render_clause_pack,
)
from app.domain.clauses.request import parse_clause_input
from app.domain.documents.rendering import docx_text
from app.domain.enums import LegalInstrument
from app.pdf import convert_to_pdf, pdf_available

TENDER_NAME = "Travaux & rénovation <bâtiment A> > phase 2"
PARTS = [
    "Objet et fondement juridique", "Volume d’heures d’insertion", "Publics éligibles",
    "Modalités de mise en œuvre", "Décompte des heures d’insertion", "Rôle du facilitateur",
    "Plan d’action au démarrage", "Suivi mensuel et contrôle", "Pénalités", "Dérogations au CCAG",
]


def tender_input(**overrides) -> dict:
    data = {
        "buyer": {"name": "Ville de Lens"},
        "tender": {"reference": "2026-014", "object": TENDER_NAME, "cpv": "45262522-6"},
        "instrument": "clause_execution",
        "article_number": "7",
        "facilitator": {"name": "Camille Martin", "organisation": "PLIE de Lens-Liévin",
                        "email": "camille.martin@plie.example.fr", "phone": "03 21 00 00 00"},
        "penalty_per_missing_hour": 200,
        "penalty_per_day_late": 75,
        "lots": [
            {"number": "1", "label": "Gros œuvre", "amount": "1 000 000", "labour_share": 50, "rate": 5,
             "hourly_cost": 30},
            {"number": "2", "label": "Maçonnerie", "amount": 1_620_000, "trade": "maconnerie", "rate": 5},
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture(scope="module")
def pack() -> dict[str, bytes]:
    return render_clause_pack(parse_clause_input(tender_input()))


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def hours_table(document):
    return next(t for t in document.tables if "Heures d’insertion" in [c.text for c in t.rows[0].cells])


def test_clause_pack_renders_the_four_documents(pack):
    assert sorted(pack) == sorted(f"{name}.docx" for name in CLAUSE_PACK_DOCUMENTS)
    for data in pack.values():
        assert open_docx(data).paragraphs  # python-docx can open each one


def test_ccap_article_has_the_ten_numbered_parts_in_order(pack):
    document = open_docx(pack["ccap_article.docx"])
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == [f"7.{number}. {title}" for number, title in enumerate(PARTS, 1)]


def test_ccap_article_hours_table_has_french_figures(pack):
    table = hours_table(open_docx(pack["ccap_article.docx"]))
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[1] == ["1", "Gros œuvre", "1\u202f000\u202f000,00\u00a0€", "833\u00a0heures", "0,52\u00a0ETP"]
    assert rows[2][:4] == ["2", "Maçonnerie", "1\u202f620\u202f000,00\u00a0€", "1\u202f350\u00a0heures"]
    assert rows[-1][0] == "Total" and rows[-1][3] == "2\u202f183\u00a0heures"


def test_ccap_article_states_facilitator_penalties_and_publics(pack):
    text = docx_text(pack["ccap_article.docx"])
    assert "Camille Martin (PLIE de Lens-Liévin), joignable au 03 21 00 00 00" in text
    assert "pénalité de 200,00\u00a0€ par heure d’insertion non réalisée" in text
    assert "pénalité de 75,00\u00a0€ par jour calendaire de retard" in text
    assert "Bénéficiaires du RSA" in text and "notification de la MDPH" in text
    assert "validée par le facilitateur avant sa prise de poste" in text
    assert "point 7.8" in text


@pytest.mark.parametrize("name", list(CLAUSE_PACK_DOCUMENTS))
def test_clause_documents_keep_special_characters_and_no_leftover_tags(pack, name):
    document = open_docx(pack[f"{name}.docx"])
    text = docx_text(pack[f"{name}.docx"])
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    assert TENDER_NAME in text
    assert header == "Ville de Lens – marché 2026-014"
    for leftover in ("{{", "{%", "}}", "%}"):
        assert leftover not in text and leftover not in header


def test_note_calcul_shows_inputs_sources_exact_and_rounded_results(pack):
    text = docx_text(pack["note_calcul.docx"])
    assert "Résultat non arrondi\u202f: 833,33\u00a0heures\u202f; arrondi à l’heure la plus proche" in text
    assert "833\u00a0heures, soit 0,52\u00a0ETP" in text
    assert "Maçonnerie – gros œuvre — mefsud77.fr" in text  # labour share looked up by trade
    assert "valeur par défaut au 1er janvier 2025" in text  # default hourly cost, dated
    assert "Montant consacré à l’insertion (× taux)" in text
    assert "1\u202f607\u00a0heures" in text


def test_rc_and_ae_carry_total_and_commitment(pack):
    rc = docx_text(pack["rc_mention.docx"])
    assert "Le volume minimal est de 2\u202f183\u00a0heures pour l’ensemble des lots." in rc
    assert "à l’article\u00a07 du CCAP" in rc
    ae = docx_text(pack["ae_annex.docx"])
    assert "m’engage à réaliser au minimum" in ae
    assert [c.text for c in hours_table(open_docx(pack["ae_annex.docx"])).rows[2].cells][2] == "1\u202f350\u00a0heures"


def test_reserved_market_article_says_lots_are_reserved():
    request = parse_clause_input(tender_input(instrument="reserve_siae"))
    context = build_clause_context(request)
    assert request.instrument is LegalInstrument.RESERVE_SIAE
    assert "les lots n°\u00a01 et 2 sont réservés aux structures d'insertion" in context["object_text"]
    text = docx_text(render_clause_pack(request)["ccap_article.docx"])
    assert "L2113-13" in text and "sont réservés" in text


def test_award_criterion_shows_weighting_and_subcriteria():
    criterion = {"weighting": 10, "subcriteria": [{"label": "Volume d'heures proposé", "weighting": 60},
                                                  {"label": "Accompagnement et formation", "weighting": 40}]}
    files = render_clause_pack(parse_clause_input(tender_input(instrument="execution_et_critere",
                                                               criterion=criterion)))
    ccap, rc = docx_text(files["ccap_article.docx"]), docx_text(files["rc_mention.docx"])
    assert "(pondération\u202f: 10\u00a0%)" in ccap
    assert "Volume d’heures proposé\u202f: 60\u00a0% de la note du critère" in ccap
    assert "Pondération du critère\u202f: 10\u00a0% de la note globale." in rc


def test_execution_clause_omits_criterion_section():
    rc = docx_text(render_clause_pack(parse_clause_input(tender_input()))["rc_mention.docx"])
    assert "Critère d’attribution" not in rc


def test_other_methods_render_rule_years_and_bands():
    lots = [
        {"number": "1", "label": "Entretien", "method": {"type": "tranche", "invoiced": 2_702_000,
                                                         "euros_per_hour": 2000, "threshold": 2_700_000,
                                                         "count": "excess"}},
        {"number": "2", "label": "Accord-cadre", "labour_share": 50, "rate": 5, "hourly_cost": 30,
         "method": {"type": "framework", "min_amount": 300_000, "max_amount": 1_200_000, "years": 4}},
        {"number": "3", "label": "Nettoyage", "method": {"type": "cleaning", "revenue": 600_000, "months": 36,
                                                         "transferred_hours_per_month": 500, "rate": 5}},
        {"number": "4", "label": "Barème", "amount": 150_000,
         "method": {"type": "bands", "bands": "0-99999:150,100000-199999:300,200000-:450"}},
    ]
    files = render_clause_pack(parse_clause_input(tender_input(lots=lots)))
    ccap, note = docx_text(files["ccap_article.docx"]), docx_text(files["note_calcul.docx"])
    assert "pour la seule part du montant facturé au-delà de 2\u202f700\u202f000,00\u00a0€ HT" in ccap
    assert "de 250\u00a0heures (montant minimum) à 1\u202f000\u00a0heures (montant maximum)" in ccap
    assert "proportionnel au montant des commandes" in ccap
    assert "Répartition annuelle de l’accord-cadre" in note
    assert "Heures de main-d’œuvre nouvelle" in note and "6\u202f000\u00a0heures" in note
    assert "Tranche retenue" in note


def _normalised(text: str) -> str:
    # PDF text comes back with plain spaces, line breaks after hyphens, and no check-box glyph.
    text = re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " ").replace("☐", ""))
    return re.sub(r"- ", "-", text).strip()


@pytest.mark.skipif(not pdf_available()[0], reason="LibreOffice absent : PDF non testé")
def test_clause_pack_pdf_has_the_same_text(pack):
    from pypdf import PdfReader

    pdfs = convert_to_pdf(pack)
    assert sorted(pdfs) == sorted(pack)
    for name, data in pdfs.items():
        assert data.startswith(b"%PDF")
        pdf_text = _normalised(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
        docx_lines = [_normalised(line) for line in docx_text(pack[name]).splitlines() if line.strip()]
        missing = [line for line in docx_lines if line not in pdf_text]
        assert not missing, f"{name}: {missing[:5]}"
        assert _normalised(TENDER_NAME) in pdf_text
    assert "1 350 heures" in _normalised(" ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdfs["ccap_article.docx"])).pages))
