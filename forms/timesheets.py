"""Forms of the timesheet intake: upload, and the pre-filled template request."""

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Optional, Regexp

from forms.base import ClausierForm
from forms.referential import coerce_optional_int

MONTH = Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", message="Indiquez le mois au format AAAA-MM (exemple : 2026-03).")


class TimesheetUploadForm(ClausierForm):
    """A monthly timesheet file and what it is about (Clausier can propose month and lot)."""

    structure = SelectField("Structure qui envoie le relevé", validators=[DataRequired("Choisissez la structure.")])
    month = StringField("Mois (laisser vide pour le lire dans le fichier)", validators=[Optional(), MONTH],
                        render_kw={"type": "month", "placeholder": "AAAA-MM"})
    lot_id = SelectField("Lot (laisser vide pour le lire dans le fichier)", coerce=coerce_optional_int,
                         validators=[Optional()])
    file = FileField("Fichier du relevé (Excel, LibreOffice, CSV ou PDF)",
                     validators=[FileRequired("Choisissez le fichier à déposer.")])


class TimesheetTemplateForm(ClausierForm):
    """Which structure and month to pre-fill a template for."""

    class Meta:
        csrf = False

    structure = SelectField("Structure", validators=[DataRequired("Choisissez la structure.")])
    month = StringField("Mois", validators=[DataRequired("Indiquez le mois."), MONTH], render_kw={"type": "month"})
