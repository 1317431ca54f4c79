"""Cells read as yes/no, months and hours, and written back so that reading them again gives the same value."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from app.domain.dataimport import read_value, written
from app.domain.dataimport.kinds import BOOL, HOURS, MONTH, Field

YES_NO = Field("flag", "QPV", BOOL)
MONTH_FIELD = Field("month_on", "Mois", MONTH)
HOURS_FIELD = Field("minutes", "Heures", HOURS)


@pytest.mark.parametrize(("raw", "value"), [
    ("Oui", True), ("X", True), ("x", True), (1, True), (True, True), ("non", False), ("NON", False), (0, False),
    (False, False), ("", None), (None, None),
])
def test_yes_no_cells(raw, value):
    assert read_value(YES_NO, raw) == (value, None)


def test_yes_no_refuses_what_is_neither():
    value, reason = read_value(YES_NO, "peut-être")
    assert value is None and reason == "QPV « peut-être » : répondez par oui ou non (ou laissez vide)."


@pytest.mark.parametrize("raw", ["mars 2024", "Mars 2024", "03/2024", "3/2024", "2024-03", "2024-03-01",
                                 "15/03/2024", date(2024, 3, 15), datetime(2024, 3, 1, 0, 0), "mars-24", 45366])
def test_months_in_every_usual_form(raw):
    assert read_value(MONTH_FIELD, raw) == (date(2024, 3, 1), None)


def test_month_not_understood_says_how_to_write_it():
    value, reason = read_value(MONTH_FIELD, "printemps")
    assert value is None and "mois non compris (exemples : mars 2024" in reason


@pytest.mark.parametrize(("raw", "minutes"), [
    (35, 2100), (7.5, 450), ("7,5", 450), ("7h30", 450), ("151,67", 9100), (Decimal("0.25"), 15), (0, 0),
])
def test_hours_read_as_minutes(raw, minutes):
    assert read_value(HOURS_FIELD, raw) == (minutes, None)


@pytest.mark.parametrize("raw", ["beaucoup", "-3", "CP", "99999", 1e27, "1e300"])
def test_hours_refused_with_a_reason(raw):
    value, reason = read_value(HOURS_FIELD, raw)
    assert value is None and reason.startswith("Heures « ") and ("non compris" in reason or "qu'un mois" in reason)


@pytest.mark.parametrize(("field", "value"), [
    (HOURS_FIELD, 450), (HOURS_FIELD, 9100), (MONTH_FIELD, date(2024, 3, 1)), (YES_NO, True), (YES_NO, False),
])
def test_written_values_read_back_the_same(field, value):
    assert read_value(field, written(field, value)) == (value, None)
