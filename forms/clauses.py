"""The clause pack form: legal instrument, criterion, facilitator, penalties, lots."""

from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from app.domain.clauses.obligation import BUYER_CATEGORIES, NATURES
from app.domain.enums import LegalInstrument
from forms.base import ClausierForm
from forms.fields import FrenchDateField, select_choices
from forms.referential import MultiCheckboxField

REQUIRED = "Ce champ est obligatoire."
AMOUNT = Regexp(r"^[\d\s\u202f\u00a0]+([.,]\d{1,2})?$", message="Indiquez un montant en euros (exemple : 200 ou 1 500,50).")


def parse_subcriteria(text: str) -> list[tuple[str, str]]:
    """Read one sub-criterion per line, as ``Libellé : 40``."""
    items = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        label, sep, weight = line.rpartition(":")
        if not sep or not label.strip() or not weight.strip():
            raise ValidationError(f"Ligne {number} : écrivez « libellé : pondération », par exemple « Plan d'action : 40 ».")
        items.append((label.strip(), weight.strip()))
    return items


class ClausePackForm(ClausierForm):
    """What the clause pack needs beyond the lots' saved calculations."""

    instrument = SelectField("Dispositif juridique", choices=select_choices(LegalInstrument.choices()))
    weighting = StringField("Pondération du critère d'insertion (% de la note)",
                            validators=[Optional(), Regexp(r"^\d{1,2}([.,]\d+)?$", message="Une pondération en %, par exemple 10.")])
    subcriteria = TextAreaField("Sous-critères (un par ligne, « libellé : pondération »)", validators=[Optional(), Length(max=2000)])
    tender_nature = SelectField("Nature du marché", choices=select_choices(
        (key, label.capitalize()) for key, label in NATURES.items()))
    buyer_category = SelectField("Catégorie d'acheteur (seuils européens)", choices=select_choices(
        (key, label[:1].upper() + label[1:]) for key, label in BUYER_CATEGORIES.items()))
    launch_date = FrenchDateField("Date de lancement de la consultation", validators=[DataRequired(REQUIRED)])
    social_condition_derogation = TextAreaField(
        "Motif de dérogation à la condition d'exécution sociale (si l'acheteur n'en impose pas)",
        validators=[Optional(), Length(max=1000, message="1 000 caractères au plus.")])
    facilitator_name = StringField("Facilitateur·rice (nom)", validators=[DataRequired(REQUIRED), Length(max=200)])
    facilitator_email = EmailField("E-mail du facilitateur", validators=[DataRequired(REQUIRED), Email("Cette adresse e-mail n'est pas valide.")])
    facilitator_phone = StringField("Téléphone du facilitateur", validators=[DataRequired(REQUIRED), Length(max=30)])
    penalty_per_missing_hour = StringField("Pénalité par heure non réalisée (€)", validators=[DataRequired(REQUIRED), AMOUNT])
    penalty_per_day_late = StringField("Pénalité par jour de retard du bilan mensuel (€)", validators=[DataRequired(REQUIRED), AMOUNT])
    globalisation_allowed = BooleanField("Les heures peuvent être globalisées entre les lots")
    article_number = StringField("Numéro de l'article dans le CCAP (facultatif)", validators=[Optional(), Length(max=10)])
    lot_ids = MultiCheckboxField("Lots concernés", coerce=int)
    with_pdf = BooleanField("Produire aussi les PDF", default=True)

    def validate_subcriteria(self, field) -> None:
        """Check the one-per-line syntax."""
        parse_subcriteria(field.data)
