"""The 2026 social condition: above the EU thresholds a contract must carry one (DOMAIN.md §3).

Loi n° 2021-1104 du 22 août 2021 (« Climat et Résilience »), art. 35: consultations launched
from 22 August 2026 whose estimated value reaches the EU thresholds include an execution
condition on social or employment matters, unless a derogation applies. An award criterion
alone does not satisfy it; a reserved market or a marché d'insertion does, its object being
the employment of the people concerned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.enums import LegalInstrument
from app.domain.formats import format_date_fr, format_money

OBLIGATION_SOURCE = "loi n° 2021-1104 du 22 août 2021 portant lutte contre le dérèglement climatique, art. 35"
OBLIGATION_NAME = ("l’obligation d’une condition d’exécution à caractère social ou relative à "
                   "l’emploi (loi Climat et Résilience du 22 août 2021, art. 35)")
OBLIGATION_FROM = date(2026, 8, 22)
THRESHOLDS_SOURCE = ("règlements délégués (UE) 2025/2150, 2025/2151 et 2025/2152 ; avis publié au "
                     "JO du 26/12/2025")

NATURES = {"travaux": "travaux", "fournitures": "fournitures", "services": "services"}
BUYER_CATEGORIES = {
    "etat": "État et ses établissements publics",
    "collectivite": "collectivités territoriales et autres pouvoirs adjudicateurs",
    "entite_adjudicatrice": "entités adjudicatrices (réseaux) et marchés de défense",
}


@dataclass(frozen=True)
class EuThreshold:
    """One EU procurement threshold (€ HT), dated, with its source."""

    nature: str  # "travaux" or "fournitures_services"
    buyer_category: str | None  # None: every buyer
    amount: Decimal
    valid_from: date
    valid_until: date
    source: str = THRESHOLDS_SOURCE


# In force 1 January 2026 – 31 December 2027 (DOMAIN.md §3).
EU_THRESHOLDS: tuple[EuThreshold, ...] = (
    EuThreshold("travaux", None, Decimal(5_404_000), date(2026, 1, 1), date(2027, 12, 31)),
    EuThreshold("fournitures_services", "etat", Decimal(140_000), date(2026, 1, 1), date(2027, 12, 31)),
    EuThreshold("fournitures_services", "collectivite", Decimal(216_000), date(2026, 1, 1), date(2027, 12, 31)),
    EuThreshold("fournitures_services", "entite_adjudicatrice", Decimal(432_000), date(2026, 1, 1),
                date(2027, 12, 31)),
)
SATISFYING = frozenset(LegalInstrument) - {LegalInstrument.CRITERE_ATTRIBUTION}


def infer_nature(cpv: str) -> str:
    """Return the nature a CPV code implies: 45… works, 03…44 and 48… supplies, else services."""
    division = int(cpv[:2]) if cpv[:2].isdigit() else 0
    if division == 45:
        return "travaux"
    return "fournitures" if 3 <= division <= 44 or division == 48 else "services"


def find_threshold(nature: str, buyer_category: str, on: date,
                   thresholds: tuple[EuThreshold, ...] = EU_THRESHOLDS) -> EuThreshold | None:
    """Return the EU threshold for a nature and buyer on a date, or None when none is known."""
    kind = "travaux" if nature == "travaux" else "fournitures_services"
    for threshold in thresholds:
        if threshold.nature == kind and threshold.buyer_category in (None, buyer_category) \
                and threshold.valid_from <= on <= threshold.valid_until:
            return threshold
    return None


@dataclass(frozen=True)
class SocialConditionCheck:
    """What the 2026 obligation says of one consultation; ``refused`` blocks the pack."""

    applies: bool
    refused: bool
    statement: str  # one French sentence for the note de calcul


def check_social_condition(*, instrument: LegalInstrument, estimated_value: Decimal, nature: str,
                           buyer_category: str, launch_date: date, derogation: str = "",
                           thresholds: tuple[EuThreshold, ...] = EU_THRESHOLDS) -> SocialConditionCheck:
    """Check the consultation against the 2026 obligation and word the outcome for the note."""
    value = format_money(estimated_value)
    if launch_date < OBLIGATION_FROM:
        return SocialConditionCheck(False, False, (
            f"Consultation lancée le {format_date_fr(launch_date, 'long')}, avant le "
            f"{format_date_fr(OBLIGATION_FROM, 'long')} : {OBLIGATION_NAME} ne s’applique pas encore."))
    threshold = find_threshold(nature, buyer_category, launch_date, thresholds)
    if threshold is None:
        return SocialConditionCheck(False, False, (
            f"Aucun seuil européen n’est connu pour le {format_date_fr(launch_date, 'long')} : vérifiez "
            f"{OBLIGATION_NAME} au regard des seuils en vigueur."))
    limit = format_money(threshold.amount)
    if estimated_value < threshold.amount:
        return SocialConditionCheck(False, False, (
            f"Montant estimé de {value} HT, inférieur au seuil européen de {limit} HT "
            f"({NATURES[nature]}, {threshold.source}) : {OBLIGATION_NAME} ne s’impose pas."))
    if instrument in SATISFYING:
        return SocialConditionCheck(True, False, (
            f"Montant estimé de {value} HT, égal ou supérieur au seuil européen de {limit} HT "
            f"({NATURES[nature]}, {threshold.source}) : {OBLIGATION_NAME} s’applique ; elle est "
            "satisfaite par le présent dispositif."))
    if derogation:
        return SocialConditionCheck(True, False, (
            f"Montant estimé de {value} HT, égal ou supérieur au seuil européen de {limit} HT "
            f"({NATURES[nature]}, {threshold.source}) : {OBLIGATION_NAME} s’applique. L’acheteur "
            f"n’impose pas de condition d’exécution sociale, au titre de la dérogation suivante : "
            f"{derogation.rstrip('.')}."))
    return SocialConditionCheck(True, True, (
        f"Consultation lancée le {format_date_fr(launch_date, 'long')}, d’un montant estimé de {value} HT, "
        f"égal ou supérieur au seuil européen de {limit} HT ({NATURES[nature]}) : {OBLIGATION_NAME} "
        "s’applique et un critère d’attribution seul ne la satisfait pas. Ajoutez une clause "
        "d’exécution, réservez le marché, ou indiquez le motif de dérogation retenu par l’acheteur."))
