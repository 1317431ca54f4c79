"""``clausier hours``: compute the insertion hours of a lot, without the application or database.

Options are read as text and parsed the French way (« 1 000 000 », « 1000000,50 »);
percentages are given in percent. Bad input exits with code 2 and a French message.
"""

from __future__ import annotations

import json

import click

from app.cli.french import CliInputError, FrenchGroup, require_options
from app.domain.clauses.texts import DETAIL_LABELS, METHOD_LABELS, RESULT_KEYS, format_detail
from app.domain.clauses.hours import (
    HoursResult,
    compute_band_hours,
    compute_cleaning_hours,
    compute_standard_hours,
    compute_tranche_hours,
    parse_bands,
)
from app.domain.numbers import parse_decimal_fr

ROUNDING_HELP = "Arrondi : nearest (au plus proche, défaut), down (inférieur) ou up (supérieur)."


def value_option(name: str, metavar: str, help: str, **kwargs):
    """Declare an option read as text (French numbers), with a French placeholder."""
    return click.option(name, metavar=metavar, help=help, **kwargs)


def json_option(function):
    """Add the ``--json`` flag shared by every hours command."""
    return click.option("--json", "as_json", is_flag=True, help="Écrire le résultat en JSON "
                        "(hours, hours_exact, method, details, warnings).")(function)


@click.group(name="hours", cls=FrenchGroup,
             help="Calculer le nombre d'heures d'insertion d'un lot (sans base de données).")
def hours() -> None:
    """Group the hours calculators."""


def _number(ctx: click.Context, text: str | None, label: str):
    if text is None:
        return None
    try:
        return parse_decimal_fr(text, label=label)
    except ValueError as exc:
        raise CliInputError(str(exc), ctx.command_path) from None


def _emit(ctx: click.Context, compute, as_json: bool) -> None:
    """Run ``compute`` and print its HoursResult, turning domain errors into exit code 2."""
    try:
        result: HoursResult = compute()
    except ValueError as exc:
        raise CliInputError(str(exc), ctx.command_path) from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    details = result.details
    click.echo(f"Heures d'insertion : {format_detail('x_h', str(result.hours))} "
               f"(soit {format_detail('etp', details['etp'])})")
    click.echo(f"Résultat non arrondi : {format_detail('x_h', details['heures_exactes_h'])}, "
               f"arrondi {details['arrondi']}")
    click.echo(f"Méthode : {METHOD_LABELS[result.method]}")
    click.echo(f"Formule : {details['formule']}")
    for key, value in details.items():
        if key not in RESULT_KEYS:
            click.echo(f"  {DETAIL_LABELS.get(key, key)} : {format_detail(key, value)}")
    for warning in result.warnings:
        click.echo(f"Attention : {warning}")


@hours.command("standard", short_help="Formule standard (montant × main-d'œuvre × taux ÷ coût).",
               help="Formule standard : montant HT × part de main-d'œuvre × taux d'insertion "
                    "÷ coût horaire.")
@value_option("--amount", "EUROS", "Montant HT du lot, en euros (obligatoire).")
@value_option("--labour-share", "POURCENT", "Part de main-d'œuvre, en % (obligatoire).")
@value_option("--rate", "POURCENT", "Taux d'insertion, en % de la main-d'œuvre (obligatoire).")
@value_option("--hourly-cost", "EUROS", "Coût horaire chargé, en euros (obligatoire).")
@value_option("--rounding", "ARRONDI", ROUNDING_HELP, default="nearest")
@value_option("--clause-threshold-hours", "HEURES", "Seuil sous lequel une clause est déconseillée.")
@json_option
@click.pass_context
def standard(ctx, amount, labour_share, rate, hourly_cost, rounding, clause_threshold_hours, as_json):
    """Compute hours with the standard formula."""
    require_options(ctx, amount=amount, labour_share=labour_share, rate=rate, hourly_cost=hourly_cost)
    values = (_number(ctx, amount, "le montant HT"),
              _number(ctx, labour_share, "la part de main-d'œuvre"),
              _number(ctx, rate, "le taux d'insertion"),
              _number(ctx, hourly_cost, "le coût horaire"))
    threshold = _number(ctx, clause_threshold_hours, "le seuil de clause")
    _emit(ctx, lambda: compute_standard_hours(*values, rounding, threshold), as_json)


@hours.command("tranche", short_help="Une heure par tranche de N € facturés.",
               help="Une heure d'insertion par tranche de N € facturés, avec un seuil de "
                    "déclenchement facultatif ; la lecture du seuil est imprimée.")
@value_option("--invoiced", "EUROS", "Montant facturé (ou prévisionnel) HT (obligatoire).")
@value_option("--euros-per-hour", "EUROS", "Montant facturé pour une heure d'insertion (obligatoire).")
@value_option("--threshold", "EUROS", "Seuil de déclenchement, en euros (facultatif).")
@value_option("--count", "LECTURE", "Lecture du seuil : all (tous les euros comptent une fois le "
              "seuil atteint, défaut) ou excess (seuls les euros au-delà du seuil comptent).", default="all")
@value_option("--rounding", "ARRONDI", "Arrondi : down (tranches complètes, défaut), nearest ou up.",
              default="down")
@json_option
@click.pass_context
def tranche(ctx, invoiced, euros_per_hour, threshold, count, rounding, as_json):
    """Compute hours per invoiced tranche."""
    require_options(ctx, invoiced=invoiced, euros_per_hour=euros_per_hour)
    values = (_number(ctx, invoiced, "le montant facturé"),
              _number(ctx, euros_per_hour, "le montant par heure"),
              _number(ctx, threshold, "le seuil de déclenchement"))
    _emit(ctx, lambda: compute_tranche_hours(*values, count, rounding), as_json)


@hours.command("cleaning", short_help="Secteur de la propreté (P.A.C.T. Propreté).",
               help="Secteur de la propreté (P.A.C.T. Propreté) : coefficient 25, déduction du "
                    "personnel repris, clause non recommandée sous 150 heures.")
@value_option("--revenue", "EUROS", "Chiffre d'affaires HT sur toute la durée du marché (obligatoire).")
@value_option("--months", "MOIS", "Durée du marché, en mois (obligatoire).")
@value_option("--transferred-hours-per-month", "HEURES",
              "Heures mensuelles du personnel repris de l'ancien titulaire (défaut : 0).", default="0")
@value_option("--rate", "POURCENT", "Taux d'insertion, en % (obligatoire).")
@value_option("--coefficient", "EUROS", "Euros de chiffre d'affaires pour une heure de main-d'œuvre "
              "(défaut : 25).", default="25")
@value_option("--floor-hours", "HEURES", "Seuil sous lequel la clause n'est pas recommandée "
              "(défaut : 150).", default="150")
@value_option("--rounding", "ARRONDI", ROUNDING_HELP, default="nearest")
@json_option
@click.pass_context
def cleaning(ctx, revenue, months, transferred_hours_per_month, rate, coefficient, floor_hours,
             rounding, as_json):
    """Compute cleaning-sector hours."""
    require_options(ctx, revenue=revenue, months=months, rate=rate)
    values = (_number(ctx, revenue, "le chiffre d'affaires HT"),
              _number(ctx, months, "la durée en mois"),
              _number(ctx, transferred_hours_per_month, "les heures reprises par mois"),
              _number(ctx, rate, "le taux d'insertion"),
              _number(ctx, coefficient, "le coefficient"),
              _number(ctx, floor_hours, "le seuil de recommandation"))
    _emit(ctx, lambda: compute_cleaning_hours(*values, rounding=rounding), as_json)


@hours.command("bands", short_help="Barème d'heures par tranche de montant.",
               help="Barème d'heures par tranche de montant, par exemple "
                    "« 0-99999:150,100000-199999:300,200000-:450 ».")
@value_option("--amount", "EUROS", "Montant HT du lot, en euros (obligatoire).")
@value_option("--bands", "BARÈME", "Tranches « minimum-maximum:heures » en euros entiers, séparées "
              "par des virgules, contiguës ; la dernière peut être ouverte (« 400000-:900 ») "
              "(obligatoire).")
@json_option
@click.pass_context
def bands(ctx, amount, bands, as_json):
    """Compute hours from a table of amount bands."""
    require_options(ctx, amount=amount, bands=bands)
    value = _number(ctx, amount, "le montant HT")
    _emit(ctx, lambda: compute_band_hours(value, parse_bands(bands)), as_json)
