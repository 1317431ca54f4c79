"""The facilitator's activity log and the partners of the directory (DOMAIN.md §8).

Relations-entreprises targets (entreprises contactées, offres collectées, mises en relation…)
and the steering side of the clause targets (visites de chantier, comités, employeurs
contrôlés) are counted from these entries; app.domain.reports.targets says how.
"""

from app.domain.enums import LabelledEnum


class ActivityKind(LabelledEnum):
    """What an entry of the activity log records."""

    CONTACT = "contact", "Contact (téléphone, courriel)"
    VISIT = "visit", "Visite d'entreprise"
    MEETING = "meeting", "Rendez-vous ou réunion"
    STEERING_COMMITTEE = "steering_committee", "Comité de pilotage"
    CLAUSE_COMMISSION = "clause_commission", "Commission clauses"
    SITE_VISIT = "site_visit", "Visite de chantier"
    EMPLOYMENT_FOLLOW_UP = "employment_follow_up", "Suivi dans l'emploi"
    EMPLOYER_CHECK = "employer_check", "Contrôle d'un employeur"
    PARTNERSHIP = "partnership", "Partenariat formalisé (charte, convention)"
    SMALL_COMPANY_SUPPORT = "small_company_support", "Accompagnement d'une TPE"
    OFFER_COLLECTED = "offer_collected", "Offre d'emploi collectée"
    OFFER_DIFFUSED = "offer_diffused", "Offre d'emploi diffusée"
    POSTS_TRANSMITTED = "posts_transmitted", "Postes transmis"
    MATCHING = "matching", "Mise en relation"
    PREPARATION = "preparation", "Préparation d'un candidat (entretien, prise de poste)"
    JOB_EVENT = "job_event", "Événement emploi (forum, salon, job dating)"
    INTERVIEW = "interview", "Entretien"


# Entries whose « quantité » says how many were done at once (« 4 postes transmis »); the
# others count one each.
COUNTED_KINDS = frozenset({
    ActivityKind.OFFER_COLLECTED, ActivityKind.OFFER_DIFFUSED, ActivityKind.POSTS_TRANSMITTED,
    ActivityKind.MATCHING, ActivityKind.PREPARATION, ActivityKind.INTERVIEW,
})
# A compte rendu is expected for these: the dossier lists them with their minutes.
MINUTES_EXPECTED = frozenset({
    ActivityKind.STEERING_COMMITTEE, ActivityKind.CLAUSE_COMMISSION, ActivityKind.SITE_VISIT,
    ActivityKind.EMPLOYER_CHECK, ActivityKind.MEETING,
})
MAX_NOTE = 1000
MAX_QUANTITY = 10_000


class PartnerKind(LabelledEnum):
    """Partners and prescribers of the directory: who receives fiches and positions candidates."""

    FRANCE_TRAVAIL = "france_travail", "France Travail"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    CAP_EMPLOI = "cap_emploi", "Cap emploi"
    CIP_REFERENT = "cip_referent", "CIP référent (PLIE, Département)"
    SIAE = "siae", "Structure d'insertion (SIAE)"
    OTHER = "other", "Autre partenaire"
