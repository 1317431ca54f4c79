"""Open-needs spreadsheet: typed cells, styled frozen header, formula-looking text kept as text."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.domain.enums import ContractType, Modality
from app.domain.liaison.fiche import FicheData
from app.domain.liaison.open_needs import HEADERS, OpenNeed, build_open_needs_xlsx, open_need_from_fiche

CONTACT = "Camille Martin – 03 21 00 00 00"
ATTACK = '=HYPERLINK("http://evil.example","Cliquez")'


def need(**changes) -> OpenNeed:
    values = dict(company_name="Bâtir & Rénover", job_title="Maçon·ne", posts=2, start_on=date(2026, 11, 3),
                  contract="CDD", contract_length="6 mois", weekly_hours=Decimal(35), workplace="Lens",
                  tender="2026-014 – Groupe scolaire", lot="2", modality="Embauche directe",
                  facilitator_contact=CONTACT)
    values.update(changes)
    return OpenNeed(**values)


@pytest.fixture(scope="module")
def sheet():
    needs = [
        need(company_name="+33 Bâtiment", job_title=ATTACK, start_on=date(2026, 12, 1),
             weekly_hours=Decimal("37.5"), workplace="@SUM(A1:A9)", lot="-1"),
        need(start_on=None, company_name="Sans date"),
        need(),
    ]
    data = build_open_needs_xlsx(needs, title="Besoins ouverts – PLIE de Lens", generated_on=date(2026, 10, 2))
    return load_workbook(BytesIO(data)).active


def header_row(ws) -> int:
    return next(row[0].row for row in ws.iter_rows() if row[0].value == HEADERS[0])


def test_open_needs_title_and_counts(sheet):
    assert sheet.title == "Besoins ouverts"
    assert sheet["A1"].value == "Besoins ouverts – PLIE de Lens"
    assert sheet["A2"].value == "Besoins en recrutement ouverts au 02/10/2026"
    assert sheet["A3"].value == "3 fiches de liaison, 6 postes à pourvoir"


def test_open_needs_header_is_styled_frozen_and_filtered(sheet):
    row = header_row(sheet)
    assert [c.value for c in sheet[row]] == list(HEADERS)
    assert all(c.font.bold for c in sheet[row])
    assert sheet.freeze_panes == f"A{row + 1}"
    assert sheet.auto_filter.ref == f"A{row}:L{row + 3}"


def test_open_needs_rows_sorted_by_start_date_with_typed_cells(sheet):
    row = header_row(sheet)
    first, second, third = (sheet[row + i] for i in (1, 2, 3))
    assert [first[0].value, second[0].value, third[0].value] == ["Bâtir & Rénover", "+33 Bâtiment", "Sans date"]
    assert first[2].value == 2 and first[2].data_type == "n"
    assert first[3].value == datetime(2026, 11, 3) and first[3].number_format == "DD/MM/YYYY"
    assert first[6].value == 35 and first[6].data_type == "n"
    assert second[6].value == 37.5
    assert third[3].value is None
    assert [c.value for c in first] == ["Bâtir & Rénover", "Maçon·ne", 2, datetime(2026, 11, 3), "CDD", "6 mois",
                                        35, "Lens", "2026-014 – Groupe scolaire", "2", "Embauche directe", CONTACT]


def test_open_needs_formula_looking_text_stays_text(sheet):
    cells = sheet[header_row(sheet) + 2]
    for index, expected in ((0, "+33 Bâtiment"), (1, ATTACK), (7, "@SUM(A1:A9)"), (9, "-1")):
        assert cells[index].value == expected
        assert cells[index].data_type == "s"


def test_open_needs_empty_list_still_has_header_and_filter():
    ws = load_workbook(BytesIO(build_open_needs_xlsx([], title="Aucun besoin", generated_on=date(2026, 10, 2)))).active
    row = header_row(ws)
    assert ws.max_row == row
    assert ws.auto_filter.ref == f"A{row}:L{row}"
    assert ws["A3"].value == "0 fiche de liaison, 0 poste à pourvoir"


def test_open_need_from_fiche_uses_labels_and_joins_tender():
    fiche = FicheData(company_name=" Dupont ", job_title="Peintre", posts=1, start_on=date(2026, 11, 3),
                      contract_type=ContractType.MISSION_ETTI, weekly_hours=Decimal(35), workplace="Arras",
                      tender_reference="2026-014", tender_object="Groupe scolaire", lot="3", modality=Modality.ETTI)
    row = open_need_from_fiche(fiche, facilitator_contact=CONTACT)
    assert row.company_name == "Dupont"
    assert row.contract == "Mission d'intérim d'insertion"
    assert row.modality == "Mise à disposition par une ETTI"
    assert row.tender == "2026-014 – Groupe scolaire"
    assert row.facilitator_contact == CONTACT
