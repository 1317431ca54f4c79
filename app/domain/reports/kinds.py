"""The bilan as a customisable document kind, with a sample buyer bilan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.domain.documents.kinds import SAMPLE_DAY, DocKind, describe_kind
from app.domain.enums import ContractType, Criterion, LegalInstrument, Modality, Sex
from app.domain.reports import ImpactRow
from app.domain.reports.bilan import BilanData, build_bilan_context
from app.domain.reports.exits import ExitCategory
from app.domain.reports.indicators import LotFigure, compute_figures
from app.domain.reports.narrative import Narrative

_SAMPLE_ROW = ImpactRow(
    buyer="Ville de Lens", tender_reference="2026-014", tender_object="Réhabilitation du groupe scolaire Gambetta",
    lot="2", cpv="45262522-6", company_siret="12345678200010", company_name="Bâtir & Rénover Côte d'Opale",
    modality=Modality.ETTI, clause_type=LegalInstrument.CLAUSE_EXECUTION, participant_code="P-00001",
    last_name="Exemple", first_name="Camille", sex=Sex.FEMME, birth_date=date(2002, 4, 12),
    qualification_level="3", contract_type=ContractType.MISSION_ETTI, entry_on=date(2026, 2, 2),
    hours_done=Decimal("412.5"), criteria=frozenset({Criterion.BRSA}), exit_on=date(2026, 8, 31),
    exit_category=ExitCategory.EMPLOI_DURABLE)
_SAMPLE_LOT = LotFigure(
    lot_id=1, tender_id=1, operation_id=None, buyer_id=1, company_id=1, required=Decimal(833),
    done=Decimal("412.5"), clause_type=LegalInstrument.CLAUSE_EXECUTION, starts_on=date(2026, 1, 5),
    ends_on=date(2027, 6, 30), buyer="Ville de Lens", tender_reference="2026-014",
    tender_object="Réhabilitation du groupe scolaire Gambetta", lot_number=2, lot_label="Gros œuvre",
    company="Bâtir & Rénover Côte d'Opale", cpv="45262522-6")

SAMPLE_BILAN = BilanData(
    organisation_name="PLIE de Lens-Liévin", subject_kind="buyer", subject_name="Ville de Lens",
    starts_on=date(2026, 1, 1), ends_on=date(2026, 9, 30), generated_on=SAMPLE_DAY,
    figures=compute_figures((_SAMPLE_LOT,), (_SAMPLE_ROW,)),
    rows=(_SAMPLE_ROW,),
    monthly=(("2026-07", Decimal("140")), ("2026-08", Decimal("152.5")), ("2026-09", Decimal("120"))),
    is_fse_funded=True, operation_title="Clauses sociales d'insertion 2026",
    narrative=Narrative(
        highlights="Premier chantier de la ville avec une clause d'insertion: 412,5 h réalisées dès le "
                   "premier semestre.\nUne participante a signé un CDI chez l'entreprise titulaire le 31/08/2026.",
        actions="Réunion de lancement avec l'entreprise et l'ETTI ; visite de chantier en juillet.",
        outlook="Préparer avec la ville les clauses des marchés de 2027."),
)

BILAN_VARIABLES = {
    "organisation_name": "Structure du facilitateur", "generated_on": "Date d'édition (JJ/MM/AAAA)",
    "organisation_the": "Structure du facilitateur, avec son article (« le PLIE… »)",
    "subject_kind_label": "Destinataire : « Acheteur », « Entreprise » ou « Territoire »",
    "subject_name": "Nom de l'acheteur, de l'entreprise ou du territoire",
    "period_label": "Période, « du 01/01/2026 au 31/12/2026 »", "starts_on": "Début de la période",
    "ends_on": "Fin de la période", "summary": "Synthèse rédigée (liste de paragraphes)",
    "hours_required": "Heures exigées sur les lots suivis (minimum des accords-cadres, lots conditionnels exclus)", "hours_done_total": "Heures réalisées depuis le démarrage",
    "completion": "Taux de réalisation", "hours_remaining": "Heures restant à réaliser",
    "hours_done_period": "Heures réalisées sur la période", "training_hours": "Heures de formation sur la période",
    "participants": "Personnes ayant travaillé sur la période", "participants_brsa": "Participants bénéficiaires du RSA",
    "participants_under_26": "Participants de moins de 26 ans à l'entrée", "participants_women": "Participantes (femmes)",
    "tenders_count": "Nombre de marchés clausés", "lots_count": "Nombre de lots clausés suivis",
    "lines": "Lots (liste : line.buyer, line.tender_reference, line.tender_object, line.lot, line.company, "
             "line.clause_type, line.hours_required, line.hours_done, line.completion)",
    "publics": "Publics (liste : public.label, public.count)",
    "contracts": "Contrats par type (liste : contract.label, contract.count)",
    "exits": "Sorties par catégorie (liste : exit.label, exit.count)",
    "clause_types": "Types de clause (liste : item.label, item.tenders, item.hours)",
    "monthly": "Heures par mois (liste : month.month, month.hours)",
    "narrative": "Sections rédigées avant la génération, vides exclues (liste : section.title, "
                 "section.paragraphs)",
    "highlights": "Faits marquants (liste de paragraphes, vide si rien n'a été écrit)",
    "actions": "Actions menées (liste de paragraphes, vide si rien n'a été écrit)",
    "difficulties": "Difficultés rencontrées (liste de paragraphes, vide si rien n'a été écrit)",
    "outlook": "Perspectives (liste de paragraphes, vide si rien n'a été écrit)",
    "by_modality": "Participants et heures par modalité (liste : group.label, group.participants, group.hours)",
    "by_sex": "Participants et heures par sexe (liste : group.label, group.participants, group.hours)",
    "by_age_band": "Participants et heures par tranche d'âge à l'entrée (liste : group.label, "
                   "group.participants, group.hours)",
    "breakdown_note": "Explication des effectifs masqués (bilan externe ; vide sinon)",
    "chart_progress": "Emplacement du graphique d'avancement (seul dans son paragraphe)",
    "chart_monthly": "Emplacement du graphique des heures par mois (seul dans son paragraphe)",
    "is_fse_funded": "Vrai si l'action est cofinancée par le FSE+ (pour {% if %})",
    "fse_mention": "Mention de cofinancement par l'Union européenne (vide hors FSE+)",
    "operation_title": "Intitulé de l'opération FSE+ (vide hors dossier FSE+)",
}



REPORT_KINDS: tuple[DocKind, ...] = (
    describe_kind("bilan", "Bilan des clauses sociales", BILAN_VARIABLES, build_bilan_context(SAMPLE_BILAN)),
)
