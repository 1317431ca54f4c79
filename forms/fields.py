"""Fields and validators that speak French: amounts, SIRET, postcodes, dates."""

from datetime import date, datetime

from stdnum.fr import siret as stdnum_siret
from wtforms import DateField, Field, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

from app.domain.formats import POSTCODE_RE, check_siret, format_input_number
from app.domain.numbers import NumberInputError, parse_decimal_fr



class FrenchDecimalField(Field):
    """A number typed the French way: ``1 234,56``, ``1234.56`` or ``1 000 000``.

    ``subject`` names the value in messages (« Ce nombre d'heures « trente-cinq » n'est pas un
    nombre ») and defaults from the label: an amount in €, hours, a percentage. An amount is
    pre-filled as « 350 000,50 », any other number without trailing zeros.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, minimum=None, subject=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum = minimum
        text = str(self.label.text).lower()
        self.is_money = "€" in text
        self.subject = subject or ("ce montant" if self.is_money else "ce nombre d'heures" if "heure" in text
                                   else "ce pourcentage" if "%" in text else "cette valeur")
        self.render_kw = {"inputmode": "decimal", **(self.render_kw or {})}

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return format_input_number(self.data, money=self.is_money)

    def process_formdata(self, valuelist) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            self.data = None
            return
        try:
            self.data = parse_decimal_fr(raw, label=self.subject)
        except NumberInputError as exc:
            self.data = None
            raise ValueError(str(exc)) from None
        if self.minimum is not None and self.data < self.minimum:
            raise ValueError(f"La valeur doit être supérieure ou égale à {format_input_number(self.minimum)}.")


class FrenchDateField(DateField):
    """A date as ``JJ/MM/AAAA`` or as the ISO value a date picker sends."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d/%m/%Y"], **kwargs)
        self.render_kw = {"type": "date", **(self.render_kw or {})}

    def process_formdata(self, valuelist) -> None:
        raw = " ".join(valuelist).strip() if valuelist else ""
        if not raw:
            self.data = None
            return
        for fmt in self.format:
            try:
                self.data = datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
            if not date(1900, 1, 1) <= self.data <= date(2100, 12, 31):
                self.data = None
                raise ValueError("Cette date semble erronée (année hors de 1900–2100).")
            return
        self.data = None
        raise ValueError(f"« {raw} » n'est pas une date valide (format attendu : JJ/MM/AAAA).")


def normalise_siret(value: str) -> str:
    """Return the 14 digits of a SIRET typed with spaces or dots."""
    return stdnum_siret.compact(value or "")


def validate_siret(_form, field: StringField) -> None:
    """Check a SIRET with python-stdnum (Luhn, La Poste's exception included)."""
    if not field.data:
        return
    digits, problem = check_siret(field.data)
    if problem:
        raise ValidationError(problem)
    field.data = digits


def validate_postcode(_form, field: StringField) -> None:
    """Check a French postcode (5 digits, an existing département)."""
    if not field.data:
        return
    field.data = field.data.strip().replace(" ", "")
    if not POSTCODE_RE.match(field.data):
        raise ValidationError("Le code postal doit compter 5 chiffres (exemple : 59140).")


def validate_not_before(other_field: str, message: str):
    """Refuse a date earlier than another field's date."""

    def _check(form, field) -> None:
        other = form[other_field].data
        if field.data and other and field.data < other:
            raise ValidationError(message)

    return _check


def status_choices(current, targets) -> list[SelectChoice]:
    """A status menu: the current status first and preselected (an empty value: « choose »), then the steps."""
    return select_choices([("", f"{current.label} (statut actuel)"), *((s.value, s.label) for s in targets)])


def select_choices(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into the SelectChoice objects WTForms 3.3 expects."""
    return [SelectChoice(value, label) for value, label in pairs]
