"""Believable names and figures for the demo territory (fictional people and firms)."""

LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
    "Benali", "Diallo", "Nguyen", "Haddad", "Traoré", "Da Silva", "De Sousa", "Le Gall", "Kaya", "Mendy",
    "Boucher", "Caron", "Dumont", "Fontaine", "Chevalier", "Rousseau", "Blanchard", "Guérin", "Muller", "Henry",
]
FIRST_NAMES_F = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Sandrine", "Aurélie", "Julie", "Inès", "Fatou", "Amina",
    "Léa", "Chloé", "Sarah", "Yasmine", "Anne-Sophie", "Émilie", "Kadiatou", "Océane", "Nadia", "Céline",
]
FIRST_NAMES_M = [
    "Jean", "Pierre", "Michel", "Thomas", "Nicolas", "Julien", "Mohamed", "Karim", "Mamadou", "Kevin",
    "Dylan", "Lucas", "Hugo", "Yanis", "Jean-Marc", "João", "Sébastien", "Rachid", "Anthony", "Théo",
]
POSTCODES = ["59280", "59160", "59130", "59000", "59260", "59110", "59840", "59930"]

# (name, kind, city, article its name takes in a sentence: "" guessed, "aucun" for a brand name)
BUYERS = [
    ("Ville de Val-de-Lys", "commune", "Val-de-Lys", ""),
    ("Habitat Val-de-Lys (bailleur social)", "bailleur", "Val-de-Lys", "aucun"),
    ("Département du Nord", "departement", "Lille", ""),
]

# (name, trade, labour share in %) — labour shares as DOMAIN.md lists them where sourced.
COMPANIES = [
    ("Bâtiments du Nord SAS", "Maçonnerie – gros œuvre"),
    ("Peintures Lefranc & Fils", "Peinture intérieure"),
    ("Électricité Moderne Flandres", "Électricité"),
    ("Plomberie Chauffage Delattre", "Plomberie – chauffage"),
    ("Menuiseries Vandamme", "Menuiserie"),
    ("Toitures de la Lys", "Couverture – charpente bois"),
    ("Propreté Services Nord", "Nettoyage – propreté"),
    ("Espaces Verts Deschamps", "Espaces verts"),
    ("Routes et Réseaux du Nord", "Voirie – travaux routiers"),
    ("Métallerie Lenoir", "Charpente métallique"),
    ("Plâtrerie Isolation Bauduin", "Isolation"),
    ("Démolition Recyclage Hauts-de-France", "Démolition"),
]

SIAES = [
    ("Lys Insertion Bâtiment", "EI"),
    ("Interim'Action Flandres", "ETTI"),
    ("Coup de Main Val-de-Lys", "AI"),
    ("Chantier Nature et Patrimoine", "ACI"),
    ("GEIQ BTP Hauts-de-France", "GEIQ"),
    ("Atelier Adapté de la Lys", "EA"),
]

# (reference, object, buyer index, cpv, instrument, [(label, trade, amount €, company index)])
TENDERS = [
    ("2026-VDL-001", "Réhabilitation du groupe scolaire Jules-Ferry", 0, "45214200-2", "clause_execution", [
        ("Maçonnerie – gros œuvre", "Maçonnerie – gros œuvre", 1_200_000, 0),
        ("Peinture intérieure", "Peinture intérieure", 180_000, 1),
        ("Électricité courants forts et faibles", "Électricité", 240_000, 2),
        ("Plomberie – chauffage – ventilation", "Plomberie – chauffage", 310_000, 3)]),
    ("2026-VDL-002", "Aménagement du parc urbain des Prés-du-Hem", 0, "45112710-5", "execution_et_critere", [
        ("Terrassement et voirie", "Voirie – travaux routiers", 650_000, 8),
        ("Plantations et entretien", "Espaces verts", 220_000, 7)]),
    ("2026-VDL-003", "Nettoyage des bâtiments communaux", 0, "90910000-9", "clause_execution", [
        ("Nettoyage des écoles", "Nettoyage – propreté", 600_000, 6),
        ("Nettoyage des bâtiments administratifs", "Nettoyage – propreté", 280_000, 6)]),
    ("2025-HVL-014", "Réhabilitation thermique de 120 logements, résidence Les Tilleuls", 1, "45321000-3", "clause_execution", [
        ("Isolation thermique par l'extérieur", "Isolation", 1_450_000, 10),
        ("Menuiseries extérieures", "Menuiserie", 520_000, 4),
        ("Couverture", "Couverture – charpente bois", 380_000, 5)]),
    ("2026-HVL-002", "Démolition de la barre Verlaine et désamiantage", 1, "45111100-9", "clause_execution", [
        ("Désamiantage et démolition", "Démolition", 900_000, 11)]),
    ("2026-HVL-007", "Entretien des espaces verts du patrimoine", 1, "77310000-6", "reserve_siae", [
        ("Entretien des espaces verts – secteur nord", "Espaces verts", 140_000, 7),
        ("Entretien des espaces verts – secteur sud", "Espaces verts", 120_000, 7)]),
    ("2025-CD59-031", "Construction du collège de Val-de-Lys", 2, "45214220-8", "execution_et_critere", [
        ("Charpente métallique", "Charpente métallique", 760_000, 9),
        ("Gros œuvre", "Maçonnerie – gros œuvre", 2_300_000, 0),
        ("Peinture et revêtements", "Peinture intérieure", 290_000, 1)]),
    ("2026-CD59-008", "Rénovation des routes départementales RD 945 et RD 77", 2, "45233142-6", "clause_execution", [
        ("Chaussées", "Voirie – travaux routiers", 1_800_000, 8),
        ("Signalisation", "Voirie – travaux routiers", 210_000, 8)]),
]

# Where each tender's works take place (commune, EPCI), for the statistics by territory.
TENDER_SITES = {
    "2026-VDL-001": ("Val-de-Lys", "Communauté de communes Flandre Lys"),
    "2026-VDL-002": ("Val-de-Lys", "Communauté de communes Flandre Lys"),
    "2026-VDL-003": ("Val-de-Lys", "Communauté de communes Flandre Lys"),
    "2025-HVL-014": ("Estaires", "Communauté de communes Flandre Lys"),
    "2026-HVL-002": ("Merville", "Communauté de communes Flandre Lys"),
    "2026-HVL-007": ("La Gorgue", "Communauté de communes Flandre Lys"),
    "2025-CD59-031": ("Val-de-Lys", "Communauté de communes Flandre Lys"),
    "2026-CD59-008": ("Armentières", "Métropole européenne de Lille"),
}

# Tenders still in the pipeline (Repérage): (reference, object, buyer index, cpv, amount €, status,
# days to planned publication, note, next step). They carry no hours yet, so no figure counts them.
PIPELINE = [
    ("2027-VDL-004", "Extension de la médiathèque Marguerite-Yourcenar", 0, "45212313-3", 2_400_000, "etude",
     75, "Le maître d'œuvre chiffre les lots ; clause à proposer sur le gros œuvre et les VRD.",
     "Rendez-vous avec la direction des bâtiments pour arrêter l'allotissement"),
    ("2027-HVL-001", "Remplacement des chaudières de 300 logements", 1, "45331100-7", 1_150_000, "repere",
     140, "Repéré au comité des donneurs d'ordre de septembre.",
     "Proposer une clause au bailleur lors du prochain comité"),
    ("2027-CD59-004", "Restauration scolaire des collèges du secteur Lys", 2, "55523100-3", 3_600_000,
     "clause_redigee", 30, "Clause rédigée (5 % des heures de main-d'œuvre) ; relecture du CCAP par le service juridique.",
     "Valider l'article du CCAP avec l'acheteur"),
    ("2026-VDL-009", "Entretien des voiries communales 2027-2030", 0, "45233142-6", 980_000, "publie",
     -20, "Consultation publiée ; remise des offres dans trois semaines.",
     "Répondre aux questions des candidats sur la clause"),
]
