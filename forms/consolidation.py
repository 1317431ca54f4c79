"""Forms of the consolidation: the period of the consolidated view, and a body's request to an organisation.

The organisations offered are filled by the view from a service: forms never query the database.
"""

from wtforms import SelectField
from wtforms.validators import DataRequired, Optional

from forms.base import ClausierForm
from forms.fields import FrenchDateField, validate_not_before
from forms.referential import coerce_optional_int


class ConsolidationPeriodForm(ClausierForm):
    """The period of the consolidated view and dossier (read from the query string, or posted)."""

    class Meta:
        csrf = False

    starts_on = FrenchDateField("Du", validators=[Optional()])
    ends_on = FrenchDateField("Au", validators=[Optional(), validate_not_before(
        "starts_on", "La fin de la période précède son début.")])


class ConsolidationRequestForm(ClausierForm):
    """The organisation a consolidating body asks to join."""

    partner_id = SelectField("Organisation", coerce=coerce_optional_int,
                             validators=[DataRequired("Choisissez l'organisation à qui demander son accord.")])
