"""The 2026 social condition: EU thresholds, launch date, derogation, and what the note says."""

from datetime import date
from decimal import Decimal

import pytest

from app.domain.clauses.obligation import EU_THRESHOLDS, check_social_condition, find_threshold, infer_nature
from app.domain.clauses.pack import ClauseInputError, render_clause_pack
from app.domain.clauses.request import parse_clause_input
from app.domain.documents.rendering import docx_text
from app.domain.enums import LegalInstrument
from tests.domain.clauses.test_clause_documents import tender_input

CRITERION = {"weighting": 10}
BIG_WORKS = [{"number": "1", "label": "Gros œuvre", "amount": 6_000_000, "labour_share": 50, "rate": 5,
              "hourly_cost": 30}]


def criterion_input(**overrides):
    tender = {"reference": "2026-014", "object": "Groupe scolaire", "cpv": "45262522-6",
              "launch_date": "2026-09-15"}
    tender.update(overrides.pop("tender", {}))
    overrides.setdefault("lots", BIG_WORKS)
    return tender_input(instrument="critere_attribution", criterion=CRITERION, tender=tender, **overrides)


@pytest.mark.parametrize(("nature", "category", "amount"), [
    ("travaux", "etat", 5_404_000), ("travaux", "collectivite", 5_404_000),
    ("services", "etat", 140_000), ("fournitures", "collectivite", 216_000),
    ("services", "entite_adjudicatrice", 432_000),
])
def test_find_threshold_2026_values_are_dated_and_sourced(nature, category, amount):
    threshold = find_threshold(nature, category, date(2026, 9, 1))
    assert threshold.amount == Decimal(amount)
    assert threshold.valid_from == date(2026, 1, 1) and "2025/2150" in threshold.source
    assert find_threshold(nature, category, date(2028, 1, 1)) is None
    assert all(t.valid_until == date(2027, 12, 31) for t in EU_THRESHOLDS)


@pytest.mark.parametrize(("cpv", "nature"), [("45262522", "travaux"), ("30192000", "fournitures"),
                                             ("48000000", "fournitures"), ("90910000", "services")])
def test_infer_nature_from_cpv_division(cpv, nature):
    assert infer_nature(cpv) == nature


@pytest.mark.parametrize(("instrument", "value", "launch", "derogation", "applies", "refused"), [
    (LegalInstrument.CRITERE_ATTRIBUTION, 6_000_000, date(2026, 9, 15), "", True, True),
    (LegalInstrument.CRITERE_ATTRIBUTION, 5_404_000, date(2026, 8, 22), "", True, True),  # at the threshold, on the day
    (LegalInstrument.CRITERE_ATTRIBUTION, 6_000_000, date(2026, 8, 21), "", False, False),
    (LegalInstrument.CRITERE_ATTRIBUTION, 5_403_999, date(2026, 9, 15), "", False, False),
    (LegalInstrument.CRITERE_ATTRIBUTION, 6_000_000, date(2026, 9, 15), "Objet sans main-d’œuvre", True, False),
    (LegalInstrument.CLAUSE_EXECUTION, 6_000_000, date(2026, 9, 15), "", True, False),
    (LegalInstrument.EXECUTION_ET_CRITERE, 6_000_000, date(2026, 9, 15), "", True, False),
    (LegalInstrument.RESERVE_SIAE, 6_000_000, date(2026, 9, 15), "", True, False),
    (LegalInstrument.RESERVE_EA_ESAT, 6_000_000, date(2026, 9, 15), "", True, False),
    (LegalInstrument.MARCHE_INSERTION, 6_000_000, date(2026, 9, 15), "", True, False),
])
def test_check_social_condition_table(instrument, value, launch, derogation, applies, refused):
    check = check_social_condition(instrument=instrument, estimated_value=Decimal(value), nature="travaux",
                                   buyer_category="collectivite", launch_date=launch, derogation=derogation)
    assert (check.applies, check.refused) == (applies, refused)
    assert "Climat et Résilience" in check.statement


def test_parse_criterion_only_above_threshold_is_refused_naming_the_obligation():
    with pytest.raises(ClauseInputError) as caught:
        parse_clause_input(criterion_input())
    (message,) = caught.value.problems
    assert "condition d’exécution à caractère social" in message and "art. 35" in message
    assert "5\u202f404\u202f000,00\u00a0€ HT" in message and "social_condition_derogation" in message


def test_parse_services_threshold_follows_buyer_category():
    lots = [{"number": "1", "label": "Nettoyage", "amount": 200_000, "labour_share": 80}]
    state = criterion_input(lots=lots, buyer={"name": "Préfecture", "category": "etat"},
                            tender={"cpv": "90910000-9", "nature": "services"})
    with pytest.raises(ClauseInputError):
        parse_clause_input(state)
    town = criterion_input(lots=lots, tender={"cpv": "90910000-9", "nature": "services"})
    assert parse_clause_input(town).buyer_category == "collectivite"


def test_derogation_is_stated_in_the_note_de_calcul():
    request = parse_clause_input(criterion_input(social_condition_derogation="Marché sans exécution sur site"))
    note = docx_text(render_clause_pack(request)["note_calcul.docx"])
    assert "Condition sociale obligatoire" in note
    assert "au titre de la dérogation suivante\u202f: Marché sans exécution sur site." in note


def test_execution_clause_note_says_the_obligation_is_satisfied():
    request = parse_clause_input(tender_input(lots=BIG_WORKS, tender={
        "reference": "2026-014", "object": "Groupe scolaire", "cpv": "45262522-6", "launch_date": "2026-09-15"}))
    note = docx_text(render_clause_pack(request)["note_calcul.docx"])
    assert "elle est satisfaite par le présent dispositif" in note


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("nature", "batiment", "« tender.nature » : valeur « batiment » inconnue"),
    ("launch_date", "15/09/2026", "« tender.launch_date » : date invalide « 15/09/2026 »"),
])
def test_parse_new_tender_fields_refuse_bad_values_in_french(field, value, expected):
    with pytest.raises(ClauseInputError) as caught:
        parse_clause_input(criterion_input(tender={field: value}))
    assert any(p.startswith(expected) for p in caught.value.problems)


def test_parse_unknown_buyer_category_is_refused():
    with pytest.raises(ClauseInputError) as caught:
        parse_clause_input(criterion_input(buyer={"name": "Ville", "category": "commune"}))
    assert "« buyer.category » : valeur « commune » inconnue" in caught.value.problems[0]
