"""Forms of fiches de liaison: the need itself (facilitator and company link), its status,
the company link and candidate positionings. Select choices come from the view."""

from decimal import Decimal

from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.widgets import TextInput
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.domain.enums import ContractType, Modality
from forms.base import ClausierForm
from forms.fields import FrenchDateField, FrenchDecimalField, select_choices
from forms.referential import coerce_optional_int

# Mirrors app.services.liaison.fiches.FICHE_MODALITIES (forms import nothing but the domain).
MODALITIES = (Modality.EMBAUCHE_DIRECTE, Modality.ETTI, Modality.AI, Modality.GEIQ, Modality.SOUS_TRAITANCE)


def _text(label: str, length: int, **kwargs) -> StringField:
    # ``description`` is printed under the label as a hint.
    return StringField(label, validators=[Optional(), Length(max=length, message=f"{length} caractères au plus.")],
                       **kwargs)


def _area(label: str, length: int = 2000) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=length, message=f"{length} caractères au plus.")])


def coerce_optional_enum(value):
    """Keep a select's value, the empty choice becoming None."""
    return value or None


class FicheFieldsForm(ClausierForm):
    """What a company states about a job need: company, position, conditions, modality, tutor."""

    # Entreprise
    company_name = _text("Raison sociale", 200, render_kw={"autocomplete": "organization"})
    company_siret = _text("SIRET", 20, render_kw={"inputmode": "numeric"})
    company_address = _text("Adresse", 300, render_kw={"autocomplete": "street-address"})
    contact_name = _text("Personne à contacter", 200, render_kw={"autocomplete": "name"})
    contact_phone = _text("Téléphone", 30, render_kw={"autocomplete": "tel", "inputmode": "tel"})
    contact_email = EmailField("Courriel", validators=[Optional(), Length(max=254, message="254 caractères au plus.")],
                               render_kw={"autocomplete": "email"})
    # Poste
    job_title = _text("Intitulé du poste", 200)
    rome_code = _text("Code ROME (facultatif)", 10, description="Une lettre et quatre chiffres, par exemple F1703 "
                      "(maçon). Laissez vide si vous ne le connaissez pas.",
                      render_kw={"autocapitalize": "characters", "spellcheck": "false", "size": 8})
    posts = IntegerField("Nombre de postes", default=1, widget=TextInput(), render_kw={"inputmode": "numeric"},
                         validators=[Optional(), NumberRange(min=1, max=999, message="Le nombre de postes va de 1 à 999.")])
    start_on = FrenchDateField("Date de démarrage souhaitée", validators=[Optional()])
    activities = _area("Activités principales")
    skills = _area("Compétences attendues")
    experience = _area("Expérience demandée", 1000)
    training = _area("Formation ou diplôme", 1000)
    driving_licence = _text("Permis de conduire exigé (laisser vide si aucun)", 120)
    habilitation = _text("Habilitations exigées (CACES, habilitation électrique…)", 300)
    outdoor_work = BooleanField("Travail en extérieur")
    other_requirements = _area("Autres exigences particulières", 1000)
    # Conditions
    contract_type = SelectField("Type de contrat", coerce=coerce_optional_enum, validators=[Optional()],
                                choices=select_choices([("", "À préciser"), *ContractType.choices()]))
    contract_length = _text("Durée du contrat (laisser vide pour un CDI)", 120)
    weekly_hours = FrenchDecimalField("Durée hebdomadaire (heures)", validators=[Optional()], minimum=Decimal(0))
    work_schedule = _text("Horaires de travail", 300,
                          description="Par exemple : du lundi au vendredi, 8 h – 12 h et 13 h – 16 h.")
    gross_monthly_salary = FrenchDecimalField("Salaire brut mensuel (€)", validators=[Optional()], minimum=Decimal(0))
    workplace = _text("Lieu de travail", 300)
    # Candidatures
    applications_close_on = FrenchDateField("Date limite de candidature", validators=[Optional()])
    application_channel = _text("Comment candidater", 300,
                                description="Par exemple : CV par courriel à recrutement@…, ou via le facilitateur.")
    # Clause
    modality = SelectField("Modalité souhaitée", coerce=coerce_optional_enum, validators=[Optional()],
                           choices=select_choices([("", "À préciser"), *((m.value, m.label) for m in MODALITIES)]))
    tutor_name = _text("Tuteur ou tutrice", 200)
    tutor_role = _text("Fonction du tuteur ou de la tutrice", 200)

    SECTIONS = (
        ("Entreprise", ("company_name", "company_siret", "company_address", "contact_name", "contact_phone",
                        "contact_email")),
        ("Poste", ("job_title", "rome_code", "posts", "start_on", "activities", "skills", "experience", "training",
                   "driving_licence", "habilitation", "outdoor_work", "other_requirements")),
        ("Conditions d'emploi", ("contract_type", "contract_length", "weekly_hours", "work_schedule",
                                 "gross_monthly_salary", "workplace")),
        ("Candidatures", ("applications_close_on", "application_channel")),
        ("Clause sociale", ("modality", "tutor_name", "tutor_role")),
    )


class FicheEditForm(FicheFieldsForm):
    """The facilitator's form: the same fields plus the tender, lot and company of the clause."""

    company_id = SelectField("Entreprise du référentiel", coerce=coerce_optional_int, validators=[Optional()])
    tender_id = SelectField("Marché", coerce=coerce_optional_int, validators=[Optional()])
    lot_id = SelectField("Lot", coerce=coerce_optional_int, validators=[Optional()])
    hours_covered = FrenchDecimalField("Obligation d'insertion du lot (heures)", validators=[Optional()],
                                       minimum=Decimal(0), description="Reprise du lot choisi : l'obligation du lot "
                                       "entier, pas la part de ce besoin (estimée d'après postes, horaires et durée).")
    requested_on = FrenchDateField("Date de la demande", validators=[Optional()],
                                   description="Par défaut, le jour où la fiche est marquée « Reçue ».")

    SECTIONS = (
        ("Marché et entreprise", ("tender_id", "lot_id", "company_id", "hours_covered", "requested_on")),
        *FicheFieldsForm.SECTIONS,
    )


class FicheLinkForm(ClausierForm):
    """Start a fiche for a company and the link it fills it through."""

    company_id = SelectField("Entreprise", coerce=coerce_optional_int,
                             validators=[DataRequired("Choisissez l'entreprise à qui envoyer le lien.")])
    tender_id = SelectField("Marché (facultatif)", coerce=coerce_optional_int, validators=[Optional()])
    lot_id = SelectField("Lot (facultatif)", coerce=coerce_optional_int, validators=[Optional()])
    days = IntegerField("Lien valable (jours)", default=14, validators=[
        InputRequired("Indiquez la durée de validité du lien."),
        NumberRange(min=1, max=60, message="Un lien est valable de 1 à 60 jours.")])


class NewLinkForm(ClausierForm):
    """A new link for an existing draft fiche."""

    days = IntegerField("Lien valable (jours)", default=14, validators=[
        InputRequired("Indiquez la durée de validité du lien."),
        NumberRange(min=1, max=60, message="Un lien est valable de 1 à 60 jours.")])


class StatusChangeForm(ClausierForm):
    """Move a fiche, a convention or a candidate to another status, with a note."""

    target = SelectField("Nouveau statut", validators=[DataRequired("Choisissez le nouveau statut.")])
    note = StringField("Commentaire (facultatif)", validators=[Optional(), Length(max=300)])


class PositioningProposeForm(ClausierForm):
    """Propose a participant on a fiche; an ineligible person needs a reason."""

    participant_id = SelectField("Participant", coerce=coerce_optional_int,
                                 validators=[DataRequired("Choisissez un participant.")])
    override_reason = TextAreaField(
        "Motif de dérogation (seulement pour une personne non éligible)",
        validators=[Optional(), Length(max=1000, message="1000 caractères au plus.")])
    # Choices (the active partners) are filled by the view.
    prescriber_id = SelectField("Prescripteur (facultatif : qui a adressé la personne)", coerce=coerce_optional_int,
                                validators=[Optional()])
