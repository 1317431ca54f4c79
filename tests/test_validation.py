"""French input: SIRET (La Poste included), postcodes, dates and amounts."""

from datetime import date
from decimal import Decimal

import pytest
from stdnum import luhn
from werkzeug.datastructures import MultiDict

from app.domain.numbers import NumberInputError, parse_decimal_fr
from forms.referential import CompanyEditForm, TenderEditForm


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def company_form(**values):
    data = {"name": "Peintures Lefranc", "siret": "73282932000074", **values}
    return CompanyEditForm(formdata=MultiDict(data), meta={"csrf": False})


def la_poste_siret() -> str:
    """Find a La Poste establishment SIRET that fails Luhn but passes La Poste's own rule."""
    for nic in range(10000, 99999):
        candidate = f"356000000{nic}"
        if sum(int(d) for d in candidate) % 5 == 0 and luhn.checksum(candidate) != 0:
            return candidate
    raise AssertionError("no candidate")


@pytest.mark.parametrize("siret", ["73282932000074", "732 829 320 00074", "732.829.320.00074", la_poste_siret()])
def test_siret_valid_forms_accepted(ctx, siret):
    form = company_form(siret=siret)
    assert form.validate(), form.errors
    assert form.siret.data.isdigit() and len(form.siret.data) == 14


@pytest.mark.parametrize(("siret", "message"), [
    ("73282932000075", "clé de contrôle incorrecte"),
    ("1234", "14 chiffres"),
    ("ABCDEFGHIJKLMN", "14 chiffres"),
])
def test_siret_invalid_explained_in_french(ctx, siret, message):
    form = company_form(siret=siret)
    assert not form.validate()
    assert message in " ".join(form.siret.errors)


@pytest.mark.parametrize(("postcode", "ok"), [("59280", True), ("20000", True), ("97411", True), ("00123", False),
                                               ("5928", False), ("96000", False), ("ABCDE", False)])
def test_postcode_validation(ctx, postcode, ok):
    form = company_form(postcode=postcode)
    assert form.validate() is ok
    if not ok:
        assert "5 chiffres" in form.postcode.errors[0]


def tender_form(**values):
    data = {"reference": "2026-001", "object": "Travaux", "buyer_id": "1", "procedure": "mapa",
            "legal_instrument": "clause_execution", **values}
    form = TenderEditForm(formdata=MultiDict(data), meta={"csrf": False})
    form.buyer_id.choices = [(1, "Ville")]
    form.operation_id.choices = [("", "Aucune")]
    return form


@pytest.mark.parametrize(("typed", "expected"), [
    ("1 234,56", Decimal("1234.56")), ("1000000", Decimal("1000000")), ("1 000 000", Decimal("1000000")),
    ("1000000,50", Decimal("1000000.50")), ("1\u202f234,5", Decimal("1234.5")), ("12 500 €", Decimal("12500")),
])
def test_amount_typed_the_french_way(ctx, typed, expected):
    form = tender_form(amount=typed)
    assert form.validate(), form.errors
    assert form.amount.data == expected


@pytest.mark.parametrize("typed", ["douze", "1,2,3", "-5"])
def test_amount_invalid_or_negative_refused_in_french(ctx, typed):
    form = tender_form(amount=typed)
    assert not form.validate()
    message = form.amount.errors[0]
    assert "n'est pas un nombre" in message or "supérieure ou égale" in message


@pytest.mark.parametrize(("typed", "expected"), [("2026-03-01", date(2026, 3, 1)), ("01/03/2026", date(2026, 3, 1))])
def test_dates_iso_and_french_accepted(ctx, typed, expected):
    form = tender_form(starts_on=typed)
    assert form.validate(), form.errors
    assert form.starts_on.data == expected


@pytest.mark.parametrize(("typed", "message"), [("31/02/2026", "n'est pas une date valide"),
                                                 ("01/01/1800", "hors de 1900")])
def test_dates_invalid_refused_in_french(ctx, typed, message):
    form = tender_form(starts_on=typed)
    assert not form.validate()
    assert message in form.starts_on.errors[0]


def test_dates_end_before_start_refused(ctx):
    form = tender_form(starts_on="2026-05-01", ends_on="2026-04-01")
    assert not form.validate()
    assert "ne peut pas précéder" in form.ends_on.errors[0]


def test_cpv_format_checked(ctx):
    assert tender_form(cpv="45262522-6").validate()
    form = tender_form(cpv="4526")
    assert not form.validate() and "8 chiffres" in form.cpv.errors[0]


def test_parse_decimal_fr_empty_and_garbage():
    with pytest.raises(NumberInputError, match="vide"):
        parse_decimal_fr("  ")
    with pytest.raises(NumberInputError, match="n'est pas un nombre"):
        parse_decimal_fr("abc", label="le montant")
