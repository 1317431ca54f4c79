"""The hours one job need brings: posts × weekly hours × contract length."""

from decimal import Decimal

import pytest

from app.domain.enums import ContractType
from app.domain.liaison.need_hours import contract_weeks, estimate_need_hours


@pytest.mark.parametrize(("text", "weeks"), [
    ("6 mois", Decimal(26)), ("3 mois", Decimal(13)), ("12 mois", Decimal(52)), ("12 semaines", Decimal(12)),
    ("1 semaine", Decimal(1)), ("8 sem.", Decimal(8)), ("1 an", Decimal(52)), ("2 ans", Decimal(104)),
    ("  6 MOIS ", Decimal(26)), ("1,5 mois", Decimal("6.5")),
])
def test_contract_weeks_reads_months_weeks_and_years(text, weeks):
    assert contract_weeks(text) == weeks


@pytest.mark.parametrize("text", ["", "Durée du chantier", "6 à 8 mois", "0 mois", "quinze jours", "mois"])
def test_contract_weeks_unreadable_length_is_none(text):
    assert contract_weeks(text) is None


@pytest.mark.parametrize(("posts", "weekly", "length", "expected"), [
    (2, Decimal(35), "6 mois", Decimal(1820)),
    (1, Decimal(35), "12 semaines", Decimal(420)),
    (1, Decimal(35), "3 mois", Decimal(455)),  # 35 × 13 weeks
    (1, Decimal(24), "4 mois", Decimal(416)),  # 24 × 17,33 weeks = 416
    (3, Decimal("37.5"), "2 mois", Decimal(975)),
    (1, Decimal(20), "1 mois", Decimal(87)),  # 86,67 rounded to the nearest hour
])
def test_estimate_need_hours_multiplies_posts_hours_and_weeks(posts, weekly, length, expected):
    assert estimate_need_hours(posts, weekly, length, ContractType.CDD) == expected


@pytest.mark.parametrize(("posts", "weekly", "length", "contract"), [
    (1, Decimal(35), "6 mois", ContractType.CDI),  # no end date, whatever the length says
    (1, None, "6 mois", ContractType.CDD),
    (1, Decimal(35), "", ContractType.CDD),
    (1, Decimal(35), "Durée du chantier", ContractType.CONTRAT_CHANTIER),
    (0, Decimal(35), "6 mois", ContractType.CDD),
    (1, Decimal(0), "6 mois", ContractType.CDD),
])
def test_estimate_need_hours_unknown_is_none(posts, weekly, length, contract):
    assert estimate_need_hours(posts, weekly, length, contract) is None


def test_estimate_need_hours_without_contract_type_uses_the_length():
    assert estimate_need_hours(1, Decimal(35), "6 mois") == Decimal(910)
