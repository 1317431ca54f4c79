"""Participants and placements as offices hold them: another tool's CSV with its codes, a hand-made workbook."""

from datetime import date, datetime

from tests.services.dataimport.files import SIRETS, handmade_xlsx, tool_csv

# Another follow-up tool's extraction: its own codes for criteria, sex and yes/no, one « Critères » column.
PARTICIPANTS_TOOL = tool_csv(
    ["NOM", "Prénom", "Né(e) le", "Sexe", "CP", "QPV", "Niveau", "Suivi PLIE", "Entrée PLIE", "Tél.", "Courriel",
     "Critères d'éligibilité", "Date justificatif"],
    [["DUPONT", "Marie", date(1985, 3, 12), "F", "59140", "oui", "3", "oui", date(2024, 1, 15), "06 12 34 56 78",
      "marie.dupont@example.fr", "RSA + DELD", date(2024, 2, 1)],
     ["N'DIAYE", "Aïssatou", "07/11/1999", "Femme", "59000", "non", "infra3", "non", "", "", "",
      "TH (12/03/2024) ; -26 ans", ""],
     ["LEFEBVRE", "Jean-Pierre", date(1968, 6, 1), "H", "62300", "", "", "O", "", "", "", "DE +12 mois / +50 ans",
      date(2024, 5, 2)]])

PARTICIPANTS_TOOL_EXPECTED = {
    ("DUPONT", "Marie", date(1985, 3, 12)): {"brsa": date(2024, 2, 1), "deld": date(2024, 2, 1)},
    ("N'DIAYE", "Aïssatou", date(1999, 11, 7)): {"jeune": None, "rqth": date(2024, 3, 12)},
    ("LEFEBVRE", "Jean-Pierre", date(1968, 6, 1)): {"deld": date(2024, 5, 2), "senior": date(2024, 5, 2)},
}

# Typed by hand: a title block, one column per criterion ticked or dated, a column Clausier does not read,
# a real date beside a typed one, and a total line.
PARTICIPANTS_HANDMADE = handmade_xlsx(
    "Participants positionnés sur les clauses — 2025",
    ["Nom", "Prénom", "Date de naissance", "Sexe", "Commune", "BRSA", "RQTH", "Jeune -26 ans", "DELD"],
    [["Martin", "Léa", datetime(2001, 4, 3), "F", "Lille", "X", "", date(2024, 9, 1), ""],
     ["Benali", "Karim", "15/02/1975", "M", "Roubaix", date(2024, 10, 7), "oui", "", "x"]])

PARTICIPANTS_HANDMADE_EXPECTED = {
    ("Martin", "Léa", date(2001, 4, 3)): {"brsa": None, "jeune": date(2024, 9, 1)},
    ("Benali", "Karim", date(1975, 2, 15)): {"brsa": date(2024, 10, 7), "deld": None, "rqth": None},
}

# The referential the placements point at: two tenders (one with two lots), companies and an SIAE.
TENDER_TWO_LOTS, TENDER_ONE_LOT = "2024-DK-017", "M-2025-003"
WINNER, OTHER_WINNER, EMPLOYER, SIAE_SIRET = SIRETS


def placements_tool() -> bytes:
    """Return another tool's placements: the person by name and birth date, its codes for modality and contract."""
    return tool_csv(
        ["Nom", "Prénom", "Date de naissance", "Réf. marché", "Lot", "SIRET employeur", "SIRET SIAE", "Modalité",
         "Contrat", "Début", "Fin"],
        [["DUPONT", "Marie", "12/03/1985", TENDER_TWO_LOTS, "2", EMPLOYER, SIAE_SIRET, "MAD ETTI", "CTTI",
          "03/02/2025", "28/03/2025"],
         ["N'Diaye", "Aissatou", "07/11/1999", TENDER_ONE_LOT, "", "", "", "Embauche", "CDD insertion",
          "01/04/2025", ""]])


def placements_handmade(code: str) -> bytes:
    """Return a hand-made list: one person by Clausier's code, one by name; real dates; a total line."""
    return handmade_xlsx(
        "Suivi des mises en emploi",
        ["Code Clausier", "Nom", "Prénom", "Date de naissance", "Référence du marché", "N° de lot", "Modalité",
         "Type de contrat", "Date de début", "Date de fin"],
        [[code, "", "", "", TENDER_TWO_LOTS, 1, "intérim", "intérim", datetime(2025, 5, 5), datetime(2025, 6, 30)],
         ["", "Lefebvre", "Jean Pierre", date(1968, 6, 1), TENDER_ONE_LOT, None, "Embauche directe", "CDI",
          "02/06/2025", None]])
