"""Classify a participant's exit (sortie) the way the Pas-de-Calais FSE+ sheet defines it.

Duration rule: a contract "reaches" N months when ``end_on >= add_months(start_on, N) - 1 day``,
both days worked. A CDD from 1 January to 30 June therefore lasts exactly 6 months (it reaches
6), one ending on 29 June does not. Calendar months are added with end-of-month clamping
(31 August + 6 months = 28 or 29 February), as a contract writer would count them.
"""

import calendar
from datetime import date, timedelta

from app.domain.enums import LabelledEnum


class ExitClassificationError(ValueError):
    """The dates given cannot support a classification; the message is French."""


class ExitCategory(LabelledEnum):
    """Exit categories (sorties dynamiques), in the order reports list them."""

    EMPLOI_DURABLE = "emploi_durable", "Emploi durable"
    EMPLOI_TRANSITION = "emploi_transition", "Emploi de transition"
    SORTIE_POSITIVE = "sortie_positive", "Sortie positive"
    AUTRE = "autre", "Autre"


class ExitSituation(LabelledEnum):
    """What the participant does right after leaving the clause."""

    PERMANENT_CONTRACT = "permanent_contract", "CDI (y compris CUI-CIE en CDI)"
    FIXED_TERM_CONTRACT = "fixed_term_contract", "CDD (secteur marchand, aidé ou non)"
    TEMPORARY_MISSION = "temporary_mission", "Mission d'intérim"
    PROFESSIONALISATION_CONTRACT = "professionalisation_contract", "Contrat de professionnalisation"
    APPRENTICESHIP = "apprenticeship", "Contrat d'apprentissage"
    CIVIL_SERVICE = "civil_service", "Entrée dans la fonction publique (titularisation)"
    NON_MARKET_SUBSIDISED_CONTRACT = (
        "non_market_subsidised_contract",
        "Contrat aidé du secteur non marchand (PEC, CUI-CAE)",
    )
    QUALIFYING_TRAINING = "qualifying_training", "Formation qualifiante"
    SIAE_HIRE = "siae_hire", "Embauche en SIAE (CDDI, mission d'insertion…)"
    NON_QUALIFYING_TRAINING = "non_qualifying_training", "Formation non qualifiante"
    JOB_SEEKER = "job_seeker", "Demandeur d'emploi"
    OTHER = "other", "Autre situation (santé, déménagement, abandon…)"


# Situations whose category never depends on duration or subsidy.
_FIXED_CATEGORY = {
    ExitSituation.PERMANENT_CONTRACT: ExitCategory.EMPLOI_DURABLE,
    ExitSituation.PROFESSIONALISATION_CONTRACT: ExitCategory.EMPLOI_DURABLE,
    ExitSituation.APPRENTICESHIP: ExitCategory.EMPLOI_DURABLE,
    ExitSituation.CIVIL_SERVICE: ExitCategory.EMPLOI_DURABLE,
    ExitSituation.QUALIFYING_TRAINING: ExitCategory.SORTIE_POSITIVE,
    ExitSituation.SIAE_HIRE: ExitCategory.SORTIE_POSITIVE,
    # The sheet lists only market-sector subsidised contracts; PEC / CUI-CAE are not in it.
    ExitSituation.NON_MARKET_SUBSIDISED_CONTRACT: ExitCategory.AUTRE,
    ExitSituation.NON_QUALIFYING_TRAINING: ExitCategory.AUTRE,
    ExitSituation.JOB_SEEKER: ExitCategory.AUTRE,
    ExitSituation.OTHER: ExitCategory.AUTRE,
}

DURABLE_MONTHS = 6
TRANSITION_MONTHS = 3
FOLLOW_UP_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by whole calendar months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def reaches_months(start_on: date, end_on: date, months: int) -> bool:
    """Tell whether a contract from ``start_on`` to ``end_on`` (inclusive) lasts ``months``."""
    return end_on >= add_months(start_on, months) - timedelta(days=1)


def exceeds_months(start_on: date, end_on: date, months: int) -> bool:
    """Tell whether a contract lasts strictly more than ``months`` (« CDD de plus de 6 mois »)."""
    return end_on >= add_months(start_on, months)


def classify_exit(
    situation: ExitSituation, start_on: date, end_on: date | None, is_subsidised: bool = False,
    *, strictly_more: bool = False,
) -> ExitCategory:
    """Return the exit category of a situation starting ``start_on`` and ending ``end_on``.

    ``strictly_more``: the operation sheet counts as durable a contract of *more than* 6 months,
    not of 6 months and more (an FSE+ operation's ``DurableRule``).
    """
    if situation in _FIXED_CATEGORY:
        return _FIXED_CATEGORY[situation]
    if end_on is None:
        raise ExitClassificationError(
            f"La date de fin est nécessaire pour classer la sortie « {situation.label} »."
        )
    if end_on < start_on:
        raise ExitClassificationError(
            "La date de fin du contrat est antérieure à sa date de début."
        )
    # A subsidised CDD (CUI-CIE, emploi franc) is transition employment whatever its length.
    can_be_durable = situation is ExitSituation.TEMPORARY_MISSION or not is_subsidised
    durable = exceeds_months if strictly_more else reaches_months
    if can_be_durable and durable(start_on, end_on, DURABLE_MONTHS):
        return ExitCategory.EMPLOI_DURABLE
    if reaches_months(start_on, end_on, TRANSITION_MONTHS):
        return ExitCategory.EMPLOI_TRANSITION
    return ExitCategory.AUTRE


def follow_up_due_on(exit_on: date) -> date:
    """Return the day the 6-month follow-up survey of an exited participant is due."""
    return add_months(exit_on, FOLLOW_UP_MONTHS)
