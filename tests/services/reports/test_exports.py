"""Report rows read from the database: tableau d'impact, operations list, FSE+ participants.

Figures are cross-checked against the hour records; generated files are opened and their cells
checked for types and formula safety.
"""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader

from app.domain.enums import ContractType, Criterion
from app.domain.reports.exits import ExitCategory, ExitSituation
from app.domain.reports import (
    IMPACT_SHEET,
    INDICATORS_SHEET,
    build_fse_participants_xlsx,
    build_impact_xlsx,
    build_operations_pdf,
    build_operations_xlsx,
    completeness,
    compute_figures,
    compute_indicators,
)
from app.models import Placement
from app.services.reports import exits
from app.services.reports.figures import list_figures
from app.services.reports.exports import (
    ReportFilter,
    fse_participants,
    impact_rows,
    monthly_hours,
    total_minutes,
)
from tests.services.reports.followup_helpers import make_site, staff_scope


def year_filter(world, **kwargs) -> ReportFilter:
    return ReportFilter(world.a.organisation_id, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), **kwargs)


def test_impact_rows_one_per_participant_and_tender_hours_equal_records(session, world):
    site = make_site(session, world, lots=3, people=7, minutes=7 * 60 + 30, tag="IMP")
    flt = year_filter(world, tender_ids=(site.tender_id,))
    rows = impact_rows(session, flt)
    assert len(rows) == 7
    assert sum(row.hours_done for row in rows) == Decimal(site.minutes) / 60
    assert total_minutes(session, flt) == site.minutes
    assert {row.tender_reference for row in rows} == {"T-IMP"}
    first = next(row for row in rows if row.participant_code == "IMP-0000")
    assert first.criteria == frozenset({Criterion.BRSA}) and first.contract_type is ContractType.CDD
    assert first.training_hours == Decimal(3) and first.is_under_26


def test_impact_rows_merge_two_lots_of_one_tender_and_keep_the_exit(session, world):
    site = make_site(session, world, lots=2, people=1, tag="MERGE")
    first = session.get(Placement, site.placement_ids[0])
    second = Placement(organisation_id=first.organisation_id, participant_id=first.participant_id,
                       lot_id=site.lot_ids[1], company_id=first.company_id, modality=first.modality,
                       contract_type=ContractType.CDI, starts_on=date(2026, 6, 1))
    session.add(second)
    session.flush()
    exits.record_exit(session, staff_scope(world), first, {
        "exit_on": date(2026, 5, 31), "situation": ExitSituation.QUALIFYING_TRAINING.value,
        "situation_starts_on": date(2026, 6, 1), "situation_ends_on": date(2026, 12, 31)})
    rows = impact_rows(session, year_filter(world, tender_ids=(site.tender_id,)))
    assert len(rows) == 1
    row = rows[0]
    assert row.lot == "1, 2" and row.contract_type is ContractType.CDI  # the latest placement
    assert row.exit_on is None  # still on the second lot
    session.get(Placement, second.id).ends_on = date(2026, 9, 30)
    session.flush()
    row = impact_rows(session, year_filter(world, tender_ids=(site.tender_id,)))[0]
    assert row.exit_on == date(2026, 9, 30)


def test_impact_rows_exit_category_from_recorded_exit(session, world):
    site = make_site(session, world, lots=1, people=2, tag="EXITCAT")
    placement = session.get(Placement, site.placement_ids[0])
    exits.record_exit(session, staff_scope(world), placement, {
        "exit_on": date(2026, 5, 31), "situation": ExitSituation.PERMANENT_CONTRACT.value})
    rows = {row.participant_code: row for row in impact_rows(session, year_filter(world, tender_ids=(site.tender_id,)))}
    assert rows["EXITCAT-0000"].exit_category is ExitCategory.EMPLOI_DURABLE
    assert rows["EXITCAT-0000"].exit_on == date(2026, 5, 31)
    assert rows["EXITCAT-0001"].exit_category is None
    indicators = compute_indicators(rows.values())
    assert indicators.exits_by_category[ExitCategory.EMPLOI_DURABLE] == 1


def test_impact_rows_period_keeps_only_its_hours(session, world):
    site = make_site(session, world, lots=1, people=2, tag="PERIOD",
                     months=(date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)), minutes=600)
    rows = impact_rows(session, year_filter(world, tender_ids=(site.tender_id,)))
    assert sum(row.hours_done for row in rows) == Decimal(20)  # January only, two people
    everything = impact_rows(session, ReportFilter(world.a.organisation_id, tender_ids=(site.tender_id,)))
    assert sum(row.hours_done for row in everything) == Decimal(60)


def test_impact_rows_never_cross_organisations(session, world):
    rows = impact_rows(session, ReportFilter(world.b.organisation_id))
    assert rows and all("ORG-B" in row.buyer for row in rows)
    assert not any("ORG-B" in row.buyer for row in impact_rows(session, ReportFilter(world.a.organisation_id)))


def test_impact_xlsx_totals_equal_hour_records_and_cells_typed(session, world):
    site = make_site(session, world, lots=2, people=5, minutes=35 * 60 + 30, tag="XLSX",
                     last_names=("=HYPERLINK(\"http://x\")", "+33 6", "-moins", "@SUM(A1)", "Durand"))
    flt = year_filter(world, tender_ids=(site.tender_id,))
    rows = impact_rows(session, flt)
    data = build_impact_xlsx(rows, compute_figures((), rows), title="Test", generated_on=date(2026, 11, 22))
    wb = load_workbook(BytesIO(data))
    ws = wb[IMPACT_SHEET]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Acheteur")
    headers = [cell.value for cell in ws[header]]
    hours_col = headers.index("Heures réalisées") + 1
    total_row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == "Total")
    assert Decimal(str(ws.cell(total_row, hours_col).value)) == Decimal(total_minutes(session, flt)) / 60
    body = range(header + 1, total_row)
    assert all(isinstance(ws.cell(r, hours_col).value, (int, float)) for r in body)
    entry_col = headers.index("Date d'entrée") + 1
    assert all(isinstance(ws.cell(r, entry_col).value, datetime) for r in body)
    names = [ws.cell(r, headers.index("Nom") + 1) for r in body]
    assert {cell.value for cell in names} >= {"=HYPERLINK(\"http://x\")", "+33 6", "-moins", "@SUM(A1)"}
    assert all(cell.data_type == "s" for cell in names)  # text, never a formula
    assert wb[INDICATORS_SHEET].cell(1, 1).value.startswith("Indicateurs")


def test_impact_xlsx_pseudonymised_has_no_names(session, world):
    site = make_site(session, world, lots=1, people=2, tag="PSEUDO", last_names=("Zorglub",))
    rows = impact_rows(session, year_filter(world, tender_ids=(site.tender_id,)))
    data = build_impact_xlsx(rows, compute_figures((), rows), title="Test", generated_on=date(2026, 11, 22),
                             pseudonymise=True)
    values = {cell.value for row in load_workbook(BytesIO(data))[IMPACT_SHEET].iter_rows() for cell in row}
    assert "Zorglub" not in values and "PSEUDO-0000" in values


def test_operation_lines_cumulative_hours_and_files(session, world):
    site = make_site(session, world, lots=2, people=4, minutes=600, tag="OPS",
                     months=(date(2025, 12, 1), date(2026, 1, 1)))
    figures = list_figures(session, year_filter(world, tender_ids=(site.tender_id,)))
    assert [lot.lot_number for lot in figures.lots] == [1, 2]
    # From the start of the tender up to the end of the period: December 2025 counts too.
    assert figures.hours_done_to_date == Decimal(80)
    assert all(lot.required == 1000 and lot.company == "Bâtiment OPS" for lot in figures.lots)
    wb = load_workbook(BytesIO(build_operations_xlsx(figures, "Liste")))
    ws = wb.active
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert ["Total", *[""] * 8, 2000, "", 80, 1920, 0.04] in [[("" if v is None else v) for v in row] for row in values]
    assert "1 marché clausé, 2 lots clausés" in [row[0] for row in values]
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(build_operations_pdf(figures, "Liste"))).pages)
    assert "T-OPS" in text and "Bâtiment OPS" in text


def test_operation_lines_skip_tenders_outside_the_period(session, world):
    site = make_site(session, world, lots=1, people=1, tag="OLD", months=(date(2024, 3, 1),),
                     tender_dates=(date(2024, 1, 1), date(2024, 12, 31)))
    assert list_figures(session, year_filter(world, tender_ids=(site.tender_id,))).lots == ()
    assert len(list_figures(session, ReportFilter(world.a.organisation_id, tender_ids=(site.tender_id,))).lots) == 1


def test_fse_participants_one_per_person_completeness(session, world):
    site = make_site(session, world, lots=2, people=8, tag="FSE")
    records = fse_participants(session, year_filter(world, tender_ids=(site.tender_id,)), "Opération 2026")
    assert len(records) == 8 and {r.operation for r in records} == {"Opération 2026"}
    assert all(r.entry_on == date(2026, 3, 1) and r.exit_on is None for r in records)
    assert all(r.participant_id in site.participant_ids for r in records)
    result = completeness(records, date(2026, 11, 22))
    # No FSE+ record typed yet: labour status and education are missing for all; every fourth
    # person also has no phone nor e-mail.
    assert result.rate == 0 and {m.fields[-2:] for m in result.missing} == {
        ("Situation sur le marché du travail", "Niveau d'études")}
    assert sum("Téléphone ou e-mail" in m.fields for m in result.missing) == 2
    wb = load_workbook(BytesIO(build_fse_participants_xlsx(records, date(2026, 11, 22))))
    assert wb.active.cell(2, 2).value == 0


def test_monthly_hours_fill_the_period(session, world):
    site = make_site(session, world, lots=1, people=2, tag="MONTHS", minutes=60)
    months = monthly_hours(session, year_filter(world, tender_ids=(site.tender_id,)))
    assert len(months) == 12 and months[2] == ("2026-03", Decimal(2)) and months[0] == ("2026-01", Decimal(0))
