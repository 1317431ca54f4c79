"""``clausier hours``: the four documented commands, their JSON shape and French errors."""

import json

import pytest
from click.testing import CliRunner

from app.cli.hours import hours

BANDS = "0-99999:150,100000-199999:300,200000-399999:450,400000-:900"
EXAMPLES = [
    (["standard", "--amount", "1000000", "--labour-share", "50", "--rate", "5", "--hourly-cost", "30"],
     833, "standard"),
    (["tranche", "--invoiced", "2702000", "--euros-per-hour", "2000", "--threshold", "2700000"], 1351, "tranche"),
    (["tranche", "--invoiced", "2702000", "--euros-per-hour", "2000", "--threshold", "2700000",
      "--count", "excess"], 1, "tranche"),
    (["cleaning", "--revenue", "600000", "--months", "36", "--transferred-hours-per-month", "500",
      "--rate", "5"], 300, "cleaning"),
    (["bands", "--amount", "150000", "--bands", BANDS], 300, "bands"),
]


def run(*args):
    return CliRunner().invoke(hours, list(args))


@pytest.mark.parametrize(("args", "expected", "method"), EXAMPLES)
def test_hours_cli_example_json_has_exact_shape(args, expected, method):
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["hours", "hours_exact", "method", "details", "warnings"]
    assert data["hours"] == expected and data["method"] == method
    assert isinstance(data["hours_exact"], str) and isinstance(data["warnings"], list)
    assert all(isinstance(value, str) for value in data["details"].values())


def test_hours_cli_standard_json_carries_exact_value_and_fte():
    data = json.loads(run(*EXAMPLES[0][0], "--json").stdout)
    assert data["hours_exact"].startswith("833.33")
    assert data["details"]["etp"] == "0.52"


@pytest.mark.parametrize(("args", "expected", "method"), EXAMPLES)
def test_hours_cli_example_summary_is_french(args, expected, method):
    result = run(*args)
    assert result.exit_code == 0
    assert result.stdout.startswith("Heures d'insertion : ")
    assert "Méthode : " in result.stdout


def test_hours_cli_summary_formats_figures_the_french_way():
    output = run(*EXAMPLES[0][0]).stdout
    assert "Heures d'insertion : 833\u00a0heures (soit 0,52\u00a0ETP)" in output
    assert "Montant HT : 1\u202f000\u202f000,00\u00a0€" in output


def test_hours_cli_tranche_prints_reading_chosen():
    output = run(*EXAMPLES[2][0]).stdout
    assert "seuls les euros facturés au-delà du seuil comptent" in output


def test_hours_cli_french_typed_amounts_are_accepted():
    result = run("standard", "--amount", "1 000 000", "--labour-share", "50", "--rate", "5",
                 "--hourly-cost", "30", "--json")
    assert json.loads(result.stdout)["hours"] == 833
    result = run("standard", "--amount", "1000000,50", "--labour-share", "50", "--rate", "5",
                 "--hourly-cost", "30", "--json")
    assert json.loads(result.stdout)["details"]["montant_ht_eur"] == "1000000.5"


def test_hours_cli_rounding_option_applies():
    result = run(*EXAMPLES[0][0], "--rounding", "up", "--json")
    assert json.loads(result.stdout)["hours"] == 834


def test_hours_cli_cleaning_excess_staff_warns_in_json():
    result = run("cleaning", "--revenue", "600000", "--months", "36", "--transferred-hours-per-month", "800",
                 "--rate", "5", "--json")
    data = json.loads(result.stdout)
    assert data["hours"] == 0
    assert any("dépasse la main-d'œuvre" in warning for warning in data["warnings"])


@pytest.mark.parametrize(("args", "message"), [
    (["standard", "--amount", "abc", "--labour-share", "50", "--rate", "5", "--hourly-cost", "30"],
     "n'est pas un nombre"),
    (["standard", "--amount", "-5", "--labour-share", "50", "--rate", "5", "--hourly-cost", "30"],
     "doit être positif ou nul"),
    (["standard", "--amount", "1000", "--labour-share", "50", "--rate", "5", "--hourly-cost", "0"],
     "strictement positif"),
    (["standard", "--labour-share", "50", "--rate", "5", "--hourly-cost", "30"],
     "option(s) obligatoire(s) manquante(s) : --amount"),
    (["standard", "--amount"], "l'option --amount attend une valeur"),
    (["standard", "--amout", "5"], "option inconnue : --amout"),
    (["bands", "--amount", "150000", "--bands", "0-99999:150,100001-:300"], "Trou dans le barème"),
    (["bands", "--amount", "150000", "--bands", "0-99999:150,90000-:300"], "se chevauchent"),
    (["tranche", "--invoiced", "10", "--euros-per-hour", "2", "--count", "some"], "Lecture du seuil inconnue"),
    (["standard", "--amount", "1", "--labour-share", "1", "--rate", "1", "--hourly-cost", "1",
      "--rounding", "bank"], "Règle d'arrondi inconnue"),
    (["nope"], "commande inconnue « nope »"),
])
def test_hours_cli_bad_input_exits_2_with_french_message(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Erreur : ")
    assert message in result.stderr
    assert "Traceback" not in result.output and "Error:" not in result.output


def test_hours_cli_help_is_french():
    result = run("standard", "--help")
    assert result.exit_code == 0
    assert "Utilisation : hours standard" in result.stdout
    assert "Afficher cette aide et quitter." in result.stdout
