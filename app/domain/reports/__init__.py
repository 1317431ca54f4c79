"""Follow-up and FSE+ reports: indicators, exits, tableau d'impact, lists, bilan, attendance, dossier."""

from app.domain.reports.common import AGE_BANDS, CRITERIA_COLUMNS, age_band, age_on
from app.domain.reports.fse import (
    CORRECTION_THRESHOLD,
    Completeness,
    FseParticipant,
    MissingFields,
    build_fse_participants_xlsx,
    completeness,
    correction_warning,
    missing_fields,
)
from app.domain.reports.fse_indicators import CommonIndicator, build_common_indicators_xlsx, common_indicators
from app.domain.reports.impact import IMPACT_SHEET, INDICATORS_SHEET, build_impact_xlsx
from app.domain.reports.impact_row import ImpactRow
from app.domain.reports.indicators import (
    DEFINITIONS,
    Figures,
    Indicators,
    LotFigure,
    compute_figures,
    compute_indicators,
    definitions_note,
    hours_remaining,
    indicator_lines,
)
from app.domain.reports.operations import OperationLine, build_operations_pdf, build_operations_xlsx
from app.domain.reports.projection import (
    MissingSheet,
    Projection,
    cutoff_on,
    due_months,
    missing_sheets,
    month_key,
    months_between,
    project_hours,
)

__all__ = [
    "AGE_BANDS",
    "CORRECTION_THRESHOLD",
    "CRITERIA_COLUMNS",
    "DEFINITIONS",
    "Figures",
    "LotFigure",
    "compute_figures",
    "definitions_note",
    "hours_remaining",
    "IMPACT_SHEET",
    "INDICATORS_SHEET",
    "CommonIndicator",
    "Completeness",
    "FseParticipant",
    "ImpactRow",
    "Indicators",
    "MissingFields",
    "MissingSheet",
    "OperationLine",
    "Projection",
    "age_band",
    "age_on",
    "build_common_indicators_xlsx",
    "build_fse_participants_xlsx",
    "build_impact_xlsx",
    "build_operations_pdf",
    "build_operations_xlsx",
    "common_indicators",
    "completeness",
    "compute_indicators",
    "correction_warning",
    "cutoff_on",
    "due_months",
    "indicator_lines",
    "missing_fields",
    "missing_sheets",
    "month_key",
    "months_between",
    "project_hours",
]
