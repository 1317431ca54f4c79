"""The same list saved as XLSX, XLS (Excel 97-2003), ODS (LibreOffice) and CSV is read the same way."""

import io
from datetime import date, datetime

import pytest

from app.access import Scope
from app.domain.dataimport import CREATE, KINDS
from app.services.dataimport import plan_import, read_import
from tests.services.dataimport import files

HEADER = ["Nom", "Prénom", "Date de naissance", "Sexe", "Code postal", "Critères", "Date du justificatif"]
PEOPLE = [["DUPRÉ", "Hélène", date(1985, 3, 12), "F", "59140", "BRSA, DELD", date(2025, 9, 1)],
          ["N'DIAYE", "Mamadou", date(2001, 11, 30), "H", "62300", "Jeune -26 ans", date(2025, 10, 15)],
          ["Saint-Léger", "Zoé", date(1969, 7, 4), "F", "59000", "RQTH", None]]


def as_xls(header: list[str], rows: list[list[object]]) -> bytes:
    """Return an Excel 97-2003 workbook (what older tools still export), dates as real dates."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Participants")
    as_date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    sheet.write(0, 0, "Liste des participants")
    for column, title in enumerate(header):
        sheet.write(2, column, title)
    for line, row in enumerate(rows, start=3):
        for column, value in enumerate(row):
            if isinstance(value, date):
                sheet.write(line, column, datetime(value.year, value.month, value.day), as_date)
            elif value is not None:
                sheet.write(line, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_ods(header: list[str], rows: list[list[object]]) -> bytes:
    """Return a LibreOffice Calc file, dates as date cells shown the French way."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Participants")
    for values in [["Liste des participants"], [], header, *rows]:
        line = TableRow()
        for value in values:
            if isinstance(value, date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=value.strftime("%d/%m/%Y")))
            elif value:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell()
            line.addElement(cell)
        table.addElement(line)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


FORMATS = {
    "xlsx": lambda: files.handmade_xlsx("Liste des participants", HEADER, PEOPLE, total=False),
    "xls": lambda: as_xls(HEADER, PEOPLE),
    "ods": lambda: as_ods(HEADER, PEOPLE),
    "csv": lambda: files.tool_csv(HEADER, PEOPLE),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_spreadsheet_format_gives_the_same_lines(session, world, name):
    scope = Scope(organisation_id=world.a.organisation_id)
    kind = KINDS["participants"]
    read = read_import(session, scope, kind, FORMATS[name]())
    plan = plan_import(session, scope, kind, read.rows, read.mapping, read.value_maps)
    assert [result.action for result in plan.results if result.action != "skip"] == [CREATE] * 3, plan.report()
    created = [result for result in plan.results if result.action == CREATE]
    assert [(r.values["last_name"], r.values["birth_on"]) for r in created] == [
        ("DUPRÉ", date(1985, 3, 12)), ("N'DIAYE", date(2001, 11, 30)), ("Saint-Léger", date(1969, 7, 4))]
    assert [r.values["postcode"] for r in created] == ["59140", "62300", "59000"]
    assert [sorted(criterion.value for criterion, _proof in r.values["criteria"]) for r in created] == [
        ["brsa", "deld"], ["jeune"], ["rqth"]]
