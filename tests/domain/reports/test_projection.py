from datetime import date
from decimal import Decimal

import pytest

from app.domain.reports import (
    MissingSheet,
    cutoff_on,
    due_months,
    missing_sheets,
    months_between,
    project_hours,
)

START, END = date(2026, 1, 1), date(2026, 12, 31)  # 365 days


def monthly(*hours) -> dict[str, Decimal]:
    return {f"2026-{i:02d}": Decimal(h) for i, h in enumerate(hours, start=1)}


def test_project_hours_on_schedule_not_behind():
    # Cut-off 31 March: 90 of 365 days elapsed, 1 200 h × 90 / 365 = 295.89 h expected.
    projection = project_hours(Decimal(1200), monthly(100, 100, 100), START, END, date(2026, 4, 10))
    assert projection.done == Decimal(300)
    assert projection.remaining == Decimal(900)
    assert projection.pct == Decimal("0.25")
    assert projection.expected_by_now == Decimal("295.89")
    assert projection.projected_at_end == Decimal("1216.67")  # 300 × 365 / 90
    assert projection.is_behind is False
    assert projection.months_left == 9  # April to December


def test_project_hours_slow_pace_behind_and_projected_short():
    projection = project_hours(Decimal(1200), monthly(50, 50, 50), START, END, date(2026, 4, 10))
    assert projection.is_behind is True
    assert projection.projected_at_end == Decimal("608.33")


def test_project_hours_first_month_nothing_expected_yet():
    projection = project_hours(Decimal(1200), {}, START, END, date(2026, 1, 20))
    assert projection.expected_by_now == Decimal("0.00")
    assert projection.projected_at_end == Decimal("0.00")
    assert projection.is_behind is False
    assert projection.months_left == 12


def test_project_hours_before_start_counts_all_months_left():
    projection = project_hours(Decimal(1200), {}, START, END, date(2025, 11, 5))
    assert projection.months_left == 12 and projection.expected_by_now == 0


def test_project_hours_after_end_exceeded_no_remaining():
    done = monthly(*[110] * 12)
    projection = project_hours(Decimal(1200), done, START, END, date(2027, 2, 1))
    assert projection.done == Decimal(1320)
    assert projection.remaining == 0
    assert projection.pct == Decimal("1.1")
    assert projection.expected_by_now == Decimal("1200.00")
    assert projection.projected_at_end == Decimal("1320.00")
    assert projection.months_left == 0
    assert projection.is_behind is False


@pytest.mark.parametrize(
    ("required", "start_on", "end_on", "monthly_done", "message"),
    [
        (Decimal(0), START, END, {}, "positif"),
        (Decimal(10), END, START, {}, "antérieure"),
        (Decimal(10), START, END, {"2026-13": Decimal(1)}, "AAAA-MM"),
        (Decimal(10), START, END, {"03/2026": Decimal(1)}, "AAAA-MM"),
    ],
)
def test_project_hours_invalid_input_raises_french_message(
    required, start_on, end_on, monthly_done, message
):
    with pytest.raises(ValueError, match=message):
        project_hours(required, monthly_done, start_on, end_on, date(2026, 6, 1))


def test_cutoff_on_previous_month_last_day():
    assert cutoff_on(date(2026, 3, 1)) == date(2026, 2, 28)
    assert cutoff_on(date(2026, 1, 31)) == date(2025, 12, 31)


def test_months_between_crosses_year():
    assert months_between(date(2025, 11, 20), date(2026, 2, 3)) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 1, 15), []),
        (date(2026, 4, 2), ["2026-01", "2026-02", "2026-03"]),
        (date(2027, 3, 1), [f"2026-{m:02d}" for m in range(1, 13)]),
    ],
)
def test_due_months_until_previous_month_within_contract(today, expected):
    assert due_months(START, END, today) == expected


def test_missing_sheets_expected_not_received_sorted():
    expected = {"EI Bâtir": ["2026-01", "2026-02", "2026-03"], "ETTI Intérim+": ["2026-02"]}
    received = {"EI Bâtir": ["2026-02"], "AI Services": ["2026-01"]}
    assert missing_sheets(expected, received) == [
        MissingSheet("EI Bâtir", "2026-01"),
        MissingSheet("EI Bâtir", "2026-03"),
        MissingSheet("ETTI Intérim+", "2026-02"),
    ]


def test_missing_sheets_all_received_empty():
    assert missing_sheets({"EI Bâtir": ["2026-01"]}, {"EI Bâtir": {"2026-01", "2026-02"}}) == []
