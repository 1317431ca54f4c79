"""Reading DECP files: golden fixtures of each format and the quirks of real files."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.decp import ClausableRule, DecpError, check_contracts, parse_decp, report_to_dict

DATA = Path(__file__).resolve().parents[2] / "data" / "decp"
SCHEMA = DATA / "schema_decp_v2.0.3.json"
RULES = (ClausableRule("45", Decimal(200_000), "Travaux"), ClausableRule("909", Decimal(100_000), "Nettoyage"))
CASES = ["v2_valid.json", "v2_invalid.json", "v1.json", "consolidated.csv"]


@pytest.mark.parametrize("name", CASES)
def test_parse_decp_fixture_matches_its_expected_report(name):
    result = parse_decp((DATA / name).read_bytes())
    report = report_to_dict(result, check_contracts(result.contracts, rules=RULES))
    expected = json.loads((DATA / name).with_suffix(".expected.json").read_text())
    assert {key: report[key] for key in ("format", "contracts", "amount_total", "buyers", "companies")} == {
        key: expected[key] for key in ("format", "contracts", "amount_total", "buyers", "companies")}
    assert [[f["code"], f["contract"]] for f in report["flags"]] == expected["flags"]
    assert [[w["code"], w["record"]] for w in report["warnings"]] == expected["warnings"]


def test_v2_valid_fixture_carries_every_key_the_official_schema_requires():
    # No JSON Schema validator ships with Clausier: check the required keys and enums by hand.
    schema = json.loads(SCHEMA.read_text())
    document = json.loads((DATA / "v2_valid.json").read_text())
    for kind, definition in (("marche", "marche"), ("contrat-concession", "contrat-concession")):
        spec = schema["definitions"][definition]
        for record in document["marches"][kind]:
            assert set(spec["required"]) <= set(record), set(spec["required"]) - set(record)
            assert record["nature"] in spec["properties"]["nature"]["enum"]


def test_parse_decp_csv_counts_co_contractors_once():
    result = parse_decp((DATA / "consolidated.csv").read_bytes())
    school = result.contracts[0]
    assert [h.id for h in school.holders] == ["44100000700019", "51200000100010"]
    assert school.amount == Decimal("6000000.00") and school.social == ("Pas de considération sociale",)
    cleaning = result.contracts[1]
    assert cleaning.is_framework and cleaning.notified_on.isoformat() == "2026-10-01"


def test_parse_decp_v2_merges_duplicated_ids_and_strips_keys():
    result = parse_decp((DATA / "v2_invalid.json").read_bytes())
    first = result.contracts[0]
    assert (first.id, first.amount, first.duration_months) == ("Q-1", Decimal("250000.00"), 12)
    assert [h.id for h in first.holders] == ["44100000700019", "51200000100010"]
    assert first.social is None


def test_parse_decp_v1_reads_concessions_and_foreign_holders():
    result = parse_decp((DATA / "v1.json").read_bytes())
    concession = result.contracts[1]
    assert concession.kind == "concession" and concession.amount == Decimal("1200000.00")
    assert concession.holders[0].id_type == "TVA" and concession.buyer_name == "Département du Lys"


@pytest.mark.parametrize("data, message", [
    (b"", "vide"),
    (b"{\"marches\": ", "mal formé"),
    (b"{\"marches\": 3}", "format non reconnu"),
    (b"[1, 2]", "format non reconnu"),
    (b"nom;prenom\nDUPONT;Marie\n", "format non reconnu"),
    (b"PK\x03\x04\x00\x00", "binaire"),
    (b"[" * 100_000, "mal formé"),
])
def test_parse_decp_unreadable_file_raises_french_error(data, message):
    with pytest.raises(DecpError, match=message):
        parse_decp(data)


def test_parse_decp_cp1252_csv_is_read():
    text = "id,acheteur.id,objet,montant\nA1,21590350100017,Réfection,\"1234,5\"\n"
    result = parse_decp(text.encode("cp1252"))
    assert result.contracts[0].object == "Réfection" and result.contracts[0].amount == Decimal("1234.50")


@pytest.mark.parametrize("raw, expected", [
    (216000, "216000.00"), ("216000", "216000.00"), ("216 000,00", "216000.00"), ("1.234.567,89", "1234567.89"),
    ("1,234,567.89", "1234567.89"), ("216000 €", "216000.00"), (216000.004, "216000.00"),
])
def test_parse_decp_amount_spellings(raw, expected):
    document = {"marches": {"marche": [{"id": "1", "acheteur": {"id": "21590350100017"}, "montant": raw}]}}
    result = parse_decp(json.dumps(document).encode())
    assert f"{result.amount_total:.2f}" == expected and not result.warnings
