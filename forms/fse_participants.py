"""The FSE+ participant record form: entry, exit (within 4 weeks) and the 6-month survey.

Yes/no questions are three-way menus: an answer not given stays empty (None), which for the
sensitive questions (handicap, minorité) means « ne souhaite pas répondre ».
"""

from wtforms import SelectField
from wtforms.validators import Optional

from app.domain.reports.fse_common import EducationLevel, LabourStatus
from forms.base import ClausierForm
from forms.fields import FrenchDateField, select_choices

ANSWERS = {"yes": True, "no": False, "": None}
YES_NO = select_choices([("", "Non renseigné"), ("yes", "Oui"), ("no", "Non")])
SENSITIVE = select_choices([("", "Ne souhaite pas répondre"), ("yes", "Oui"), ("no", "Non")])

ENTRY = ("entry_on", "labour_status", "education_level", "is_third_country_national", "has_foreign_background",
         "is_homeless", "is_rural")
SENSITIVE_FIELDS = ("is_disabled", "is_minority")
EXIT = ("exit_on", "exit_job_searching", "exit_in_education", "exit_qualification", "exit_employed")
SIX_MONTHS = ("six_months_on", "six_months_employed", "six_months_improved")


def _yes_no(label: str, sensitive: bool = False) -> SelectField:
    return SelectField(label, choices=SENSITIVE if sensitive else YES_NO, default="")


def _answer(value: bool | None) -> str:
    return next(key for key, answer in ANSWERS.items() if answer is value)


class FseRecordForm(ClausierForm):
    """One participant's FSE+ record in one operation."""

    entry_on = FrenchDateField("Date d'entrée", validators=[Optional()])
    labour_status = SelectField("Situation sur le marché du travail",
                                choices=select_choices([("", "Non renseignée"), *LabourStatus.choices()]))
    education_level = SelectField("Niveau d'études le plus élevé atteint",
                                  choices=select_choices([("", "Non renseigné"), *EducationLevel.choices()]))
    is_third_country_national = _yes_no("Ressortissant d'un pays hors de l'Union européenne")
    has_foreign_background = _yes_no("Origine étrangère (au moins un parent né à l'étranger)")
    is_homeless = _yes_no("Sans domicile fixe ou confronté à l'exclusion du logement")
    is_rural = _yes_no("Réside en zone rurale")
    is_disabled = _yes_no("Situation de handicap", sensitive=True)
    is_minority = _yes_no("Appartient à une minorité (y compris les communautés marginalisées)", sensitive=True)
    exit_on = FrenchDateField("Date de sortie", validators=[Optional()])
    exit_job_searching = _yes_no("En recherche d'emploi")
    exit_in_education = _yes_no("En études ou en formation")
    exit_qualification = _yes_no("A obtenu une qualification")
    exit_employed = _yes_no("En emploi, y compris indépendant")
    six_months_on = FrenchDateField("Date de l'enquête", validators=[Optional()])
    six_months_employed = _yes_no("En emploi, y compris indépendant")
    six_months_improved = _yes_no("Situation sur le marché du travail améliorée")

    def load(self, record) -> None:
        """Show a stored record (None: a record not typed yet keeps every answer empty)."""
        if record is None:
            return
        for name in (*ENTRY, *SENSITIVE_FIELDS, *EXIT, *SIX_MONTHS):
            value = getattr(record, name)
            if name.endswith("_on"):
                self[name].data = value
            elif name in ("labour_status", "education_level"):
                self[name].data = value.value if value is not None else ""
            else:
                self[name].data = _answer(value)

    def record_data(self) -> dict:
        """Return the answers by the record's names: dates, enum values, True / False / None."""
        data = {}
        for name in (*ENTRY, *SENSITIVE_FIELDS, *EXIT, *SIX_MONTHS):
            value = self[name].data
            if name.endswith("_on"):
                data[name] = value
            elif name in ("labour_status", "education_level"):
                data[name] = value or None
            else:
                data[name] = ANSWERS.get(value)
        return data
