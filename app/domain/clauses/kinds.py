"""The four documents of the clause pack as customisable document kinds, with a sample tender."""

from __future__ import annotations

from app.domain.clauses.pack import CLAUSE_PACK_DOCUMENTS
from app.domain.clauses.request import parse_clause_input
from app.domain.documents.kinds import DocKind, describe_kind

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
    "ccag_recap": "Récapitulatif des dérogations pour le dernier article du CCAP (liste)",
    "has_estimate": "Vrai si les heures d'un lot suivent le montant facturé",
    "publics_intro": "Introduction des publics éligibles, selon l'instrument",
    "eligibility_text": "Validation de l'éligibilité, selon l'instrument",
    "modalities_intro": "Introduction des modalités, selon l'instrument",
    "counting_text": "Décompte des heures, selon l'instrument",
    "control_text": "Transmission mensuelle, selon l'instrument",
}
CLAUSE_EXTRAS = {
    "ccap_article": {}, "rc_mention": {"rc_text": "Mention du règlement de la consultation",
                                       "aapc_text": "Mention de l'avis d'appel public à la concurrence"},
    "ae_annex": {"commitment_text": "Engagement du candidat"},
    "note_calcul": {"fte_hours": "Heures annuelles d'un équivalent temps plein",
                    "social_condition_text": "Condition sociale obligatoire depuis 2026 : ce qui s'applique"},
}
CLAUSE_LABELS = {"ccap_article": "Article du CCAP – clause sociale", "rc_mention": "Mention RC / AAPC",
                 "ae_annex": "Annexe à l'acte d'engagement", "note_calcul": "Note de calcul des heures"}



def _clause_kinds() -> tuple[DocKind, ...]:
    request = parse_clause_input(SAMPLE_CLAUSE_INPUT)
    return tuple(describe_kind(key, CLAUSE_LABELS[key], {**CLAUSE_VARIABLES, **CLAUSE_EXTRAS[key]}, build(request))
                 for key, build in CLAUSE_PACK_DOCUMENTS.items())


CLAUSE_KINDS: tuple[DocKind, ...] = _clause_kinds()
