"""Edge cases of each figure's definition (DOMAIN.md §11, docs/indicators.md)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.domain.reports import LotFigure, compute_figures, hours_remaining
from app.domain.reports.indicators import exit_date

LOT = LotFigure(lot_id=1, tender_id=1, operation_id=None, buyer_id=1, company_id=1, required=Decimal(100),
                done=Decimal(0))


def lots(*specs):
    """Return lots from (tender id, required, done, globalised) tuples."""
    return [replace(LOT, lot_id=index, tender_id=tender, required=Decimal(required), done=Decimal(done),
                    is_globalised=globalised)
            for index, (tender, required, done, globalised) in enumerate(specs, start=1)]


@pytest.mark.parametrize(("specs", "remaining"), [
    # A surplus on one lot never offsets a shortfall on another…
    ([(1, 100, 150, False), (1, 105, 0, False)], 105),
    # …unless the tender's clause allows globalisation, and then only within that tender.
    ([(1, 100, 150, True), (1, 105, 0, True)], 55),
    ([(1, 100, 250, True), (1, 105, 0, True)], 0),
    ([(1, 100, 250, True), (2, 105, 0, True)], 105),
    ([(1, 100, 40, False), (2, 50, 60, False)], 60),
])
def test_hours_remaining_surplus_and_shortfall_with_and_without_globalisation(specs, remaining):
    assert hours_remaining(lots(*specs)) == remaining
    assert compute_figures(lots(*specs), ()).hours_remaining == remaining


def test_figures_accord_cadre_requires_minimum_and_shows_maximum_beside():
    framework = replace(LOT, required=Decimal(400), maximum=Decimal(1200), done=Decimal(450))
    figures = compute_figures([framework, replace(LOT, lot_id=2, done=Decimal(20))], ())
    assert figures.hours_required == 500
    assert figures.hours_max == 1200
    assert figures.hours_remaining == 80
    assert figures.lots_short == 1


def test_figures_tranche_below_threshold_is_conditional_then_due_above():
    waiting = replace(LOT, required=Decimal(300), is_conditional=True, done=Decimal(10))
    figures = compute_figures([waiting], ())
    assert (figures.hours_required, figures.hours_remaining, figures.conditional_lots) == (0, 0, 1)
    assert figures.conditional_hours == 300 and waiting.pct == 0
    reached = compute_figures([replace(waiting, is_conditional=False)], ())
    assert (reached.hours_required, reached.hours_remaining, reached.conditional_lots) == (300, 290, 0)


def test_lot_figure_multi_year_splits_required_by_days_and_done_by_month():
    lot = replace(LOT, required=Decimal(730), starts_on=date(2025, 7, 1), ends_on=date(2027, 6, 30),
                  monthly={"2025-11": Decimal(30), "2026-01": Decimal(50), "2026-02": Decimal("12.5")})
    split = lot.required_by_year()
    assert list(split) == [2025, 2026, 2027] and sum(split.values()) == 730
    assert split[2026] == 365
    assert lot.done_by_year == {2025: Decimal(30), 2026: Decimal("62.5")}


def test_figures_count_tenders_and_lots_separately_and_operations_by_programme():
    figures = compute_figures([
        replace(LOT, lot_id=1, tender_id=1, operation_id=7),
        replace(LOT, lot_id=2, tender_id=1, operation_id=7),
        replace(LOT, lot_id=3, tender_id=2, operation_id=7),
        replace(LOT, lot_id=4, tender_id=3, operation_id=None, buyer_id=2, company_id=None),
    ], ())
    assert (figures.tenders, figures.lots_count, figures.operations, figures.buyers) == (3, 4, 2, 2)


@pytest.mark.parametrize(("ends", "as_of", "expected"), [
    ([date(2026, 3, 31), None], date(2026, 12, 31), None),
    ([date(2026, 3, 31), date(2026, 6, 30)], date(2026, 12, 31), date(2026, 6, 30)),
    # An end date after the period's end is not an exit of the period.
    ([date(2027, 2, 28)], date(2026, 12, 31), None),
    ([], None, None),
])
def test_exit_date_only_once_every_placement_ended_by_period_end(ends, as_of, expected):
    assert exit_date(ends, as_of) == expected


def test_participants_leave_out_a_person_placed_without_hours():
    from tests.domain.reports.test_reports_impact import BASE

    placed = replace(BASE, participant_code="P-0009", hours_done=Decimal(0))
    indicators = compute_figures((), [BASE, placed]).people
    assert indicators.participants == 1
