"""API tokens, created by an administrator."""

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.domain.api.tokens import TokenScope
from forms.base import ClausierForm
from forms.fields import FrenchDateField, select_choices
from forms.referential import MultiCheckboxField


class ApiTokenCreateForm(ClausierForm):
    """A new token: a name, rights, an expiry, the organisation or one structure."""

    name = StringField("Nom du jeton (le logiciel qui l'utilisera)",
                       validators=[DataRequired("Ce champ est obligatoire."), Length(max=100)])
    scopes = MultiCheckboxField("Droits", choices=select_choices(TokenScope.choices()))
    expires_on = FrenchDateField("Expire le", validators=[DataRequired("Indiquez une date d'expiration.")])
    structure = SelectField("Pour")
