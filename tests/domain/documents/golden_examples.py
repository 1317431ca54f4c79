"""One fixed example of every document kind, as PDF bytes, for the golden renders."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from app.domain.clauses.pack import render_clause_pack
from app.domain.clauses.request import parse_clause_input
from app.domain.documents.rendering import TEMPLATES_DIR, render_docx
from app.domain.liaison.convention import build_convention_context
from app.domain.liaison.fiche import build_fiche_context
from app.domain.reports.attendance import build_attendance_pdf
from app.domain.reports.targets import Target, TargetKind
from app.domain.reports.dossier_cover import build_dossier_cover_pdf
from app.domain.reports.bilan import bilan_charts, build_bilan_context, insert_charts
from app.domain.reports.kinds import SAMPLE_BILAN
from app.domain.reports.operations import build_operations_pdf
from app.pdf import convert_to_pdf
from tests.domain.clauses.test_clause_documents import tender_input
from tests.domain.liaison.test_fiche_convention_documents import FICHE, convention
from tests.domain.reports.test_attendance_pdf import FULL_DAY
from app.domain.reports import compute_figures
from tests.domain.reports.test_reports_operations import LOT

DAY = date(2026, 12, 1)


def clause_pack_docx() -> dict[str, bytes]:
    """The four clause documents of a fixed tender (dates fixed so the render never drifts)."""
    data = tender_input(tender={"reference": "2026-014", "object": "Groupe scolaire Gambetta", "cpv": "45262522-6",
                                "launch_date": "2026-11-02"})
    request = replace(parse_clause_input(data), generated_on=DAY)
    return {name.removesuffix(".docx"): content for name, content in render_clause_pack(request).items()}


def docx_examples() -> dict[str, bytes]:
    """Every DOCX document kind on its fixed example."""
    bilan = render_docx(TEMPLATES_DIR / "bilan.docx", build_bilan_context(SAMPLE_BILAN))
    return {
        **clause_pack_docx(),
        "fiche_liaison": render_docx(TEMPLATES_DIR / "fiche_liaison.docx",
                                     build_fiche_context(FICHE, organisation_name="PLIE de Lens-Liévin",
                                                         generated_on=DAY)),
        "convention": render_docx(TEMPLATES_DIR / "convention.docx",
                                  build_convention_context(convention(is_fse_funded=True,
                                                                      fse_operation="Clauses 2026"), DAY)),
        "bilan": insert_charts(bilan, bilan_charts(SAMPLE_BILAN)),
    }


def pdf_examples(with_docx: bool) -> dict[str, bytes]:
    """Every document kind as PDF; the DOCX kinds only when LibreOffice converts them."""
    pdfs = {
        "emargement": build_attendance_pdf(replace(FULL_DAY, starts_at=datetime(2026, 3, 3, 9, 0))),
        "page_de_garde": build_dossier_cover_pdf(
            operation_title="Clauses sociales d’insertion 2026", organisation_name="PLIE de Lens-Liévin",
            starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), data_as_of=DAY, is_fse_funded=True,
            operation_number="202601234",
            targets=[Target("Heures d’insertion", TargetKind.HOURS, Decimal(80_000), Decimal(61_250)),
                     Target("Marchés clausés", TargetKind.TENDERS, Decimal(90), Decimal(74))]),
        "liste_operations": build_operations_pdf(
            compute_figures([LOT, replace(LOT, lot_id=2, tender_id=2, tender_reference="2026-015", lot_number=1)], ()),
            "Liste des opérations clausées 2026", issued_on=DAY),
    }
    if with_docx:
        converted = convert_to_pdf({f"{name}.docx": data for name, data in docx_examples().items()})
        pdfs.update({name.removesuffix(".docx"): data for name, data in converted.items()})
    return pdfs
