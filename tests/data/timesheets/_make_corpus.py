"""Regenerate the golden timesheet corpus: python tests/data/timesheets/_make_corpus.py [--expected].

Each case mimics what a small SIAE office sends. ``--expected`` rewrites every
``<case>.expected.json`` from the current parser: review the diff before committing.
"""

import csv
import io
import json
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
TITLE = ["Régie de quartier Nord (EI)", "SIRET : 123 456 789 00012", "Client : Bâtir Ensemble SA",
         "Chantier : Résidence Les Tilleuls"]


def mensuel_xlsx() -> bytes:
    """Monthly rows, two-row merged header, decimal commas, remarks, TOTAL GÉNÉRAL, a bad total."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Relevé"
    ws["A1"] = "FICHE DE SUIVI MENSUELLE - CLAUSE D'INSERTION"
    ws["A2"], ws["A3"], ws["D2"], ws["D3"] = TITLE
    ws["A4"] = "Mois : mars 2026"
    ws.append([])
    ws.append(["Salarié", None, "Contrat", "Heures", None, None, "Remarques"])
    ws.append(["Nom", "Prénom", None, "Réalisées", "Formation", "Total", None])
    ws.merge_cells("A6:B6")
    ws.merge_cells("D6:F6")
    ws.append(["MARTIN", "Paul", "CDDI", 140, 7, 147, ""])
    ws.append(["DIALLO", "Fatou", "CDDI", "151,67", None, "151,67", "Sortie le 31/03 : CDI"])
    ws.append(["LE GALL", "Anne-Sophie", "CDDI", "120h30", "3,5", "125", ""])
    ws.append(["BENALI", "Karim", "Mission ETTI", 35.5, None, 35.5, "Entrée le 23/03"])
    ws.append([None, None, None, 447.67, 10.5, 458.17, None])
    ws.append(["TOTAL GÉNÉRAL", None, None, 447.67, 10.5, 458.17, None])
    ws.append([])
    ws.append(["Fait à Lille, le 02/04/2026"])
    return _save(wb)


def journalier_xlsx() -> bytes:
    """Daily grid 1..31 with weekdays row, weekends, combined names, codes, 7h30, > 10 h."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Mars 2026"
    ws["A1"] = "Relevé d'heures journalier"
    ws["A2"], ws["A3"] = TITLE[:2]
    ws["A4"] = "Période du 01/03/2026 au 31/03/2026"
    header = ["Nom Prénom", *range(1, 32), "Formation", "Total", "Observations"]
    ws.append([])
    ws.append(header)
    ws.append([None, *["lmmjvsd"[date(2026, 3, d).weekday()].upper() for d in range(1, 32)]])
    grey = PatternFill("solid", fgColor="CCCCCC")
    people = {
        "DUPONT Marie": {d: 7 for d in range(2, 7)} | {d: 7.5 for d in range(9, 14)} | {16: "CP", 17: "CP"},
        "DE SOUSA João": {2: "7h30", 3: "7,5", 4: 7.5, 5: "7:30", 6: 11, 9: "AT", 10: "maladie"},
        "Anne-Sophie LE GALL": {d: 3.5 for d in range(23, 28)} | {30: "abs"},
    }
    totals = {"DUPONT Marie": 72.5, "DE SOUSA João": 41, "Anne-Sophie LE GALL": 17.5}
    for name, days in people.items():
        row = [name, *[days.get(d) for d in range(1, 32)], 7 if name.startswith("DUPONT") else None,
               totals[name], "Temps partiel" if "LE GALL" in name else None]
        ws.append(row)
    ws.append(["Total", *[None] * 31, 7, 131, None])
    for col in range(2, 33):
        if date(2026, 3, col - 1).weekday() >= 5:
            for r in range(6, 11):
                ws.cell(row=r, column=col).fill = grey
    return _save(wb)


def hebdo_xlsm() -> bytes:
    """Weekly columns (S10, Semaine 12…), a 50 h week, compound names, a duplicated line."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Heures mars 2026"
    ws["A1"] = "Suivi hebdomadaire - ETTI Tremplin"
    ws["A2"] = "Lot : 4 - Menuiserie"
    ws.append([])
    ws.append(["NOM", "Prénom", "S10", "S11", "Semaine 12", "Sem. 13", "S14", "Total"])
    ws.append(["DE LA FONTAINE", "Jean-Baptiste", 35, 35, 35, 35, 7, 147])
    ws.append(["N'DIAYE", "Aïssatou", 20, 50, 24, None, None, 94])
    ws.append(["FAURE", "Léa", 14, 14, "14", "14", None, 56])
    ws.append(["FAURE", "Léa", 14, 14, "14", "14", None, 56])
    data = _save(wb)
    # Saved as a macro-enabled workbook: only the content type differs from .xlsx.
    return _retype(data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                   "application/vnd.ms-excel.sheet.macroEnabled.main+xml")


def par_jour_xls() -> bytes:
    """Old .xls export, one row per person per day with real dates; 11 h on one day."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Export")
    as_date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    sheet.write(0, 0, "Export pointage - GEIQ BTP 59")
    for col, label in enumerate(["Date", "Salarié", "Heures", "Heures formation", "Commentaire"]):
        sheet.write(2, col, label)
    lines = [
        (date(2026, 3, 2), "PETIT Hugo", 7, 0, ""), (date(2026, 3, 3), "PETIT Hugo", 7, 0, ""),
        (date(2026, 3, 4), "PETIT Hugo", 6, 0, "matin"), (date(2026, 3, 4), "PETIT Hugo", 5, 0, "après-midi"),
        (date(2026, 3, 5), "PETIT Hugo", 0, 7, "CACES"), (date(2026, 3, 2), "CAMARA Inès", 7.5, 0, ""),
        (date(2026, 3, 3), "CAMARA Inès", 7.5, 0, ""), (date(2026, 3, 6), "CAMARA Inès", 3.25, 0, ""),
    ]
    for row, (day, name, hours, training, note) in enumerate(lines, start=3):
        sheet.write(row, 0, datetime(day.year, day.month, day.day), as_date)
        sheet.write(row, 1, name)
        sheet.write(row, 2, hours)
        sheet.write(row, 3, training)
        sheet.write(row, 4, note)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def lots_ods() -> bytes:
    """One sheet per lot, a notes sheet without table, the same person on two lots."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()

    def add(name: str, rows: list[list[object]]) -> None:
        table = Table(name=name)
        for values in rows:
            tr = TableRow()
            for value in values:
                if isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value).replace(".", ",")))
                else:
                    cell = TableCell(valuetype="string") if value else TableCell()
                    if value:
                        cell.addElement(P(text=value))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)

    head = [["ACI Jardins du Cœur"], ["Période du 01/03/2026 au 31/03/2026"], [],
            ["Nom", "Prénom", "Heures réalisées", "Heures de formation"]]
    add("Lot 2 - Gros œuvre", head + [["GARCIA", "Lucas", 98, 0], ["BONNET", "Chloé", 70.5, 3.5]])
    add("Lot 3 - Peinture", head + [["GARCIA", "Lucas", 21, 0], ["MOREAU", "Yacine", 105, 14]])
    add("Consignes", [["Merci de renvoyer ce fichier avant le 5 du mois suivant."]])
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def csv_utf8() -> bytes:
    """UTF-8 with BOM, ';', decimal commas, 'Prénom Nom' combined names, a title line."""
    rows = [["Relevé mensuel - Entreprise d'insertion Le Relais", "", "", ""],
            ["Mois", "mars 2026", "", ""], ["", "", "", ""],
            ["Prénom Nom", "Heures travaillées", "Dont formation", "Remarques"],
            ["Marie DUPONT", "151,67", "0", ""], ["João DE SOUSA", "82,5", "7", "entrée le 10/03"],
            ["Karim BENALI", "230", "", "heures à confirmer"], ["", "464,17", "7", ""]]
    return _csv(rows, ";").encode("utf-8-sig")


def csv_cp1252() -> bytes:
    """Windows-1252, ',' with quoted decimal commas, per-day rows, 7h30 / 7:30 / 7 h 30 / CP."""
    rows = [["Nom", "Prénom", "Date", "Heures", "Observations"],
            ["LEFEBVRE", "Hélène", "02/03/2026", "7h30", ""], ["LEFEBVRE", "Hélène", "03/03/2026", "7:30", ""],
            ["LEFEBVRE", "Hélène", "04/03/2026", "7 h 30", ""], ["LEFEBVRE", "Hélène", "05/03/2026", "CP", "congés"],
            ["TRAORÉ", "Aïcha", "02/03/2026", "7,5", ""], ["TRAORÉ", "Aïcha", "03/03/2026", "sept", ""]]
    return _csv(rows, ",").encode("cp1252")


def _pdf(orientation: str = "P"):
    from fpdf import FPDF

    pdf = FPDF(orientation=orientation, format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("dejavu", "", FONT)
    pdf.add_font("dejavu", "B", FONT.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    pdf.set_font("dejavu", size=9)
    return pdf


def pdf_ruled() -> bytes:
    """A ruled table as printed from a tableur, with cells that wrap on two lines."""
    pdf = _pdf()
    pdf.add_page()
    for line in ["Fiche de suivi des heures d'insertion", *TITLE, "Mois : avril 2026"]:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    rows = [("Nom", "Prénom", "Heures réalisées", "Heures de formation", "Remarques"),
            ("ROUX", "Thomas", "140", "0", ""),
            ("DE SOUSA FERREIRA", "Maria da Conceição", "98,5", "14", "Formation CACES R482 du 14 au 16/04"),
            ("LAMBERT", "Lucas", "35", "0", "")]
    with pdf.table(col_widths=(30, 40, 25, 25, 70), text_align="LEFT") as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)
    return bytes(pdf.output())


def pdf_aligned() -> bytes:
    """Daily grid printed without rulings: columns only line up."""
    pdf = _pdf("L")
    pdf.set_font("dejavu", size=7)
    pdf.add_page()
    pdf.cell(0, 5, "Relevé d'heures - Mars 2026 - Régie de quartier Nord", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.cell(40, 4, "Nom Prénom")
    for d in range(1, 32):
        pdf.cell(7, 4, str(d), align="R")
    pdf.cell(12, 4, "Total", align="R", new_x="LMARGIN", new_y="NEXT")
    grid = {"FONTAINE Paul": {d: 7 for d in range(2, 7)}, "MERCIER Léa": {d: "7,5" for d in range(9, 12)} | {12: "CP"}}
    for name, days in grid.items():
        pdf.cell(40, 4, name)
        for d in range(1, 32):
            pdf.cell(7, 4, str(days.get(d, "")), align="R")
        total = "35" if name.startswith("FONTAINE") else "22,5"
        pdf.cell(12, 4, total, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def pdf_multipage() -> bytes:
    """Three pages, header repeated on each page, page footers."""
    pdf = _pdf()
    last = ["BERNARD", "PETIT", "ROUX", "FAURE", "GARCIA", "MOREAU", "LAMBERT", "BONNET", "DIALLO", "CAMARA"]
    first = ["Paul", "Léa", "Hugo", "Inès", "Karim", "Chloé"]
    people = [(f"{last[i % 10]}", f"{first[i // 10]}", 20 + i) for i in range(54)]
    for page in range(3):
        pdf.add_page()
        pdf.cell(0, 6, "Relevé mensuel des heures - février 2026" + (" (suite)" if page else ""),
                 new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        for label, width in (("Nom", 45), ("Prénom", 45), ("Heures", 30)):
            pdf.cell(width, 6, label)
        pdf.ln(6)
        for name, given, hours in people[page * 18:(page + 1) * 18]:
            pdf.cell(45, 6, name)
            pdf.cell(45, 6, given)
            pdf.cell(30, 6, str(hours), align="R")
            pdf.ln(6)
        pdf.set_xy(10, 280)
        pdf.cell(0, 5, f"Page {page + 1}/3", align="C")
    return bytes(pdf.output())


def pdf_scan() -> bytes:
    """An image-only PDF, as a photocopier scan gives: large clean print."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1654, 1100), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 38)
    lines = [("Relevé d'heures - mars 2026", None), ("", None),
             ("Nom", "Prénom", "Heures"), ("DUPONT", "Marie", "140"), ("MARTIN", "Paul", "98"),
             ("BERNARD", "Lucas", "35")]
    y = 80
    for line in lines:
        if len(line) == 3:
            for x, text in zip((120, 620, 1120), line):
                draw.text((x, y), text, font=font, fill=0)
        elif line[0]:
            draw.text((120, y), line[0], font=font, fill=0)
        y += 90
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = _pdf()
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=0, y=0, w=210)
    return bytes(pdf.output())


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _retype(data: bytes, old: str, new: str) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(old.encode(), new.encode())
            target.writestr(info, content)
    return out.getvalue()


def _csv(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


CASES = {
    "mensuel_siae.xlsx": mensuel_xlsx, "journalier_grille.xlsx": journalier_xlsx,
    "hebdo_semaines.xlsm": hebdo_xlsm, "par_jour_dates.xls": par_jour_xls,
    "plusieurs_lots.ods": lots_ods, "export_utf8.csv": csv_utf8, "export_cp1252.csv": csv_cp1252,
    "pdf_tableau_regle.pdf": pdf_ruled, "pdf_colonnes_alignees.pdf": pdf_aligned,
    "pdf_multipage.pdf": pdf_multipage, "pdf_scan.pdf": pdf_scan,
}


def main() -> None:
    """Write every case, and its expected JSON when asked."""
    sys.path.insert(0, str(HERE.parents[2]))
    from app.domain.timesheets import parse_timesheet, timesheet_to_dict

    for name, make in CASES.items():
        path = HERE / name
        path.write_bytes(make())
        if "--expected" in sys.argv:
            result = timesheet_to_dict(parse_timesheet(path.read_bytes(), name))
            expected = path.with_name(path.stem + ".expected.json")
            expected.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{name}: {path.stat().st_size} octets")


if __name__ == "__main__":
    main()
