"""Common indicators EECO01–17 and EECR01–06 on a small population typed as an office would."""

from dataclasses import replace
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.domain.enums import Sex
from app.domain.reports import (
    FseParticipant,
    build_common_indicators_xlsx,
    common_indicators,
    completeness,
)
from app.domain.reports.fse_common import EducationLevel as Edu
from app.domain.reports.fse_common import LabourStatus as Status

ENTRY = date(2026, 3, 2)
AS_OF = date(2026, 11, 20)
BASE = FseParticipant(
    operation="Clauses sociales d'insertion 2026 — PLIE Val-de-Lys", participant_code="", last_name="",
    first_name="", sex=Sex.FEMME, birth_date=date(1990, 1, 15), entry_on=ENTRY, phone="06 12 34 56 78",
    postcode="59140", is_disabled=False, is_third_country_national=False, has_foreign_background=False,
    is_minority=False, is_homeless=False, is_rural=False)
PEOPLE = [
    # 18th birthday on the entry day: 18–29, not under 18. Surveyed six months after the exit.
    replace(BASE, participant_code="P-A", last_name="Lefebvre", first_name="Inès", birth_date=date(2008, 3, 2),
            labour_status=Status.LONG_TERM_UNEMPLOYED, education_level=Edu.ISCED_0_2, is_disabled=True,
            exit_on=date(2026, 5, 15), exit_job_searching=True, six_months_on=date(2026, 11, 16),
            six_months_employed=True, six_months_improved=True),
    # 30th birthday on the entry day: no longer 18–29. Declined the sensitive questions; left 3 weeks ago.
    replace(BASE, participant_code="P-B", last_name="Benali", first_name="Karim", sex=Sex.HOMME,
            birth_date=date(1996, 3, 2), labour_status=Status.UNEMPLOYED, education_level=Edu.ISCED_3_4,
            is_disabled=None, is_minority=None, is_third_country_national=True, exit_on=date(2026, 10, 30)),
    # 55th birthday on the entry day. Still in the operation.
    replace(BASE, participant_code="P-C", last_name="Vandamme", first_name="Sylvie", birth_date=date(1971, 3, 2),
            labour_status=Status.INACTIVE, education_level=Edu.ISCED_5_8, has_foreign_background=True,
            is_minority=True),
    # 18 the day after entry: under 18. Left in April, not reached for the 6-month survey.
    replace(BASE, participant_code="P-D", last_name="Dubois", first_name="Théo", sex=Sex.HOMME,
            birth_date=date(2008, 3, 3), labour_status=Status.EMPLOYED, education_level=None, is_rural=True,
            exit_on=date(2026, 4, 30), exit_in_education=True, exit_qualification=True),
    # 55 the day after entry: 54. Labour status not typed yet.
    replace(BASE, participant_code="P-E", last_name="Lemaire", first_name="Nadia", birth_date=date(1971, 3, 3),
            labour_status=None, education_level=Edu.ISCED_0_2, is_homeless=True),
    # Sex and birth date missing; third-country question not asked. Survey not due yet.
    replace(BASE, participant_code="P-F", last_name="Mercier", first_name="Dominique", sex=None, birth_date=None,
            labour_status=Status.LONG_TERM_UNEMPLOYED, education_level=Edu.ISCED_3_4,
            is_third_country_national=None, exit_on=date(2026, 9, 1), exit_employed=True),
    # Surveyed a little early: still counted.
    replace(BASE, participant_code="P-G", last_name="Moreau", first_name="Julien", sex=Sex.HOMME,
            labour_status=Status.UNEMPLOYED, education_level=Edu.ISCED_5_8, exit_on=date(2026, 6, 1),
            exit_employed=True, six_months_on=date(2026, 11, 18), six_months_employed=True,
            six_months_improved=False),
]

# code: (total, women, men, not given)
EXPECTED = {
    "EECO01": (7, 3, 3, 0),
    "EECO02": (4, 1, 2, 1),
    "EECO03": (2, 1, 0, 1),
    "EECO04": (1, 1, 0, 1),
    "EECO05": (1, 0, 1, 1),
    "EECO06": (1, 0, 1, 1),
    "EECO07": (1, 1, 0, 1),
    "EECO08": (1, 1, 0, 1),
    "EECO09": (2, 2, 0, 1),
    "EECO10": (2, 0, 1, 1),
    "EECO11": (2, 1, 1, 1),
    "EECO12": (1, 1, 0, 1),
    "EECO13": (1, 0, 1, 1),
    "EECO14": (1, 1, 0, 0),
    "EECO15": (1, 1, 0, 1),
    "EECO16": (1, 1, 0, 0),
    "EECO17": (1, 0, 1, 0),
    "EECR01": (1, 1, 0, 1),
    "EECR02": (1, 0, 1, 1),
    "EECR03": (1, 0, 1, 1),
    "EECR04": (2, 0, 1, 1),
    "EECR05": (2, 1, 1, 1),
    "EECR06": (1, 1, 0, 1),
}


@pytest.mark.parametrize(("code", "expected"), EXPECTED.items())
def test_common_indicators_population_counts(code, expected):
    line = next(line for line in common_indicators(PEOPLE, AS_OF) if line.code == code)
    assert (line.total, line.women, line.men, line.not_given) == expected


def test_common_indicators_every_code_once_in_order():
    codes = [line.code for line in common_indicators(PEOPLE, AS_OF)]
    assert codes == list(EXPECTED)


def test_common_indicators_before_any_exit_no_result_counted():
    lines = {line.code: line for line in common_indicators(PEOPLE, date(2026, 4, 1))}
    assert all(lines[code].total == lines[code].not_given == 0 for code in EXPECTED if code.startswith("EECR"))
    assert lines["EECO01"].total == 7


def read(data: bytes):
    return load_workbook(BytesIO(data)).active


def test_build_common_indicators_xlsx_typed_no_name_warns():
    result = completeness(PEOPLE, AS_OF)
    data = build_common_indicators_xlsx(common_indicators(PEOPLE, AS_OF), "Indicateurs communs FSE+ — Clauses 2026",
                                        "Opération du 01/01/2026 au 31/12/2026, données au 20/11/2026", result)
    ws = read(data)
    cells = [cell.value for row in ws.iter_rows() for cell in row if cell.value is not None]
    texts = " ".join(str(value) for value in cells)
    for person in PEOPLE:
        assert person.last_name not in texts and person.first_name not in texts and person.participant_code not in texts
    assert "06 12 34 56 78" not in texts and "59140" not in texts
    assert ws["A1"].value == "Indicateurs communs FSE+ — Clauses 2026"
    assert ws["A2"].value.endswith("données au 20/11/2026")
    # D (education, survey), E (labour status), F (sex, birth date) are incomplete: 3 of 7.
    assert ws["A3"].value == "Taux de complétude des fiches"
    assert ws["B3"].value == pytest.approx(4 / 7) and ws["B3"].number_format == "0.0%"
    assert ws["C3"].value == "3 fiches incomplètes"
    assert ws["A4"].value.startswith("Attention : 42,9\u00a0% des fiches sont incomplètes.")
    header_row = next(row for row in ws.iter_rows() if row[0].value == "Code")
    assert [c.value for c in header_row] == ["Code", "Indicateur", "Total", "Femmes", "Hommes", "Non renseigné"]
    lines = {row[0]: row[1:] for row in ws.iter_rows(min_row=header_row[0].row + 1, values_only=True)}
    assert lines["EECO07"] == ("Jeunes de 18 à 29 ans", 1, 1, 0, 1)
    assert lines["EECR05"][1:] == (2, 1, 1, 1) and isinstance(lines["EECR05"][1], int)
    assert len(lines) == 23


def test_build_common_indicators_xlsx_complete_enough_no_warning():
    people = [p for p in PEOPLE if p.participant_code in ("P-A", "P-B", "P-C")]
    ws = read(build_common_indicators_xlsx(common_indicators(people, AS_OF), "Indicateurs", "Période",
                                           completeness(people, AS_OF)))
    texts = [str(cell.value) for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert ws["B3"].value == 1 and not any(text.startswith("Attention") for text in texts)
    assert any("ne pas répondre" in text for text in texts)
