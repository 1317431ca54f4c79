"""Forms an administrator uses to keep the reference data of clause sizing up to date."""

import re

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.domain.clauses.reference import REFERENCE_VALUES
from forms.base import ClausierForm
from forms.fields import FrenchDateField, FrenchDecimalField, select_choices, validate_not_before

REQUIRED = "Ce champ est obligatoire."


def validate_cpv_prefixes(_form, field) -> None:
    """Accept a comma-separated list of CPV prefixes (2 to 8 digits each)."""
    prefixes = [part.strip() for part in (field.data or "").split(",") if part.strip()]
    bad = [part for part in prefixes if not re.fullmatch(r"\d{2,8}", part)]
    if bad:
        raise ValidationError(f"Préfixe CPV invalide : {', '.join(bad)} (2 à 8 chiffres, séparés par des virgules).")
    field.data = ",".join(prefixes)


class LabourShareEditForm(ClausierForm):
    """A trade's labour share, with its source."""

    label = StringField("Corps d'état / métier", validators=[DataRequired(REQUIRED), Length(max=120)])
    share_pct = FrenchDecimalField("Part de main-d'œuvre (%)", validators=[DataRequired(REQUIRED)])
    cpv_prefixes = StringField("Préfixes CPV (séparés par des virgules)", validators=[Optional(), validate_cpv_prefixes])
    source = StringField("Source (laisser vide si non sourcé)", validators=[Optional(), Length(max=300)])
    valid_from = FrenchDateField("Valable à partir du", validators=[Optional()])
    valid_until = FrenchDateField(
        "Valable jusqu'au",
        validators=[Optional(), validate_not_before("valid_from", "La fin de validité ne peut pas précéder son début.")],
    )


class ReferenceParamEditForm(ClausierForm):
    """A dated parameter (hourly cost, rate, penalty)."""

    key = SelectField("Paramètre", choices=select_choices(
        (value.key, f"{value.label} ({value.unit})") for value in REFERENCE_VALUES))
    label = StringField("Libellé", validators=[DataRequired(REQUIRED), Length(max=200)])
    value = FrenchDecimalField("Valeur", validators=[DataRequired(REQUIRED)])
    source = StringField("Source (laisser vide si non sourcé)", validators=[Optional(), Length(max=300)])
    valid_from = FrenchDateField("Valable à partir du", validators=[Optional()])
    valid_until = FrenchDateField(
        "Valable jusqu'au",
        validators=[Optional(), validate_not_before("valid_from", "La fin de validité ne peut pas précéder son début.")],
    )
    note = TextAreaField("Remarque", validators=[Optional(), Length(max=1000)])
