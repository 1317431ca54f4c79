"""What the CCAP article says for each legal instrument: publics, modalities, counting, control.

A clause d'exécution (L2112-2), a criterion (L2152-7) and a marché d'insertion (R2123-1) open the
hours to every eligible person, validated by the facilitator. A lot reserved to SIAE (L2113-13)
is carried out by the structure's own employees in an insertion path, already eligible; a lot
reserved to EA/ESAT (L2113-12) by disabled workers, whose health data never leave the structure.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.clauses.reference import ELIGIBLE_PUBLICS, MODALITY_RULES
from app.domain.enums import Criterion, LegalInstrument


@dataclass(frozen=True)
class Public:
    """One eligible public as the CCAP lists it, with the proof that establishes it."""

    label: str
    proof: str


# CCAG 2021, art. 16.1 (DOMAIN.md §4): publics first defined by the structure that employs them.
STRUCTURE_PUBLICS: tuple[Public, ...] = (
    Public("Salariés des structures d’insertion par l’activité économique (AI, ETTI, EI, ACI)",
           "contrat de travail en SIAE ou PASS IAE"),
    Public("Salariés des entreprises adaptées, des entreprises adaptées de travail temporaire et des "
           "ESAT", "attestation de la structure"),
    Public("Salariés des régies de quartier", "attestation de la régie"),
    Public("Jeunes accompagnés par un EPIDE ou une école de la deuxième chance",
           "attestation de l’établissement"),
    Public("Personnes engagées dans un autre parcours d’insertion reconnu",
           "attestation de la structure qui les accompagne"),
)
# The situations of DOMAIN.md §4, without those the structure list above already covers.
SITUATION_PUBLICS: tuple[Public, ...] = tuple(
    Public(p.label, p.proof) for p in ELIGIBLE_PUBLICS
    if p.criterion not in (Criterion.SALARIE_SIAE, Criterion.PARCOURS))

EXECUTION_MODALITIES = tuple(m for m in MODALITY_RULES if m.counts_hours)
SIAE_MODALITIES = (
    Public("Affectation au marché de salariés en parcours d’insertion de la structure attributaire",
           "heures de travail figurant sur les bulletins de paie de ces salariés"),
    Public("Cotraitance ou sous-traitance avec une autre structure d’insertion par l’activité "
           "économique", "heures de travail de ses salariés en parcours affectés au marché"),
)
EA_ESAT_MODALITIES = (
    Public("Affectation au marché de travailleurs handicapés de la structure attributaire",
           "heures de travail attestées par la structure, sans donnée nominative de santé"),
    Public("Cotraitance ou sous-traitance avec une autre entreprise adaptée ou un autre ESAT",
           "heures de travail des travailleurs handicapés affectés au marché, attestées de même"),
)


@dataclass(frozen=True)
class InstrumentSections:
    """The instrument-specific wording of parts 3 to 5 and 8 of the CCAP article."""

    publics_intro: str
    publics: tuple[Public, ...]
    eligibility_text: str
    modalities_intro: str
    modalities: tuple[Public, ...]  # label + counting rule
    counting_text: str
    control_text: str


_OPEN = InstrumentSections(
    publics_intro=("Sont éligibles les personnes rencontrant des difficultés sociales ou "
                   "professionnelles particulières, notamment les salariés des structures suivantes "
                   "et les personnes dans l’une des situations suivantes :"),
    publics=STRUCTURE_PUBLICS + SITUATION_PUBLICS,
    eligibility_text=(
        "L’éligibilité de chaque personne est validée par le facilitateur avant sa prise de poste, sur "
        "présentation de justificatifs datant de moins de trois mois ; les salariés des structures "
        "listées ci-dessus sont éligibles sur la seule attestation de leur structure. La reconnaissance "
        "de la qualité de travailleur handicapé, donnée de santé, n’est communiquée qu’au facilitateur."),
    modalities_intro=("Le titulaire réalise les heures selon une ou plusieurs des modalités suivantes, "
                      "qu’il choisit après avoir pris l’avis du facilitateur :"),
    modalities=tuple(Public(m.label, m.counting_rule) for m in EXECUTION_MODALITIES),
    counting_text=("Une heure d’insertion est une heure de travail effectivement réalisée pour "
                   "l’exécution du marché par une personne dont l’éligibilité a été validée. Les heures "
                   "sont décomptées ainsi :"),
    control_text=("Le titulaire transmet au facilitateur, au plus tard le {reporting_day} de chaque "
                  "mois, l’état des heures d’insertion réalisées le mois précédent, accompagné des "
                  "justificatifs : relevés d’heures, contrats, factures des structures d’insertion, "
                  "attestations de formation."),
)
_SIAE = InstrumentSections(
    publics_intro=("Les heures sont réalisées par des salariés en parcours d’insertion de la structure "
                   "attributaire (ou de ses cotraitants et sous-traitants de même nature) :"),
    publics=(Public("Salariés en parcours d’insertion d’une structure d’insertion par l’activité "
                    "économique (AI, ETTI, EI, ACI)", "contrat de travail en SIAE ou PASS IAE en cours "
                    "de validité"),),
    eligibility_text=(
        "Ces salariés sont éligibles du fait de leur parcours d’insertion : aucune validation "
        "supplémentaire n’est demandée. La structure justifie, à la demande de l’acheteur, de son "
        "conventionnement par l’État et de la proportion d’au moins 50 % de travailleurs défavorisés."),
    modalities_intro="Le titulaire réalise les heures selon l’une des modalités suivantes :",
    modalities=SIAE_MODALITIES,
    counting_text=("Une heure d’insertion est une heure de travail réalisée pour l’exécution du marché "
                   "par un salarié en parcours d’insertion. Les heures sont décomptées ainsi :"),
    control_text=("La structure transmet au facilitateur, au plus tard le {reporting_day} de chaque "
                  "mois, l’état des heures réalisées le mois précédent par ses salariés en parcours, "
                  "avec le nombre de salariés concernés."),
)
_EA_ESAT = InstrumentSections(
    publics_intro="Les heures sont réalisées par des travailleurs handicapés :",
    publics=(Public("Travailleurs handicapés employés par une entreprise adaptée ou accueillis par un "
                    "ESAT", "attestation de la structure, sans donnée nominative de santé"),),
    eligibility_text=(
        "La structure justifie, à la demande de l’acheteur, de sa qualité d’entreprise adaptée ou "
        "d’ESAT et de la proportion d’au moins 50 % de travailleurs handicapés. Aucune donnée de santé "
        "relative à une personne n’est transmise à l’acheteur ni au facilitateur."),
    modalities_intro="Le titulaire réalise les heures selon l’une des modalités suivantes :",
    modalities=EA_ESAT_MODALITIES,
    counting_text=("Une heure est comptée lorsqu’elle est réalisée pour l’exécution du marché par un "
                   "travailleur handicapé de la structure. Les heures sont décomptées ainsi :"),
    control_text=("La structure transmet au facilitateur, au plus tard le {reporting_day} de chaque "
                  "mois, une attestation du nombre d’heures réalisées le mois précédent par des "
                  "travailleurs handicapés, sans liste nominative."),
)

SECTIONS = {
    LegalInstrument.CLAUSE_EXECUTION: _OPEN,
    LegalInstrument.CRITERE_ATTRIBUTION: _OPEN,
    LegalInstrument.EXECUTION_ET_CRITERE: _OPEN,
    LegalInstrument.MARCHE_INSERTION: _OPEN,
    LegalInstrument.RESERVE_SIAE: _SIAE,
    LegalInstrument.RESERVE_EA_ESAT: _EA_ESAT,
}
