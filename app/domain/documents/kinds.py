"""The document kinds an administrator may customise, with each variable's meaning and example.

Examples are not typed by hand: they come from each kind's own context builder run on
sample data, so the sample render that vets an uploaded template sees exactly the shapes
(lists, nested keys, booleans) real documents get.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.domain.bilan import BilanData, build_bilan_context
from app.domain.clauses import CLAUSE_PACK_DOCUMENTS, parse_clause_input
from app.domain.convention import (
    ConventionData, Party, PartyKind, ScopeItem, Signatory, build_convention_context,
)
from app.domain.documents import TEMPLATES_DIR, check_template
from app.domain.enums import ContractType, Criterion, LegalInstrument, Modality, Sex
from app.domain.exits import ExitCategory
from app.domain.fiche import FicheData, build_fiche_context
from app.domain.reports import ImpactRow, OperationLine

SAMPLE_DAY = date(2026, 10, 2)


@dataclass(frozen=True)
class DocKind:
    """A kind of document: its default template and the variables a template may use."""

    key: str
    label_fr: str
    default_template: str
    variables: Mapping[str, tuple[str, object]]  # name → (French description, example value)

    @property
    def template_path(self) -> Path:
        """Return the path of the default template shipped in templates_docs/."""
        return TEMPLATES_DIR / self.default_template


SAMPLE_FICHE = FicheData(
    company_name="Bâtir & Rénover Côte d'Opale", company_siret="12345678200010",
    company_address="12 rue des Docks, 59140 Dunkerque", contact_name="Sophie Lefebvre",
    contact_phone="0612345678", contact_email="s.lefebvre@batir-renover.example.fr",
    job_title="Ouvrier·ère polyvalent·e du bâtiment", posts=2, start_on=date(2026, 11, 3),
    activities="Préparation des supports, manutention, nettoyage du chantier",
    skills="Respect des consignes de sécurité, travail en équipe", experience="Débutant accepté",
    training="Aucun diplôme exigé", driving_licence="Permis B", habilitation="CACES R489 cat. 3",
    outdoor_work=True, other_requirements="Port des EPI obligatoire", contract_type=ContractType.CDD,
    contract_length="6 mois", weekly_hours=Decimal(35), gross_monthly_salary=Decimal("1850.00"),
    workplace="Chantier Îlot Gambetta, Dunkerque", tender_reference="2026-014",
    tender_object="Réhabilitation du groupe scolaire Gambetta", lot="2", hours_covered=Decimal(600),
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

SAMPLE_CLAUSE_INPUT = {
    "buyer": {"name": "Ville de Lens"},
    "tender": {"reference": "2026-014", "object": "Réhabilitation du groupe scolaire Gambetta",
               "cpv": "45262522-6"},
    "instrument": "clause_execution", "article_number": "7",
    "facilitator": {"name": "Camille Martin", "organisation": "PLIE de Lens-Liévin",
                    "email": "camille.martin@plie.example.fr", "phone": "03 21 00 00 00"},
    "penalty_per_missing_hour": 200, "penalty_per_day_late": 75,
    "lots": [{"number": "1", "label": "Gros œuvre", "amount": 1_000_000, "labour_share": 50,
              "rate": 5, "hourly_cost": 30}],
}

FICHE_VARIABLES = {
    "organisation_name": "Structure du facilitateur", "generated_on": "Date d'édition (JJ/MM/AAAA)",
    "company_name": "Raison sociale de l'entreprise", "company_siret": "SIRET de l'entreprise",
    "company_address": "Adresse de l'entreprise", "contact_name": "Personne à contacter",
    "contact_phone": "Téléphone du contact", "contact_email": "Courriel du contact",
    "job_title": "Intitulé du poste", "posts": "Nombre de postes", "start_on": "Date de démarrage",
    "activities": "Activités principales", "skills": "Compétences attendues",
    "experience": "Expérience demandée", "training": "Formation ou diplôme",
    "driving_licence": "Permis de conduire exigé", "habilitation": "Habilitations exigées",
    "outdoor_work": "Travail en extérieur (Oui / Non)", "other_requirements": "Autres exigences",
    "contract_type": "Type de contrat", "contract_length": "Durée du contrat",
    "weekly_hours": "Durée hebdomadaire", "gross_salary": "Salaire brut mensuel",
    "workplace": "Lieu de travail", "tender_reference": "Référence du marché",
    "tender_object": "Objet du marché", "lot": "Lot", "hours_covered": "Heures d'insertion couvertes",
    "modality": "Modalité souhaitée", "tutor_name": "Nom du tuteur ou de la tutrice",
    "tutor_role": "Fonction du tuteur ou de la tutrice",
}

CONVENTION_VARIABLES = {
    "generated_on": "Date d'édition (JJ/MM/AAAA)", "reference": "Numéro de la convention",
    "facilitator_name": "Structure du facilitateur", "facilitator_address": "Adresse du facilitateur",
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
    "annexes_article_number": "Numéro de l'article « Annexes » (8 ou 9)", "annexes": "Annexes (liste)",
    "signed_at_place": "Lieu de signature",
}

CLAUSE_VARIABLES = {
    "document_date": "Date du document, en toutes lettres", "buyer_name": "Nom de l'acheteur",
    "tender_reference": "Référence du marché", "tender_object": "Objet du marché", "tender_cpv": "Code CPV",
    "instrument_code": "Code de l'instrument juridique", "instrument_label": "Instrument juridique, en clair",
    "instrument_article": "Article du Code de la commande publique",
    "legal_basis": "Fondement juridique, en une phrase",
    "has_criterion": "Vrai si les offres sont notées sur l'insertion",
    "is_reserved": "Vrai pour un marché réservé", "criterion_weighting": "Pondération du critère d'insertion",
    "criterion_subcriteria": "Sous-critères (liste : sub.label, sub.weighting)",
    "article_title": "Titre de l'article du CCAP", "section_prefix": "Préfixe de numérotation (« 7. »)",
    "ccap_article_ref": "Renvoi à l'article du CCAP", "object_text": "Texte de l'objet de la clause",
    "hours_intro_text": "Introduction du volume d'heures",
    "lots": "Lots (liste : lot.number, lot.label, lot.method_label, lot.amount, lot.hours, lot.hours_exact, "
            "lot.fte, lot.rule, lot.rounding, lot.formula, lot.steps, lot.sources, lot.warnings, lot.years)",
    "lots_count": "Nombre de lots", "total_hours": "Total des heures d'insertion", "total_fte": "Total en ETP",
    "total_is_estimate": "Vrai si le total est une estimation", "total_sentence": "Phrase de synthèse du volume",
    "has_framework": "Vrai si un lot est un accord-cadre",
    "globalisation_allowed": "Vrai si les heures sont globalisables",
    "globalisation_text": "Règle de globalisation des heures entre lots",
    "eligible_publics": "Publics éligibles (liste : public.label, public.proof)",
    "modalities": "Modalités de réalisation (liste : modality.label, modality.counting_rule)",
    "facilitator_name": "Nom du facilitateur", "facilitator_email": "Courriel du facilitateur",
    "facilitator_phone": "Téléphone du facilitateur", "facilitator_organisation": "Structure du facilitateur",
    "facilitator_contact": "Coordonnées complètes du facilitateur",
    "action_plan_delay_days": "Délai de remise du plan d'action (jours)",
    "reporting_day": "Jour limite du relevé mensuel",
    "penalty_per_missing_hour": "Pénalité par heure non réalisée",
    "penalty_per_day_late": "Pénalité par jour de retard",
    "ccag_reference": "CCAG de référence", "ccag_derogations": "Dérogations au CCAG (liste)",
}
CLAUSE_EXTRAS = {
    "ccap_article": {}, "rc_mention": {"rc_text": "Mention du règlement de la consultation",
                                       "aapc_text": "Mention de l'avis d'appel public à la concurrence"},
    "ae_annex": {"commitment_text": "Engagement du candidat"},
    "note_calcul": {"fte_hours": "Heures annuelles d'un équivalent temps plein"},
}
CLAUSE_LABELS = {"ccap_article": "Article du CCAP – clause sociale", "rc_mention": "Mention RC / AAPC",
                 "ae_annex": "Annexe à l'acte d'engagement", "note_calcul": "Note de calcul des heures"}

SAMPLE_BILAN = BilanData(
    organisation_name="PLIE de Lens-Liévin", subject_kind="buyer", subject_name="Ville de Lens",
    starts_on=date(2026, 1, 1), ends_on=date(2026, 9, 30), generated_on=SAMPLE_DAY,
    lines=(OperationLine(buyer="Ville de Lens", tender_reference="2026-014",
                         tender_object="Réhabilitation du groupe scolaire Gambetta", lot="2",
                         cpv="45262522-6", company="Bâtir & Rénover Côte d'Opale", hours_required=Decimal(833),
                         hours_done=Decimal("412.5"), clause_type=LegalInstrument.CLAUSE_EXECUTION,
                         start_on=date(2026, 1, 5), end_on=date(2027, 6, 30)),),
    rows=(ImpactRow(buyer="Ville de Lens", tender_reference="2026-014",
                    tender_object="Réhabilitation du groupe scolaire Gambetta", lot="2", cpv="45262522-6",
                    company_siret="12345678200010", company_name="Bâtir & Rénover Côte d'Opale",
                    modality=Modality.ETTI, clause_type=LegalInstrument.CLAUSE_EXECUTION,
                    participant_code="P-00001", last_name="Exemple", first_name="Camille", sex=Sex.FEMME,
                    birth_date=date(2002, 4, 12), qualification_level="3", contract_type=ContractType.MISSION_ETTI,
                    entry_on=date(2026, 2, 2), hours_done=Decimal("412.5"), criteria=frozenset({Criterion.BRSA}),
                    exit_on=date(2026, 8, 31), exit_category=ExitCategory.EMPLOI_DURABLE),),
    monthly=(("2026-07", Decimal("140")), ("2026-08", Decimal("152.5")), ("2026-09", Decimal("120"))),
    is_fse_funded=True, operation_title="Clauses sociales d'insertion 2026",
)

BILAN_VARIABLES = {
    "organisation_name": "Structure du facilitateur", "generated_on": "Date d'édition (JJ/MM/AAAA)",
    "subject_kind_label": "Destinataire : « Donneur d'ordre », « Entreprise » ou « Territoire »",
    "subject_name": "Nom du donneur d'ordre, de l'entreprise ou du territoire",
    "period_label": "Période, « du 01/01/2026 au 31/12/2026 »", "starts_on": "Début de la période",
    "ends_on": "Fin de la période", "summary": "Synthèse rédigée (liste de paragraphes)",
    "hours_required": "Heures prévues sur les lots suivis", "hours_done_total": "Heures réalisées depuis le démarrage",
    "completion": "Taux de réalisation", "hours_remaining": "Heures restant à réaliser",
    "hours_done_period": "Heures réalisées sur la période", "training_hours": "Heures de formation sur la période",
    "participants": "Personnes ayant travaillé sur la période", "participants_brsa": "Participants bénéficiaires du RSA",
    "participants_under_26": "Participants de moins de 26 ans à l'entrée", "participants_women": "Participantes (femmes)",
    "tenders_count": "Nombre de marchés clausés", "lots_count": "Nombre de lots suivis",
    "lines": "Lots (liste : line.buyer, line.tender_reference, line.tender_object, line.lot, line.company, "
             "line.clause_type, line.hours_required, line.hours_done, line.completion)",
    "publics": "Publics (liste : public.label, public.count)",
    "contracts": "Contrats par type (liste : contract.label, contract.count)",
    "exits": "Sorties par catégorie (liste : exit.label, exit.count)",
    "clause_types": "Types de clause (liste : item.label, item.tenders, item.hours)",
    "monthly": "Heures par mois (liste : month.month, month.hours)",
    "chart_progress": "Emplacement du graphique d'avancement (seul dans son paragraphe)",
    "chart_monthly": "Emplacement du graphique des heures par mois (seul dans son paragraphe)",
    "is_fse_funded": "Vrai si l'action est cofinancée par le FSE+ (pour {% if %})",
    "fse_mention": "Mention de cofinancement par l'Union européenne (vide hors FSE+)",
    "operation_title": "Intitulé de l'opération FSE+ (vide hors dossier FSE+)",
}


def _kind(key: str, label: str, descriptions: dict[str, str], context: dict) -> DocKind:
    # A description for a key the builder no longer produces fails here, at import, not in a render.
    variables = {name: (text, context[name]) for name, text in descriptions.items()}
    return DocKind(key, label, f"{key}.docx", variables)


def _catalogue() -> dict[str, DocKind]:
    kinds = [
        _kind("fiche_liaison", "Fiche de liaison", FICHE_VARIABLES, build_fiche_context(
            SAMPLE_FICHE, organisation_name="PLIE de Lens-Liévin", generated_on=SAMPLE_DAY)),
        _kind("convention", "Convention de partenariat", CONVENTION_VARIABLES,
              build_convention_context(SAMPLE_CONVENTION, SAMPLE_DAY)),
    ]
    request = parse_clause_input(SAMPLE_CLAUSE_INPUT)
    for key, build in CLAUSE_PACK_DOCUMENTS.items():
        kinds.append(_kind(key, CLAUSE_LABELS[key], {**CLAUSE_VARIABLES, **CLAUSE_EXTRAS[key]}, build(request)))
    kinds.append(_kind("bilan", "Bilan des clauses sociales", BILAN_VARIABLES, build_bilan_context(SAMPLE_BILAN)))
    return {kind.key: kind for kind in kinds}


DOC_KINDS: dict[str, DocKind] = _catalogue()


def sample_context(kind: str | DocKind) -> dict:
    """Return the context made of a kind's example values (for the sample render)."""
    kind = DOC_KINDS[kind] if isinstance(kind, str) else kind
    return {name: example for name, (_description, example) in kind.variables.items()}


def check_kind_template(kind: str | DocKind, docx_bytes: bytes) -> list[str]:
    """Return the French problems of a template uploaded for ``kind`` (empty: accept it)."""
    kind = DOC_KINDS[kind] if isinstance(kind, str) else kind
    # check_template already suggests the closest known name for an unknown variable.
    return check_template(docx_bytes, kind.variables, sample_context(kind))
