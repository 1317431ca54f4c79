"""The base of every Clausier form: WTForms' own messages in French."""

from flask_wtf import FlaskForm


class ClausierForm(FlaskForm):
    """A FlaskForm whose built-in messages ("Not a valid choice"…) are French."""

    class Meta:
        locales = ("fr_FR", "fr")
