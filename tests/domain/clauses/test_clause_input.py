"""Clause pack input: every problem listed in French, defaults and reference values traced."""

from decimal import Decimal

import pytest

from app.domain.clauses.pack import ClauseInputError
from app.domain.clauses.request import parse_clause_input
from app.domain.enums import LegalInstrument
from tests.domain.clauses.test_clause_documents import tender_input


def problems_of(data) -> list[str]:
    with pytest.raises(ClauseInputError) as caught:
        parse_clause_input(data)
    return caught.value.problems


def test_parse_clause_input_valid_file_computes_each_lot():
    request = parse_clause_input(tender_input())
    assert request.instrument is LegalInstrument.CLAUSE_EXECUTION
    assert [lot.result.hours for lot in request.lots] == [833, 1350]
    assert request.penalty_per_missing_hour == Decimal(200)
    assert request.facilitator.phone == "03 21 00 00 00"


def test_parse_clause_input_traces_reference_values_and_defaults():
    lot = parse_clause_input(tender_input()).lots[1]  # labour share from the trade, default cost
    assert lot.sources["part_main_oeuvre_pct"].startswith("Maçonnerie – gros œuvre — mefsud77.fr")
    assert lot.sources["taux_insertion_pct"] == "valeur saisie"
    assert lot.sources["cout_horaire_eur"].startswith("valeur par défaut au 01/01/2025")


def test_parse_clause_input_labour_share_found_by_tender_cpv():
    data = tender_input(lots=[{"number": "1", "label": "A", "amount": 100_000}])
    lot = parse_clause_input(data).lots[0]
    assert lot.result.details["part_main_oeuvre_pct"] == "50"  # CPV 45262522 → masonry
    assert lot.result.details["taux_insertion_pct"] == "5"  # ANRU default


@pytest.mark.parametrize("alias", ["L2113-13", "marche_reserve_siae", "RESERVE_SIAE", "reserve_siae"])
def test_parse_clause_input_instrument_aliases_are_accepted(alias):
    assert parse_clause_input(tender_input(instrument=alias)).instrument is LegalInstrument.RESERVE_SIAE


def test_parse_clause_input_lists_every_problem_with_its_path():
    data = tender_input(buyer={}, instrument="nope", facilitator={"name": "A", "email": "bad", "phone": "12"},
                        lots=[{"number": "1", "label": "A", "amount": "abc", "labour_share": 50},
                              {"number": "1", "amount": 5, "labour_share": 50}])
    problems = problems_of(data)
    assert "« buyer.name » : champ obligatoire manquant." in problems
    assert any(p.startswith("« instrument » : valeur « nope » inconnue") for p in problems)
    assert "« facilitator.email » : adresse invalide « bad »." in problems
    assert "« facilitator.phone » : numéro de téléphone invalide « 12 »." in problems
    assert any(p.startswith("« lots[0] (lot 1) » : Le montant HT « abc »") for p in problems)
    assert "« lots[1] (lot 1).number » : numéro de lot en double." in problems
    assert "« lots[1] (lot 1).label » : intitulé du lot manquant." in problems


def test_parse_clause_input_criterion_needs_weighting_and_balanced_subcriteria():
    assert any("criterion.weighting" in p for p in problems_of(tender_input(instrument="critere_attribution")))
    criterion = {"weighting": 10, "subcriteria": [{"label": "A", "weighting": 60}, {"label": "B", "weighting": 30}]}
    problems = problems_of(tender_input(instrument="critere_attribution", criterion=criterion))
    assert any("doivent totaliser 100 %" in p for p in problems)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("globalisation_allowed", "oui", "true ou false attendu"),
    ("reporting_day", 31, "entre 1 et 28"),
    ("ccag_derogations", "texte", "liste de phrases attendue"),
    ("penalty_per_missing_hour", None, "champ obligatoire manquant"),
])
def test_parse_clause_input_rejects_bad_options(field, value, message):
    data = tender_input(**{field: value})
    if value is None:
        del data[field]
    assert any(message in p for p in problems_of(data))


def test_parse_clause_input_unknown_method_is_reported():
    data = tender_input(lots=[{"number": "1", "label": "A", "method": {"type": "magic"}}])
    assert any("méthode « magic » inconnue" in p for p in problems_of(data))


def test_parse_clause_input_not_an_object_is_reported():
    assert problems_of([1, 2]) == ["Le fichier doit contenir un objet JSON ({ … })."]


def test_parse_clause_input_missing_value_names_the_json_field_to_the_file_author():
    data = tender_input(lots=[{"number": "1", "label": "A", "trade": "astronautique", "amount": 1000}])
    data["tender"]["cpv"] = "33000000"
    assert problems_of(data) == ["« lots[0] (lot 1) » : part de main-d'œuvre manquante et aucune valeur de référence "
                                 "pour ce métier ou ce code CPV (champ « labour_share »)."]
