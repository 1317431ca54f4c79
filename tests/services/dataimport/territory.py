"""A territory's history as an office keeps it in spreadsheets, generated: the migration test and bench read it.

Seven files, in the order a migration imports them: buyers, companies, SIAE (another tool's CSV
extractions), tenders and lots (a workbook with a title block), participants (an extraction
with its own criteria codes), placements and hours (workbooks). ``expected`` holds what the
figures must be, computed here from the generated lines, not from Clausier.
"""

import io
import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from stdnum import luhn

from tests.services.dataimport.files import tool_csv

LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
              "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
              "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
              "Benali", "Haddad", "Nguyen", "Diallo", "Kowalski", "Da Silva", "Traoré", "Boucher", "Caron", "Dupré",
              "Lemaire", "Vasseur", "Delattre", "Wallet", "Verhaeghe", "Delannoy", "Duhamel", "Lecomte", "Deschamps",
              "Carpentier", "Hennebelle", "Ait Ouali", "N'Diaye", "Özdemir", "Saint-Léger", "Le Goff", "Brunet",
              "Blanc", "Guérin", "Muller"]
FIRST_NAMES = [("Camille", "F"), ("Léa", "F"), ("Manon", "F"), ("Inès", "F"), ("Yasmina", "F"), ("Chloé", "F"),
               ("Sarah", "F"), ("Aïcha", "F"), ("Marie", "F"), ("Nathalie", "F"), ("Sophie", "F"), ("Fatou", "F"),
               ("Hélène", "F"), ("Julie", "F"), ("Océane", "F"), ("Zoé", "F"), ("Jean", "M"), ("Noël", "M"),
               ("Mohamed", "M"), ("Lucas", "M"), ("Hugo", "M"), ("Kévin", "M"), ("Mamadou", "M"), ("Jérôme", "M"),
               ("Thomas", "M"), ("Nicolas", "M"), ("Karim", "M"), ("Dylan", "M"), ("François", "M"), ("Rémi", "M"),
               ("Yanis", "M"), ("Paul", "M"), ("Stéphane", "M"), ("Ibrahim", "M"), ("Loïc", "M"), ("Anthony", "M")]
CITIES = [("59140", "Dunkerque"), ("59000", "Lille"), ("59100", "Roubaix"), ("59200", "Tourcoing"),
          ("62300", "Lens"), ("62100", "Calais"), ("59300", "Valenciennes"), ("59760", "Grande-Synthe")]
TRADES = ["Gros œuvre", "Peinture", "Plâtrerie", "Électricité", "Plomberie", "Menuiserie", "VRD", "Espaces verts",
          "Nettoyage", "Couverture"]
# The other tool's codes for criteria, as its extraction writes them.
CRITERIA_CODES = ["RSA", "DELD", "TH", "-26", "QPV", "ASS", "+50"]
SIAE_CODES = ["EI", "ETTI", "AI", "ACI"]
# What the facilitator answers when the import page lists the codes Clausier does not know by itself.
ANSWERS = {"participants": {"criteria": {"-26": "jeune", "+50": "senior"}}}


def siret(rng: random.Random) -> str:
    """Return a valid SIRET of a fictitious establishment: its SIREN and the whole number pass the Luhn check."""
    siren = "".join(str(rng.randrange(1, 10)) for _ in range(8))
    body = siren + luhn.calc_check_digit(siren) + "".join(str(rng.randrange(10)) for _ in range(4))
    return body + luhn.calc_check_digit(body)


def _xlsx(title: str, header: list[str], rows: list[list[object]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Export")
    sheet.append([title])
    sheet.append([f"Extraction du {date(2026, 11, 30).strftime('%d/%m/%Y')}"])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class Territory:
    """The files to import, in order, and the figures they must give."""

    files: list[tuple[str, str, bytes]] = field(default_factory=list)  # (kind, filename, data)
    # (tender reference, lot number) → (hours required, minutes done)
    lots: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)
    participants: int = 0
    placed_participants: int = 0
    hour_rows: int = 0

    @property
    def hours_required(self) -> Decimal:
        """Return the hours the lots require."""
        return Decimal(sum(required for required, _done in self.lots.values()))

    @property
    def minutes_done(self) -> int:
        """Return the minutes the hour lines declare."""
        return sum(done for _required, done in self.lots.values())


def generate(participants: int = 2000, tenders: int = 90, total_hours: int = 350_000, seed: int = 2026) -> Territory:
    """Return a territory of ``participants`` people, ``tenders`` tenders and about ``total_hours`` hours."""
    rng = random.Random(seed)
    territory = Territory(participants=participants)
    buyers = ["Communauté urbaine de Dunkerque", "Ville de Lille", "Partenord Habitat", "Département du Nord",
              "Ville de Roubaix", "Vilogia", "Région Hauts-de-France", "Ville de Lens", "Pas-de-Calais Habitat",
              "Ville de Calais", "Métropole Européenne de Lille", "Centre hospitalier de Valenciennes"]
    buyer_kinds = ["Commune", "Commune", "Bailleur", "Département", "Commune", "Bailleur", "Département",
                   "Commune", "Bailleur", "Commune", "Commune", "Etat"]
    territory.files.append(("buyers", "acheteurs.csv", tool_csv(
        ["Donneur d'ordre", "Type d'acheteur", "Ville"],
        [[name, kind, CITIES[i % len(CITIES)][1]] for i, (name, kind) in enumerate(zip(buyers, buyer_kinds))])))

    companies = [(siret(rng), f"{rng.choice(['Bâtiments', 'Travaux', 'Constructions', 'Services'])} "
                               f"{rng.choice(LAST_NAMES)} {i + 1}") for i in range(60)]
    territory.files.append(("companies", "entreprises.csv", tool_csv(
        ["N° SIRET", "Raison sociale", "CP", "Ville"],
        [[number, name, *CITIES[i % len(CITIES)]] for i, (number, name) in enumerate(companies)])))
    siaes = [(siret(rng), f"{code} {rng.choice(['Solidaire', 'du Littoral', 'Emploi', 'Avenir'])} {i + 1}", code)
             for i, code in enumerate(SIAE_CODES * 4)]
    territory.files.append(("siae", "siae.csv", tool_csv(
        ["N° SIRET", "Raison sociale", "Type de structure", "Ville"],
        [[number, name, code, CITIES[i % len(CITIES)][1]] for i, (number, name, code) in enumerate(siaes)])))

    lots = []  # (reference, number, hours required, company siret, starts_on, ends_on)
    tender_rows = []
    for index in range(tenders):
        year = 2022 + index % 3
        reference = f"{year}-{rng.choice(['BAT', 'VRD', 'ENT', 'REHAB'])}-{index + 1:03d}"
        buyer = buyers[index % len(buyers)]
        starts_on = date(year, rng.randrange(1, 13), 1)
        ends_on = date(year + 2, starts_on.month, 28)
        for number in range(1, rng.choice([1, 1, 2, 3, 4]) + 1):
            hours = rng.randrange(300, 3000, 10)
            company = rng.choice(companies)[0]
            lots.append((reference, number, hours, company, starts_on, ends_on))
            amount = Decimal(hours * rng.randrange(180, 260)).quantize(Decimal("0.01"))
            tender_rows.append([reference, buyer, f"Travaux {reference}", "Appel d'offres ouvert", starts_on, starts_on,
                                ends_on, number, rng.choice(TRADES), f"{amount:.2f}".replace(".", ","), hours,
                                company])
    territory.files.append(("tenders", "marches.xlsx", _xlsx(
        "Suivi des marchés clausés — extraction", ["Référence du marché", "Acheteur", "Objet", "Procédure",
                                                   "Date de notification", "Date de début", "Date de fin", "N° de lot",
                                                   "Intitulé du lot", "Montant du lot", "Heures d'insertion exigées",
                                                   "SIRET de l'attributaire"], tender_rows)))
    territory.lots = {(reference, number): (hours, 0) for reference, number, hours, *_ in lots}

    people = []
    seen = set()
    while len(people) < participants:
        last = rng.choice(LAST_NAMES)
        first, sex = rng.choice(FIRST_NAMES)
        born = date(rng.randrange(1960, 2006), rng.randrange(1, 13), rng.randrange(1, 29))
        if (last, first, born) in seen:
            continue
        seen.add((last, first, born))
        people.append((last, first, born, sex))
    territory.files.append(("participants", "participants.csv", tool_csv(
        ["Nom", "Prénom", "Date de naissance", "Sexe", "Code postal", "Critères", "Date du justificatif"],
        [[last.upper(), first, born, sex, rng.choice(CITIES)[0],
          ", ".join(sorted(set(rng.sample(CRITERIA_CODES, rng.randrange(1, 3))))),
          date(2022, 1, 1 + len(people) % 28)] for last, first, born, sex in people])))

    placement_rows, placements = [], []
    for person in people:
        for _ in range(1 if rng.random() < 0.9 else 2):
            reference, number, _hours, company, starts_on, ends_on = rng.choice(lots)
            begin = date(starts_on.year + (starts_on.month + rng.randrange(0, 12) - 1) // 12,
                         (starts_on.month + rng.randrange(0, 12) - 1) % 12 + 1, rng.randrange(1, 28))
            if any(p[0] == person and p[1] == reference and p[2] == number for p in placements):
                continue
            siae = rng.choice(siaes) if rng.random() < 0.4 else None
            months = rng.randrange(1, 7)
            end = date(begin.year + (begin.month + months - 1) // 12, (begin.month + months - 1) % 12 + 1, 28)
            placements.append((person, reference, number, siae, begin, end))
            placement_rows.append([person[0], person[1], person[2], reference, number, company,
                                   siae[0] if siae else "", "Mise à disposition ETTI" if siae else "Embauche directe",
                                   "Mission d'intérim d'insertion" if siae else "CDD", begin, end])
    territory.placed_participants = len({p[0] for p in placements})
    territory.files.append(("placements", "mises_a_l_emploi.xlsx", _xlsx(
        "Mises à l'emploi", ["Nom", "Prénom", "Date de naissance", "Référence du marché", "N° de lot",
                             "SIRET de l'employeur", "SIRET de la SIAE", "Modalité", "Type de contrat",
                             "Date de début", "Date de fin"], placement_rows)))

    # Hours: each placement's months, scaled so that the territory holds about ``total_hours``.
    months_of = []
    for placement in placements:
        begin, end = placement[4], placement[5]
        month, months = date(begin.year, begin.month, 1), []
        while month <= end:
            months.append(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        months_of.append(months)
    per_month = total_hours * 60 // sum(len(months) for months in months_of)
    hour_rows = []
    for placement, months in zip(placements, months_of, strict=True):
        person, reference, number, siae = placement[:4]
        for month in months:
            minutes = max(60, min(per_month + rng.randrange(-per_month // 2, per_month // 2 + 1), 151 * 60)) // 15 * 15
            required, done = territory.lots[(reference, number)]
            territory.lots[(reference, number)] = (required, done + minutes)
            hours = Decimal(minutes) / 60
            hour_rows.append([person[0], person[1], person[2], reference, number,
                              f"{month.month:02d}/{month.year}", f"{hours:.2f}".replace(".", ","),
                              siae[0] if siae else ""])
    territory.hour_rows = len(hour_rows)
    territory.files.append(("hours", "heures.xlsx", _xlsx(
        "Heures d'insertion réalisées", ["Nom", "Prénom", "Date de naissance", "Référence du marché", "N° de lot",
                                         "Mois", "Heures", "SIRET du déclarant"], hour_rows)))
    return territory
