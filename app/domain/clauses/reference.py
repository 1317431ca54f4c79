"""Default reference data for sizing and writing a clause, each value with its source and dates.

These are seeds: the application loads them into tables an administrator edits. Values
without a public source carry ``source=None`` and say so (« non sourcé — à valider »).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from datetime import date
from decimal import Decimal

from app.domain.enums import Criterion, Modality

UNSOURCED = "non sourcé — à valider"
MEFSUD77 = "mefsud77.fr (exemple de calcul d'une Maison de l'emploi)"
INSERPROPRE = "inserpropre.fr (P.A.C.T. Propreté)"


@dataclass(frozen=True)
class LabourShare:
    """Part of a trade's price that pays labour, keyed by trade and CPV prefixes."""

    key: str
    label: str
    share_pct: Decimal
    cpv_prefixes: tuple[str, ...]
    source: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None

    @property
    def is_sourced(self) -> bool:
        """Return True when a public source backs the value."""
        return self.source is not None

    @property
    def source_label(self) -> str:
        """Return the source, or the French notice that the value still needs checking."""
        return self.source or UNSOURCED

    def is_valid_on(self, day: date | None) -> bool:
        """Return True when the value applies on ``day`` (always when ``day`` is None)."""
        if day is None:
            return True
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class ReferenceValue:
    """One dated parameter (hourly cost, rate, penalty…) with its unit and source."""

    key: str
    label: str
    value: Decimal
    unit: str
    source: str | None
    valid_from: date | None = None
    note: str = ""
    valid_until: date | None = None  # last field: app/services/clauses/reference.py builds it positionally

    @property
    def is_sourced(self) -> bool:
        """Return True when a public source backs the value."""
        return self.source is not None

    @property
    def source_label(self) -> str:
        """Return the source, or the French notice that the value still needs checking."""
        return self.source or UNSOURCED


def _share(key, label, pct, cpv, source=None) -> LabourShare:
    return LabourShare(key, label, Decimal(pct), tuple(cpv), source)


# Sourced values come from DOMAIN.md §2; the others are common practice, to be validated.
LABOUR_SHARES: tuple[LabourShare, ...] = (
    _share("peinture_interieure", "Peinture intérieure", 70, ("45442",), MEFSUD77),
    _share("maconnerie", "Maçonnerie – gros œuvre", 50, ("452625",), MEFSUD77),
    _share("charpente_metallique", "Charpente métallique", 20, ("452624", "452231"), MEFSUD77),
    _share("nettoyage", "Nettoyage – propreté", 80, ("909",), INSERPROPRE),
    _share("plomberie", "Plomberie – chauffage", 40, ("4533",)),
    _share("electricite", "Électricité", 45, ("4531",)),
    _share("menuiserie", "Menuiserie", 40, ("45421",)),
    _share("couverture", "Couverture – charpente bois", 45, ("45261",)),
    _share("voirie", "Voirie – travaux routiers", 30, ("45233",)),
    _share("espaces_verts", "Espaces verts", 60, ("77310", "451127")),
    _share("demolition", "Démolition", 45, ("451111",)),
    _share("platrerie", "Plâtrerie – cloisons", 60, ("4541",)),
    _share("carrelage", "Carrelage – revêtements de sol", 55, ("45431", "45432")),
    _share("isolation", "Isolation", 45, ("4532",)),
)

DEFAULT_HOURLY_COST = ReferenceValue(
    "cout_horaire", "Coût horaire chargé d'une heure d'insertion", Decimal(30), "€/h", MEFSUD77,
    date(2025, 1, 1), note="Suit le SMIC (11,88 € brut/h au 1er janvier 2025) : à actualiser.",
)
DEFAULT_INSERTION_RATE = ReferenceValue(
    "taux_insertion", "Taux d'insertion", Decimal(5), "%",
    "Charte nationale d'insertion de l'ANRU (au moins 5 % des heures travaillées)",
)
PENALTY_PER_MISSING_HOUR = ReferenceValue(
    "penalite_heure", "Pénalité par heure d'insertion non réalisée", Decimal(200), "€",
    "CCAP d'un marché de l'État (DOMAIN.md §3)",
)
PENALTY_PER_DAY_LATE = ReferenceValue(
    "penalite_jour_retard", "Pénalité par jour de retard de transmission", Decimal(75), "€",
    "CCAP d'un marché de l'État (DOMAIN.md §3)",
)
PROOF_VALIDITY = ReferenceValue(
    "validite_justificatifs", "Durée de validité des justificatifs d'éligibilité", Decimal(3), "mois",
    "Critères d'éligibilité des emplois de l'inclusion ; arrêté du 4 septembre 2025 (DOMAIN.md §4)",
)
REFERENCE_VALUES: tuple[ReferenceValue, ...] = (
    DEFAULT_HOURLY_COST, DEFAULT_INSERTION_RATE, PENALTY_PER_MISSING_HOUR, PENALTY_PER_DAY_LATE, PROOF_VALIDITY,
)


@dataclass(frozen=True)
class EligiblePublic:
    """A public the facilitator may validate, worded for a contract, with the proof it needs."""

    criterion: Criterion
    label: str
    proof: str


# DOMAIN.md §4; proofs are usually required to be less than 3 months old.
ELIGIBLE_PUBLICS: tuple[EligiblePublic, ...] = (
    EligiblePublic(Criterion.BRSA, "Bénéficiaires du RSA", "attestation de droits au RSA"),
    EligiblePublic(Criterion.ASS, "Bénéficiaires de l'allocation de solidarité spécifique (ASS)",
                   "attestation de versement de l'ASS"),
    EligiblePublic(Criterion.AAH, "Bénéficiaires de l'allocation aux adultes handicapés (AAH)",
                   "notification de droits à l'AAH"),
    EligiblePublic(Criterion.DELD, "Demandeurs d'emploi de longue durée (12 mois et plus)",
                   "avis de situation France Travail"),
    EligiblePublic(Criterion.DETLD, "Demandeurs d'emploi de très longue durée (24 mois et plus)",
                   "avis de situation France Travail"),
    EligiblePublic(Criterion.JEUNE, "Jeunes de moins de 26 ans peu ou pas qualifiés",
                   "pièce d'identité et justificatif du niveau de qualification"),
    EligiblePublic(Criterion.SENIOR, "Demandeurs d'emploi de 50 ans et plus",
                   "avis de situation France Travail et pièce d'identité"),
    EligiblePublic(Criterion.RQTH, "Travailleurs handicapés (RQTH)", "notification de la MDPH"),
    EligiblePublic(Criterion.PLIE, "Participants d'un PLIE", "attestation d'entrée dans le PLIE"),
    EligiblePublic(Criterion.SALARIE_SIAE, "Salariés d'une structure d'insertion par l'activité "
                   "économique", "contrat de travail en SIAE ou PASS IAE"),
    EligiblePublic(Criterion.QPV, "Habitants d'un quartier prioritaire de la politique de la ville",
                   "justificatif de domicile"),
    EligiblePublic(Criterion.PARCOURS, "Personnes suivies en EPIDE, en école de la deuxième chance ou "
                   "dans un autre parcours d'insertion", "attestation de la structure"),
)


@dataclass(frozen=True)
class ModalityRule:
    """How the hours of one delivery modality count; ``counts_hours`` is the configurable flag."""

    modality: Modality
    label: str
    counting_rule: str
    counts_hours: bool = True


# DOMAIN.md §3; an administrator may switch a modality off or reword its counting rule.
MODALITY_RULES: tuple[ModalityRule, ...] = (
    ModalityRule(Modality.EMBAUCHE_DIRECTE, "Embauche directe (CDI, CDD, contrat de chantier, contrat "
                 "de professionnalisation, apprentissage)",
                 "heures travaillées figurant sur les bulletins de paie"),
    ModalityRule(Modality.ETTI, "Mise à disposition par une entreprise de travail temporaire d'insertion",
                 "heures de mission facturées par l'ETTI"),
    ModalityRule(Modality.AI, "Mise à disposition par une association intermédiaire",
                 "heures de mise à disposition facturées par l'AI"),
    ModalityRule(Modality.GEIQ, "Mise à disposition par un GEIQ", "heures facturées par le GEIQ"),
    ModalityRule(Modality.INTERIM, "Intérim classique avec une personne dont l'éligibilité est validée",
                 "heures de mission figurant sur les relevés de l'agence"),
    ModalityRule(Modality.SOUS_TRAITANCE,
                 "Sous-traitance ou cotraitance avec une EI, un ACI, une EA ou un ESAT",
                 "heures de travail des salariés en insertion ou handicapés affectés au marché"),
    ModalityRule(Modality.FORMATION, "Formation de salariés éligibles",
                 "heures de formation suivies et attestées"),
)


# Ligatures NFKD leaves whole: without them « gros oeuvre » never met « gros œuvre ».
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def fold_text(text: str) -> str:
    """Lower-case, strip accents and punctuation so « Maçonnerie » finds ``maconnerie``."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_LIGATURES)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def nearest_labour_shares(trade: str, shares: tuple[LabourShare, ...] = LABOUR_SHARES, *,
                          limit: int = 3, on: date | None = None) -> list[LabourShare]:
    """Return the trades closest to a typed one (shared words first, then spelling), best first.

    Offered when a typed trade matches nothing: « maconerie » proposes « Maçonnerie – gros œuvre ».
    """
    wanted = fold_text(trade)
    if not wanted:
        return []
    words = {word for word in wanted.split() if len(word) > 3}  # not « de », « des », « les »
    scored = []
    for share in shares:
        if not share.is_valid_on(on):
            continue
        label = fold_text(share.label)
        label_words = set(label.split()) | {fold_text(share.key).replace(" ", "")}
        # A word shared, or nearly shared (« maconerie » / « maconnerie »), counts most.
        overlap = sum(max((SequenceMatcher(None, word, other).ratio() for other in label_words), default=0) >= 0.8
                      for word in words)
        spelling = SequenceMatcher(None, wanted, label).ratio()
        if overlap or spelling >= 0.5:
            scored.append((overlap, spelling, share))
    if any(overlap for overlap, _spelling, _share in scored):
        scored = [item for item in scored if item[0]]
    scored.sort(key=lambda item: (-item[0], -item[1], item[2].label))
    return [share for _overlap, _spelling, share in scored[:limit]]


def find_labour_share(*, trade: str | None = None, cpv: str | None = None, on: date | None = None,
                      shares: tuple[LabourShare, ...] = LABOUR_SHARES) -> LabourShare | None:
    """Return the labour share of a trade (key or label) or else of a CPV code (longest prefix)."""
    candidates = [share for share in shares if share.is_valid_on(on)]
    if trade:
        wanted = fold_text(trade)
        for share in candidates:
            if wanted in (fold_text(share.key), fold_text(share.label)):
                return share
    digits = re.sub(r"\D", "", (cpv or "").split("-")[0])
    best, best_length = None, 0
    for share in candidates:
        for prefix in share.cpv_prefixes:
            if digits.startswith(prefix) and len(prefix) > best_length:
                best, best_length = share, len(prefix)
    return best
