"""The four DECP checks at their boundaries: threshold, obligation date, kind of contract and buyer."""

from datetime import date
from decimal import Decimal

import pytest

from app.domain.decp import (
    CLAUSABLE_NOT_FOLLOWED,
    CLAUSE_NOT_DECLARED,
    DECLARED_CLAUSE_UNKNOWN,
    THRESHOLD_WITHOUT_SOCIAL_CONDITION,
    ClausableRule,
    DecpContract,
    KnownTender,
    check_contracts,
    date_warnings,
)
from app.domain.decp.checks import check_contract
from app.domain.decp.reference import BUYER_CENTRAL, BUYER_OTHER, BUYER_UTILITIES, threshold_for

OBLIGATION = date(2026, 8, 22)
DAY_BEFORE = date(2026, 8, 21)
RULES = (ClausableRule("45", Decimal(200_000), "Travaux"), ClausableRule("4531", Decimal(300_000), "Électricité"))


def _contract(amount, *, cpv="79710000", notified=OBLIGATION, social=("Pas de considération sociale",),
              kind="marche", nature="Marché") -> DecpContract:
    return DecpContract("21590350100017", "M-1", 0, kind, nature=nature, cpv=cpv, amount=Decimal(amount),
                        notified_on=notified, social=social)


def _codes(contract, **kwargs) -> list[str]:
    return [flag.code for flag in check_contract(contract, **kwargs)]


@pytest.mark.parametrize("amount, cpv, kind, nature, buyer, flagged", [
    # supplies and services, other buyers (local authorities): 216 000 €
    (216_000, "79710000", "marche", "Marché", BUYER_OTHER, True),
    (215_999, "79710000", "marche", "Marché", BUYER_OTHER, False),
    # supplies and services, central State: 140 000 €
    (140_000, "30192000", "marche", "Marché", BUYER_CENTRAL, True),
    (139_999, "30192000", "marche", "Marché", BUYER_CENTRAL, False),
    # utilities and defence: 432 000 €
    (432_000, "79710000", "marche", "Marché", BUYER_UTILITIES, True),
    (431_999, "79710000", "marche", "Marché", BUYER_UTILITIES, False),
    (432_000, "35000000", "marche", "Marché de défense ou de sécurité", BUYER_OTHER, True),
    (431_999, "35000000", "marche", "Marché de défense ou de sécurité", BUYER_OTHER, False),
    # works, whoever buys: 5 404 000 €
    (5_404_000, "45210000", "marche", "Marché", BUYER_CENTRAL, True),
    (5_403_999, "45210000", "marche", "Marché", BUYER_CENTRAL, False),
    (5_404_000, "45210000", "marche", "Marché de partenariat", BUYER_OTHER, True),
    # concessions: 5 404 000 €
    (5_404_000, "", "concession", "Délégation de service public", BUYER_OTHER, True),
    (5_403_999, "", "concession", "Concession de service", BUYER_OTHER, False),
])
def test_check_threshold_at_and_one_euro_below(amount, cpv, kind, nature, buyer, flagged):
    contract = _contract(amount, cpv=cpv, kind=kind, nature=nature)
    assert (THRESHOLD_WITHOUT_SOCIAL_CONDITION in _codes(contract, buyer_category=buyer)) is flagged


@pytest.mark.parametrize("notified, flagged", [(DAY_BEFORE, False), (OBLIGATION, True), (None, False)])
def test_check_threshold_applies_from_the_obligation_date(notified, flagged):
    assert (THRESHOLD_WITHOUT_SOCIAL_CONDITION in _codes(_contract(300_000, notified=notified))) is flagged


@pytest.mark.parametrize("social, flagged", [
    (("Clause sociale",), False),
    (("Marché réservé",), False),
    (("Concession réservée",), False),
    (("Critère social",), True),  # a criterion alone does not satisfy the obligation
    (("Pas de considération sociale",), True),
    ((), True),
    (None, True),  # not published
])
def test_check_threshold_social_considerations(social, flagged):
    assert (THRESHOLD_WITHOUT_SOCIAL_CONDITION in _codes(_contract(300_000, social=social))) is flagged


def test_check_threshold_message_says_to_verify():
    flag = check_contract(_contract(216_000))[0]
    assert flag.contract == "21590350100017-M-1"
    assert "216\u202f000,00\u00a0€" in flag.message and "22/08/2026" in flag.message and "À vérifier" in flag.message


def test_threshold_for_uses_the_latest_known_after_its_period():
    assert threshold_for("works", date(2028, 3, 1)).amount == Decimal(5_404_000)
    assert threshold_for("works", date(2025, 12, 31)) is None


@pytest.mark.parametrize("amount, cpv, known, flagged", [
    (200_000, "45210000", None, True),
    (199_999, "45210000", None, False),
    (299_999, "45310000", None, False),  # the longest prefix wins: electricity from 300 000 €
    (300_000, "45310000", None, True),
    (500_000, "79710000", None, False),  # no rule for the division
    (500_000, "45210000", KnownTender(1, has_clause=False), False),  # followed
])
def test_check_clausable_not_followed(amount, cpv, known, flagged):
    contract = _contract(amount, cpv=cpv, notified=DAY_BEFORE)
    assert (CLAUSABLE_NOT_FOLLOWED in _codes(contract, known=known, rules=RULES)) is flagged


def test_check_clausable_skips_a_contract_declaring_a_clause():
    contract = _contract(500_000, cpv="45210000", social=("Clause sociale",))
    assert _codes(contract, rules=RULES) == [DECLARED_CLAUSE_UNKNOWN]


@pytest.mark.parametrize("known, flagged", [
    (None, True), (KnownTender(1, has_clause=False), True), (KnownTender(1, has_clause=True), False),
])
def test_check_declared_clause_unknown(known, flagged):
    contract = _contract(50_000, social=("Clause sociale", "Critère social"))
    assert (DECLARED_CLAUSE_UNKNOWN in _codes(contract, known=known)) is flagged


@pytest.mark.parametrize("social, known, flagged", [
    (("Pas de considération sociale",), KnownTender(1, has_clause=True), True),
    (("Pas de considération sociale",), KnownTender(1, has_clause=False), False),
    (("Pas de considération sociale",), None, False),
    (("Critère social",), KnownTender(1, has_clause=True), False),
    (None, KnownTender(1, has_clause=True), False),  # v1 files publish nothing: not the buyer's error
])
def test_check_clause_not_declared(social, known, flagged):
    assert (CLAUSE_NOT_DECLARED in _codes(_contract(50_000, social=social), known=known)) is flagged


def test_check_clause_not_declared_offers_the_value_to_publish():
    known = KnownTender(1, has_clause=True, publish_value="Marché réservé")
    flag = check_contract(_contract(50_000), known=known)[0]
    assert flag.code == CLAUSE_NOT_DECLARED and "« Marché réservé »" in flag.message


def test_check_contracts_uses_each_buyers_category():
    contract = _contract(150_000)
    assert check_contracts([contract]) == []
    flags = check_contracts([contract], buyer_categories={"21590350100017": BUYER_CENTRAL})
    assert [f.code for f in flags] == [THRESHOLD_WITHOUT_SOCIAL_CONDITION]


def test_date_warnings_flag_notifications_after_today():
    warnings = date_warnings([_contract(1, notified=date(2026, 12, 8))], date(2026, 12, 7))
    assert [w.code for w in warnings] == ["future_notification"]
    assert date_warnings([_contract(1, notified=date(2026, 12, 7))], date(2026, 12, 7)) == []


@pytest.mark.parametrize("amount", ["0", "1", "999.5", "1000", "216000", "5404000", "1234567.891", "999999999999.99"])
def test_check_messages_format_money_exactly_as_babel(amount):
    from app.domain.decp.checks import _money
    from app.domain.formats import format_money

    assert _money(Decimal(amount)) == format_money(Decimal(amount))
