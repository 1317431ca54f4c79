"""Mail settings of the organisation, a mail template, a user's reminder preference."""

from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.domain.formats import ARTICLE_CHOICES
from forms.base import ClausierForm
from forms.fields import select_choices

REQUIRED = "Ce champ est obligatoire."


class MailSettingsForm(ClausierForm):
    """How the organisation signs its mails and when the monthly reminders go out."""

    name_article = SelectField("Article devant le nom de l'organisation dans les documents (« le PLIE… »)",
                               choices=select_choices(ARTICLE_CHOICES), validate_choice=False)
    sender_name = StringField("Nom de l'expéditeur (vide : le nom de l'organisation)",
                              validators=[Optional(), Length(max=200)])
    reply_to_email = StringField("Adresse de réponse (les réponses des structures y arrivent)",
                                 validators=[Optional(), Email("Cette adresse e-mail n'est pas valide."),
                                             Length(max=254)])
    reminder_day = IntegerField("Jour du mois du premier rappel des relevés (1 à 28)",
                                validators=[InputRequired(REQUIRED),
                                            NumberRange(1, 28, "Choisissez un jour entre 1 et 28.")])
    second_reminder_after_days = IntegerField("Second rappel, en jours après le premier (1 à 20)",
                                              validators=[InputRequired(REQUIRED),
                                                          NumberRange(1, 20, "Choisissez entre 1 et 20 jours.")])


class MailTemplateForm(ClausierForm):
    """The subject and bodies of one kind of mail."""

    subject = StringField("Objet", validators=[DataRequired(REQUIRED), Length(max=300)])
    body_text = TextAreaField("Texte du message", validators=[DataRequired(REQUIRED)], render_kw={"rows": 14})
    body_html = TextAreaField("Version HTML du message", validators=[DataRequired(REQUIRED)], render_kw={"rows": 14})


class MailPreferenceForm(ClausierForm):
    """A user's choice about reminders and digests."""

    mail_opt_out = BooleanField("Ne plus recevoir les rappels ni les récapitulatifs (les liens et les réponses "
                                "à mes relevés continuent d'arriver)")
