"""Import files made as an office makes them, generated here: another tool's CSV, a hand-made workbook."""

import csv
import io
from datetime import date

from openpyxl import Workbook

# Valid SIRET (Luhn) of fictitious structures.
SIRETS = ["81234567600108", "82345678500109", "83456789300104", "84567890300103"]


def tool_csv(header: list[str], rows: list[list[object]]) -> bytes:
    """Return another tool's extraction: semicolons, cp1252, dates JJ/MM/AAAA."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([value.strftime("%d/%m/%Y") if isinstance(value, date) else value for value in row])
    return out.getvalue().encode("cp1252")


def handmade_xlsx(title: str, header: list[str], rows: list[list[object]], total: bool = True) -> bytes:
    """Return a workbook typed by hand: a merged title, a blank line, the table, a blank line and a total."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Liste"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(["Mis à jour le", date(2025, 1, 6)])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.append([])
    if total:
        sheet.append(["Total", len(rows)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SIAE_TOOL = tool_csv(
    ["N° SIRET", "Raison sociale", "Type de structure", "Adresse", "CP", "Ville", "Référent", "Courriel", "Tél."],
    [[SIRETS[0], "Régie de quartier Nord", "ACI", "12 rue des Écoles", "59140", "Dunkerque", "Hélène Dupré",
      "contact@regie-nord.fr", "03 28 00 00 00"],
     [SIRETS[1], "Éco-Services", "EI", "", "59000", "Lille", "", "", ""],
     [SIRETS[2], "Intérim Solidaire", "ETTI", "", "62300", "Lens", "", "", ""]])

COMPANIES_HANDMADE = handmade_xlsx(
    "Entreprises attributaires — suivi 2024",
    ["SIRET", "Nom de l'entreprise", "Adresse", "Code postal", "Commune", "Contact", "E-mail", "Téléphone"],
    [[SIRETS[0], "Bâtiments Réunis", "1 place d'Armes", "59000", "Lille", "Noël Lefèvre", "n.lefevre@br.fr",
      "0320000000"],
     [SIRETS[3], "Génie Civil du Nord", "", "59140", "Dunkerque", "", "", ""]])

COMPANIES_TOOL = tool_csv(["Siret", "Raison sociale", "CP", "Ville"],
                          [[SIRETS[1], "Propreté Plus", "59100", "Roubaix"],
                           [SIRETS[2], "Élec Concept", "59200", "Tourcoing"]])

SIAE_HANDMADE = handmade_xlsx(
    "Structures d'insertion partenaires",
    ["Nom de la structure", "SIRET", "Type", "Commune"],
    [["Atelier Vélo Solidaire", SIRETS[3], "Atelier et chantier d'insertion", "Calais"],
     ["Association Coup de Main", SIRETS[2], "AI", "Boulogne-sur-Mer"]])

BUYERS_TOOL = tool_csv(["Acheteur", "Type d'acheteur", "N° SIRET", "Ville"],
                       [["Communauté urbaine de Dunkerque", "Commune ou intercommunalité", "", "Dunkerque"],
                        ["Partenord Habitat", "bailleur", "", "Lille"]])

BUYERS_HANDMADE = handmade_xlsx("Maîtres d'ouvrage", ["Maître d'ouvrage", "Commune", "Courriel"],
                                [["Ville d'Hazebrouck", "Hazebrouck", "marches@hazebrouck.fr"],
                                 ["Département du Nord", "Lille", ""]])
