"""Forms of the follow-up: exits, collective actions, exports, bilans and FSE+ operations.

Select choices are filled by the view from a service: forms never query the database.
"""

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, FieldList, Form, FormField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.domain.reports.attendance import ActionKind
from app.domain.reports.proof_lists import OperationDocumentKind
from app.domain.reports.targets import CATALOGUE, Breakdown, DurableRule, Group
from app.domain.reports.exits import ExitSituation
from app.domain.reports.narrative import MAX_LENGTH, clean_text
from forms.base import ClausierForm
from forms.fields import FrenchDateField, FrenchDecimalField, select_choices, validate_not_before
from forms.referential import MultiCheckboxField, coerce_optional_int

REQUIRED = "Ce champ est obligatoire."
# Dates and times use InputRequired: DataRequired would replace « 31/02/2026 n'est pas une date
# valide » by « obligatoire », hiding what is wrong.
SUBJECTS = [("all", "L'ensemble du territoire"), ("buyer", "Un donneur d'ordre"), ("company", "Une entreprise")]


def validate_narrative_length(form, field) -> None:
    """Refuse a narrative section longer than the limit, counted as the document will print it."""
    length = len(clean_text(field.data or ""))
    if length > MAX_LENGTH:
        raise ValidationError(f"Ce texte compte {length:,} caractères pour {MAX_LENGTH:,} au plus : raccourcissez-le "
                              "(il est gardé ci-dessous).".replace(",", "\u202f"))


class ExitRecordForm(ClausierForm):
    """How a participant left a placement and what they do next."""

    exit_on = FrenchDateField("Date de sortie", validators=[InputRequired("Indiquez la date de sortie.")])
    situation = SelectField("Situation à la sortie", choices=select_choices(ExitSituation.choices()))
    situation_starts_on = FrenchDateField("Début du contrat ou de la formation (par défaut : la date de sortie)",
                                          validators=[Optional()])
    situation_ends_on = FrenchDateField(
        "Fin du contrat (CDD, mission ; vide pour un CDI)",
        validators=[Optional(), validate_not_before("situation_starts_on",
                                                    "La fin du contrat ne peut pas précéder son début.")])
    is_subsidised = BooleanField("Contrat aidé du secteur marchand (CUI-CIE, emploi franc)")
    employer = StringField("Employeur ou organisme de formation", validators=[Optional(), Length(max=200)])


class FollowUpForm(ClausierForm):
    """The 6-month survey of an exit."""

    done_on = FrenchDateField("Date de la relance", validators=[InputRequired("Indiquez la date de la relance.")])
    note = StringField("Situation constatée", validators=[Optional(), Length(max=500)])


class ActionEditForm(ClausierForm):
    """A collective action: what, when, where, who organises it."""

    kind = SelectField("Type d'action", choices=select_choices(ActionKind.choices()))
    title = StringField("Intitulé", validators=[DataRequired(REQUIRED), Length(max=200)])
    day = FrenchDateField("Date", validators=[InputRequired("Indiquez la date de l'action.")])
    start_time = TimeField("Heure de début", validators=[InputRequired("Indiquez l'heure de début.")])
    end_time = TimeField("Heure de fin", validators=[Optional()])
    place = StringField("Lieu", validators=[DataRequired(REQUIRED), Length(max=300)])
    organiser = StringField("Organisateur", validators=[DataRequired(REQUIRED), Length(max=200)])
    fse_operation_id = SelectField("Opération FSE+", coerce=coerce_optional_int, validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])


class AttendeeParticipantForm(ClausierForm):
    """Invite a participant."""

    participant_id = SelectField("Participant", coerce=coerce_optional_int,
                                 validators=[DataRequired("Choisissez un participant.")])


class AttendeePersonForm(ClausierForm):
    """Invite company or partner staff."""

    name = StringField("Nom et prénom", validators=[DataRequired("Indiquez le nom de la personne."), Length(max=200)])
    structure = StringField("Structure", validators=[Optional(), Length(max=200)])
    role = StringField("Fonction", validators=[Optional(), Length(max=200)])


class ScanUploadForm(ClausierForm):
    """The signed attendance sheet."""

    file = FileField("Feuille d'émargement signée (PDF, JPEG ou PNG, 10 Mo au plus)",
                     validators=[FileRequired("Choisissez le fichier à déposer.")])


class ReportFilterForm(ClausierForm):
    """Which rows an export covers (read from the query string)."""

    class Meta:
        csrf = False

    starts_on = FrenchDateField("Du", validators=[Optional()])
    ends_on = FrenchDateField("Au", validators=[Optional(), validate_not_before(
        "starts_on", "La fin de la période précède son début.")])
    buyer_id = SelectField("Donneur d'ordre", coerce=coerce_optional_int, validators=[Optional()])
    company_id = SelectField("Entreprise", coerce=coerce_optional_int, validators=[Optional()])
    pseudonymise = BooleanField("Pseudonymiser (sans noms, prénoms ni dates de naissance)")


class FseExportForm(ClausierForm):
    """Which FSE+ operation the participants export is for (read from the query string)."""

    class Meta:
        csrf = False

    fse_operation_id = SelectField("Opération FSE+", coerce=coerce_optional_int,
                                   validators=[DataRequired("Choisissez l'opération FSE+.")])


class BilanTextsForm(ClausierForm):
    """The four texts of a bilan, written before it is generated (an empty one is left out)."""

    highlights = TextAreaField("Faits marquants", validators=[validate_narrative_length])
    actions = TextAreaField("Actions menées", validators=[validate_narrative_length])
    difficulties = TextAreaField("Difficultés rencontrées", validators=[validate_narrative_length])
    outlook = TextAreaField("Perspectives", validators=[validate_narrative_length])


class BilanRequestForm(BilanTextsForm):
    """Who a bilan is for, which period it covers, and its texts."""

    subject = SelectField("Bilan pour", choices=select_choices(SUBJECTS))
    buyer_id = SelectField("Donneur d'ordre", coerce=coerce_optional_int, validators=[Optional()])
    company_id = SelectField("Entreprise", coerce=coerce_optional_int, validators=[Optional()])
    starts_on = FrenchDateField("Du", validators=[InputRequired("Indiquez le début de la période.")])
    ends_on = FrenchDateField("Au", validators=[InputRequired("Indiquez la fin de la période."), validate_not_before(
        "starts_on", "La fin de la période précède son début.")])
    with_pdf = BooleanField("Produire aussi le PDF", default=True)


class FseTargetForm(Form):
    """One line of the operation's targets: an indicator of the catalogue, a value, a public, a period.

    A line with neither an indicator nor a value is an unused line and is ignored.
    """

    kind = SelectField("Indicateur", choices=[], validators=[Optional()])
    target = FrenchDecimalField("Cible", validators=[Optional()], minimum=0)
    breakdown = SelectField("Public", choices=select_choices([("", "Tous"), *Breakdown.choices()]),
                            validators=[Optional()])
    starts_on = FrenchDateField("Du (vide : début de l'opération)", validators=[Optional()])
    ends_on = FrenchDateField("Au (vide : fin de l'opération)", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = target_kind_choices()

    @property
    def is_blank(self) -> bool:
        """Tell whether the line was left empty."""
        return not self.kind.data and self.target.data is None

    def validate(self, extra_validators=None) -> bool:
        """Check a used line: an indicator and a value both given, dates in order."""
        valid = super().validate(extra_validators)
        if self.is_blank:
            return valid
        if not self.kind.data:
            self.kind.errors = [*self.kind.errors, "Choisissez l'indicateur de cette cible."]
            valid = False
        if self.target.data is None and not self.target.errors:
            self.target.errors = [*self.target.errors, "Indiquez la valeur de la cible."]
            valid = False
        if self.starts_on.data and self.ends_on.data and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors = [*self.ends_on.errors, "La fin de la période précède son début."]
            valid = False
        return valid


def target_kind_choices() -> list:
    """Return the catalogue's indicators as select choices, grouped as the catalogue groups them."""
    choices = [SelectChoice("", "Choisir un indicateur…")]
    for group in Group:
        choices += [SelectChoice(entry.kind.value, entry.label, optgroup=group.label) for entry in CATALOGUE.values()
                    if entry.group is group]
    return choices


class FseOperationForm(ClausierForm):
    """An FSE+ operation: its dates, wording, scope and targets."""

    title = StringField("Intitulé de l'opération", validators=[DataRequired(REQUIRED), Length(max=200)])
    starts_on = FrenchDateField("Début de l'opération", validators=[InputRequired("Indiquez le début de l'opération.")])
    ends_on = FrenchDateField("Fin de l'opération", validators=[
        InputRequired("Indiquez la fin de l'opération."),
        validate_not_before("starts_on", "La fin de l'opération précède son début.")])
    operation_number = StringField(
        "Numéro d'opération", validators=[Optional(), Length(max=40, message="40 caractères au plus.")],
        description="Le numéro donné par l'autorité de gestion du FSE+ (par exemple 202501234). Il figure sur "
                    "les feuilles d'émargement et la page de garde du dossier ; sans lui, une ligne reste à remplir.")
    funding_body = StringField("Organisme financeur", validators=[Optional(), Length(max=200)],
                               description="Par exemple : Département du Pas-de-Calais (organisme intermédiaire FSE+).")
    priority = StringField("Priorité du programme FSE+", validators=[Optional(), Length(max=300)])
    specific_objective = StringField("Objectif spécifique", validators=[Optional(), Length(max=300)])
    territory = StringField("Territoire", validators=[Optional(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    is_fse_funded = BooleanField("Cofinancée par le FSE+ (mention européenne sur les documents)", default=True)
    durable_rule = SelectField("Définition de l'emploi durable retenue par la fiche opération",
                               choices=select_choices(DurableRule.choices()), default=DurableRule.SIX_MONTHS_OR_MORE.value)
    site_areas = StringField(
        "Territoire : communes ou EPCI des chantiers", validators=[Optional(), Length(max=500)],
        description="Séparés par des virgules, par exemple « Lens, Liévin, CA de Lens-Liévin » : les marchés dont "
                    "le chantier y est (commune ou EPCI indiqués sur le marché) entrent dans l'opération.")
    buyer_ids = MultiCheckboxField("Donneurs d'ordre (tous leurs marchés)", coerce=int, validate_choice=True)
    programme_ids = MultiCheckboxField("Opérations et chantiers (tous leurs marchés)", coerce=int,
                                       validate_choice=True)
    tender_ids = MultiCheckboxField("Marchés", coerce=int, validate_choice=True)
    targets = FieldList(FormField(FseTargetForm), min_entries=5)

    def target_data(self) -> list[dict]:
        """Return the used target lines as the service expects them."""
        return [{"kind": line.kind.data, "target": line.target.data, "breakdown": line.breakdown.data or None,
                 "starts_on": line.starts_on.data, "ends_on": line.ends_on.data}
                for line in (entry.form for entry in self.targets) if not line.is_blank]


class OperationDocumentForm(ClausierForm):
    """A document kept with the operation: signed sheet, signed contract document, compte rendu."""

    kind = SelectField("Pièce", choices=select_choices(OperationDocumentKind.choices()))
    title = StringField("Intitulé", validators=[Optional(), Length(max=200, message="200 caractères au plus.")],
                        description="Par exemple : « Fiche opération signée le 12/09/2025 », « CCAP signé du lot 3 ».")
    tender_id = SelectField("Marché concerné (pièce contractuelle)", coerce=coerce_optional_int,
                            validators=[Optional()])
    file = FileField("Fichier (PDF, Word, OpenDocument, JPEG ou PNG ; 10 Mo au plus)",
                     validators=[FileRequired("Choisissez le fichier à déposer.")])


class DossierRequestForm(ClausierForm):
    """Build the dossier now."""

    with_pdf = BooleanField("Joindre aussi le bilan en PDF", default=True)
