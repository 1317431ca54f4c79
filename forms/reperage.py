"""Forms of the repérage: pipeline filters, the DECP upload, a clausable rule."""

from decimal import Decimal

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.domain.enums import TenderStatus
from forms.base import ClausierForm
from forms.fields import FrenchDateField, FrenchDecimalField, select_choices
from forms.referential import coerce_optional_int

CPV_PREFIX = Regexp(r"^\d{1,8}$", message="Indiquez le début d'un code CPV en chiffres (exemple : 45 ou 4531).")


class PipelineFilterForm(ClausierForm):
    """Narrow the pipeline (read from the query string)."""

    class Meta:
        csrf = False

    buyer_id = SelectField("Acheteur", coerce=coerce_optional_int, validators=[Optional()])
    status = SelectField("Étape", choices=select_choices([("", "Toutes"), ("a_venir", "À venir (non attribués)"),
                                                          *TenderStatus.choices()]), validators=[Optional()])
    from_on = FrenchDateField("Publication prévue à partir du", validators=[Optional()])
    to_on = FrenchDateField("jusqu'au", validators=[Optional()])
    cpv = StringField("Code CPV commençant par", validators=[Optional(), CPV_PREFIX])
    amount_min = FrenchDecimalField("Montant HT minimal (€)", validators=[Optional()], minimum=Decimal(0))
    amount_max = FrenchDecimalField("Montant HT maximal (€)", validators=[Optional()], minimum=Decimal(0))
    view = SelectField("Affichage", choices=select_choices([("table", "Tableau"), ("board", "Colonnes par étape")]),
                       validators=[Optional()])


class DecpUploadForm(ClausierForm):
    """A DECP file: the 2024 JSON, the v1 JSON or a consolidated CSV export."""

    file = FileField("Fichier DECP (JSON ou CSV, 20 Mo au plus)",
                     validators=[FileRequired("Choisissez le fichier à importer.")])


class ClausableRuleForm(ClausierForm):
    """From which amount a CPV prefix can carry a clause."""

    cpv_prefix = StringField("Début du code CPV", validators=[DataRequired("Indiquez le début du code CPV."),
                                                               Regexp(r"^\d{2,8}$", message="De 2 à 8 chiffres.")])
    min_amount = FrenchDecimalField("À partir de (€ HT)", validators=[DataRequired("Indiquez le montant.")],
                                    minimum=Decimal(0))
    label = StringField("Libellé", validators=[Optional(), Length(max=200)])
    source = StringField("Source", validators=[Optional(), Length(max=500)])
