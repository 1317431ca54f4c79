"""The dossier's cover page read back: the operation, its FSE+ number (or a line to fill), its targets."""

import io
from datetime import date
from decimal import Decimal

import pdfplumber

from app.domain.reports.targets import Target, TargetKind
from app.domain.reports.dossier_cover import build_dossier_cover_pdf
from tests.domain.documents.layout import layout_problems


def cover_text(**changes) -> str:
    arguments = dict(operation_title="Clauses sociales d’insertion 2026", organisation_name="PLIE de Lens-Liévin",
                     starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), data_as_of=date(2026, 12, 1),
                     targets=[Target("Heures d’insertion", TargetKind.HOURS, Decimal(80_000), Decimal(61_250))],
                     is_fse_funded=True)
    arguments.update(changes)
    data = build_dossier_cover_pdf(**arguments)
    assert layout_problems(data) == []
    with pdfplumber.open(io.BytesIO(data)) as document:
        assert len(document.pages) == 1
        return document.pages[0].extract_text()


def test_dossier_cover_prints_the_operation_number():
    text = cover_text(operation_number="202501234")
    assert "N° d’opération\u202f: 202501234" in text.replace(" :", "\u202f:")
    assert "Clauses sociales d’insertion 2026" in text


def test_dossier_cover_fse_operation_without_number_leaves_a_line():
    assert "N° d’opération\u202f: ……………………" in cover_text().replace(" :", "\u202f:")


def test_dossier_cover_outside_fse_without_number_prints_no_line():
    assert "N° d’opération" not in cover_text(is_fse_funded=False)
