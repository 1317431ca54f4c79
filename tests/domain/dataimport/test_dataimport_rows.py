"""Data imports, pure part: header names proposed as a mapping, cells read, lines checked."""

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.dataimport import (
    CREATE,
    ERROR,
    KINDS,
    SKIP,
    locate_header,
    missing_required,
    propose_mapping,
    read_date,
    unknown_values,
    validate_rows,
)
from app.domain.enums import SiaeKind
from app.domain.sheetmap import SheetMapping, header_key

SIAE, COMPANIES, BUYERS = KINDS["siae"], KINDS["companies"], KINDS["buyers"]
GOOD, OTHER = "73282932000074", "35600000000048"


def test_header_key_folds_case_accents_and_punctuation():
    assert header_key("N° SIRET") == header_key("n siret") == "n siret"
    assert header_key("  Téléphone  du contact ") == "telephone du contact"


@pytest.mark.parametrize(("header", "expected"), [
    (["N° SIRET", "Raison sociale", "Type de structure", "CP", "Ville"],
     {0: "siret", 1: "name", 2: "kind", 3: "postcode", 4: "city"}),
    (["Nom de la structure", "Siret", "Catégorie", "E-mail", "Tél."],
     {0: "name", 1: "siret", 2: "kind", 3: "contact_email", 4: "contact_phone"}),
    (["", "Raison sociale du titulaire", "Commentaire", "SIRET"], {1: "name", 3: "siret"}),
])
def test_propose_mapping_reads_french_synonyms(header, expected):
    assert propose_mapping(header, SIAE) == expected


def test_propose_mapping_gives_each_role_one_column():
    assert propose_mapping(["Raison sociale", "Nom"], COMPANIES) == {0: "name"}


def test_locate_header_skips_title_lines():
    rows = [["Entreprises suivies — 2025"], [None], ["SIRET", "Raison sociale", "Commune"], [GOOD, "A", "Lille"]]
    assert locate_header(rows, COMPANIES) == 2


def test_missing_required_names_the_field():
    assert [f.label for f in missing_required({0: "name"}, SIAE)] == ["SIRET", "Type de structure"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("31/12/2024", date(2024, 12, 31)), ("2024-12-31", date(2024, 12, 31)), ("1/2/24", date(2024, 2, 1)),
    (45657, date(2024, 12, 31)), (45657.0, date(2024, 12, 31)), ("45657", date(2024, 12, 31)),
    (datetime(2024, 12, 31, 0, 0), date(2024, 12, 31)), (date(2024, 12, 31), date(2024, 12, 31)),
    ("31/02/2024", None), ("demain", None), ("", None), (-3, None), (10**9, None), (True, None),
])
def test_read_date_accepts_spreadsheet_and_french_forms(raw, expected):
    assert read_date(raw) == expected


def _mapped(rows, kind, header=0):
    return SheetMapping(header, propose_mapping(rows[header], kind))


def test_validate_rows_gives_one_result_per_line_with_reasons():
    rows = [["SIRET", "Raison sociale", "Type", "Code postal", "E-mail"],
            ["732 829 320 00074", "Régie Nord", "aci", 59140, "a@b.fr"],
            ["73282932000075", "Bad", "EITI", "5914", "pas une adresse"],
            [None, None, None, None, None],
            ["Total", None, None, None, None],
            [OTHER, "", "EI", None, None]]
    results = validate_rows(rows, _mapped(rows, SIAE), SIAE)
    assert [(r.row, r.action) for r in results] == [(2, CREATE), (3, ERROR), (4, SKIP), (5, SKIP), (6, ERROR)]
    assert results[0].values == {"siret": GOOD, "name": "Régie Nord", "kind": SiaeKind.ACI, "postcode": "59140",
                                 "contact_email": "a@b.fr"}
    reasons = " | ".join(results[1].reasons)
    assert "clé de contrôle" in reasons and "« EITI » : valeur inconnue" in reasons
    assert "code postal compte 5 chiffres" in reasons and "e-mail n'est pas valide" in reasons
    assert results[1].key == "73282932000075"
    assert results[4].reasons == ["Raison sociale manquant (champ obligatoire)."]


def test_validate_rows_value_map_turns_other_codes_into_kinds():
    rows = [["SIRET", "Nom", "Type"], [GOOD, "A", "1"], [OTHER, "B", "EITI"]]
    mapping = _mapped(rows, SIAE)
    assert unknown_values(rows, mapping, SIAE) == {"kind": ["1", "EITI"]}
    maps = {"kind": {"1": "ACI", "eiti": "EI"}}
    results = validate_rows(rows, mapping, SIAE, maps)
    assert [r.values["kind"] for r in results] == [SiaeKind.ACI, SiaeKind.EI]
    assert unknown_values(rows, mapping, SIAE, maps) == {}


def test_validate_rows_duplicates_within_the_file():
    rows = [["SIRET", "Nom"], [GOOD, "A"], [GOOD, "A"], ["73282932000074", "B"]]
    results = validate_rows(rows, _mapped(rows, COMPANIES), COMPANIES)
    assert [r.action for r in results] == [CREATE, SKIP, ERROR]
    assert results[1].reasons == ["répète la ligne 2"]
    assert "en double dans le fichier : la ligne 2" in results[2].reasons[0]


def test_buyers_are_keyed_by_folded_name():
    rows = [["Acheteur", "Type d'acheteur"], ["Ville de Lille", "Commune ou intercommunalité"],
            ["VILLE DE LILLE", "commune"]]
    results = validate_rows(rows, _mapped(rows, BUYERS), BUYERS)
    # Same buyer (the key folds case), spelt otherwise: the user says which spelling to keep.
    assert [r.action for r in results] == [CREATE, ERROR]
    assert "la ligne 2 a le même identifiant" in results[1].reasons[0]


CELLS = st.one_of(st.none(), st.text(max_size=30), st.text(min_size=300, max_size=2000), st.integers(),
                  st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.dates(), st.datetimes(),
                  st.sampled_from([GOOD, OTHER, "ACI", "EI", "31/12/2024", "Total", "59140", "a@b.fr"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=9), max_size=15), st.sampled_from(sorted(KINDS)))
def test_validate_rows_any_cells_one_result_per_line(body, kind_name):
    kind = KINDS[kind_name]
    header = [field.label for field in kind.fields]
    results = validate_rows([header, *body], SheetMapping(0, propose_mapping(header, kind)), kind)
    assert [r.row for r in results] == list(range(2, len(body) + 2))
    assert all(r.action in (CREATE, SKIP, ERROR) and (r.action == CREATE or r.reasons) for r in results)
