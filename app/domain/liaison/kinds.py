"""The fiche de liaison and convention as customisable document kinds, with sample data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.domain.documents.kinds import SAMPLE_DAY, DocKind, describe_kind
from app.domain.enums import ContractType, Modality
from app.domain.liaison.convention import (
    ConventionData, Party, PartyKind, ScopeItem, Signatory, build_convention_context,
)
from app.domain.liaison.fiche import FicheData, build_fiche_context

SAMPLE_FICHE = FicheData(
    company_name="Bâtir & Rénover Côte d'Opale", company_siret="12345678200010",
    company_address="12 rue des Docks, 59140 Dunkerque", contact_name="Sophie Lefebvre",
    contact_phone="0612345678", contact_email="s.lefebvre@batir-renover.example.fr",
    job_title="Ouvrier·ère polyvalent·e du bâtiment", rome_code="F1703", posts=2, start_on=date(2026, 11, 3),
    activities="Préparation des supports, manutention, nettoyage du chantier",
    skills="Respect des consignes de sécurité, travail en équipe", experience="Débutant accepté",
    training="Aucun diplôme exigé", driving_licence="Permis B", habilitation="CACES R489 cat. 3",
    outdoor_work=True, other_requirements="Port des EPI obligatoire", contract_type=ContractType.CDD,
    contract_length="6 mois", weekly_hours=Decimal(35),
    work_schedule="du lundi au vendredi, 8 h – 12 h et 13 h – 16 h", gross_monthly_salary=Decimal("1850.00"),
    workplace="Chantier Îlot Gambetta, Dunkerque", applications_close_on=date(2026, 10, 23),
    application_channel="CV par courriel à s.lefebvre@batir-renover.example.fr", requested_on=date(2026, 10, 5),
    tender_reference="2026-014",
    tender_object="Réhabilitation du groupe scolaire Gambetta", lot="2", hours_covered=Decimal(2500),
    modality=Modality.EMBAUCHE_DIRECTE, tutor_name="Karim Benali", tutor_role="Chef d'équipe",
)

SAMPLE_CONVENTION = ConventionData(
    facilitator_name="PLIE de Lens-Liévin", facilitator_signatory=Signatory("Marie Dubois", "Présidente"),
    facilitator_address="5 place Jean Jaurès, 62300 Lens", reference="2026-07",
    party=Party(PartyKind.ENTREPRISE, "Bâtir & Rénover Côte d'Opale", "12345678200010",
                Signatory("Paul Leroy", "Directeur général"), "12 rue des Docks, 59140 Dunkerque"),
    object="La présente convention organise la mise en œuvre de la clause sociale d'insertion des "
           "marchés listés à l'article 2.",
    scope=(ScopeItem("2026-014", "Réhabilitation du groupe scolaire Gambetta", "2"),),
    starts_on=date(2026, 10, 1), ends_on=date(2027, 9, 30), is_fse_funded=True,
    fse_operation="Clauses sociales 2026", annexes=("Fiche de liaison type",), signed_at_place="Lens",
)

FICHE_VARIABLES = {
    "organisation_name": "Structure du facilitateur", "generated_on": "Date d'édition (JJ/MM/AAAA)",
    "organisation_the": "Structure du facilitateur, avec son article (« le PLIE… »)",
    "company_name": "Raison sociale de l'entreprise", "company_siret": "SIRET de l'entreprise",
    "company_address": "Adresse de l'entreprise", "contact_name": "Personne à contacter",
    "contact_phone": "Téléphone du contact", "contact_email": "Courriel du contact",
    "job_title": "Intitulé du poste", "rome_code": "Code ROME du métier (« F1703 »)",
    "posts": "Nombre de postes", "start_on": "Date de démarrage",
    "activities": "Activités principales", "skills": "Compétences attendues",
    "experience": "Expérience demandée", "training": "Formation ou diplôme",
    "driving_licence": "Permis de conduire exigé", "habilitation": "Habilitations exigées",
    "outdoor_work": "Travail en extérieur (Oui / Non)", "other_requirements": "Autres exigences",
    "contract_type": "Type de contrat", "contract_length": "Durée du contrat",
    "weekly_hours": "Durée hebdomadaire", "work_schedule": "Horaires de travail",
    "gross_salary": "Salaire brut mensuel", "workplace": "Lieu de travail",
    "applications_close_on": "Date limite de candidature (JJ/MM/AAAA)",
    "application_channel": "Comment candidater (« CV par courriel à … »)",
    "requested_on": "Date de la demande, en toutes lettres (« 5 octobre 2026 »)",
    "tender_reference": "Référence du marché",
    "tender_object": "Objet du marché", "lot": "Lot", "hours_covered": "Obligation d'insertion du lot entier",
    "hours_estimate": "Heures d'insertion prévues pour ce besoin : postes × durée hebdomadaire × durée du "
                      "contrat (ligne à remplir pour un CDI ou une durée non chiffrée)",
    "modality": "Modalité souhaitée", "tutor_name": "Nom du tuteur ou de la tutrice",
    "tutor_role": "Fonction du tuteur ou de la tutrice",
    "tutor": "Tuteur ou tutrice : nom – fonction, sans tiret orphelin",
}

CONVENTION_VARIABLES = {
    "generated_on": "Date d'édition (JJ/MM/AAAA)", "reference": "Numéro de la convention",
    "facilitator_name": "Structure du facilitateur", "facilitator_address": "Adresse du facilitateur",
    "facilitator_subject": "Structure du facilitateur, avec son article en début de phrase (« Le PLIE… »)",
    "facilitator_the": "Structure du facilitateur, avec son article (« le PLIE… »)",
    "party_the": "Nom du partenaire, avec son article s'il en prend un",
    "facilitator_signatory_name": "Signataire pour le facilitateur",
    "facilitator_signatory_role": "Qualité du signataire du facilitateur",
    "party_kind": "Type de partenaire (acheteur, entreprise, siae)",
    "party_kind_label": "Type de partenaire, en clair", "party_noun": "Désignation du partenaire (« l'entreprise »…)",
    "party_name": "Nom du partenaire", "party_siret": "SIRET du partenaire", "party_address": "Adresse du partenaire",
    "party_signatory_name": "Signataire pour le partenaire",
    "party_signatory_role": "Qualité du signataire du partenaire",
    "object": "Objet de la convention",
    "scope": "Marchés et opérations couverts (liste : item.reference, item.label, item.lot)",
    "starts_on": "Date de début", "ends_on": "Date de fin",
    "facilitator_commitments": "Engagements du facilitateur (liste de paragraphes)",
    "party_commitments": "Engagements du partenaire (liste de paragraphes)",
    "reporting": "Calendrier de suivi (liste : step.what, step.when)",
    "data_protection": "Article protection des données (liste de paragraphes)",
    "committee_members": "Membres du comité de suivi (liste)", "committee_frequency": "Fréquence du comité de suivi",
    "is_fse_funded": "Vrai si l'action est cofinancée par le FSE+ (pour {% if %})",
    "fse_mention": "Mention de cofinancement par l'Union européenne (vide hors FSE+)",
    "annexes_article_number": "Numéro de l'article « Annexes » (10 ou 11)", "annexes": "Annexes (liste)",
    "signed_at_place": "Lieu de signature",
}


LIAISON_KINDS: tuple[DocKind, ...] = (
    describe_kind("fiche_liaison", "Fiche de liaison", FICHE_VARIABLES, build_fiche_context(
        SAMPLE_FICHE, organisation_name="PLIE de Lens-Liévin", generated_on=SAMPLE_DAY)),
    describe_kind("convention", "Convention de partenariat", CONVENTION_VARIABLES,
                  build_convention_context(SAMPLE_CONVENTION, SAMPLE_DAY)),
)
