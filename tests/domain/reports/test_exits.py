from datetime import date

import pytest

from app.domain.reports.exits import (
    ExitCategory,
    ExitClassificationError,
    ExitSituation,
    add_months,
    classify_exit,
    follow_up_due_on,
)

S = ExitSituation
DURABLE, TRANSITION, POSITIVE, OTHER = (
    ExitCategory.EMPLOI_DURABLE,
    ExitCategory.EMPLOI_TRANSITION,
    ExitCategory.SORTIE_POSITIVE,
    ExitCategory.AUTRE,
)
START = date(2026, 1, 1)
SIX_MONTHS = date(2026, 6, 30)  # 1 Jan → 30 Jun, both days worked: exactly 6 months
THREE_MONTHS = date(2026, 3, 31)  # 1 Jan → 31 Mar: exactly 3 months


def day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


@pytest.mark.parametrize(
    ("situation", "end_on", "is_subsidised", "expected"),
    [
        # Emploi durable
        (S.PERMANENT_CONTRACT, None, False, DURABLE),
        (S.PERMANENT_CONTRACT, None, True, DURABLE),  # CUI-CIE en CDI
        (S.FIXED_TERM_CONTRACT, SIX_MONTHS, False, DURABLE),
        (S.FIXED_TERM_CONTRACT, date(2027, 12, 31), False, DURABLE),
        (S.TEMPORARY_MISSION, SIX_MONTHS, False, DURABLE),
        (S.PROFESSIONALISATION_CONTRACT, date(2026, 2, 28), False, DURABLE),
        (S.PROFESSIONALISATION_CONTRACT, None, True, DURABLE),
        (S.APPRENTICESHIP, date(2026, 1, 31), False, DURABLE),
        (S.CIVIL_SERVICE, None, False, DURABLE),
        # Emploi de transition
        (S.FIXED_TERM_CONTRACT, day_before(SIX_MONTHS), False, TRANSITION),
        (S.FIXED_TERM_CONTRACT, THREE_MONTHS, False, TRANSITION),
        (S.TEMPORARY_MISSION, day_before(SIX_MONTHS), False, TRANSITION),
        (S.TEMPORARY_MISSION, THREE_MONTHS, False, TRANSITION),
        (S.FIXED_TERM_CONTRACT, THREE_MONTHS, True, TRANSITION),  # CUI-CIE, emploi franc
        (S.FIXED_TERM_CONTRACT, SIX_MONTHS, True, TRANSITION),
        (S.FIXED_TERM_CONTRACT, date(2027, 12, 31), True, TRANSITION),
        # Sortie positive
        (S.QUALIFYING_TRAINING, None, False, POSITIVE),
        (S.SIAE_HIRE, date(2026, 1, 15), False, POSITIVE),
        (S.SIAE_HIRE, None, True, POSITIVE),
        # Autre
        (S.FIXED_TERM_CONTRACT, day_before(THREE_MONTHS), False, OTHER),
        (S.FIXED_TERM_CONTRACT, day_before(THREE_MONTHS), True, OTHER),
        (S.TEMPORARY_MISSION, day_before(THREE_MONTHS), False, OTHER),
        (S.TEMPORARY_MISSION, START, False, OTHER),
        (S.NON_MARKET_SUBSIDISED_CONTRACT, date(2027, 12, 31), True, OTHER),
        (S.NON_QUALIFYING_TRAINING, None, False, OTHER),
        (S.JOB_SEEKER, None, False, OTHER),
        (S.OTHER, None, False, OTHER),
    ],
)
def test_classify_exit_definition_case_returns_category(situation, end_on, is_subsidised, expected):
    assert classify_exit(situation, START, end_on, is_subsidised) is expected


@pytest.mark.parametrize(
    ("start_on", "months", "exact_end"),
    [
        (date(2026, 3, 15), 6, date(2026, 9, 14)),
        (date(2026, 3, 15), 3, date(2026, 6, 14)),
        (date(2026, 11, 1), 3, date(2027, 1, 31)),  # across the year end
        (date(2026, 8, 31), 6, date(2027, 2, 27)),  # 31 Aug + 6 months clamps to 28 Feb
        (date(2027, 8, 31), 6, date(2028, 2, 28)),  # leap year: clamps to 29 Feb
    ],
)
def test_classify_exit_mid_month_boundaries_count_calendar_months(start_on, months, exact_end):
    reached = DURABLE if months == 6 else TRANSITION
    below = TRANSITION if months == 6 else OTHER
    assert classify_exit(S.FIXED_TERM_CONTRACT, start_on, exact_end, False) is reached
    assert classify_exit(S.FIXED_TERM_CONTRACT, start_on, day_before(exact_end), False) is below


@pytest.mark.parametrize("situation", [S.FIXED_TERM_CONTRACT, S.TEMPORARY_MISSION])
def test_classify_exit_fixed_term_without_end_raises_french_error(situation):
    with pytest.raises(ExitClassificationError, match="date de fin est nécessaire"):
        classify_exit(situation, START, None, False)


def test_classify_exit_end_before_start_raises():
    with pytest.raises(ExitClassificationError, match="antérieure"):
        classify_exit(S.FIXED_TERM_CONTRACT, START, date(2025, 12, 31), False)


def test_classify_exit_every_situation_has_a_category():
    for situation in ExitSituation:
        assert classify_exit(situation, START, date(2030, 1, 1), False) in ExitCategory


def test_exit_enums_labels_are_french():
    assert [c.label for c in ExitCategory] == [
        "Emploi durable",
        "Emploi de transition",
        "Sortie positive",
        "Autre",
    ]
    assert S.PERMANENT_CONTRACT == "permanent_contract"
    assert S.QUALIFYING_TRAINING.label == "Formation qualifiante"


@pytest.mark.parametrize(
    ("exit_on", "due_on"),
    [
        (date(2026, 3, 15), date(2026, 9, 15)),
        (date(2026, 8, 31), date(2027, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
        (date(2026, 12, 1), date(2027, 6, 1)),
    ],
)
def test_follow_up_due_on_exit_date_adds_six_calendar_months(exit_on, due_on):
    assert follow_up_due_on(exit_on) == due_on


def test_add_months_negative_goes_back_across_years():
    assert add_months(date(2026, 1, 31), -2) == date(2025, 11, 30)
