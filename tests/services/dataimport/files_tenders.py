"""Tenders and conventions files as an office has them: another tool's extraction, a hand-made workbook.

The records they point at (buyers, companies, an SIAE, and for conventions the tenders) are
stored by ``stored_parties``: an import of tenders comes after the buyers and companies.
"""

from datetime import date, datetime

from app.domain.enums import BuyerKind, SiaeKind
from app.models import Buyer, Company, Siae
from tests.services.dataimport.files import SIRETS, handmade_xlsx, tool_csv

# Valid SIRET of fictitious public buyers (Luhn on the SIREN and the SIRET).
BUYER_SIRETS = ["21590183600019", "23590001600017"]


def stored_parties(session, organisation_id: int) -> dict[str, object]:
    """Store the buyers, companies and SIAE the files name; return them by a short name."""
    own = {"organisation_id": organisation_id}
    rows = {
        "dunkerque": Buyer(**own, name="Ville de Dunkerque", kind=BuyerKind.COMMUNE, siret=BUYER_SIRETS[0],
                           city="Dunkerque"),
        "partenord": Buyer(**own, name="Partenord Habitat", kind=BuyerKind.BAILLEUR, city="Lille"),
        "nord": Buyer(**own, name="Département du Nord", siret=BUYER_SIRETS[1], city="Lille"),
        "batiments": Company(**own, name="Bâtiments Réunis", siret=SIRETS[0], address="1 place d'Armes",
                             postcode="59000", city="Lille"),
        "proprete": Company(**own, name="Propreté Plus", siret=SIRETS[1], postcode="59100", city="Roubaix"),
        "elec": Company(**own, name="Élec Concept", siret=SIRETS[2], city="Tourcoing"),
        "regie": Siae(**own, name="Régie de quartier Nord", kind=SiaeKind.ACI, siret=SIRETS[3],
                      address="12 rue des Écoles", postcode="59140", city="Dunkerque"),
    }
    session.add_all(rows.values())
    session.flush()
    return rows


# Another tool's extraction: its own column names and codes, tender columns repeated on each lot's line,
# French amounts as text, « 1 200 h », a tender without lots (no lot number, no lot label).
TENDERS_TOOL = tool_csv(
    ["N° marché", "Acheteur", "Objet", "Code CPV", "Procédure", "Type de clause", "Montant HT", "AC",
     "Date notif", "Début", "Fin", "Etat", "Lot", "Libellé lot", "Corps d'état", "Montant lot", "Nb heures",
     "Heures max", "SIRET titulaire"],
    [["2024-DK-017", BUYER_SIRETS[0], "Réhabilitation du groupe scolaire Lamartine", "45454000", "AO",
      "Art. 38", "1 234 567,89", "N", date(2024, 3, 15), date(2024, 4, 2), date(2025, 12, 19), "NOTIFIE",
      "1", "Gros œuvre", "Maçonnerie", "734 000,00", "1 200 h", "", SIRETS[0]],
     ["2024-DK-017", BUYER_SIRETS[0], "Réhabilitation du groupe scolaire Lamartine", "45454000", "AO",
      "Art. 38", "1 234 567,89", "N", date(2024, 3, 15), date(2024, 4, 2), date(2025, 12, 19), "NOTIFIE",
      "2", "Électricité", "Électricité", "500 567,89", "350", "", SIRETS[2]],
     ["AC-2024-08", "Partenord Habitat", "Nettoyage des parties communes", "90910000", "PA",
      "Art. L2113-13", "180 000", "O", date(2024, 6, 1), date(2024, 7, 1), date(2028, 6, 30), "EN COURS",
      "", "", "", "", "800", "1 600 h", SIRETS[1]]])

TENDERS_TOOL_EXPECTED = {
    ("2024-DK-017", 1): ("Gros œuvre", 73_400_000, 1200, None, SIRETS[0]),
    ("2024-DK-017", 2): ("Électricité", 50_056_789, 350, None, SIRETS[2]),
    ("AC-2024-08", 1): ("Nettoyage des parties communes", 0, 800, 1600, SIRETS[1]),
}

# A workbook typed by hand: a title block, the tender's columns on its first lot's line only
# (the next lots repeat the reference alone), real dates and dates as text, amounts as numbers and
# as text, a total line.
TENDERS_HANDMADE = handmade_xlsx(
    "Marchés clausés — suivi 2024",
    ["Référence", "Maître d'ouvrage", "Intitulé du marché", "Procédure", "Instrument juridique",
     "Montant du marché", "Accord-cadre", "Notification", "Date de début", "Date de fin", "N° de lot",
     "Intitulé du lot", "Montant du lot", "Heures d'insertion exigées", "Heures au maximum",
     "SIRET de l'attributaire"],
    [["CD59-2024-112", "departement du nord", "Entretien des espaces verts des collèges", "procédure adaptée",
      "clause d'exécution", 250000.0, "oui", datetime(2024, 2, 12), "01/03/2024", "28/02/2027", 1,
      "Secteur Flandre", 150000.0, "1 200 h", 2400, SIRETS[1]],
     ["CD59-2024-112", None, None, None, None, None, None, None, None, None, 2, "Secteur Hainaut", "100 000", 800, 1600,
      SIRETS[2]],
     ["CD59-2024-130", "Département du Nord", "Restauration des collégiens", "MAPA", "réservé SIAE",
      "90 000,50", "non", "15/04/2024", datetime(2024, 5, 1), datetime(2025, 4, 30), 1, "Repas", "90 000,50",
      300, None, SIRETS[0]]])

TENDERS_HANDMADE_EXPECTED = {
    ("CD59-2024-112", 1): ("Secteur Flandre", 15_000_000, 1200, 2400, SIRETS[1]),
    ("CD59-2024-112", 2): ("Secteur Hainaut", 10_000_000, 800, 1600, SIRETS[2]),
    ("CD59-2024-130", 1): ("Repas", 9_000_050, 300, None, SIRETS[0]),
}

CONVENTIONS_TOOL = tool_csv(
    ["Ref", "Type", "Partenaire", "Objet", "Date d'effet", "Echéance", "Etat", "Signataire", "FSE", "Marchés"],
    [["CONV-2024-01", "MOA", BUYER_SIRETS[0], "Mise en œuvre des clauses sociales", date(2024, 1, 1),
      date(2026, 12, 31), "EN COURS", "Mme Hélène Dupré", "O", "2024-DK-017"],
     ["CONV-2024-02", "ENT", SIRETS[0], "Accompagnement des recrutements", date(2024, 4, 2), date(2025, 12, 19),
      "ECHUE", "M. Noël Lefèvre", "N", "2024-DK-017 ; AC-2024-08"],
     ["CONV-2024-03", "ACI", SIRETS[3], "Parcours d'insertion sur les chantiers", date(2024, 9, 1),
      date(2025, 8, 31), "PROJET", "", "", ""]])

CONVENTIONS_HANDMADE = handmade_xlsx(
    "Conventions de partenariat",
    ["N° convention", "Type de partenaire", "Partenaire", "Objet de la convention", "Date de début",
     "Date de fin", "Statut", "Signataire du partenaire", "Qualité du signataire", "Financement FSE+",
     "Opération FSE+", "Marchés couverts"],
    [["PH-2024", "Acheteur", "partenord habitat", "Clauses des marchés de nettoyage", datetime(2024, 7, 1),
      "30/06/2028", "Signée", "M. Jean Martin", "Directeur général", "oui", "202400123", "AC-2024-08"],
     ["SIAE-REGIE", "SIAE", SIRETS[3], "Mises à disposition", "01/01/2025", datetime(2025, 12, 31), "Brouillon",
      "Mme Amina Benali", "Présidente", "non", None, "2024-DK-017, AC-2024-08"]])
