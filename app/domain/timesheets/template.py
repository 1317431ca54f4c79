"""Build the pre-filled XLSX timesheet a structure fills in each month."""

import calendar
import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.domain.sheetmap.period import month_label
from app.domain.documents.xlsx import clean_text

WEEKDAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
HEADER_ROW = 7
FIRST_LINE = 9
# Blank, unlocked lines under the known people: a worker who joined during the month is added
# there by the structure itself (issue 17: the protected sheet left no room and said nothing).
BLANK_LINES = 15
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WEEKEND = PatternFill("solid", fgColor="DDDDDD")
_HEAD = PatternFill("solid", fgColor="D9E2F3")


@dataclass(frozen=True)
class TemplateLine:
    """One person to pre-fill: names as on the roster, and the lot they work on."""

    last_name: str
    first_name: str
    lot: str | None = None
    # The SIAE that declares this person's hours: shown read-only, never filled in here.
    declared_by: str | None = None


def _text(ws, row: int, col: int, value: str | None):
    # Names come from users: "=cmd|..." must stay text, never become a formula, and a control
    # character pasted into a name must not make openpyxl refuse the whole sheet.
    cell = ws.cell(row=row, column=col)
    cell.value = clean_text(value or "")
    cell.data_type = "s"
    return cell


def build_timesheet_template(structure_name: str, siret: str, month: str,
                             lines: list[TemplateLine], *, daily: bool = True) -> bytes:
    """Return the XLSX bytes of a month's timesheet for one structure."""
    year, number = map(int, month.split("-"))
    days = calendar.monthrange(year, number)[1]
    wb = Workbook()
    ws = wb.active
    ws.title = month_label(month).capitalize()
    ws["A1"] = "Relevé mensuel des heures d'insertion"
    ws["A1"].font = Font(bold=True, size=14)
    _text(ws, 2, 1, f"Structure : {structure_name}")
    _text(ws, 3, 1, f"SIRET : {siret}")
    _text(ws, 4, 1, f"Mois : {month_label(month)}")
    ws["A5"] = ("Saisissez les heures en nombre décimal (7,5 pour 7 h 30, 10 h au plus par jour). "
                "Absence : laissez la case vide et indiquez le motif dans « Remarques ».")
    ws["A5"].font = Font(italic=True, size=9)
    labels = ["Nom", "Prénom", "Lot"]
    if daily:
        labels += [str(d) for d in range(1, days + 1)]
    else:
        labels += ["Heures réalisées"]
    labels += ["Heures de formation", "Total (h)", "Remarques"]
    for col, label in enumerate(labels, start=1):
        cell = _text(ws, HEADER_ROW, col, label)
        cell.font, cell.fill, cell.border = Font(bold=True), _HEAD, _BOX
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    first_hours, last_hours = 4, 3 + (days if daily else 1)
    if daily:
        for d in range(1, days + 1):
            weekday = date(year, number, d).weekday()
            cell = _text(ws, HEADER_ROW + 1, 3 + d, WEEKDAYS[weekday])
            cell.alignment = Alignment(horizontal="center")
            if weekday >= 5:
                cell.fill = _WEEKEND
            ws.column_dimensions[get_column_letter(3 + d)].width = 5
    training_col, total_col = last_hours + 1, last_hours + 2
    own = [line for line in lines if not line.declared_by]
    blanks = [TemplateLine("", "")] * BLANK_LINES
    _add_lines(ws, [*own, *blanks], first_hours, last_hours, training_col, total_col, daily, (year, number))
    _explain_blank_lines(ws, FIRST_LINE + len(own))
    _validate(ws, len(own) + BLANK_LINES, first_hours, last_hours, training_col, 10 if daily else 10 * days)
    _add_read_only(ws, [line for line in lines if line.declared_by], FIRST_LINE + len(own) + BLANK_LINES + 2)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 18
    ws.column_dimensions[get_column_letter(total_col + 1)].width = 30
    ws.freeze_panes = ws.cell(row=FIRST_LINE, column=4)
    ws.protection.sheet = True
    # Titles and totals stay locked; inserting a whole row stays possible for a long list.
    ws.protection.insertRows = False
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _add_lines(ws, lines, first_hours, last_hours, training_col, total_col, daily, year_month):
    for offset, line in enumerate(lines):
        row = FIRST_LINE + offset
        for col, value in ((1, line.last_name), (2, line.first_name), (3, line.lot)):
            cell = _text(ws, row, col, value) if value else ws.cell(row=row, column=col)
            cell.border = _BOX
            if not line.last_name:
                cell.protection = Protection(locked=False)
        for col in range(first_hours, training_col + 1):
            cell = ws.cell(row=row, column=col)
            cell.protection, cell.border = Protection(locked=False), _BOX
            cell.number_format = "0.##"
            if daily and col <= last_hours and date(*year_month, col - 3).weekday() >= 5:
                cell.fill = _WEEKEND
        total = ws.cell(row=row, column=total_col)
        first, last = get_column_letter(first_hours), get_column_letter(last_hours)
        total.value = f"=SUM({first}{row}:{last}{row})"
        total.font, total.border = Font(bold=True), _BOX
        remarks = ws.cell(row=row, column=total_col + 1)
        remarks.protection, remarks.border = Protection(locked=False), _BOX


ADD_PERSON_NOTE = (
    "Ajouter une personne : écrivez son nom, son prénom et son lot dans une ligne vide du tableau "
    "(lignes {first} à {last}), puis ses heures. Clausier la reconnaîtra, ou vous demandera à qui elle "
    "correspond, au dépôt du relevé. Plus de {count} nouvelles personnes ? Déposez un second relevé."
)


def _explain_blank_lines(ws, first_blank: int) -> None:
    """Say in the sheet (a line above the table, a note on the first blank line) how to add a person."""
    text = ADD_PERSON_NOTE.format(first=first_blank, last=first_blank + BLANK_LINES - 1, count=BLANK_LINES)
    ws["A6"] = text
    ws["A6"].font = Font(italic=True, size=9)
    ws.cell(row=first_blank, column=1).comment = Comment(text, "Clausier", width=320, height=120)


def _add_read_only(ws, lines, row):
    # One text cell per person, no hour cell: the reader skips the block, the person is not
    # declared twice (DOMAIN.md §11), and the company still sees who works on its lots.
    if not lines:
        return
    _text(ws, row, 1, "Personnes mises à disposition : leurs heures sont déclarées par la structure "
                      "d'insertion, ne les saisissez pas ici.").font = Font(italic=True, bold=True, size=9)
    for offset, line in enumerate(lines, start=1):
        lot = f" — {line.lot}" if line.lot else ""
        _text(ws, row + offset, 1, f"{line.last_name} {line.first_name}{lot} : déclaré par {line.declared_by} "
                                   "(lecture seule)").font = Font(italic=True, size=9, color="666666")


def _validate(ws, count, first_hours, last_hours, training_col, ceiling):
    if not count:
        return
    last_row = FIRST_LINE + count - 1
    rule = DataValidation(type="decimal", operator="between", formula1="0", formula2=str(ceiling),
                          allow_blank=True, showErrorMessage=True, errorTitle="Heures",
                          error=f"Saisissez un nombre d'heures entre 0 et {ceiling} (ex. 7,5).")
    rule.add(f"{get_column_letter(first_hours)}{FIRST_LINE}:{get_column_letter(last_hours)}{last_row}")
    training = DataValidation(type="decimal", operator="between", formula1="0", formula2="200",
                              allow_blank=True, showErrorMessage=True, errorTitle="Formation",
                              error="Saisissez un nombre d'heures de formation (ex. 3,5).")
    letter = get_column_letter(training_col)
    training.add(f"{letter}{FIRST_LINE}:{letter}{last_row}")
    ws.add_data_validation(rule)
    ws.add_data_validation(training)
