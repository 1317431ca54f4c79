"""Forms of conventions: the convention, the signed scan, and the standard commitments."""

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forms.base import ClausierForm
from forms.fields import FrenchDateField, validate_not_before
from forms.referential import MultiCheckboxField, coerce_optional_int

REQUIRED = "Ce champ est obligatoire."


def paragraphs(text: str | None) -> list[str]:
    """Split a text area into paragraphs separated by blank lines (line breaks inside are joined)."""
    blocks = [" ".join(block.split()) for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def lines(text: str | None) -> list[str]:
    """Split a text area into its non-empty lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def reporting_steps(text: str | None) -> list[list[str]]:
    """Read « quoi | quand » lines into [what, when] pairs."""
    steps = []
    for line in lines(text):
        what, _, when = line.partition("|")
        steps.append([what.strip(), when.strip() or "à convenir"])
    return steps


def validate_reporting(_form, field) -> None:
    """Each line of the reporting calendar says what, then « | », then when."""
    bad = [line for line in lines(field.data) if "|" not in line]
    if bad:
        raise ValidationError(f"Écrivez chaque étape sous la forme « ce qui est transmis | quand » : « {bad[0]} ».")


def _text(label: str, length: int, required: bool = False) -> StringField:
    first = DataRequired(REQUIRED) if required else Optional()
    return StringField(label, validators=[first, Length(max=length, message=f"{length} caractères au plus.")])


class ConventionEditForm(ClausierForm):
    """A convention with one partner (the partner's kind is chosen before the form)."""

    reference = _text("Numéro de la convention", 40)
    party_id = SelectField("Partenaire", coerce=coerce_optional_int, validators=[DataRequired("Choisissez le partenaire.")])
    party_signatory_name = _text("Signataire pour le partenaire", 200)
    party_signatory_role = _text("Qualité du signataire du partenaire", 200)
    facilitator_signatory_name = _text("Signataire pour votre structure", 200)
    facilitator_signatory_role = _text("Qualité de ce signataire", 200)
    facilitator_address = _text("Adresse de votre structure", 300)
    object = TextAreaField("Objet", validators=[DataRequired(REQUIRED), Length(max=3000)])
    tender_ids = MultiCheckboxField("Marchés couverts", coerce=int, validators=[Optional()])
    operation_ids = MultiCheckboxField("Opérations couvertes", coerce=int, validators=[Optional()])
    starts_on = FrenchDateField("Date de début", validators=[DataRequired("Indiquez la date de début.")])
    ends_on = FrenchDateField("Date de fin", validators=[
        DataRequired("Indiquez la date de fin."),
        validate_not_before("starts_on", "La date de fin précède la date de début.")])
    facilitator_commitments = TextAreaField(
        "Engagements de votre structure (un paragraphe par engagement, séparés par une ligne vide)",
        validators=[Optional(), Length(max=10000)])
    party_commitments = TextAreaField(
        "Engagements du partenaire (un paragraphe par engagement, séparés par une ligne vide)",
        validators=[Optional(), Length(max=10000)])
    reporting = TextAreaField("Calendrier de suivi (une ligne par étape : ce qui est transmis | quand)",
                              validators=[Optional(), Length(max=5000), validate_reporting])
    data_protection_contact = _text("Contact du délégué à la protection des données", 300)
    committee_members = TextAreaField("Membres du comité de suivi (un par ligne)", validators=[Optional(), Length(max=3000)])
    committee_frequency = _text("Fréquence du comité de suivi", 200)
    is_fse_funded = BooleanField("Action cofinancée par le FSE+")
    fse_operation = _text("Opération FSE+ (numéro ou intitulé)", 200)
    annexes = TextAreaField("Annexes (une par ligne)", validators=[Optional(), Length(max=3000)])
    signed_at_place = _text("Lieu de signature", 120)

    SECTIONS = (
        ("Parties", ("reference", "party_id", "party_signatory_name", "party_signatory_role",
                     "facilitator_signatory_name", "facilitator_signatory_role", "facilitator_address")),
        ("Objet, périmètre et durée", ("object", "tender_ids", "operation_ids", "starts_on", "ends_on")),
        ("Engagements", ("facilitator_commitments", "party_commitments")),
        ("Suivi, données et gouvernance", ("reporting", "data_protection_contact", "committee_members",
                                           "committee_frequency")),
        ("Cofinancement et annexes", ("is_fse_funded", "fse_operation", "annexes", "signed_at_place")),
    )


class SignedScanForm(ClausierForm):
    """The scan of the signed convention (PDF)."""

    file = FileField("Scan de la convention signée (PDF, 10 Mo au plus)",
                     validators=[FileRequired("Choisissez le fichier PDF du scan.")])
    signed_on = FrenchDateField("Date de signature", validators=[DataRequired("Indiquez la date de signature.")])


class ClauseSetForm(ClausierForm):
    """The standard commitments of one party, one paragraph each."""

    text = TextAreaField("Engagements types (un paragraphe par engagement, séparés par une ligne vide ; "
                         "laisser vide pour revenir au texte par défaut)", validators=[Optional(), Length(max=10000)])


class ActiveOnForm(ClausierForm):
    """The day on which active conventions are counted."""

    class Meta:
        csrf = False

    au = FrenchDateField("Conventions actives au", validators=[Optional()])
