"""Compute the insertion hours a lot must carry, one function per method seen in real contracts.

Every figure is a Decimal; percentages are given in percent (``Decimal("5")`` is 5 %).
Each function returns an ``HoursResult`` whose ``details`` tell the note de calcul what was
computed. Keys follow a suffix convention the documents rely on to format values:
``_eur`` money, ``_pct`` percent, ``_h`` hours; other keys hold text or plain numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, localcontext

from app.domain.clauses.bands import Band, parse_bands, validate_bands
from app.domain.clauses.result import (
    FTE_HOURS,
    ROUNDINGS,
    HoursInputError,
    HoursResult,
    check_rounding,
    finish_result,
    fte,
    plain_decimal,
    to_number,
    to_positive,
)

# Re-exported so callers import every hours name from this one module.
__all__ = [
    "Band", "FTE_HOURS", "FrameworkHoursResult", "HoursInputError", "HoursResult", "ROUNDINGS",
    "YearHours", "compute_band_hours", "compute_cleaning_hours", "compute_framework_hours",
    "compute_standard_hours", "compute_tranche_hours", "fte", "parse_bands", "plain_decimal",
]

COUNT_READINGS = {
    "all": "tous les euros facturés comptent dès que le seuil est atteint",
    "excess": "seuls les euros facturés au-delà du seuil comptent",
}
HUNDRED = Decimal(100)


def _percent_warnings(labour_share: Decimal | None, rate: Decimal, warnings: list[str]) -> None:
    if labour_share is not None and labour_share > HUNDRED:
        warnings.append(f"Part de main-d'œuvre supérieure à 100 % ({plain_decimal(labour_share)} %) :"
                        " valeur impossible, vérifier la saisie.")
    if labour_share is not None and labour_share == 0:
        warnings.append("Part de main-d'œuvre nulle : aucune heure d'insertion ne peut en résulter.")
    if rate > 50:
        warnings.append(f"Taux d'insertion inhabituel ({plain_decimal(rate)} %) : la pratique se "
                        "situe entre 5 et 20 % de la main-d'œuvre.")
    if rate == 0:
        warnings.append("Taux d'insertion nul : aucune heure d'insertion n'est demandée.")


def compute_standard_hours(amount, labour_share, rate, hourly_cost, rounding: str = "nearest",
                           clause_threshold_hours=None) -> HoursResult:
    """Compute amount excl. VAT × labour share × insertion rate ÷ all-in hourly cost.

    The labour cost of the lot (amount × labour share) times the insertion rate gives the
    money spent on insertion; dividing by the hourly cost turns it into hours. Public worked
    example (mefsud77.fr): 1 000 000 € × 50 % × 5 % = 25 000 € ; ÷ 30 €/h = 833,33 h → 833 h.
    """
    check_rounding(rounding)
    amount = to_positive(amount, "le montant HT")
    labour_share = to_positive(labour_share, "la part de main-d'œuvre")
    rate = to_positive(rate, "le taux d'insertion")
    hourly_cost = to_positive(hourly_cost, "le coût horaire", allow_zero=False)
    warnings: list[str] = []
    if amount == 0:
        warnings.append("Montant HT nul : aucune heure d'insertion n'en résulte.")
    _percent_warnings(labour_share, rate, warnings)
    with localcontext() as ctx:
        ctx.prec = 28
        labour_cost = amount * labour_share / HUNDRED
        insertion_cost = labour_cost * rate / HUNDRED
        exact = insertion_cost / hourly_cost
    details = {
        "formule": "montant HT × part de main-d'œuvre × taux d'insertion ÷ coût horaire",
        "montant_ht_eur": plain_decimal(amount),
        "part_main_oeuvre_pct": plain_decimal(labour_share),
        "taux_insertion_pct": plain_decimal(rate),
        "cout_horaire_eur": plain_decimal(hourly_cost),
        "cout_main_oeuvre_eur": plain_decimal(labour_cost),
        "montant_insertion_eur": plain_decimal(insertion_cost),
    }
    return finish_result(exact, "standard", details, warnings, rounding, clause_threshold_hours)


def compute_tranche_hours(invoiced, euros_per_hour, threshold=None, count: str = "all",
                          rounding: str = "down", clause_threshold_hours=None) -> HoursResult:
    """Compute one insertion hour per N € invoiced, optionally above a trigger threshold.

    Below the threshold no hour is due. Once it is reached (invoiced ≥ threshold) the reading
    decides what counts: ``all`` every euro invoiced, ``excess`` only the euros above the
    threshold. By default only complete tranches count (rounding ``down``).
    """
    check_rounding(rounding)
    if count not in COUNT_READINGS:
        raise HoursInputError(f"Lecture du seuil inconnue « {count} » (choix possibles : all, excess).")
    invoiced = to_positive(invoiced, "le montant facturé")
    euros_per_hour = to_positive(euros_per_hour, "le montant par heure", allow_zero=False)
    details = {
        "formule": "montant facturé retenu ÷ montant par heure",
        "montant_facture_eur": plain_decimal(invoiced),
        "euros_par_heure_eur": plain_decimal(euros_per_hour),
    }
    if threshold is None:
        counted = invoiced
        details["lecture"] = "aucun seuil de déclenchement : tout le montant facturé compte"
    else:
        threshold = to_positive(threshold, "le seuil de déclenchement")
        details["seuil_declenchement_eur"] = plain_decimal(threshold)
        details["lecture"] = COUNT_READINGS[count]
        if invoiced < threshold:
            counted = Decimal(0)
            details["explication"] = (
                "Montant facturé inférieur au seuil de déclenchement : aucune heure n'est due."
            )
        else:
            counted = invoiced if count == "all" else invoiced - threshold
    details["montant_retenu_eur"] = plain_decimal(counted)
    with localcontext() as ctx:
        ctx.prec = 28
        exact = counted / euros_per_hour
    return finish_result(exact, "tranche", details, [], rounding, clause_threshold_hours)


def compute_cleaning_hours(revenue, months, transferred_hours_per_month, rate,
                           coefficient=Decimal(25), floor_hours=Decimal(150),
                           rounding: str = "nearest") -> HoursResult:
    """Compute cleaning-sector hours (PACT Propreté) net of the staff taken over.

    Labour hours = revenue excl. VAT over the whole duration ÷ coefficient (25: 80 % of
    labour paid 20 €/h). The hours of staff taken over from the previous contractor
    (hours per month × months) are deducted; the insertion rate applies to what remains.
    Never negative; under the floor (150 h) the clause is not recommended (inserpropre.fr).
    """
    check_rounding(rounding)
    revenue = to_positive(revenue, "le chiffre d'affaires HT")
    months = to_positive(months, "la durée en mois", allow_zero=False)
    transferred = to_positive(transferred_hours_per_month, "les heures reprises par mois")
    rate = to_positive(rate, "le taux d'insertion")
    coefficient = to_positive(coefficient, "le coefficient", allow_zero=False)
    floor_hours = to_positive(floor_hours, "le seuil de recommandation")
    warnings: list[str] = []
    _percent_warnings(None, rate, warnings)
    with localcontext() as ctx:
        ctx.prec = 28
        labour_hours = revenue / coefficient
        transferred_total = transferred * months
        remaining = labour_hours - transferred_total
        exact = max(remaining, Decimal(0)) * rate / HUNDRED
    details = {
        "formule": "(chiffre d'affaires HT ÷ coefficient − heures reprises × mois) × taux d'insertion",
        "chiffre_affaires_eur": plain_decimal(revenue),
        "duree_mois": plain_decimal(months),
        "coefficient": plain_decimal(coefficient),
        "explication_coefficient": (
            f"1 heure de main-d'œuvre pour {plain_decimal(coefficient)} € HT de chiffre d'affaires"
            + (" (80 % de main-d'œuvre à 20 €/h, PACT Propreté)" if coefficient == 25 else "")
        ),
        "heures_main_oeuvre_h": plain_decimal(labour_hours),
        "heures_reprises_par_mois_h": plain_decimal(transferred),
        "heures_reprises_h": plain_decimal(transferred_total),
        "heures_restantes_h": plain_decimal(max(remaining, Decimal(0))),
        "taux_insertion_pct": plain_decimal(rate),
        "seuil_recommandation_h": plain_decimal(floor_hours),
    }
    if remaining < 0:
        warnings.append(
            f"Le personnel repris ({plain_decimal(transferred_total)} h) dépasse la main-d'œuvre "
            f"du marché ({plain_decimal(labour_hours.quantize(Decimal('0.01')))} h) : "
            "aucune heure d'insertion n'est exigible."
        )
    if exact < floor_hours:
        details["recommandation"] = f"clause non recommandée (< {plain_decimal(floor_hours)} h)"
        warnings.append(f"Moins de {plain_decimal(floor_hours)} heures : clause non recommandée "
                        "dans le secteur de la propreté (inserpropre.fr).")
    else:
        details["recommandation"] = "clause recommandée"
    return finish_result(exact, "cleaning", details, warnings, rounding)


def compute_band_hours(amount, bands, clause_threshold_hours=None) -> HoursResult:
    """Read the hours from a table of amount bands (whole euros, cents ignored to pick a band).

    Bands are closed ranges of whole euros, sorted and contiguous (next low = previous
    high + 1); the last one may be open-ended. An amount under the first band owes no hour.
    """
    amount = to_positive(amount, "le montant HT")
    table = validate_bands(bands)
    euros = int(amount.to_integral_value(rounding=ROUND_FLOOR))
    details = {
        "formule": "barème d'heures par tranche de montant",
        "montant_ht_eur": plain_decimal(amount),
        "bareme": ", ".join(band.label for band in table),
    }
    warnings: list[str] = []
    if any(later.hours < earlier.hours for earlier, later in zip(table, table[1:])):
        warnings.append("Le barème attribue moins d'heures à une tranche plus élevée : vérifier la saisie.")
    if euros < table[0].low:
        details["tranche_retenue"] = "aucune (montant sous la première tranche)"
        return finish_result(Decimal(0), "bands", details, warnings, "nearest", clause_threshold_hours)
    for band in table:
        if band.high is None or euros <= band.high:
            details["tranche_retenue"] = band.label
            return finish_result(Decimal(band.hours), "bands", details, warnings, "nearest",
                           clause_threshold_hours)
    raise HoursInputError(
        f"Le montant {plain_decimal(amount)} € dépasse la dernière tranche du barème "
        f"({table[-1].label}) : ajoutez une tranche ouverte, par exemple « {table[-1].high + 1}-:… »."
    )


@dataclass(frozen=True)
class YearHours:
    """Hours of one year of a multi-year framework agreement."""

    year: int
    minimum: HoursResult | None
    maximum: HoursResult


@dataclass(frozen=True)
class FrameworkHoursResult:
    """Hours of an accord-cadre on its minimum and maximum amounts, and per year."""

    minimum: HoursResult | None
    maximum: HoursResult
    years: tuple[YearHours, ...]
    warnings: tuple[str, ...] = ()

    @property
    def total_min_hours(self) -> int:
        """Return the sum of the yearly minimum hours (or the minimum when not split)."""
        if not self.years:
            return self.minimum.hours if self.minimum else 0
        return sum(y.minimum.hours for y in self.years if y.minimum)

    @property
    def total_max_hours(self) -> int:
        """Return the sum of the yearly maximum hours (or the maximum when not split)."""
        return sum(y.maximum.hours for y in self.years) if self.years else self.maximum.hours


def compute_framework_hours(min_amount, max_amount, labour_share, rate, hourly_cost,
                            years: int = 1, yearly_amounts=None,
                            rounding: str = "nearest") -> FrameworkHoursResult:
    """Compute an accord-cadre's hours on its minimum and maximum, split per year when multi-year.

    The maximum is split equally over ``years``, or as ``yearly_amounts`` when given; the
    minimum (if any) follows the same shares. Totals add the rounded yearly hours.
    """
    maximum = compute_standard_hours(max_amount, labour_share, rate, hourly_cost, rounding)
    minimum = None
    if min_amount is not None:
        minimum = compute_standard_hours(min_amount, labour_share, rate, hourly_cost, rounding)
        if minimum.hours_exact > maximum.hours_exact:
            raise HoursInputError("Le montant minimum de l'accord-cadre dépasse son montant maximum.")
    max_total = to_number(max_amount, "le montant maximum")
    warnings: list[str] = []
    if yearly_amounts:
        amounts = [to_positive(a, f"le montant de l'année {i}") for i, a in enumerate(yearly_amounts, 1)]
        if sum(amounts) != max_total:
            warnings.append(f"La somme des montants annuels ({plain_decimal(sum(amounts))} €) "
                            f"diffère du montant maximum ({plain_decimal(max_total)} €).")
    elif years > 1:
        amounts = [max_total / years] * years
    else:
        return FrameworkHoursResult(minimum, maximum, (), tuple(warnings))
    total = sum(amounts) or Decimal(1)
    split = tuple(
        YearHours(
            year=index,
            minimum=None if min_amount is None else compute_standard_hours(
                to_number(min_amount, "le montant minimum") * share / total,
                labour_share, rate, hourly_cost, rounding),
            maximum=compute_standard_hours(share, labour_share, rate, hourly_cost, rounding),
        )
        for index, share in enumerate(amounts, 1)
    )
    result = FrameworkHoursResult(minimum, maximum, split, tuple(warnings))
    if result.total_max_hours != maximum.hours:
        warnings.append(f"La somme des heures annuelles arrondies ({result.total_max_hours} h) "
                        f"diffère des heures calculées sur le maximum ({maximum.hours} h).")
    return FrameworkHoursResult(minimum, maximum, split, tuple(warnings))
