from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.domain.enums import Criterion, Sex
from app.domain.reports.fse_common import EducationLevel, LabourStatus
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
    labour_status=LabourStatus.LONG_TERM_UNEMPLOYED,
    education_level=EducationLevel.ISCED_0_2,
    exit_employed=True,
)
AS_OF = date(2026, 10, 15)  # two weeks after the exit: the 6-month survey is not due yet


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
    assert missing_fields(replace(COMPLETE, **changes), AS_OF) == missing


def test_completeness_mixed_records_rate_and_missing_per_person():
    records = people(complete=3, incomplete=1)
    records.append(replace(COMPLETE, participant_code="I-X", birth_date=None))
    rate, missing = completeness(records, AS_OF)
    assert rate == Decimal("0.6")
    assert [(m.participant_code, m.fields) for m in missing] == [
        ("I-0", ("Téléphone ou e-mail",)),
        ("I-X", ("Date de naissance",)),
    ]


def test_completeness_just_above_threshold_still_warns():
    # 7 001 of 20 000 incomplete = 35.005 %: a rate rounded to 4 places would hide it.
    records = [COMPLETE] * 12_999 + [replace(COMPLETE, postcode="")] * 7_001
    result = completeness(records, AS_OF)
    assert result.incomplete_rate == Decimal("0.35005")
    assert correction_warning(result) is not None


def test_completeness_no_records_is_complete():
    assert completeness([], AS_OF) == (Decimal(1), [])


def read(records, **kwargs):
    return load_workbook(BytesIO(build_fse_participants_xlsx(records, AS_OF, **kwargs))).active


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


# Exit on 30/09/2026 (COMPLETE's): the exit situation is due after 28/10, the survey from 30/03/2027.
@pytest.mark.parametrize(
    ("changes", "as_of", "missing"),
    [
        ({"labour_status": None, "education_level": None}, AS_OF,
         ("Situation sur le marché du travail", "Niveau d'études")),
        ({"exit_employed": None}, date(2026, 10, 21), ()),  # exited 3 weeks ago: still time
        ({"exit_employed": None}, date(2026, 10, 28), ()),  # exactly 4 weeks: the last day
        ({"exit_employed": None}, date(2026, 11, 4), ("Situation à la sortie",)),  # 5 weeks
        ({"exit_employed": None, "exit_job_searching": False}, date(2026, 11, 4), ()),  # a « non » is an answer
        ({}, date(2027, 3, 29), ()),  # 6 months not reached yet
        ({}, date(2027, 3, 30), ("Enquête à six mois",)),
        ({"six_months_on": date(2027, 4, 2)}, date(2027, 4, 10), ("Enquête à six mois",)),  # date, no answer
        ({"six_months_on": date(2027, 4, 2), "six_months_employed": True}, date(2027, 4, 10), ()),
        ({"exit_on": None, "exit_employed": None}, date(2027, 6, 1), ()),  # still in the operation
        ({"is_disabled": None, "is_minority": None}, AS_OF, ()),  # « ne souhaite pas répondre »
        ({"is_rural": None, "is_homeless": None, "has_foreign_background": None}, AS_OF, ()),
    ],
)
def test_missing_fields_follow_the_exit_and_survey_deadlines(changes, as_of, missing):
    assert missing_fields(replace(COMPLETE, **changes), as_of) == missing


def test_completeness_counts_exit_situations_overdue_as_incomplete():
    exited_long_ago = replace(COMPLETE, participant_code="P-0002", exit_on=date(2026, 9, 1), exit_employed=None)
    result = completeness([COMPLETE, exited_long_ago], AS_OF)
    assert result.rate == Decimal("0.5")
    assert result.missing == [("P-0002", ("Situation à la sortie",))]


def test_build_fse_participants_xlsx_record_columns_read_back():
    answered = replace(COMPLETE, is_disabled=True, is_minority=None, is_rural=False, exit_job_searching=False,
                       six_months_on=date(2027, 4, 2), six_months_employed=True, six_months_improved=True)
    ws = read([answered])
    header = [c.value for c in ws[6]]
    row = dict(zip(header, (c.value for c in ws[7]), strict=True))
    assert row["Situation sur le marché du travail"] == "Chômeur de longue durée (12 mois et plus)"
    assert row["Niveau d'études"].startswith("CITE 0 à 2")
    assert row["Handicap"] == "Oui" and row["Minorité"] is None and row["Zone rurale"] == "Non"
    assert row["Sortie : en emploi"] == "Oui" and row["Sortie : en recherche d'emploi"] == "Non"
    assert row["Sortie : en études ou formation"] is None
    assert row["Enquête à six mois"] == datetime(2027, 4, 2) and row["Six mois : situation améliorée"] == "Oui"
    assert ws["D2"].value == "au 15/10/2026"
