"""Dashboards: hours by lot and month, projection, alerts, indicators equal to the tableau d'impact,
and a number of SQL queries that does not grow with the data."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.access import Scope
from app.db import db
from app.domain.enums import HourSource, Role
from app.domain.reports import INDICATORS_SHEET, build_impact_xlsx, compute_indicators, indicator_lines
from app.models import HourRecord, Participant, Placement
from app.services.reports.dashboards import build_dashboard, missing_monthly_sheets, participant_followup
from app.services.reports.figures import scope_figures
from app.services.reports.exports import ReportFilter, impact_rows
from tests.services.reports.followup_helpers import TODAY, QueryCounter, make_site

QUERY_BOUND = 12


def test_dashboard_tender_figures_projection_and_months(session, world):
    site = make_site(session, world, lots=2, people=4, minutes=50 * 60, tag="DASH")
    dashboard = build_dashboard(session, ReportFilter(world.a.organisation_id, tender_ids=(site.tender_id,)),
                                title="T", today=TODAY)
    assert dashboard.required == 2000 and dashboard.done == 600  # 4 people × 3 months × 50 h
    assert dashboard.pct == Decimal("0.3") and dashboard.remaining == 1400
    assert dashboard.months == [("2026-03", 200), ("2026-04", 200), ("2026-05", 200)]
    lot = dashboard.lots[0]
    # 1 Jan 2026 → 31 Dec 2027; cut-off 31 Oct 2026: 304 days of 730, 1000 h × 304/730 expected.
    assert lot.projection.expected_by_now == Decimal("416.44")
    assert lot.is_behind and dashboard.behind == sorted(dashboard.lots, key=lambda l: l.done)
    assert lot.projection.projected_at_end == Decimal("720.39")


def test_dashboard_lot_without_dates_has_no_projection(session, world):
    site = make_site(session, world, lots=1, people=1, tag="NODATE", tender_dates=(None, None))
    dashboard = build_dashboard(session, ReportFilter(world.a.organisation_id, lot_id=site.lot_ids[0]),
                                title="T", today=TODAY)
    assert dashboard.lots[0].projection is None and not dashboard.behind
    assert dashboard.projected_at_end == dashboard.done


def test_dashboard_siae_counts_its_own_hours_only(session, world):
    site = make_site(session, world, lots=1, people=4, minutes=600, tag="SIAE")
    dashboard = build_dashboard(session, ReportFilter(world.a.organisation_id, siae_id=site.siae_id), title="S",
                                today=TODAY)
    assert not dashboard.has_requirement
    assert dashboard.done == 60  # the two people the SIAE employs, 3 months × 10 h
    assert dashboard.indicators.participants == 2


def test_missing_monthly_sheets_lists_structures_without_records(session, world):
    months = (date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1))
    site = make_site(session, world, lots=1, people=2, tag="MISS", months=months)
    # The company's person has no October record: its October sheet is missing.
    company_placement = session.get(Placement, site.placement_ids[0])
    session.query(HourRecord).filter(HourRecord.placement_id == company_placement.id,
                                     HourRecord.month_on == date(2026, 10, 1)).delete()
    session.flush()
    missing = missing_monthly_sheets(session, ReportFilter(world.a.organisation_id, tender_ids=(site.tender_id,)),
                                     TODAY)
    assert [(m.structure, m.month) for m in missing] == [("Bâtiment MISS", "2026-10")]


def test_dashboard_indicators_equal_the_impact_indicators_sheet(session, world):
    site = make_site(session, world, lots=2, people=6, tag="SAME")
    flt = ReportFilter(world.a.organisation_id, buyer_id=site.buyer_id)
    dashboard = build_dashboard(session, flt, title="B", today=TODAY)
    rows = impact_rows(session, flt)
    workbook = load_workbook(BytesIO(build_impact_xlsx(rows, scope_figures(session, flt, rows), title="B",
                                                       generated_on=TODAY)))
    sheet = workbook[INDICATORS_SHEET]
    start = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "Rubrique") + 1
    from_sheet = [(sheet.cell(r, 1).value, sheet.cell(r, 2).value, Decimal(str(sheet.cell(r, 3).value)))
                  for r in range(start, sheet.max_row + 1)]
    assert from_sheet == [(a, b, Decimal(c)) for a, b, c in indicator_lines(dashboard.figures)]
    assert dashboard.indicators.hours_done == dashboard.done
    assert dashboard.indicators.participants == 6 and dashboard.indicators.participants_brsa == 3


def test_participant_followup_hours_per_placement(session, world):
    site = make_site(session, world, lots=1, people=1, tag="FOLLOW", minutes=90)
    person_id = site.participant_ids[0]
    items = participant_followup(session, session.get(Participant, person_id))
    assert len(items) == 1 and items[0].hours == Decimal("4.50") and items[0].exit is None


def _count_dashboard_queries(world, flt: ReportFilter) -> int:
    scope = Scope(organisation_id=world.a.organisation_id, role=Role.FACILITATEUR)
    scoped = db.session(scope=scope)
    try:
        with QueryCounter() as counter:
            build_dashboard(scoped, flt, title="Q", today=TODAY)
        return counter.count
    finally:
        scoped.close()


@pytest.mark.parametrize("kind", ["tender", "buyer", "company", "siae", "all"])
def test_dashboard_queries_do_not_grow_with_data(session, world, kind):
    def flt(site):
        return ReportFilter(world.a.organisation_id, **{
            "tender": {"tender_ids": (site.tender_id,)}, "buyer": {"buyer_id": site.buyer_id},
            "company": {"company_id": site.company_id}, "siae": {"siae_id": site.siae_id}, "all": {}}[kind])

    small = make_site(session, world, lots=1, people=2, tag=f"Q1{kind}")
    session.commit()
    small_count = _count_dashboard_queries(world, flt(small))
    big = make_site(session, world, lots=12, people=60, tag=f"Q2{kind}",
                    months=tuple(date(2026, m, 1) for m in range(1, 11)))
    # More hour records of the same people: rows grow, queries must not.
    for placement_id in big.placement_ids[:10]:
        session.add(HourRecord(organisation_id=world.a.organisation_id, placement_id=placement_id,
                               month_on=date(2025, 12, 1), minutes=60, source=HourSource.SAISIE))
    # Implausible months (300 h in November) and settled second declarations: more alerts, same queries.
    for placement_id in big.placement_ids[:3]:
        session.add(HourRecord(organisation_id=world.a.organisation_id, placement_id=placement_id,
                               month_on=date(2026, 11, 1), minutes=300 * 60, source=HourSource.SAISIE))
        session.add(HourRecord(organisation_id=world.a.organisation_id, placement_id=placement_id,
                               month_on=date(2026, 11, 1), minutes=120 * 60, source=HourSource.SAISIE,
                               is_counted=False, count_note="Compté une seule fois"))
    session.commit()
    big_count = _count_dashboard_queries(world, flt(big))
    assert small_count == big_count <= QUERY_BOUND, (small_count, big_count)
