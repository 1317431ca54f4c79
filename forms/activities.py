"""Forms of the activity log, the partners directory, programmes and fiche diffusions.

Select choices are filled by the view from a service: forms never query the database.
"""

from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.domain.reports.activities import MAX_NOTE, MAX_QUANTITY, ActivityKind, PartnerKind
from app.domain.reports.activity_log import MINUTES_FORMATS
from forms.base import ClausierForm
from forms.fields import FrenchDateField, select_choices, validate_not_before
from forms.referential import REQUIRED, MultiCheckboxField, _email, _phone, coerce_optional_int

LINK_FIELDS = ("buyer_id", "company_id", "siae_id", "participant_id", "partner_id", "tender_id", "fse_operation_id")


def _link(label: str) -> SelectField:
    return SelectField(label, coerce=coerce_optional_int, validators=[Optional()])


class ActivityEditForm(ClausierForm):
    """An entry of the activity log and what it is about."""

    kind = SelectField("Type", choices=select_choices(ActivityKind.choices()))
    occurred_on = FrenchDateField("Date", validators=[InputRequired("Indiquez la date.")])
    title = StringField("Intitulé", validators=[DataRequired(REQUIRED), Length(max=200)])
    quantity = IntegerField(
        "Quantité (pour les offres, postes transmis, mises en relation, préparations et entretiens : "
        "« 4 » pour 4 postes transmis)",
        validators=[Optional(), NumberRange(min=1, max=MAX_QUANTITY,
                                            message=f"La quantité va de 1 à {MAX_QUANTITY:,}.".replace(",", "\u202f"))])
    note = TextAreaField("Note (pas de données de santé ni d'appréciation sur une personne)",
                         validators=[Optional(), Length(max=MAX_NOTE, message=f"{MAX_NOTE} caractères au plus.")])
    buyer_id = _link("Donneur d'ordre")
    company_id = _link("Entreprise")
    siae_id = _link("Structure d'insertion (SIAE)")
    participant_id = _link("Participant")
    partner_id = _link("Partenaire")
    tender_id = _link("Marché")
    fse_operation_id = _link("Opération FSE+")
    minutes = FileField(f"Compte rendu (facultatif : {MINUTES_FORMATS}, 10 Mo au plus)")


class LogFilterForm(ClausierForm):
    """Which entries the list shows (read from the query string)."""

    class Meta:
        csrf = False

    kind = SelectField("Type", choices=select_choices([("", "Tous"), *ActivityKind.choices()]),
                       validators=[Optional()])
    starts_on = FrenchDateField("Du", validators=[Optional()])
    ends_on = FrenchDateField("Au", validators=[Optional(), validate_not_before(
        "starts_on", "La fin de la période précède son début.")])
    company_id = _link("Entreprise")
    buyer_id = _link("Donneur d'ordre")
    fse_operation_id = _link("Opération FSE+")


class PartnerEditForm(ClausierForm):
    """A partner or prescriber of the directory."""

    name = StringField("Nom", validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = SelectField("Type", choices=select_choices(PartnerKind.choices()))
    siae_id = SelectField("Structure d'insertion du référentiel (pour le type SIAE)", coerce=coerce_optional_int,
                          validators=[Optional()])
    contact_name = StringField("Contact", validators=[Optional(), Length(max=200)])
    email = _email("E-mail")
    phone = _phone("Téléphone")
    city = StringField("Commune", validators=[Optional(), Length(max=120)])
    is_active = BooleanField("Actif (proposé dans les listes)", default=True)


class ProgrammeEditForm(ClausierForm):
    """An operation or site grouping tenders (renouvellement urbain, ZAC, groupe scolaire…)."""

    name = StringField("Nom", validators=[DataRequired(REQUIRED), Length(max=200)])
    buyer_id = SelectField("Donneur d'ordre", coerce=coerce_optional_int, validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    starts_on = FrenchDateField("Début", validators=[Optional()])
    ends_on = FrenchDateField("Fin", validators=[Optional(), validate_not_before(
        "starts_on", "La fin ne peut pas précéder le début.")])
    is_fse_funded = BooleanField("Cofinancée par le FSE+")


class FicheDiffusionForm(ClausierForm):
    """The partners a fiche de liaison is sent to, and when."""

    partner_ids = MultiCheckboxField("Partenaires destinataires", coerce=int)
    diffused_on = FrenchDateField("Date de diffusion", validators=[InputRequired("Indiquez la date de diffusion.")])
