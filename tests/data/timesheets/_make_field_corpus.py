"""Regenerate the field layouts: python tests/data/timesheets/_make_field_corpus.py [--expected].

Each case copies a layout seen in files that structures actually send (payroll software,
SIAE offices, temp agencies' back offices), not one shaped to the parser. ``--expected``
rewrites each ``<case>.expected.json`` from the current parser: review the diff first.
"""

import io
import json
import sys
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def heures_sup_paie_xlsx() -> bytes:
    """Monthly payroll recap: normal hours, overtime at 25 % and 50 %, absences, a year-to-date column."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Récap avril"
    ws["A1"] = "ASSOCIATION TREMPLIN VERT — Atelier chantier d'insertion"
    ws["A2"] = "Récapitulatif des heures — Avril 2026"
    ws["A3"] = "Marché : Entretien des espaces verts — Ville de Roubaix"
    ws.append([])
    ws.append(["Matricule", "Nom", "Prénom", "Heures normales", "Heures sup. 25 %",
               "Heures sup. 50 %", "Absences (h)", "Total heures", "Cumul depuis le début"])
    ws.append(["0412", "N'DIAYE", "Aïssatou", 151.67, 4, None, None, 155.67, 612.5])
    ws.append(["0419", "DE LA FONTAINE", "Jean-Noël", 130, 8, 2, 21.67, 140, 540])
    ws.append(["0427", "D'ALMEIDA", "José", 98.5, None, None, 53.17, 98.5, 98.5])
    ws.append(["0431", "LEFÈVRE", "Éloïse", 151.67, 6.5, None, None, 150, 700.17])
    ws.append([None, "Total", None, 531.84, 18.5, 2, 74.84, 544.17, 1951.17])
    return _save(wb)


def heures_sup_grille_ods() -> bytes:
    """Daily grid with absence codes (CP, MAL, AT, ABS, JF, férié), an overtime and a yearly column."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Mai 2026")

    def add(row):
        tr = TableRow()
        for value in row:
            if value is None:
                tr.addElement(TableCell())
            elif isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                tr.addElement(cell)
        table.addElement(tr)

    add(["Entreprise d'insertion Les Jardins d'Émeraude"])
    add(["Feuille de présence — mai 2026"])
    add([])
    add(["Salarié", *range(1, 32), "H. supp.", "Total mois", "Cumul annuel"])
    # 1 May is a public holiday, 8 May too; weekends are blank.
    work = {d: 7 for d in range(1, 32) if d not in (2, 3, 9, 10, 16, 17, 23, 24, 30, 31)}
    first = work | {1: "férié", 8: "JF", 11: "CP", 12: "CP"}
    second = work | {1: "JF", 8: "férié", 20: "MAL", 21: "MAL", 22: "AT"}
    third = work | {1: "férié", 8: "férié", 5: "ABS", 6: 3.5}
    for name, days, extra in (("VAN DEN BROECK Maëlle", first, 3), ("ÇELIK Ömer", second, None),
                              ("O'CONNOR Siobhán", third, 1.5)):
        cells = [days.get(d) for d in range(1, 32)]
        hours = sum(v for v in cells if isinstance(v, (int, float)))
        add([name, *cells, extra, hours + (extra or 0), hours * 5])
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def dont_marche_xlsx() -> bytes:
    """Hours in the company, hours in training, and "dont heures sur le marché": the contract's share."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Juin"
    ws["A1"] = "ETTI Intérim Solidaire Hauts-de-France"
    ws["A2"] = "Suivi clause sociale — juin 2026"
    ws["A3"] = "Opération : Réhabilitation groupe scolaire Jean-Macé, lot 4"
    ws.append([])
    ws.append(["Nom et prénom", "Entreprise utilisatrice", "Heures en entreprise",
               "Heures en formation", "dont heures sur le marché", "Observations"])
    ws.append(["LE ROUX Anaïs", "Bâtiments du Nord", 140, 7, 119, ""])
    ws.append(["BEN SAÏD Mohamed-Amine", "Bâtiments du Nord", 151.67, None, 151.67, ""])
    ws.append(["GUÉRIN-DUPRÉ Clémence", "Menuiseries Picardes", 77, 14, 35, "Fin de mission le 12/06"])
    ws.append(["Total", None, 368.67, 21, 305.67, None])
    return _save(wb)


def dont_marche_csv() -> bytes:
    """The same figures from a small office's CSV export, abbreviated headers, Windows-1252."""
    lines = [
        "NOM;PRENOM;H. entreprise;H. formation;Dont h. marché;Cumul contrat",
        "LE ROUX;Anaïs;140,00;7,00;119,00;812,00",
        "DA SILVA;João;98,50;0,00;62,50;98,50",
        "M'BAPPÉ;Fatoumata;151,67;;151,67;455,01",
        ";;390,17;7,00;333,17;",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def duree_hmm_xlsx() -> bytes:
    """Hours typed as Excel durations ([h]:mm): days as times, the month over 24 h."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Heures"
    ws["A1"] = "Relevé mensuel — Régie de quartier Saint-Maurice"
    ws["A2"] = "Mois : juillet 2026"
    ws.append([])
    ws.append(["Nom", "Prénom", "Heures réalisées", "Heures formation", "Total"])
    rows = [("DUBOIS-AUBERT", "Loïc", timedelta(hours=151, minutes=40), timedelta(hours=3, minutes=30)),
            ("EL HADDAD", "Nour", timedelta(hours=86, minutes=45), None),
            ("DE SAINT-EXUPÉRY", "Hélène", timedelta(hours=121, minutes=20), timedelta(hours=7))]
    for last, first, worked, training in rows:
        total = worked + (training or timedelta())
        ws.append([last, first, worked / timedelta(days=1), training and training / timedelta(days=1),
                   total / timedelta(days=1)])
    for row in ws.iter_rows(min_row=5, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = "[h]:mm"
    return _save(wb)


def duree_texte_utf16_csv() -> bytes:
    """A time-clock export: UTF-16 with tabs (Excel's "Texte Unicode"), durations written "151:40"."""
    lines = [
        "Export pointage\tPériode du 01/07/2026 au 31/07/2026",
        "",
        "Collaborateur\tBadge\tHeures travaillées\tHeures formation\tTotal",
        "CHÂTELAIN Bérénice\t00451\t151:40\t0:00\t151:40",
        "N'GUESSAN Koffi\t00452\t98:15\t7:00\t105:15",
        "LÉVÊQUE Jean-Baptiste\t00467\t140:05\t\t140:05",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-16")


def masques_xlsx() -> bytes:
    """Last month kept on a hidden sheet, a hidden planning column beside the real hours."""
    from openpyxl import Workbook

    wb = Workbook()
    old = wb.active
    old.title = "Août"
    old.append(["Nom", "Prénom", "Heures réalisées"])
    old.append(["FONTAINE", "Mathis", 120])
    old.sheet_state = "hidden"
    ws = wb.create_sheet("Septembre")
    ws["A1"] = "Chantier école — Septembre 2026"
    ws.append([])
    ws.append(["Nom", "Prénom", "Heures prévues", "Heures réalisées", "Heures formation"])
    ws.append(["FONTAINE", "Mathis", 151.67, 140, 7])
    ws.append(["DUPONT DE LIGONNÈS", "Agnès", 151.67, 126.5, None])
    ws.append(["L'HUILLIER", "Gaëtan", 100, 91, 3.5])
    ws.column_dimensions["C"].hidden = True
    wb.active = 1
    return _save(wb)


def masques_grille_xlsx() -> bytes:
    """A daily grid whose previous month's columns (hidden) sit left of the current month."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Octobre 2026"
    ws["A1"] = "Feuille d'émargement — octobre 2026"
    ws.append([])
    ws.append(["Salarié", "Total septembre", *range(1, 32), "Total"])
    week = {d for d in range(1, 32) if d not in (3, 4, 10, 11, 17, 18, 24, 25, 31)}
    for name, hours, off in (("MOREAU-LEBLANC Inès", 7, {12, 13}), ("ABDELKADER Yacine", 6, set()),
                             ("DE OLIVEIRA Tânia", 7.5, {2})):
        cells = [hours if d in week and d not in off else None for d in range(1, 32)]
        ws.append([name, 140, *cells, sum(v for v in cells if v)])
    ws.column_dimensions[get_column_letter(2)].hidden = True
    ws.column_dimensions["P"].hidden = True  # the 14th, hidden by mistake: dropped, and said
    return _save(wb)


def export_html_xls() -> bytes:
    """An HTML table saved with a .xls name, as web payroll tools export "for Excel"."""
    rows = [("GARNIER", "Léa", "151,67", "7"), ("N'DOYE", "Ousmane", "120,5", ""),
            ("DE BONNEVAL", "Côme", "98", "14")]
    body = "".join(
        f"<tr><td>{a}</td><td>{b}</td><td>{c}</td><td>{d}</td></tr>" for a, b, c, d in rows)
    html = (
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>'
        "<table><tr><td colspan=4><b>Export heures — novembre 2026</b></td></tr>"
        "<tr><th>Nom</th><th>Prénom</th><th>Heures travaillées</th><th>Heures formation</th></tr>"
        f"{body}</table></body></html>"
    )
    return html.encode("utf-8")


def export_html_cp1252_xls() -> bytes:
    """The same kind of export from an older tool: Windows-1252, entities, a totals line."""
    html = (
        "<HTML><HEAD><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=windows-1252'>"
        "</HEAD><BODY><TABLE BORDER=1>"
        "<TR><TD>Soci&eacute;t&eacute;</TD><TD>Nettoyage &amp; Services</TD></TR>"
        "<TR><TD>P&eacute;riode</TD><TD>D&eacute;cembre 2026</TD></TR>"
        "<TR><TH>Salari&eacute;</TH><TH>Heures pay&eacute;es</TH><TH>Dont heures march&eacute;</TH></TR>"
        "<TR><TD>CH&Acirc;TEAU Ma&iuml;wenn</TD><TD>130,00</TD><TD>80,00</TD></TR>"
        "<TR><TD>LEBŒUF Aurélien</TD><TD>151,67</TD><TD>151,67</TD></TR>"
        "<TR><TD>TOTAL</TD><TD>281,67</TD><TD>231,67</TD></TR>"
        "</TABLE></BODY></HTML>"
    )
    return html.encode("cp1252")


def ressources(month: str, people: list[tuple], title_lines: int) -> bytes:
    """A planning tool's export the automatic reading cannot place: no « Nom » header at all."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Export"
    ws.append(["PlanRessources v4.2 — extraction"])
    for line in range(title_lines - 1):
        ws.append([f"Période : {month}" if line == 0 else f"Filtre {line} : équipe Espaces verts"])
    ws.append(["Ressource", "Code RH", "Réalisé (h)", "Form.", "Sup.", "Commentaire"])
    for row in people:
        ws.append(list(row))
    ws.append(["Σ", None, sum(r[2] for r in people), sum(r[3] or 0 for r in people), None, None])
    return _save(wb)


def ressources_mars() -> bytes:
    """The planning export for March: three people, one with overtime."""
    return ressources("mars 2026", [("Mme BERTRAND-N'GOMA Océane", "E118", 140, 7, None, ""),
                                    ("M. DE LA ROCHE Édouard", "E121", 151.67, None, 4, ""),
                                    ("M. PHAM Minh-Tuấn", "E130", 77, 3.5, None, "Entrée le 16/03")], 2)


def ressources_avril() -> bytes:
    """The next month from the same tool: a longer title block, someone new."""
    return ressources("avril 2026", [("Mme BERTRAND-N'GOMA Océane", "E118", 133, 7, 2, ""),
                                     ("M. PHAM Minh-Tuấn", "E130", 151.67, None, None, ""),
                                     ("Mme ZÉNOU Lou-Anne", "E135", 35, 14, None, "Entrée le 22/04")], 3)


def _week_hours(person: int, day) -> float | None:
    if day.weekday() >= 5:
        return None
    return (7, 7, 7, 7, 4)[day.weekday()] if person % 2 == 0 else (8, 8, 8, 8, 3)[day.weekday()]


def semaines_a_cheval_xlsx() -> bytes:
    """April laid out in whole weeks, Monday 30 March to Sunday 3 May, dates in the header."""
    from datetime import date, timedelta

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Avril"
    ws["A1"] = "Association Rebonds 93 — planning réalisé"
    ws["A2"] = "Mois : avril 2026"
    ws.append([])
    days = [date(2026, 3, 30) + timedelta(days=i) for i in range(35)]
    ws.append(["Nom", "Prénom", *days, "Total avril"])
    for cell in ws[4][2:-1]:
        cell.number_format = "ddd dd/mm"
    for index, (last, first) in enumerate((("OUEDRAOGO", "Awa"), ("LE BIHAN", "Gwenaël"), ("SAINT-ANGE", "Marcel"))):
        hours = [_week_hours(index, day) for day in days]
        april = sum(h or 0 for h, day in zip(hours, days) if day.month == 4)
        ws.append([last, first, *hours, april])
    return _save(wb)


def semaines_feuilles_xlsx() -> bytes:
    """One sheet per week (S14 to S18), real dates under the weekday names; totals per week."""
    from datetime import date, timedelta

    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    monday = date(2026, 3, 30)
    for week in range(14, 19):
        ws = wb.create_sheet(f"S{week}")
        days = [monday + timedelta(days=i) for i in range(7)]
        ws.append([f"Semaine {week} — du {days[0]:%d/%m/%Y} au {days[-1]:%d/%m/%Y}"])
        ws.append(["Salarié", *("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"), "Total"])
        ws.append([None, *days, None])
        for index, name in enumerate(("TRAN VAN Minh", "GONÇALVES Inês")):
            hours = [_week_hours(index, day) for day in days]
            ws.append([name, *hours, sum(h or 0 for h in hours)])
        monday += timedelta(days=7)
    return _save(wb)


def horaires_demi_journees_xlsx() -> bytes:
    """A day sheet per person and date: morning and afternoon arrival/departure times, a lunch break."""
    from datetime import date, time

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Horaires"
    ws["A1"] = "Chantier d'insertion « Les Ateliers du Canal » — horaires réalisés"
    ws["A2"] = "Période : mai 2026"
    ws.append([])
    ws.append(["Date", "Nom et prénom", "Début matin", "Fin matin", "Début après-midi", "Fin après-midi",
               "Observations"])
    days = [date(2026, 5, d) for d in (4, 5, 6, 7)]
    plan = {
        "AMRANI Soufiane": [(time(8), time(12), time(13), time(16, 30))] * 4,
        "DE CASTRO Lúcia": [(time(7, 30), time(12), None, None), (time(7, 30), time(12), time(12, 45), time(15)),
                            ("CP", None, None, None), (time(7, 30), time(12), time(12, 45), time(15))],
    }
    for name, slots in plan.items():
        for index, (day, slot) in enumerate(zip(days, slots)):
            ws.append([day, name if index == 0 else None, *slot, ""])
    for row in ws.iter_rows(min_row=5, max_col=1):
        row[0].number_format = "DD/MM/YYYY"
    for row in ws.iter_rows(min_row=5, min_col=3, max_col=6):
        for cell in row:
            cell.number_format = "hh:mm"
    return _save(wb)


def pointage_csv() -> bytes:
    """A time clock's export: one line per punch pair, text times, a break column without a unit."""
    lines = [
        "Société;Nettoyage Pro Services",
        "Période;du 01/06/2026 au 30/06/2026",
        "",
        "Matricule;Nom;Prénom;Date;Heure d'entrée;Heure de sortie;Pause",
        "1021;EL MANSOURI;Yasmina;01/06/2026;06h00;10h30;0",
        "1021;EL MANSOURI;Yasmina;01/06/2026;17h00;19h00;0",
        "1021;EL MANSOURI;Yasmina;02/06/2026;06h00;11h00;20",
        "1044;LE FLOC'H;Erwan;01/06/2026;22h00;05h30;45",
        "1044;LE FLOC'H;Erwan;02/06/2026;22h00;05h30;45",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _half_day_sheet(ws, first_row: int, days: range, people: dict, marks: tuple[str, str]) -> None:
    from openpyxl.utils import get_column_letter

    top, sub = ["Nom Prénom"], [None]
    for day in days:
        top += [day, None]
        sub += list(marks)
    ws.append(top)
    ws.append(sub)
    for index in range(len(days)):
        column = 2 + 2 * index
        ws.merge_cells(f"{get_column_letter(column)}{first_row}:{get_column_letter(column + 1)}{first_row}")
    for name, cells in people.items():
        ws.append([name, *cells])


def demi_journees_xlsx() -> bytes:
    """An émargement grid: each day split into M and AM, an X per half-day present, 3,5 h stated."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Émargement"
    ws["A1"] = "Feuille d'émargement — Atelier Couture Solidaire — juin 2026"
    ws["A2"] = "Une demi-journée = 3,5 h"
    ws.append([])
    days = range(1, 13)  # a training fortnight: only the days of the action
    weekdays = {1, 2, 3, 4, 5, 8, 9, 10, 11, 12}
    full = [("X", "X") if d in weekdays else (None, None) for d in days]
    mornings = [("X", None) if d in weekdays else (None, None) for d in days]
    sick = [("X", "X") if d in weekdays and d not in (8, 9) else ("MAL", "MAL") if d in (8, 9) else (None, None)
            for d in days]
    people = {"FOFANA Mariam": [m for pair in full for m in pair],
              "DA ROCHA Inês": [m for pair in mornings for m in pair],
              "BOUAZIZ-LEROY Sami": [m for pair in sick for m in pair]}
    _half_day_sheet(ws, 4, days, people, ("M", "AM"))
    return _save(wb)


def demi_journees_ods() -> bytes:
    """The same kind of grid from LibreOffice: « Matin »/« Après-midi », « P » marks, 3h30 stated."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Présences")

    def add(row):
        tr = TableRow()
        for value in row:
            if value is None:
                tr.addElement(TableCell())
            elif isinstance(value, int):
                cell = TableCell(valuetype="float", value=value, numbercolumnsspanned=2)
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                tr.addElement(cell)
        table.addElement(tr)

    add(["Relevé de présence — septembre 2026"])
    add(["Durée d'une demi-journée : 3h30"])
    add([])
    days = range(1, 6)
    top = ["Stagiaire"]
    for day in days:
        top += [day, None]
    add(top)
    add([None, *["Matin", "Après-midi"] * len(days)])
    add(["SANTOS-MOREL Kévin", *["P", "P"] * 5])
    add(["N'GUESSAN Adjoua", "P", "P", "P", "P", "P", None, "ABS", "ABS", "P", "P"])
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def paie_rubriques_xlsx() -> bytes:
    """A payroll tool's « état des heures par rubrique »: one line per pay item, the name on the first."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Etat heures"
    ws["A1"] = "EI Recyclerie du Pays Basque — État des heures par salarié et rubrique"
    ws["A2"] = "Période de paie : 01/04/2026 - 30/04/2026"
    ws.append([])
    ws.append(["Matricule", "Salarié", "Rubrique", "Libellé rubrique", "Quantité", "Unité", "Montant"])
    people = [
        ("0007", "ETCHEVERRY Maïder", [("1000", "Heures normales", "130:00", "H", 1545.70),
                                      ("1105", "Heures supplémentaires 25 %", "4:30", "H", 66.88),
                                      ("1110", "Majoration heures supp. 25 %", "4:30", "H", 13.38),
                                      ("2010", "Congés payés pris", "3", "J", 0),
                                      ("3100", "Heures de formation", "7:00", "H", 83.23),
                                      ("5010", "Indemnité repas", "18", "U", 95.40)]),
        ("0013", "N'DIAYE Cheikh Tidiane", [("1000", "Heures normales", "151:40", "H", 1803.38),
                                           ("1120", "Heures supplémentaires 50 %", "2:00", "H", 35.66),
                                           ("3000", "Absence maladie", "14:00", "H", -166.46),
                                           ("5010", "Indemnité repas", "20", "U", 106.00)]),
        ("0021", "DE SAINT-JEAN Ana", [("1000", "Heures normales", "86:40", "H", 1030.46),
                                      ("1300", "Heures de nuit", "6:00", "H", 17.83)]),
    ]
    for number, name, items in people:
        for index, (code, label, quantity, unit, amount) in enumerate(items):
            ws.append([number if index == 0 else None, name if index == 0 else None, code, label, quantity, unit, amount])
        ws.append([None, f"Total {name}", None, None, None, None, round(sum(i[4] for i in items), 2)])
    ws.append([None, "Total général", None, None, None, None, None])
    return _save(wb)


def pointeuse_codes_csv() -> bytes:
    """A time clock's monthly export: one line per person and hour code, the name on every line."""
    lines = [
        "Export mensuel pointeuse - Mois : 05/2026",
        "Nom;Prénom;Code;Désignation;Valeur",
        "MARCHAND;Élodie;HN;Heures normales;140,00",
        "MARCHAND;Élodie;HS25;Heures sup 25%;6,50",
        "MARCHAND;Élodie;FORM;Formation;7,00",
        "MARCHAND;Élodie;ABS;Absence injustifiée;3,50",
        "KONATÉ;Ibrahima;HN;Heures normales;151,67",
        "KONATÉ;Ibrahima;CP;Congés payés;7,00",
        "KONATÉ;Ibrahima;PAN;Paniers;21",
        "KONATÉ;Ibrahima;AST;Astreinte;12,00",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def annexe_interim_xlsx() -> bytes:
    """A temp agency's invoice annex: a block per mission (temp worker named above), weekly lines, subtotals."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Annexe facture"
    ws.append(["ANNEXE À LA FACTURE N° 2026-04-118 — RELEVÉ D'HEURES DES INTÉRIMAIRES"])
    ws.append(["Client : Bâtiments du Nord — Chantier : Groupe scolaire Jean-Macé (lot 2)"])
    ws.append(["Période : avril 2026"])
    missions = [
        ("LEGRAND Mathéo", "M-55012", "Manœuvre", [("S14", 28, 0), ("S15", 35, 2), ("S16", 35, 0)]),
        ("LEGRAND Mathéo", "M-55089", "Manœuvre", [("S17", 35, 3), ("S18", 21, 0)]),
        ("DIOP Awa", "M-55020", "Aide-maçonne", [("S14", 28, 0), ("S15", 35, 0), ("S16", 35, 0), ("S17", 35, 0),
                                                ("S18", 21, 0)]),
    ]
    for name, number, job, weeks in missions:
        ws.append([])
        ws.append([f"Intérimaire : {name}", None, f"Mission n° {number}", None, f"Qualification : {job}"])
        ws.append(["Semaine", "Période", "Heures normales", "Heures sup. 25 %", "Total heures"])
        for week, normal, extra in weeks:
            ws.append([week, f"semaine {week[1:]}", normal, extra or None, normal + extra])
        ws.append(["Sous-total mission", None, sum(w[1] for w in weeks), sum(w[2] for w in weeks) or None,
                   sum(w[1] + w[2] for w in weeks)])
    ws.append([])
    ws.append(["TOTAL ANNEXE", None, 368, 5, 373])
    return _save(wb)


def annexe_interim_csv() -> bytes:
    """Another agency's annex, exported as CSV: the temp worker on a line of their own, daily lines."""
    lines = [
        "Relevé d'heures annexé à la facture 88213;;;;",
        "Utilisateur : SOGEA Nord - chantier Piscine Marx-Dormoy;;;;",
        "Mois : octobre 2026;;;;",
        ";;;;",
        "Salarié : COULIBALY Moussa;;Contrat de mission 41877;;",
        "Date;Heures normales;H. supp.;Heures de formation;Total",
        "05/10/2026;7;;;7",
        "06/10/2026;7;1;;8",
        "07/10/2026;;;7;7",
        "Total mission;14;1;7;22",
        ";;;;",
        "Salarié : LE GUEN Katell;;Contrat de mission 41902;;",
        "Date;Heures normales;H. supp.;Heures de formation;Total",
        "05/10/2026;7;;;7",
        "06/10/2026;7;;;7",
        "Total mission;14;;;14",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def une_feuille_par_personne_xlsx() -> bytes:
    """One sheet per person (named after them) beside an instructions sheet and a lists sheet."""
    from datetime import date

    from openpyxl import Workbook

    wb = Workbook()
    notes = wb.active
    notes.title = "Consignes"
    notes.append(["Remplir une feuille par salarié. Heures au format décimal (7,5 = 7 h 30)."])
    notes.append(["Renvoyer le classeur avant le 5 du mois suivant."])
    lists = wb.create_sheet("Listes")
    lists.append(["Motifs d'absence"])
    for code in ("CP", "MAL", "AT", "ABS", "JF"):
        lists.append([code])
    people = {
        "VASSEUR Théo": {2: 7, 3: 7, 4: 7, 5: 7, 6: "CP", 9: 7, 10: 7.5, 11: 7, 12: 7, 13: 3.5},
        "N'GOMA Grâce": {2: 6, 3: 6, 4: 6, 9: 6, 10: 6, 11: 6, 12: "MAL", 13: "MAL"},
    }
    for name, days in people.items():
        ws = wb.create_sheet(name)
        last, first = name.split(" ", 1)
        ws.append(["Nom :", last])
        ws.append(["Prénom :", first])
        ws.append(["Mois :", "novembre 2026"])
        ws.append([])
        ws.append(["Date", "Heures travaillées", "Heures de formation", "Observations"])
        for day, hours in days.items():
            ws.append([date(2026, 11, day), hours, None, ""])
            ws.cell(ws.max_row, 1).number_format = "DD/MM/YYYY"
        ws.append(["Total", sum(h for h in days.values() if isinstance(h, (int, float))), None, None])
    return _save(wb)


def transpose_dates_xlsx() -> bytes:
    """Dates down the rows, a column per person (how a site foreman keeps his book), totals at the bottom."""
    from datetime import date

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Cahier de chantier"
    ws.append(["Cahier d'heures — équipe espaces verts — juillet 2026"])
    ws.append([])
    people = ("MARTIN-DURAND Paul", "NGUYEN Văn Hùng", "DE MELLO Beatriz")
    ws.append(["Date", *people])
    totals = [0, 0, 0]
    for day in range(1, 32):
        on = date(2026, 7, day)
        if on.weekday() >= 5:
            continue
        values = [7, "CP" if day in (20, 21) else 7, 3.5 if day != 14 else "férié"]
        if day == 14:
            values = ["férié", "férié", "férié"]
        ws.append([on, *values])
        ws.cell(ws.max_row, 1).number_format = "DD/MM/YYYY"
        totals = [t + (v if isinstance(v, (int, float)) else 0) for t, v in zip(totals, values)]
    ws.append(["Total", *totals])
    return _save(wb)


def transpose_groupes_ods() -> bytes:
    """Day numbers down the rows, a column group per person: hours worked and training hours."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Août 2026")

    def add(row, spans=()):
        tr = TableRow()
        for index, value in enumerate(row):
            if value is None:
                tr.addElement(TableCell())
                continue
            kwargs = {"numbercolumnsspanned": 2} if index in spans else {}
            if isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value, **kwargs)
            else:
                cell = TableCell(valuetype="string", **kwargs)
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)

    add(["Suivi des heures — août 2026 — Jardin de Cocagne"])
    add(["Jour", "RIBEIRO Tiago", None, "O'SULLIVAN Nóra", None], spans=(1, 3))
    add([None, "Heures", "Formation", "Heures", "Formation"])
    for day in range(3, 8):
        add([day, 7, None, 4 if day != 5 else None, 3 if day == 5 else None])
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _scan_with_text(title: str, header: tuple, rows: list[tuple], widths: tuple) -> bytes:
    """A scanned page (grey, slightly noisy) under an invisible text layer, as scanners' OCR writes it."""
    import random

    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1240, 1754), 250)
    draw = ImageDraw.Draw(image)
    noise = random.Random(7)
    for _ in range(4000):
        draw.point((noise.randrange(1240), noise.randrange(1754)), fill=noise.randrange(150, 230))
    font = ImageFont.truetype(FONT, 26)
    y = 120
    for line in [(title,), header, *rows]:
        x = 90
        for text, width in zip(line, widths if len(line) > 1 else (200,)):
            draw.text((x, y), str(text), font=font, fill=20)
            x += int(width * 5.9)
        y += 60
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("dejavu", "", FONT)
    pdf.set_font("dejavu", size=9)
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=0, y=0, w=210, h=297)
    pdf.text_mode = "INVISIBLE"
    y = 120 / 1240 * 210
    for line in [(title,), header, *rows]:
        pdf.set_xy(90 / 1240 * 210, y)
        for text, width in zip(line, widths if len(line) > 1 else (200,)):
            pdf.cell(width, 5, str(text))
        y += 60 / 1240 * 210
    return bytes(pdf.output())


def scan_texte_releve_pdf() -> bytes:
    """A signed monthly sheet scanned by the office copier, which adds its own OCR text layer."""
    return _scan_with_text("Relevé d'heures — janvier 2026", ("Nom", "Prénom", "Heures réalisées", "Formation"),
                           [("BOUCHER-PAGÈS", "Ludivine", "151,67", "0"), ("M'BAYE", "Cheikh", "126", "7"),
                            ("DE FONTENAY", "Armelle", "98,5", "3,5")], (45, 40, 40, 30))


def scan_texte_grille_pdf() -> bytes:
    """A scanned daily table, OCR text layer included; a figure the OCR misread (« 7,S »)."""
    header = ("Nom Prénom", *[str(d) for d in range(1, 11)], "Total")
    rows = [("LEROY-BAPTISTE Noé", *["7"] * 5, "", "", "7", "7", "7,S", "56"),
            ("N'GUYEN Thi Lan", *["3,5"] * 5, "", "", "3,5", "3,5", "3,5", "28")]
    return _scan_with_text("Feuille de présence — février 2026", header, rows, (45, *[9] * 10, 14))


def proprietaire_pdf() -> bytes:
    """A PDF protected by an owner password only (no copy, no edit): it opens without one. Logo included."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    logo = Image.new("RGB", (240, 120), (0, 84, 147))
    ImageDraw.Draw(logo).ellipse((20, 20, 100, 100), fill=(255, 196, 0))
    buffer = io.BytesIO()
    logo.save(buffer, format="PNG")
    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", "", FONT)
    pdf.set_font("dejavu", size=10)
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=160, y=8, w=40)
    pdf.cell(0, 6, "Groupement d'employeurs GEIQ BTP Occitanie", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "Relevé des heures — mars 2026", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for values in (("Nom", "Prénom", "Heures travaillées"), ("ESTÈVE", "Baptiste", "151,67"),
                   ("D'AUBIGNÉ", "Rose", "120"), ("LOPES DA COSTA", "Vitória", "84,5")):
        for value, width in zip(values, (50, 50, 40)):
            pdf.cell(width, 6, value)
        pdf.ln(6)
    pdf.set_encryption(owner_password="geiq-2026", permissions=0)
    return bytes(pdf.output())


def mot_de_passe_pdf() -> bytes:
    """A PDF that asks for a password to open (refused with a clear message)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", "", FONT)
    pdf.set_font("dejavu", size=10)
    pdf.add_page()
    pdf.cell(0, 6, "Nom Prénom Heures")
    pdf.set_encryption(owner_password="geiq-2026", user_password="ouvrir")
    return bytes(pdf.output())


CASES = {
    "heures_sup_paie.xlsx": heures_sup_paie_xlsx, "heures_sup_grille.ods": heures_sup_grille_ods,
    "dont_marche.xlsx": dont_marche_xlsx, "dont_marche_export.csv": dont_marche_csv,
    "duree_hmm.xlsx": duree_hmm_xlsx, "duree_texte_utf16.csv": duree_texte_utf16_csv,
    "masques.xlsx": masques_xlsx, "masques_grille.xlsx": masques_grille_xlsx,
    "export_html.xls": export_html_xls, "export_html_cp1252.xls": export_html_cp1252_xls,
    "scan_texte_releve.pdf": scan_texte_releve_pdf, "scan_texte_grille.pdf": scan_texte_grille_pdf,
    "proprietaire.pdf": proprietaire_pdf,
    "semaines_a_cheval.xlsx": semaines_a_cheval_xlsx, "semaines_feuilles.xlsx": semaines_feuilles_xlsx,
    "horaires_demi_journees.xlsx": horaires_demi_journees_xlsx, "pointage.csv": pointage_csv,
    "demi_journees.xlsx": demi_journees_xlsx, "demi_journees_presences.ods": demi_journees_ods,
    "paie_rubriques.xlsx": paie_rubriques_xlsx, "pointeuse_codes.csv": pointeuse_codes_csv,
    "annexe_interim.xlsx": annexe_interim_xlsx, "annexe_interim_export.csv": annexe_interim_csv,
    "une_feuille_par_personne.xlsx": une_feuille_par_personne_xlsx,
    "transpose_dates.xlsx": transpose_dates_xlsx, "transpose_groupes.ods": transpose_groupes_ods,
}


# Layouts only a reading profile reads: kept out of the golden folder (they are refused there).
PROFILE_CASES = {"ressources_mars.xlsx": ressources_mars, "ressources_avril.xlsx": ressources_avril}


def main() -> None:
    """Write every case, and its expected JSON when asked."""
    sys.path.insert(0, str(HERE.parents[2]))
    from app.domain.timesheets import parse_timesheet, timesheet_to_dict

    only = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    for name, make in CASES.items():
        if only and name not in only:
            continue
        path = HERE / name
        path.write_bytes(make())
        if "--expected" in sys.argv:
            result = timesheet_to_dict(parse_timesheet(path.read_bytes(), name))
            expected = path.with_name(path.stem + ".expected.json")
            expected.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{name}: {path.stat().st_size} octets")
    for name, make in PROFILE_CASES.items():
        if not only:
            (HERE / "profiles" / name).write_bytes(make())


if __name__ == "__main__":
    main()
