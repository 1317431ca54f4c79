"""Participants and placements, pure part: criteria cells, proof dates, names compared folded."""

from datetime import date

import pytest

from app.domain.dataimport import KINDS, propose_mapping, read_value, written
from app.domain.dataimport.people import close_names, criteria_cells, criteria_of, merge_criteria, person_key
from app.domain.dataimport.values import split_codes, unknown_spellings
from app.domain.enums import Criterion

PARTICIPANTS, PLACEMENTS = KINDS["participants"], KINDS["placements"]
CRITERIA = PARTICIPANTS.field("criteria")
B, D, J, R, S = Criterion.BRSA, Criterion.DELD, Criterion.JEUNE, Criterion.RQTH, Criterion.SENIOR


@pytest.mark.parametrize(("cell", "parts"), [
    ("RSA, TH ; -26 ans", ["RSA", "TH", "-26 ans"]),
    ("RSA+RQTH / DELD", ["RSA", "RQTH", "DELD"]),
    ("Senior +50 ans + RSA", ["Senior +50 ans", "RSA"]),
    ("RSA (12/03/2024), Parcours d'insertion (EPIDE, E2C)", ["RSA (12/03/2024)", "Parcours d'insertion (EPIDE, E2C)"]),
    ("RSA\nDELD", ["RSA", "DELD"]), (" , ;", []),
])
def test_split_codes_keeps_brackets_and_figures(cell, parts):
    assert split_codes(cell) == parts


@pytest.mark.parametrize(("cell", "expected"), [
    ("RSA, TH (12/03/2024)", ((B, None), (R, date(2024, 3, 12)))),
    ("DE +12 mois / +50 ans", ((D, None), (S, None))),
    ("Jeune de moins de 26 ans; Travailleur handicapé (RQTH)", ((J, None), (R, None))),
    ("rqth (2024-03-12), brsa, RSA", ((B, None), (R, date(2024, 3, 12)))),
])
def test_criteria_cell_reads_other_tools_codes_and_dates(cell, expected):
    assert read_value(CRITERIA, cell) == (expected, None)


def test_criteria_cell_unknown_codes_are_each_listed_and_mappable():
    value, problem = read_value(CRITERIA, "RSA, Alloc ASS, ZZ (01/01/2024)")
    assert value is None and "« Alloc ASS », « ZZ » inconnus, indiquez à quoi chaque valeur correspond." in problem
    assert unknown_spellings(CRITERIA, "RSA, Alloc ASS, ZZ (01/01/2024)") == ["Alloc ASS", "ZZ"]
    assert read_value(CRITERIA, "RSA, Alloc ASS", {"alloc ass": "ass"})[0] == ((B, None), (Criterion.ASS, None))


def test_criteria_written_then_read_gives_the_same_value():
    value = ((B, date(2024, 2, 1)), (J, None), (R, date(2024, 3, 12)))
    assert written(CRITERIA, value) == "brsa (01/02/2024), jeune, rqth (12/03/2024)"
    assert read_value(CRITERIA, written(CRITERIA, value)) == (value, None)


def test_criteria_of_merges_both_layouts_and_the_shared_proof_date():
    values = {"criteria": ((B, None), (R, date(2024, 3, 12))), "proof_on": date(2024, 2, 1),
              "criterion_deld": True, "criterion_jeune": date(2024, 9, 1)}
    assert criteria_of(values) == ({B: date(2024, 2, 1), D: date(2024, 2, 1), J: date(2024, 9, 1),
                                    R: date(2024, 3, 12)}, [])
    _proofs, problems = criteria_of({"criteria": ((B, date(2024, 1, 1)),), "criterion_brsa": date(2024, 5, 5)})
    assert problems == [("Critère « Bénéficiaire du RSA » : deux dates de justificatif différentes "
                        "(01/01/2024 et 05/05/2024).")]


def test_merge_criteria_adds_and_redates_never_removes_nor_undates():
    stored = {B: date(2024, 1, 1), R: date(2024, 2, 2)}
    assert merge_criteria(stored, {B: None, D: date(2024, 3, 3), R: date(2024, 4, 4)}) == {
        B: date(2024, 1, 1), D: date(2024, 3, 3), R: date(2024, 4, 4)}


def test_criteria_cells_share_one_date_else_bracket_them():
    assert criteria_cells({B: date(2024, 1, 1), D: date(2024, 1, 1)}) == (((B, None), (D, None)), date(2024, 1, 1))
    assert criteria_cells({B: date(2024, 1, 1), D: None}) == (((B, date(2024, 1, 1)), (D, None)), None)
    assert criteria_cells({}) == ((), None)


@pytest.mark.parametrize(("first", "second", "close"), [
    (("Dupont", "Marie"), ("DUPOND", "Marie"), True),
    (("Marie", "Dupont"), ("Dupont", "Marie"), True),
    (("Lefebvre", "Jean Pierre"), ("Lefèbvre", "Pierre-Jean"), True),
    (("Dupont", "Marie"), ("Durand", "Paul"), False),
    (("Li", "Yu"), ("Lo", "Ya"), False),
])
def test_close_names_typos_accents_and_order(first, second, close):
    assert close_names(first, second) is close


def test_person_key_folds_case_accents_hyphens_and_spaces():
    assert person_key("N'Diaye", "Jean-Pierre", None) == person_key("NDIAYE", "jean pierre", None) == \
        ("ndiaye", "jeanpierre", "")


def test_mapping_reads_both_criteria_layouts_and_placements_headers():
    assert propose_mapping(["NOM", "Prénom", "Né(e) le", "Critères d'éligibilité", "Date justificatif"],
                           PARTICIPANTS) == {0: "last_name", 1: "first_name", 2: "birth_on", 3: "criteria",
                                             4: "proof_on"}
    assert propose_mapping(["Nom", "BRSA", "RQTH", "Jeune -26 ans", "QPV", "Suivi PLIE"], PARTICIPANTS) == {
        0: "last_name", 1: "criterion_brsa", 2: "criterion_rqth", 3: "criterion_jeune", 4: "is_qpv",
        5: "is_plie_followed"}
    assert propose_mapping(["Réf. marché", "Lot", "SIRET employeur", "SIRET SIAE", "Modalité", "Contrat", "Début"],
                           PLACEMENTS) == {0: "tender_reference", 1: "lot_number", 2: "company_siret",
                                           3: "siae_siret", 4: "modality", 5: "contract_type", 6: "starts_on"}


@pytest.mark.parametrize(("role", "cell", "code"), [
    ("modality", "MAD ETTI", "etti"), ("modality", "Embauche", "embauche_directe"), ("modality", "intérim", "interim"),
    ("contract_type", "CDD insertion", "cddi"), ("contract_type", "Intérim", "mission_interim"),
    ("contract_type", "CTTI", "mission_etti"), ("contract_type", "CDD d'usage", "cdd_usage"),
])
def test_placement_codes_of_other_tools(role, cell, code):
    assert read_value(PLACEMENTS.field(role), cell)[0].value == code


@pytest.mark.parametrize(("cell", "code"), [("F", "F"), ("Femme", "F"), ("H", "M"), ("homme", "M"), ("Mme", "F")])
def test_sex_spellings(cell, code):
    assert read_value(PARTICIPANTS.field("sex"), cell)[0].value == code


@pytest.mark.parametrize(("cell", "value"), [("X", True), ("oui", True), ("non", None), ("", None),
                                             ("12/03/2024", date(2024, 3, 12)), (45363, date(2024, 3, 12))])
def test_criterion_column_is_ticked_or_dated(cell, value):
    assert read_value(PARTICIPANTS.field("criterion_brsa"), cell) == (value, None)
