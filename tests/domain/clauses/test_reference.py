"""Reference data: sourced values, unsourced ones flagged, lookups by trade and CPV prefix."""

from datetime import date
from decimal import Decimal

import pytest

from app.domain.enums import Criterion, Modality
from app.domain.clauses.reference import (
    DEFAULT_HOURLY_COST,
    DEFAULT_INSERTION_RATE,
    ELIGIBLE_PUBLICS,
    LABOUR_SHARES,
    MODALITY_RULES,
    PENALTY_PER_DAY_LATE,
    PENALTY_PER_MISSING_HOUR,
    LabourShare,
    find_labour_share,
    fold_text,
    nearest_labour_shares,
)


@pytest.mark.parametrize(("key", "share"), [
    ("peinture_interieure", 70), ("maconnerie", 50), ("charpente_metallique", 20), ("nettoyage", 80),
])
def test_labour_share_sourced_values_match_domain(key, share):
    found = find_labour_share(trade=key)
    assert found.share_pct == Decimal(share) and found.is_sourced


def test_labour_share_unsourced_values_say_so():
    unsourced = [share for share in LABOUR_SHARES if not share.is_sourced]
    assert len(unsourced) >= 8
    assert all(share.source_label == "non sourcé — à valider" for share in unsourced)


@pytest.mark.parametrize(("query", "key"), [
    ({"trade": "Maçonnerie – gros œuvre"}, "maconnerie"),
    ({"trade": "PLOMBERIE"}, "plomberie"),
    ({"trade": "Maçonnerie - gros oeuvre"}, "maconnerie"),  # « oe » typed for « œ », a hyphen for the dash
    ({"cpv": "45223100-7"}, "charpente_metallique"),  # longest prefix beats a shorter one
    ({"cpv": "90919200-4"}, "nettoyage"),
    ({"trade": "inconnu", "cpv": "45442110"}, "peinture_interieure"),
])
def test_find_labour_share_by_trade_or_longest_cpv_prefix(query, key):
    assert find_labour_share(**query).key == key


def test_find_labour_share_unknown_gives_none():
    assert find_labour_share(trade="astronautique", cpv="33000000") is None


def test_fold_text_spells_ligatures_out():
    assert fold_text("Gros Œuvre – cœur") == fold_text("gros oeuvre - coeur") == "gros oeuvre coeur"


@pytest.mark.parametrize(("typed", "labels"), [
    ("maconerie", ["Maçonnerie – gros œuvre"]),
    ("nettoyage des locaux", ["Nettoyage – propreté"]),
    ("Peinture extérieure", ["Peinture intérieure"]),
    ("chauffagiste", ["Plomberie – chauffage"]),
    ("astronautique", []),
    ("", []),
])
def test_nearest_labour_shares_proposes_trades_by_shared_words_then_spelling(typed, labels):
    assert [share.label for share in nearest_labour_shares(typed)] == labels


def test_find_labour_share_honours_validity_dates():
    dated = (LabourShare("x", "X", Decimal(10), ("99",), "s", date(2024, 1, 1), date(2024, 12, 31)),)
    assert find_labour_share(cpv="99000000", on=date(2024, 6, 1), shares=dated).key == "x"
    assert find_labour_share(cpv="99000000", on=date(2025, 6, 1), shares=dated) is None


def test_reference_values_have_sources_and_domain_amounts():
    assert DEFAULT_HOURLY_COST.value == 30 and DEFAULT_HOURLY_COST.valid_from == date(2025, 1, 1)
    assert DEFAULT_INSERTION_RATE.value == 5 and "ANRU" in DEFAULT_INSERTION_RATE.source
    assert (PENALTY_PER_MISSING_HOUR.value, PENALTY_PER_DAY_LATE.value) == (200, 75)


def test_publics_and_modalities_cover_the_shared_enums():
    assert {public.criterion for public in ELIGIBLE_PUBLICS} == set(Criterion)
    assert {rule.modality for rule in MODALITY_RULES} == set(Modality)
