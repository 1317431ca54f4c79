"""Insertion hours calculators: worked examples, edges, readings, rounding and properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.clauses.hours import (
    Band,
    HoursInputError,
    compute_band_hours,
    compute_cleaning_hours,
    compute_framework_hours,
    compute_standard_hours,
    compute_tranche_hours,
    fte,
    parse_bands,
    plain_decimal,
)

EXAMPLE_BANDS = "0-99999:150,100000-199999:300,200000-399999:450,400000-:900"


def test_standard_hours_public_example_gives_833():
    result = compute_standard_hours(Decimal(1_000_000), Decimal(50), Decimal(5), Decimal(30))
    assert result.hours == 833
    assert result.hours_exact.quantize(Decimal("0.01")) == Decimal("833.33")
    assert result.method == "standard"
    assert result.details["cout_main_oeuvre_eur"] == "500000"
    assert result.details["montant_insertion_eur"] == "25000"
    assert result.details["etp"] == "0.52"
    assert result.warnings == ()


def test_standard_hours_french_typed_inputs_are_parsed():
    result = compute_standard_hours("1 000 000", "50", "5", "30")
    assert result.hours == 833


def test_standard_hours_details_are_strings():
    result = compute_standard_hours(1_000_000, 50, 5, 30)
    assert all(isinstance(value, str) for value in result.details.values())


@pytest.mark.parametrize(("rounding", "expected"), [("nearest", 833), ("down", 833), ("up", 834)])
def test_standard_hours_rounding_rule_applies(rounding, expected):
    assert compute_standard_hours(1_000_000, 50, 5, 30, rounding=rounding).hours == expected


def test_standard_hours_half_hour_rounds_up_with_nearest():
    # 350 000 × 70 % × 7,5 % ÷ 30 = 612,5 h
    result = compute_standard_hours(350_000, 70, Decimal("7.5"), 30)
    assert result.hours_exact == Decimal("612.5")
    assert result.hours == 613
    assert compute_standard_hours(350_000, 70, Decimal("7.5"), 30, rounding="down").hours == 612


def test_standard_hours_unknown_rounding_raises_french_error():
    with pytest.raises(HoursInputError, match="Règle d'arrondi inconnue"):
        compute_standard_hours(1, 1, 1, 1, rounding="banker")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"amount": -1}, "montant HT doit être positif"),
    ({"hourly_cost": 0}, "coût horaire doit être strictement positif"),
    ({"labour_share": -5}, "part de main-d'œuvre doit être positif"),
    ({"rate": "abc"}, "n'est pas un nombre"),
])
def test_standard_hours_impossible_input_raises_french_error(kwargs, message):
    arguments = {"amount": 1_000_000, "labour_share": 50, "rate": 5, "hourly_cost": 30, **kwargs}
    with pytest.raises(HoursInputError, match=message):
        compute_standard_hours(**arguments)


def test_standard_hours_odd_inputs_give_warnings_not_fixes():
    result = compute_standard_hours(100_000, 120, 60, 30)
    assert result.hours == 2400  # computed as typed, not capped
    assert any("supérieure à 100 %" in warning for warning in result.warnings)
    assert any("Taux d'insertion inhabituel" in warning for warning in result.warnings)


def test_standard_hours_below_clause_threshold_warns():
    result = compute_standard_hours(100_000, 50, 5, 30, clause_threshold_hours=150)
    assert result.hours == 83
    assert any("sous le seuil de clause" in warning for warning in result.warnings)


def test_standard_hours_zero_amount_gives_zero_with_warning():
    result = compute_standard_hours(0, 50, 5, 30)
    assert result.hours == 0
    assert result.warnings


@pytest.mark.parametrize(("count", "expected", "retained"), [("all", 1351, "2702000"), ("excess", 1, "2000")])
def test_tranche_hours_above_threshold_follow_reading(count, expected, retained):
    result = compute_tranche_hours(2_702_000, 2_000, threshold=2_700_000, count=count)
    assert result.hours == expected
    assert result.details["montant_retenu_eur"] == retained
    assert "seuil" in result.details["lecture"]


def test_tranche_hours_threshold_reached_exactly_counts():
    assert compute_tranche_hours(2_700_000, 2_000, 2_700_000, "all").hours == 1350
    assert compute_tranche_hours(2_700_000, 2_000, 2_700_000, "excess").hours == 0


@pytest.mark.parametrize("count", ["all", "excess"])
def test_tranche_hours_one_euro_below_threshold_gives_zero_with_explanation(count):
    result = compute_tranche_hours(2_699_999, 2_000, 2_700_000, count)
    assert result.hours == 0
    assert "inférieur au seuil" in result.details["explication"]


def test_tranche_hours_without_threshold_counts_everything():
    result = compute_tranche_hours(2_703_000, 2_000)
    assert result.hours == 1351  # only complete tranches by default
    assert result.hours_exact == Decimal("1351.5")
    assert "aucun seuil" in result.details["lecture"]


def test_tranche_hours_unknown_reading_raises():
    with pytest.raises(HoursInputError, match="Lecture du seuil inconnue"):
        compute_tranche_hours(1, 1, 1, "some")


def test_cleaning_hours_deduct_transferred_staff():
    result = compute_cleaning_hours(600_000, 36, 500, 5)
    assert result.details["heures_main_oeuvre_h"] == "24000"
    assert result.details["heures_reprises_h"] == "18000"
    assert result.details["heures_restantes_h"] == "6000"
    assert result.hours == 300
    assert result.details["recommandation"] == "clause recommandée"


def test_cleaning_hours_transferred_staff_exceeding_labour_gives_zero_with_warning():
    result = compute_cleaning_hours(600_000, 36, 800, 5)
    assert result.hours == 0
    assert result.hours_exact == 0
    assert any("dépasse la main-d'œuvre" in warning for warning in result.warnings)


def test_cleaning_hours_below_floor_flags_clause_not_recommended():
    result = compute_cleaning_hours(100_000, 12, 0, 5)  # 4 000 h × 5 % = 200 h ≥ 150
    assert result.details["recommandation"] == "clause recommandée"
    small = compute_cleaning_hours(50_000, 12, 0, 5)  # 2 000 h × 5 % = 100 h
    assert small.hours == 100
    assert small.details["recommandation"] == "clause non recommandée (< 150 h)"
    assert any("clause non recommandée" in warning for warning in small.warnings)


def test_cleaning_hours_coefficient_and_floor_are_parameters():
    result = compute_cleaning_hours(100_000, 12, 0, 5, coefficient=20, floor_hours=300)
    assert result.hours == 250
    assert "non recommandée (< 300 h)" in result.details["recommandation"]


@pytest.mark.parametrize(("amount", "expected"), [
    (0, 150), (99_999, 150), (Decimal("99999.99"), 150), (100_000, 300), (150_000, 300),
    (399_999, 450), (400_000, 900), (10_000_000, 900),
])
def test_band_hours_example_table_picks_band(amount, expected):
    assert compute_band_hours(amount, parse_bands(EXAMPLE_BANDS)).hours == expected


def test_parse_bands_example_is_gap_free_and_open_ended():
    bands = parse_bands(EXAMPLE_BANDS)
    assert bands[0] == Band(0, 99_999, 150)
    assert bands[-1] == Band(400_000, None, 900)


@pytest.mark.parametrize(("text", "message"), [
    ("0-99999:150,100001-:300", "Trou dans le barème entre « 0-99999:150 » et « 100001-:300 »"),
    ("0-99999:150,99999-:300", "Tranches qui se chevauchent : « 0-99999:150 » et « 99999-:300 »"),
    ("100000-:300,0-99999:150", "Seule la dernière tranche peut être ouverte"),
    ("0-99999:150,50000-40000:3", "maximum est inférieur au minimum"),
    ("0-99999", "illisible"),
    ("", "vide"),
])
def test_parse_bands_invalid_table_raises_naming_bands(text, message):
    with pytest.raises(HoursInputError, match=message):
        parse_bands(text)


def test_band_hours_tuples_are_validated():
    with pytest.raises(HoursInputError, match="non triées"):
        compute_band_hours(5, [(100, 199, 2), (0, 99, 1)])


def test_band_hours_above_closed_table_raises():
    with pytest.raises(HoursInputError, match="dépasse la dernière tranche"):
        compute_band_hours(500, [(0, 99, 1), (100, 199, 2)])


def test_band_hours_below_first_band_gives_zero():
    result = compute_band_hours(50, [(100, None, 10)])
    assert result.hours == 0
    assert "sous la première tranche" in result.details["tranche_retenue"]


def test_framework_hours_on_min_and_max_split_per_year():
    result = compute_framework_hours(300_000, 1_200_000, 50, 5, 30, years=4)
    assert result.minimum.hours == 250
    assert result.maximum.hours == 1000
    assert [year.maximum.hours for year in result.years] == [250] * 4
    assert result.total_max_hours == 1000
    assert result.total_min_hours == sum(year.minimum.hours for year in result.years)


def test_framework_hours_yearly_amounts_are_used_and_checked():
    result = compute_framework_hours(None, 1_000_000, 50, 5, 30, yearly_amounts=[300_000, 300_000, 300_000])
    assert [year.maximum.hours for year in result.years] == [250, 250, 250]
    assert any("diffère du montant maximum" in warning for warning in result.warnings)


def test_framework_hours_min_above_max_raises():
    with pytest.raises(HoursInputError, match="minimum"):
        compute_framework_hours(2_000_000, 1_000_000, 50, 5, 30)


@pytest.mark.parametrize(("hours", "expected"), [(1607, "1.00"), (833, "0.52"), (0, "0.00"), (3214, "2.00")])
def test_fte_divides_by_1607_to_two_decimals(hours, expected):
    assert fte(hours) == Decimal(expected)


def test_plain_decimal_never_uses_exponent():
    assert plain_decimal(Decimal("1.4E+3")) == "1400"
    assert plain_decimal(Decimal("833.3300")) == "833.33"


def test_hours_result_to_dict_has_cli_shape():
    data = compute_standard_hours(1_000_000, 50, 5, 30).to_dict()
    assert list(data) == ["hours", "hours_exact", "method", "details", "warnings"]
    assert data["hours_exact"].startswith("833.33")


amounts = st.decimals(min_value=0, max_value=10**9, places=2)
percents = st.decimals(min_value=0, max_value=100, places=2)


@given(amount=amounts, share=percents, rate=percents,
       cost=st.decimals(min_value="0.01", max_value=500, places=2))
def test_standard_hours_property_never_negative(amount, share, rate, cost):
    result = compute_standard_hours(amount, share, rate, cost)
    assert result.hours >= 0 and result.hours_exact >= 0


@given(low=amounts, extra=amounts, share=percents, rate=percents)
def test_standard_hours_property_non_decreasing_in_amount(low, extra, share, rate):
    assert (compute_standard_hours(low, share, rate, 30).hours
            <= compute_standard_hours(low + extra, share, rate, 30).hours)


@given(amount=amounts, low=percents, extra=percents)
def test_standard_hours_property_non_decreasing_in_rate(amount, low, extra):
    assert (compute_standard_hours(amount, 50, low, 30).hours
            <= compute_standard_hours(amount, 50, low + extra, 30).hours)


@given(revenue=amounts, extra=amounts, transferred=st.decimals(min_value=0, max_value=10**5, places=1),
       rate=percents)
def test_cleaning_hours_property_never_negative_and_monotonic(revenue, extra, transferred, rate):
    small = compute_cleaning_hours(revenue, 12, transferred, rate)
    large = compute_cleaning_hours(revenue + extra, 12, transferred, rate)
    assert 0 <= small.hours <= large.hours


@given(invoiced=amounts, extra=amounts, count=st.sampled_from(["all", "excess"]))
def test_tranche_hours_property_non_decreasing_in_invoiced(invoiced, extra, count):
    assert (compute_tranche_hours(invoiced, 2000, 500_000, count).hours
            <= compute_tranche_hours(invoiced + extra, 2000, 500_000, count).hours)
