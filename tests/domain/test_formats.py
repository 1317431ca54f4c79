"""French formats at the edges: hours, counts, SIRET, periods, pre-filled inputs (exact code points)."""

from datetime import date
from decimal import Decimal

import pytest

from app.domain.formats import (format_count, format_hours, format_input_number, format_minutes, format_period,
                                format_siret, plural)

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize("value, kwargs, expected", [
    (1203, {}, f"1{NNBSP}203{NBSP}heures"),
    (Decimal("490.00"), {}, f"490{NBSP}heures"),
    (Decimal("233.33366666"), {}, f"233,33{NBSP}heures"),
    (Decimal("7.5"), {"short": True}, f"7,5{NBSP}h"),
    (Decimal("34851.99"), {"max_digits": 0}, f"34{NNBSP}852{NBSP}heures"),
    (0, {}, f"0{NBSP}heure"),
    (Decimal("1.5"), {}, f"1,5{NBSP}heure"),
    (Decimal("1.999"), {}, f"2{NBSP}heures"),
])
def test_format_hours_at_most_two_decimals_agreed(value, kwargs, expected):
    assert format_hours(value, **kwargs) == expected


def test_format_minutes_never_prints_h_00():
    assert format_minutes(72180) == f"1{NNBSP}203{NBSP}heures"
    assert format_minutes(72210, short=True) == f"1{NNBSP}203,5{NBSP}h"


@pytest.mark.parametrize("count, expected", [(0, "0\u00a0heure réalisée"), (1, "1\u00a0heure réalisée"),
                                             (2, "2\u00a0heures réalisées"), (1234, "1\u202f234\u00a0heures réalisées")])
def test_format_count_agrees_the_noun(count, expected):
    assert format_count(count, "heure réalisée", "heures réalisées") == expected
    assert plural(count, "lot") == ("lot" if count < 2 else "lots")


def test_format_siret_groups_as_documents_do():
    assert format_siret("12345678900012") == f"123{NBSP}456{NBSP}789{NBSP}00012"
    assert format_siret("123 456 789 00012") == f"123{NBSP}456{NBSP}789{NBSP}00012"
    assert format_siret("12") == "12" and format_siret(None) == ""


@pytest.mark.parametrize("start, end, expected", [
    (date(2026, 11, 7), date(2027, 3, 31), "du 07/11/2026 au 31/03/2027"),
    (date(2026, 11, 7), None, "depuis le 07/11/2026 (en cours)"),
    (None, date(2027, 3, 31), "jusqu’au 31/03/2027"),
])
def test_format_period_never_says_au_en_cours(start, end, expected):
    assert format_period(start, end) == expected


@pytest.mark.parametrize("value, money, expected", [
    (Decimal("350000.5"), True, "350 000,50"), (Decimal("350000"), True, "350 000"),
    (Decimal("35.00"), False, "35"), (Decimal("12.125"), False, "12,125"), (None, False, ""),
])
def test_format_input_number_is_french_and_posts_back(value, money, expected):
    from app.domain.numbers import parse_decimal_fr

    assert format_input_number(value, money=money) == expected
    if value is not None:
        assert parse_decimal_fr(expected) == value
