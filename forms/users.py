"""Account management by an administrator."""

from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from app.domain.enums import Role
from forms.base import ClausierForm
from forms.fields import select_choices
from forms.referential import coerce_optional_int


class UserCreateForm(ClausierForm):
    """A new account of the organisation, with a temporary password."""

    full_name = StringField("Nom et prénom", validators=[DataRequired("Ce champ est obligatoire."), Length(max=200)])
    email = EmailField("Adresse e-mail", validators=[DataRequired("Ce champ est obligatoire."),
                                                     Email("Cette adresse e-mail n'est pas valide.")])
    role = SelectField("Rôle", choices=select_choices(Role.choices()))
    siae_id = SelectField("Structure d'insertion (comptes SIAE)", coerce=coerce_optional_int)
    company_id = SelectField("Entreprise (comptes entreprise)", coerce=coerce_optional_int)
    password = PasswordField("Mot de passe provisoire (12 caractères au moins)",
                             validators=[DataRequired("Ce champ est obligatoire."), Length(min=12, max=200,
                                         message="Le mot de passe doit compter entre 12 et 200 caractères.")])
