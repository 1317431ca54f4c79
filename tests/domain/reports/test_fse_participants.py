from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.domain.enums import Criterion, Sex
from app.domain.reports import (
    FseParticipant,
    build_fse_participants_xlsx,
    completeness,
    correction_warning,
    missing_fields,
)

COMPLETE = FseParticipant(
    operation="Clauses d'insertion, Agen 2026",
    participant_code="P-0001",
    last_name="Durand",
    first_name="Amélie",
    sex=Sex.FEMME,
    birth_date=date(2001, 5, 10),
    entry_on=date(2026, 2, 2),
    exit_on=date(2026, 9, 30),
    phone="06 12 34 56 78",
    postcode="47000",
    criteria=frozenset({Criterion.BRSA, Criterion.QPV}),
)


def people(complete: int, incomplete: int) -> list[FseParticipant]:
    good = [replace(COMPLETE, participant_code=f"C-{i}") for i in range(complete)]
    bad = [
        replace(COMPLETE, participant_code=f"I-{i}", phone="", email="") for i in range(incomplete)
    ]
    return good + bad


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({}, ()),
        ({"phone": "", "email": "amelie@example.org"}, ()),  # e-mail alone is a contact
        ({"exit_on": None}, ()),  # still in the operation: not a gap
        ({"phone": "  ", "email": ""}, ("Téléphone ou e-mail",)),
        ({"birth_date": None, "sex": None}, ("Sexe", "Date de naissance")),
        ({"entry_on": None, "postcode": ""}, ("Date d'entrée", "Code postal")),
        ({"last_name": "", "first_name": " "}, ("Nom", "Prénom")),
    ],
)
def test_missing_fields_record_lists_mandatory_gaps(changes, missing):
    assert missing_fields(replace(COMPLETE, **changes)) == missing


def test_completeness_mixed_records_rate_and_missing_per_person():
    records = people(complete=3, incomplete=1)
    records.append(replace(COMPLETE, participant_code="I-X", birth_date=None))
    rate, missing = completeness(records)
    assert rate == Decimal("0.6")
    assert [(m.participant_code, m.fields) for m in missing] == [
        ("I-0", ("Téléphone ou e-mail",)),
        ("I-X", ("Date de naissance",)),
    ]


def test_completeness_just_above_threshold_still_warns():
    # 7 001 of 20 000 incomplete = 35.005 %: a rate rounded to 4 places would hide it.
    records = [COMPLETE] * 12_999 + [replace(COMPLETE, postcode="")] * 7_001
    result = completeness(records)
    assert result.incomplete_rate == Decimal("0.35005")
    assert correction_warning(result) is not None


def test_completeness_no_records_is_complete():
    assert completeness([]) == (Decimal(1), [])


def read(records, **kwargs):
    return load_workbook(BytesIO(build_fse_participants_xlsx(records, **kwargs))).active


def test_build_fse_participants_xlsx_above_35_pct_incomplete_warns():
    ws = read(people(complete=6, incomplete=4))  # 40 % incomplete
    assert ws["A2"].value == "Taux de complétude"
    assert ws["B2"].value == pytest.approx(0.6) and ws["B2"].number_format == "0.0%"
    assert ws["C2"].value == "4 fiches incomplètes sur 10"
    assert ws["A3"].value.startswith("Attention : 40,0\u00a0% des fiches sont incomplètes.")
    assert "Au-delà de 35\u00a0%, l'autorité de gestion applique une correction financière" in (
        ws["A3"].value
    )


@pytest.mark.parametrize(("complete", "incomplete"), [(13, 7), (10, 0)])
def test_build_fse_participants_xlsx_at_or_below_35_pct_no_warning(complete, incomplete):
    ws = read(people(complete, incomplete))  # 7 of 20 = exactly 35 %: no correction yet
    assert ws["A3"].value is None


def test_build_fse_participants_xlsx_rows_typed_with_missing_column():
    ws = read([COMPLETE, replace(COMPLETE, participant_code="P-0002", phone="", birth_date=None)])
    header = [c.value for c in ws[6]]
    first, second = (
        dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=7)
    )
    assert first["Date d'entrée"] == datetime(2026, 2, 2)
    assert first["Code postal"] == "47000" and first["BRSA"] == "Oui" and first["QPV"] == "Oui"
    assert first["Sexe"] == "Femme" and first["RQTH"] == "Non"
    assert first["Champs manquants"] is None
    assert second["Champs manquants"] == "Date de naissance, Téléphone ou e-mail"


def test_build_fse_participants_xlsx_custom_threshold_applies():
    ws = read(people(complete=8, incomplete=2), threshold=Decimal("0.1"))
    assert "Au-delà de 10\u00a0%" in ws["A3"].value
