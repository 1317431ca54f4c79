"""Shared vocabularies: English identifiers, French labels (as les emplois de l'inclusion does)."""

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a French label."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """Return (value, label) pairs for select fields."""
        return [(member.value, member.label) for member in cls]


class Role(LabelledEnum):
    ADMIN = "admin", "Administrateur·rice"
    FACILITATEUR = "facilitateur", "Facilitateur·rice des clauses"
    GESTIONNAIRE = "gestionnaire", "Gestionnaire FSE+"
    SIAE = "siae", "Structure d'insertion (SIAE)"
    ENTREPRISE = "entreprise", "Entreprise"


class OrganisationKind(LabelledEnum):
    PLIE = "plie", "PLIE"
    MAISON_EMPLOI = "maison_emploi", "Maison de l'emploi"
    DEPARTEMENT = "departement", "Département"
    AUTRE = "autre", "Autre structure"


class BuyerKind(LabelledEnum):
    COMMUNE = "commune", "Commune ou intercommunalité"
    BAILLEUR = "bailleur", "Bailleur social"
    DEPARTEMENT = "departement", "Département ou Région"
    ETAT = "etat", "État ou établissement public"
    ENTREPRISE_PUBLIQUE = "entreprise_publique", "Entreprise publique"
    AUTRE = "autre", "Autre acheteur"


class SiaeKind(LabelledEnum):
    EI = "EI", "Entreprise d'insertion (EI)"
    ETTI = "ETTI", "Entreprise de travail temporaire d'insertion (ETTI)"
    AI = "AI", "Association intermédiaire (AI)"
    ACI = "ACI", "Atelier et chantier d'insertion (ACI)"
    GEIQ = "GEIQ", "Groupement d'employeurs pour l'insertion et la qualification (GEIQ)"
    EA = "EA", "Entreprise adaptée (EA)"
    ESAT = "ESAT", "Établissement et service d'accompagnement par le travail (ESAT)"


class Procedure(LabelledEnum):
    APPEL_OFFRES_OUVERT = "aoo", "Appel d'offres ouvert"
    APPEL_OFFRES_RESTREINT = "aor", "Appel d'offres restreint"
    PROCEDURE_ADAPTEE = "mapa", "Procédure adaptée (MAPA)"
    NEGOCIEE = "negociee", "Procédure avec négociation"
    DIALOGUE = "dialogue", "Dialogue compétitif"
    AUTRE = "autre", "Autre procédure"


class LegalInstrument(LabelledEnum):
    CLAUSE_EXECUTION = "clause_execution", "Clause d'exécution (L2112-2)"
    CRITERE_ATTRIBUTION = "critere_attribution", "Critère d'attribution (L2152-7)"
    EXECUTION_ET_CRITERE = "execution_et_critere", "Clause d'exécution et critère d'attribution"
    RESERVE_SIAE = "reserve_siae", "Marché réservé aux SIAE (L2113-13)"
    RESERVE_EA_ESAT = "reserve_ea_esat", "Marché réservé aux EA/ESAT (L2113-12)"
    MARCHE_INSERTION = "marche_insertion", "Marché d'insertion (R2123-1)"


class Criterion(LabelledEnum):
    """Eligible publics (DOMAIN.md §4), each proven by a dated document."""

    BRSA = "brsa", "Bénéficiaire du RSA"
    ASS = "ass", "Bénéficiaire de l'ASS"
    AAH = "aah", "Bénéficiaire de l'AAH"
    DELD = "deld", "Demandeur d'emploi de longue durée (≥ 12 mois)"
    DETLD = "detld", "Demandeur d'emploi de très longue durée (≥ 24 mois)"
    JEUNE = "jeune", "Jeune de moins de 26 ans peu qualifié"
    SENIOR = "senior", "Senior de 50 ans et plus"
    RQTH = "rqth", "Travailleur handicapé (RQTH)"
    PLIE = "plie", "Participant du PLIE"
    SALARIE_SIAE = "salarie_siae", "Salarié d'une SIAE"
    QPV = "qpv", "Résident d'un quartier prioritaire (QPV)"
    PARCOURS = "parcours", "Parcours d'insertion (EPIDE, E2C…)"


class Sex(LabelledEnum):
    FEMME = "F", "Femme"
    HOMME = "M", "Homme"


class Modality(LabelledEnum):
    EMBAUCHE_DIRECTE = "embauche_directe", "Embauche directe"
    ETTI = "etti", "Mise à disposition par une ETTI"
    AI = "ai", "Mise à disposition par une AI"
    GEIQ = "geiq", "Mise à disposition par un GEIQ"
    INTERIM = "interim", "Intérim classique (personne éligible)"
    SOUS_TRAITANCE = "sous_traitance", "Sous-traitance ou cotraitance (EI, ACI, EA, ESAT)"
    FORMATION = "formation", "Formation de salariés éligibles"


class ContractType(LabelledEnum):
    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
    CDDI = "cddi", "CDDI (SIAE)"
    MISSION_ETTI = "mission_etti", "Mission d'intérim d'insertion"
    MISSION_INTERIM = "mission_interim", "Mission d'intérim"
    CDD_USAGE = "cdd_usage", "CDD d'usage (AI)"
    CONTRAT_CHANTIER = "contrat_chantier", "Contrat de chantier"
    PROFESSIONNALISATION = "professionnalisation", "Contrat de professionnalisation"
    APPRENTISSAGE = "apprentissage", "Contrat d'apprentissage"


class HourSource(LabelledEnum):
    SAISIE = "saisie", "Saisie manuelle"
    IMPORT = "import", "Import d'un relevé"
    DEMO = "demo", "Données de démonstration"
    REPRISE = "reprise", "Reprise des données d'un autre outil"


class JobStatus(LabelledEnum):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"


class TenderStatus(LabelledEnum):
    """Where a tender stands, from spotting it with the buyer to its end (issue #16)."""

    REPERE = "repere", "Repéré"
    A_L_ETUDE = "etude", "À l'étude"
    CLAUSE_REDIGEE = "clause_redigee", "Clause rédigée"
    PUBLIE = "publie", "Publié"
    ATTRIBUE = "attribue", "Attribué"
    EN_EXECUTION = "execution", "En exécution"
    CLOS = "clos", "Clos"
    ABANDONNE = "abandonne", "Abandonné"

    @property
    def is_upcoming(self) -> bool:
        """Tell whether the tender is not yet awarded (a « marché à venir »)."""
        return self in UPCOMING_STATUSES


UPCOMING_STATUSES = frozenset({TenderStatus.REPERE, TenderStatus.A_L_ETUDE, TenderStatus.CLAUSE_REDIGEE,
                               TenderStatus.PUBLIE})


# The convention's vocabularies sit here, beside the tender's, because the data import reads
# them too (liaison keeps the rules: app.domain.liaison.workflow and .convention).
class ConventionStatus(LabelledEnum):
    """Life of a partnership convention."""

    BROUILLON = "brouillon", "Brouillon"
    ENVOYEE = "envoyee", "Envoyée"
    SIGNEE = "signee", "Signée"
    ECHUE = "echue", "Échue"
    ANNULEE = "annulee", "Annulée"


class PartyKind(LabelledEnum):
    """Who signs a partnership convention with the facilitator's organisation."""

    ACHETEUR = "acheteur", "Acheteur public – maître d'ouvrage"
    ENTREPRISE = "entreprise", "Entreprise attributaire"
    SIAE = "siae", "Structure d'insertion par l'activité économique (SIAE)"
