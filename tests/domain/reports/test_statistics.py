"""Aggregated statistics: small cells masked, a lone masked cell protected by a second one."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from app.domain.enums import ContractType, Criterion, Sex
from app.domain.reports.impact_row import ImpactRow
from app.domain.reports.statistics import MASK, StatCell, build_statistics, build_statistics_xlsx, mask_cells


def row(code: str, sex: Sex, criteria=frozenset({Criterion.BRSA}), hours="35") -> ImpactRow:
    return ImpactRow(buyer="Ville", tender_reference="T1", tender_object="Travaux", lot="1", cpv="", company_siret="",
                     company_name="Entreprise", modality=None, clause_type=None, participant_code=code,
                     last_name="DUPONT", first_name="Marie", sex=sex, birth_date=date(1990, 1, 1),
                     qualification_level="", contract_type=ContractType.CDI, entry_on=date(2026, 1, 1),
                     hours_done=Decimal(hours), criteria=frozenset(criteria))


def test_mask_cells_under_threshold_masked():
    cells = mask_cells([StatCell("A", 12, Decimal(1)), StatCell("B", 3, Decimal(1)), StatCell("C", 7, Decimal(1)),
                        StatCell("D", 2, Decimal(1))])
    assert [c.masked for c in cells] == [False, True, False, True]


def test_mask_cells_single_small_cell_triggers_secondary_suppression():
    cells = mask_cells([StatCell("A", 12, Decimal(1)), StatCell("B", 1, Decimal(1)), StatCell("C", 7, Decimal(1))])
    assert [c.masked for c in cells] == [False, True, True]


def test_mask_cells_threshold_boundary_five_is_shown():
    cells = mask_cells([StatCell("A", 5, Decimal(1)), StatCell("B", 4, Decimal(1)), StatCell("C", 6, Decimal(1))])
    # B (4) is under the threshold; A (5) is shown by the rule but masked so B cannot be deduced.
    assert [c.masked for c in cells] == [True, True, False]
    cells = mask_cells([StatCell("A", 5, Decimal(1)), StatCell("B", 6, Decimal(1))])
    assert [c.masked for c in cells] == [False, False]


def test_statistics_count_distinct_people_and_hours():
    rows = [row(f"P{i}", Sex.FEMME) for i in range(6)] + [row("P9", Sex.HOMME, {Criterion.RQTH})]
    by_title = {t.title: t for t in build_statistics(rows)}
    sexes = {c.label: c for c in by_title["Sexe"].cells}
    assert sexes["Femme"].people == 6 and sexes["Femme"].hours == Decimal(210)
    # One man: masked, and the women too, or the total would reveal him (secondary suppression).
    assert sexes["Homme"].masked and sexes["Femme"].masked
    criteria = {c.label: c for c in by_title["Critères d'éligibilité"].cells}
    assert criteria["Bénéficiaire du RSA"].people == 6


def test_statistics_xlsx_has_no_names_and_masks(tmp_path):
    rows = [row(f"P{i}", Sex.FEMME) for i in range(8)] + [row("P9", Sex.HOMME, {Criterion.RQTH})]
    data = build_statistics_xlsx(rows, title="Statistiques — PLIE", generated_on=date(2026, 11, 22))
    ws = load_workbook(BytesIO(data)).active
    values = [cell.value for line in ws.iter_rows() for cell in line if cell.value is not None]
    assert "DUPONT" not in values and "Marie" not in values and not any(str(v).startswith("P") and str(v)[1:].isdigit() for v in values)
    assert MASK in values
    texts = [str(v) for v in values]
    assert "Travailleur handicapé (RQTH)" in texts
    rqth_row = next(line for line in ws.iter_rows() if line[0].value == "Travailleur handicapé (RQTH)")
    assert rqth_row[1].value == MASK and rqth_row[2].value == MASK
