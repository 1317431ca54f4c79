"""Sign-in forms: password, then the second factor."""

from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from forms.base import ClausierForm


class LoginForm(ClausierForm):
    """E-mail and password."""

    email = EmailField(
        "Adresse e-mail",
        validators=[DataRequired("Indiquez votre adresse e-mail."), Email("Cette adresse e-mail n'est pas valide.")],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Mot de passe",
        validators=[DataRequired("Indiquez votre mot de passe."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class SecondFactorForm(ClausierForm):
    """The 6-digit code of the authenticator app, or a recovery code."""

    code = StringField(
        "Code à 6 chiffres de votre application (ou un code de secours)",
        validators=[DataRequired("Indiquez le code affiché par votre application."), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ReEnrolForm(SecondFactorForm):
    """Replace an active second factor: the password and the current code prove it is the owner."""

    password = PasswordField(
        "Mot de passe actuel",
        validators=[DataRequired("Indiquez votre mot de passe."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    current_code = StringField(
        "Code à 6 chiffres de votre application actuelle (ou un code de secours)",
        validators=[DataRequired("Indiquez le code de votre application actuelle."), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class PasswordChangeForm(ClausierForm):
    """The current password, then the new one twice."""

    current_password = PasswordField(
        "Mot de passe actuel (ou provisoire)",
        validators=[DataRequired("Indiquez votre mot de passe actuel."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "Nouveau mot de passe (12 caractères au moins ; une courte phrase convient bien)",
        validators=[DataRequired("Choisissez un nouveau mot de passe."), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Nouveau mot de passe, une seconde fois",
        validators=[DataRequired("Saisissez une seconde fois le nouveau mot de passe."),
                    EqualTo("new_password", "Les deux saisies du nouveau mot de passe diffèrent.")],
        render_kw={"autocomplete": "new-password"},
    )
