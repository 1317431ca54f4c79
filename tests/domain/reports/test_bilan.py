"""The bilan's context, its default template's contract and the charts put in place of markers."""

from dataclasses import replace
from io import BytesIO

import pytest
from docx import Document

from app.domain.reports.indicators import compute_figures
from app.domain.enums import Criterion

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
    assert "412,5\u00a0heures d'insertion" in text and "Moins de 5 personnes sont sorties" in text
    internal = " ".join(summary_paragraphs(replace(SAMPLE_BILAN, subject_kind="all")))
    assert "1 personne est sortie du dispositif : 1 en emploi durable".replace(" ", " ") in internal
    assert "420,5\u00a0heures à réaliser" in text
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
    described = [shape._inline.docPr.get("descr") for shape in shapes]
    assert described[0] == "Emblème de l’Union européenne"  # the bilan of an FSE+ operation
    assert described[2] == monthly_alt(SAMPLE_BILAN.monthly)
    assert insert_charts(rendered, {}) == rendered  # no marker found: the bytes are kept as they are


def test_monthly_alt_without_hours():
    assert monthly_alt([]) == "Aucune heure déclarée sur la période."


def _criterion_rows(criterion, count):
    row = SAMPLE_BILAN.rows[0]
    return tuple(replace(row, participant_code=f"P{i}", criteria=frozenset({criterion})) for i in range(count))


@pytest.mark.parametrize("subject_kind", ["buyer", "company"])
def test_external_bilan_hides_health_criteria_and_masks_small_counts(subject_kind):
    rows = _criterion_rows(Criterion.RQTH, 1) + _criterion_rows(Criterion.BRSA, 7)
    context = build_bilan_context(replace(SAMPLE_BILAN, subject_kind=subject_kind, rows=rows))
    publics = {item["label"]: item["count"] for item in context["publics"]}
    assert "RQTH" not in publics and "AAH" not in publics
    assert publics["BRSA"] == "7" and publics["Senior"] == "0"
    text = docx_text(render_docx(TEMPLATES_DIR / "bilan.docx", context))
    assert "RQTH" not in text and "AAH" not in text


def test_internal_bilan_keeps_every_criterion_and_exact_counts():
    rows = _criterion_rows(Criterion.RQTH, 1)
    publics = {item["label"]: item["count"]
               for item in build_bilan_context(replace(SAMPLE_BILAN, subject_kind="all", rows=rows))["publics"]}
    assert publics["RQTH"] == "1"


def test_external_bilan_writes_small_counts_as_less_than_five():
    rows = _criterion_rows(Criterion.BRSA, 2)
    context = build_bilan_context(replace(SAMPLE_BILAN, subject_kind="company", rows=rows))
    assert {item["label"]: item["count"] for item in context["publics"]}["BRSA"] == "moins de 5"
    assert context["participants"] == "moins de 5"
