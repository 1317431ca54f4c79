"""The bilan's context, its default template's contract and the charts put in place of markers."""

from dataclasses import replace
from io import BytesIO

from docx import Document

from app.domain.reports.indicators import compute_figures
from app.domain.reports.bilan import (
    CHART_MONTHLY,
    CHART_PROGRESS,
    bilan_charts,
    build_bilan_context,
    insert_charts,
    monthly_alt,
    summary_paragraphs,
)
from app.domain.reports.kinds import SAMPLE_BILAN
from app.domain.documents.rendering import TEMPLATES_DIR, docx_text, render_docx, template_variables


def test_bilan_template_variables_are_produced_and_documented():
    used = template_variables(TEMPLATES_DIR / "bilan.docx")
    context = build_bilan_context(SAMPLE_BILAN)
    assert used and used <= set(context), sorted(used - set(context))
    readme = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## bilan.docx")[1].split("\n## ")[0]
    assert not [v for v in context if f"`{v}`" not in section]


def test_bilan_summary_states_the_figures():
    text = " ".join(summary_paragraphs(SAMPLE_BILAN))
    assert "pour Ville de Lens, du 01/01/2026 au 30/09/2026" in text
    assert "412,50\u00a0heures d'insertion" in text and "1 personne(s) sont sorties" in text
    assert "420,50\u00a0heures à réaliser" in text
    everyone = " ".join(summary_paragraphs(replace(SAMPLE_BILAN, subject_kind="all", figures=compute_figures((), ()),
                                                         rows=())))
    assert "sur l'ensemble du territoire" in everyone and "il reste" not in everyone


def test_insert_charts_replaces_markers_with_described_pictures():
    rendered = render_docx(TEMPLATES_DIR / "bilan.docx", build_bilan_context(SAMPLE_BILAN))
    assert CHART_PROGRESS in docx_text(rendered)
    with_charts = insert_charts(rendered, bilan_charts(SAMPLE_BILAN))
    text = docx_text(with_charts)
    assert CHART_PROGRESS not in text and CHART_MONTHLY not in text and "juillet 2026" in text
    shapes = Document(BytesIO(with_charts)).inline_shapes
    assert [shape._inline.docPr.get("descr") for shape in shapes][1] == monthly_alt(SAMPLE_BILAN.monthly)
    assert insert_charts(rendered, {}) == rendered  # no marker found: the bytes are kept as they are


def test_monthly_alt_without_hours():
    assert monthly_alt([]) == "Aucune heure déclarée sur la période."
