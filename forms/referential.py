"""Forms for the referential: buyers, tenders and lots, companies, SIAE, participants, placements.

Select choices are filled by the view from a service: forms never query the database.
"""

from decimal import Decimal

from forms.base import ClausierForm
from wtforms import BooleanField, EmailField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.domain.formats import ARTICLE_CHOICES, PHONE_RE
from app.domain.enums import (
    BuyerKind,
    ContractType,
    Criterion,
    LegalInstrument,
    Modality,
    Procedure,
    Sex,
    SiaeKind,
    TenderStatus,
)
from forms.fields import (
    FrenchDateField,
    FrenchDecimalField,
    select_choices,
    validate_not_before,
    validate_postcode,
    validate_siret,
)

REQUIRED = "Ce champ est obligatoire."
OPTIONAL_ID = "Aucun"


def coerce_optional_int(value) -> int | None:
    """Turn a select's value into an id, or None for the empty choice."""
    if value in (None, "", "None"):
        return None
    return int(value)


def _email(label: str) -> EmailField:
    return EmailField(label, validators=[Optional(), Email("Cette adresse e-mail n'est pas valide."), Length(max=254)])


def _phone(label: str) -> StringField:
    return StringField(
        label,
        validators=[Optional(), Regexp(PHONE_RE, message="Ce numéro de téléphone n'est pas valide.")],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )


class BuyerEditForm(ClausierForm):
    """A buyer (maître d'ouvrage / donneur d'ordre)."""

    name = StringField("Nom", validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = SelectField("Type", choices=select_choices(BuyerKind.choices()))
    # Left out of a post (an older script): automatic, rather than a refusal.
    name_article = SelectField("Article devant le nom dans les documents", choices=select_choices(ARTICLE_CHOICES),
                               validate_choice=False)
    siret = StringField("SIRET (facultatif)", validators=[Optional(), validate_siret])
    city = StringField("Commune", validators=[Optional(), Length(max=120)])
    contact_name = StringField("Contact", validators=[Optional(), Length(max=200)])
    contact_email = _email("E-mail du contact")


class TenderEditForm(ClausierForm):
    """A tender (marché) and its clause's legal instrument."""

    reference = StringField("Référence du marché", validators=[DataRequired(REQUIRED), Length(max=80)])
    object = TextAreaField("Objet", validators=[DataRequired(REQUIRED), Length(max=500)])
    buyer_id = SelectField("Acheteur", coerce=int, validators=[DataRequired("Choisissez un acheteur.")])
    operation_id = SelectField("Opération (facultatif)", coerce=coerce_optional_int, validators=[Optional()])
    cpv = StringField(
        "Code CPV",
        validators=[Optional(), Regexp(r"^\d{8}(-\d)?$", message="Un code CPV s'écrit avec 8 chiffres, par exemple 45262522-6.")],
    )
    procedure = SelectField("Procédure", choices=select_choices(Procedure.choices()))
    legal_instrument = SelectField("Dispositif juridique", choices=select_choices(LegalInstrument.choices()))
    amount = FrenchDecimalField("Montant HT (€)", validators=[Optional()], minimum=Decimal(0))
    is_framework = BooleanField("Accord-cadre")
    globalisation_allowed = BooleanField("Heures globalisables entre les lots de ce marché")
    notified_on = FrenchDateField("Date de notification", validators=[Optional()])
    starts_on = FrenchDateField("Début d'exécution", validators=[Optional()])
    ends_on = FrenchDateField(
        "Fin d'exécution",
        validators=[Optional(), validate_not_before("starts_on", "La fin d'exécution ne peut pas précéder le début.")],
    )
    status = SelectField("Étape du repérage", choices=select_choices(TenderStatus.choices()),
                         default=TenderStatus.REPERE.value)
    abandon_reason = StringField("Raison de l'abandon (si abandonné)", validators=[Optional(), Length(max=300)])
    planned_publication_on = FrenchDateField("Publication prévue", validators=[Optional()])
    planned_award_on = FrenchDateField("Attribution prévue", validators=[Optional()])
    planned_works_on = FrenchDateField("Démarrage des travaux prévu", validators=[Optional()])
    next_step = StringField("Prochaine étape", validators=[Optional(), Length(max=300)])
    site_city = StringField("Commune du chantier", validators=[Optional(), Length(max=120)])
    site_epci = StringField("EPCI", validators=[Optional(), Length(max=200)])
    note = TextAreaField("Note de suivi (pas de données sur des personnes)", validators=[Optional(), Length(max=5000)])


class LotEditForm(ClausierForm):
    """A lot of a tender."""

    number = IntegerField(
        "Numéro de lot",
        validators=[DataRequired("Indiquez le numéro du lot."), NumberRange(min=1, max=999, message="Le numéro va de 1 à 999.")],
    )
    label = StringField("Intitulé", validators=[DataRequired(REQUIRED), Length(max=300)])
    trade = StringField("Corps d'état / métier", validators=[Optional(), Length(max=120)])
    amount = FrenchDecimalField("Montant HT (€)", validators=[Optional()], minimum=Decimal(0))
    hours_required = IntegerField(
        "Heures d'insertion exigées",
        validators=[Optional(), NumberRange(min=0, max=10_000_000, message="Le nombre d'heures doit être positif.")],
        default=0,
    )
    hours_max = IntegerField(
        "Heures sur le montant maximum (accord-cadre, facultatif)",
        validators=[Optional(), NumberRange(min=0, max=10_000_000, message="Le nombre d'heures doit être positif.")],
    )
    is_conditional = BooleanField("Lot à la tranche dont le seuil de déclenchement n'est pas encore atteint")
    company_id = SelectField("Entreprise titulaire", coerce=coerce_optional_int, validators=[Optional()])


class CompanyEditForm(ClausierForm):
    """A company (entreprise)."""

    name = StringField("Raison sociale", validators=[DataRequired(REQUIRED), Length(max=200)])
    siret = StringField("SIRET", validators=[DataRequired(REQUIRED), validate_siret])
    address = StringField("Adresse", validators=[Optional(), Length(max=300)])
    postcode = StringField("Code postal", validators=[Optional(), validate_postcode])
    city = StringField("Commune", validators=[Optional(), Length(max=120)])
    contact_name = StringField("Contact", validators=[Optional(), Length(max=200)])
    contact_email = _email("E-mail du contact")
    contact_phone = _phone("Téléphone du contact")
    # Fewer than 10 makes a TPE, as the FSE+ target « TPE accompagnées » counts them.
    headcount = IntegerField("Effectif (salariés)", validators=[
        Optional(), NumberRange(min=0, max=1_000_000, message="L'effectif est un nombre de salariés, 0 ou plus.")])


class SiaeEditForm(CompanyEditForm):
    """An insertion structure (SIAE, GEIQ, EA, ESAT)."""

    kind = SelectField("Type de structure", choices=select_choices(SiaeKind.choices()))
    headcount = None  # a company's field only


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes for one list of values."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ParticipantEditForm(ClausierForm):
    """A participant: identity, situation, contact and eligibility."""

    last_name = StringField("Nom", validators=[DataRequired(REQUIRED), Length(max=120)])
    first_name = StringField("Prénom", validators=[DataRequired(REQUIRED), Length(max=120)])
    birth_on = FrenchDateField("Date de naissance", validators=[Optional()])
    sex = SelectField("Sexe", choices=select_choices([("", "Non renseigné"), *Sex.choices()]), validators=[Optional()])
    postcode = StringField("Code postal", validators=[Optional(), validate_postcode])
    is_qpv = BooleanField("Réside en quartier prioritaire (QPV)")
    qualification_level = SelectField(
        "Niveau de qualification",
        choices=select_choices([("", "Non renseigné"), ("infra3", "Infra 3 (sans diplôme)"), ("3", "Niveau 3 (CAP, BEP)"),
                                ("4", "Niveau 4 (Bac)"), ("5", "Niveau 5 (Bac+2)"), ("6+", "Niveau 6 et plus")]),
        validators=[Optional()],
    )
    is_plie_followed = BooleanField("Suivi par le PLIE")
    plie_entry_on = FrenchDateField("Entrée dans le PLIE", validators=[Optional()])
    phone = _phone("Téléphone")
    email = _email("E-mail")
    criteria = MultiCheckboxField("Critères d'éligibilité", choices=select_choices(Criterion.choices()), validate_choice=True)

    def proof_field(self, criterion: Criterion):
        """Return the proof-date field of one criterion."""
        return self[f"proof_{criterion.value}"]


# One proof date per criterion: proofs are usually required to be less than 3 months old.
for _criterion in Criterion:
    setattr(
        ParticipantEditForm,
        f"proof_{_criterion.value}",
        FrenchDateField(f"Date du justificatif — {_criterion.label}", validators=[Optional()]),
    )


class PlacementEditForm(ClausierForm):
    """A participant placed on a lot with an employer."""

    participant_id = SelectField("Participant", coerce=int, validators=[DataRequired("Choisissez un participant.")])
    lot_id = SelectField("Lot", coerce=int, validators=[DataRequired("Choisissez un lot.")])
    company_id = SelectField("Entreprise", coerce=coerce_optional_int, validators=[Optional()])
    siae_id = SelectField("Structure d'insertion", coerce=coerce_optional_int, validators=[Optional()])
    modality = SelectField("Modalité", choices=select_choices(Modality.choices()))
    contract_type = SelectField("Type de contrat", choices=select_choices(ContractType.choices()))
    starts_on = FrenchDateField("Début", validators=[DataRequired("Indiquez la date de début.")])
    ends_on = FrenchDateField(
        "Fin (si connue)",
        validators=[Optional(), validate_not_before("starts_on", "La fin ne peut pas précéder le début.")],
    )

    def validate(self, extra_validators=None) -> bool:
        """Require an employer: the company, the SIAE, or both."""
        valid = super().validate(extra_validators)
        if self.company_id.data is None and self.siae_id.data is None:
            self.siae_id.errors = [*self.siae_id.errors, "Indiquez l'entreprise, la structure d'insertion, ou les deux."]
            return False
        return valid
