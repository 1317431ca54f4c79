"""French wording of the clause pack that depends on the legal instrument, and figure labels.

Sentences that never vary live in the DOCX templates; what changes with the instrument
(legal basis, what the hours mean, the RC/AAPC mention, the commitment the candidate signs)
is written here so that a single template serves every instrument.
"""

from __future__ import annotations

from decimal import Decimal

from app.domain.formats import format_hours, format_money, format_number, format_pct

CCP = "du Code de la commande publique"

# Keyed by LegalInstrument values (app.domain.enums); the UI label carries the article, these
# document titles do not because the article follows in the sentence.
INSTRUMENT_ARTICLES = {
    "clause_execution": "L2112-2",
    "critere_attribution": "L2152-7",
    "execution_et_critere": "L2112-2 et L2152-7",
    "reserve_siae": "L2113-13",
    "reserve_ea_esat": "L2113-12",
    "marche_insertion": "R2123-1, 3°",
}
INSTRUMENT_TITLES = {
    "clause_execution": "Clause sociale d'exécution",
    "critere_attribution": "Critère d'attribution relatif à l'insertion professionnelle",
    "execution_et_critere": "Clause sociale d'exécution et critère d'attribution",
    "reserve_siae": "Marché réservé aux structures d'insertion par l'activité économique",
    "reserve_ea_esat": "Marché réservé aux entreprises adaptées et aux ESAT",
    "marche_insertion": "Marché d'insertion et de qualification professionnelle",
}

OBJECT_TEXTS = {
    "clause_execution": (
        "En application de l'article L2112-2 {ccp}, le titulaire s'engage à réaliser, pendant "
        "l'exécution du marché, une action d'insertion permettant l'accès ou le retour à l'emploi "
        "de personnes rencontrant des difficultés sociales ou professionnelles particulières. Cette "
        "condition d'exécution s'impose à tous les candidats ; elle n'est pas un critère de choix "
        "des offres."),
    "critere_attribution": (
        "En application de l'article L2152-7 {ccp}, les offres sont notamment appréciées au regard "
        "de leur performance en matière d'insertion professionnelle des publics en difficulté "
        "(pondération : {weighting}). Les engagements pris par le titulaire dans son offre à ce "
        "titre ont valeur contractuelle et sont exécutés selon les modalités {here}."),
    "execution_et_critere": (
        "En application de l'article L2112-2 {ccp}, le titulaire s'engage à réaliser, pendant "
        "l'exécution du marché, une action d'insertion au bénéfice de personnes rencontrant des "
        "difficultés sociales ou professionnelles particulières. En outre, en application de "
        "l'article L2152-7 du même code, la performance des offres en matière d'insertion est un "
        "critère d'attribution (pondération : {weighting}) ; les engagements pris dans l'offre "
        "au-delà du volume minimal ont valeur contractuelle."),
    "reserve_siae": (
        "En application de l'article L2113-13 {ccp}, {lots} aux structures d'insertion par "
        "l'activité économique mentionnées à l'article L5132-4 du code du travail et aux structures "
        "équivalentes, lorsqu'elles emploient une proportion minimale de 50 % de travailleurs "
        "défavorisés. Le titulaire affecte à l'exécution du marché des salariés en parcours "
        "d'insertion, dans les conditions {here}."),
    "reserve_ea_esat": (
        "En application de l'article L2113-12 {ccp}, {lots} aux entreprises adaptées mentionnées "
        "à l'article L5213-13 du code du travail, aux établissements et services d'aide par le "
        "travail mentionnés à l'article L344-2 du code de l'action sociale et des familles et aux "
        "structures équivalentes, lorsqu'ils emploient une proportion minimale de 50 % de "
        "travailleurs handicapés."),
    "marche_insertion": (
        "Le présent marché a pour objet une prestation d'insertion et de qualification "
        "professionnelle de personnes éloignées de l'emploi ; les travaux ou services exécutés en "
        "sont le support. Il est passé selon une procédure adaptée en application de l'article "
        "R2123-1, 3° {ccp}."),
}

HOURS_INTRO_TEXTS = {
    "clause_execution": ("Le volume minimal d'heures d'insertion à réaliser par le titulaire est "
                         "fixé comme suit :"),
    "critere_attribution": (
        "À titre indicatif, l'acheteur estime le volume d'heures d'insertion réalisable comme suit ; "
        "le volume contractuel est celui sur lequel le titulaire s'est engagé dans son offre :"),
    "execution_et_critere": (
        "Le volume minimal d'heures d'insertion à réaliser par le titulaire est fixé comme suit ; "
        "le titulaire réalise en outre les heures supplémentaires proposées dans son offre :"),
    "reserve_siae": (
        "Le volume d'heures de travail à confier à des salariés en parcours d'insertion est fixé "
        "comme suit :"),
    "reserve_ea_esat": (
        "Le volume d'heures de travail à confier à des travailleurs handicapés est fixé comme suit :"),
    "marche_insertion": ("Le volume d'heures d'insertion et de qualification à réaliser est fixé "
                         "comme suit :"),
}

COMMITMENT_TEXTS = {
    "clause_execution": "m'engage à réaliser au minimum, pour chaque lot qui me sera attribué, le "
                        "nombre d'heures d'insertion indiqué ci-dessous",
    "critere_attribution": "m'engage à réaliser, pour chaque lot qui me sera attribué, le nombre "
                           "d'heures d'insertion que je propose ci-dessous",
    "execution_et_critere": "m'engage à réaliser, pour chaque lot qui me sera attribué, au minimum le "
                         "nombre d'heures d'insertion indiqué ci-dessous, augmenté des heures que je "
                         "propose",
    "reserve_siae": "atteste que la structure que je représente est une structure "
                           "d'insertion par l'activité économique ou une structure équivalente "
                           "employant au moins 50 % de travailleurs défavorisés, et m'engage à "
                           "réaliser le nombre d'heures indiqué ci-dessous",
    "reserve_ea_esat": "atteste que la structure que je représente est une entreprise "
                              "adaptée, un ESAT ou une structure équivalente employant au moins "
                              "50 % de travailleurs handicapés, et m'engage à réaliser le nombre "
                              "d'heures indiqué ci-dessous",
    "marche_insertion": "m'engage à réaliser le nombre d'heures d'insertion et de qualification "
                        "indiqué ci-dessous",
}

DETAIL_LABELS = {
    "montant_ht_eur": "Montant HT",
    "part_main_oeuvre_pct": "Part de main-d'œuvre",
    "taux_insertion_pct": "Taux d'insertion",
    "cout_horaire_eur": "Coût horaire chargé",
    "cout_main_oeuvre_eur": "Coût de la main-d'œuvre (montant × part)",
    "montant_insertion_eur": "Montant consacré à l'insertion (× taux)",
    "montant_facture_eur": "Montant facturé (estimation)",
    "euros_par_heure_eur": "Montant facturé pour une heure d'insertion",
    "seuil_declenchement_eur": "Seuil de déclenchement",
    "lecture": "Lecture du seuil retenue",
    "explication": "Explication",
    "montant_retenu_eur": "Montant retenu pour le calcul",
    "chiffre_affaires_eur": "Chiffre d'affaires HT sur la durée du marché",
    "duree_mois": "Durée (mois)",
    "coefficient": "Coefficient",
    "explication_coefficient": "Signification du coefficient",
    "heures_main_oeuvre_h": "Heures de main-d'œuvre du marché",
    "heures_reprises_par_mois_h": "Heures du personnel repris, par mois",
    "heures_reprises_h": "Heures du personnel repris sur la durée",
    "heures_restantes_h": "Heures de main-d'œuvre nouvelle",
    "seuil_recommandation_h": "Seuil de recommandation",
    "recommandation": "Avis",
    "bareme": "Barème",
    "tranche_retenue": "Tranche retenue",
    "seuil_clause_h": "Seuil de clause",
}
# Keys shown elsewhere in the note (formula, result lines), not in the steps table.
RESULT_KEYS = {"formule", "arrondi", "heures_exactes_h", "heures_retenues_h", "etp"}

METHOD_LABELS = {
    "standard": "Formule standard (part de la main-d'œuvre consacrée à l'insertion)",
    "tranche": "Une heure d'insertion par tranche de montant facturé",
    "cleaning": "Secteur de la propreté (P.A.C.T. Propreté), déduction faite du personnel repris",
    "bands": "Barème d'heures par tranche de montant",
    "framework": "Accord-cadre : calcul sur les montants minimum et maximum",
}


def format_pct_value(value: Decimal) -> str:
    """``Decimal("12.5")`` (percent) → ``12,5 %`` with the right no-break space."""
    digits = 0 if value == value.to_integral_value() else len(str(value.normalize()).split(".")[1])
    return format_pct(value / 100, min(digits, 2))


def format_detail(key: str, value: str) -> str:
    """Format one ``HoursResult.details`` value by its key's suffix, the French way."""
    try:
        number = Decimal(value)
    except ArithmeticError:
        return value
    if key.endswith("_eur"):
        return format_money(number)
    if key.endswith("_pct"):
        return format_pct_value(number)
    if key.endswith("_h"):
        return format_hours(number.quantize(Decimal("0.01")) if number != int(number) else number)
    if key == "etp":
        return f"{format_number(number, 2)}\u00a0ETP"
    return format_number(number, 0 if number == int(number) else 2)


def detail_label(key: str) -> str:
    """``part_main_oeuvre_pct`` → « Part de main-d'œuvre (%) »: a detail's French label and unit."""
    unit = {"_pct": " (%)", "_eur": " (€)", "_h": " (heures)"}.get(key[key.rfind("_"):], "")
    label = DETAIL_LABELS.get(key)
    if label is None:  # never the bare key: « cout_horaire_eur » reads « Cout horaire »
        label = key.rsplit("_", 1)[0] if unit else key
        label = label.replace("_", " ").capitalize()
    return label + unit


def lots_phrase(numbers: list[str]) -> str:
    """Return « le lot n° 2 est réservé » or « les lots n° 1, 2 et 3 sont réservés »."""
    if len(numbers) == 1:
        return f"le lot n°\u00a0{numbers[0]} est réservé"
    listed = ", ".join(numbers[:-1]) + f" et {numbers[-1]}"
    return f"les lots n°\u00a0{listed} sont réservés"
