"""``clausier timesheet``: read a monthly timesheet file without touching the database."""

import json
import sys
from pathlib import Path

import click

from app.domain.timesheets import TimesheetError, timesheet_to_dict
from app.domain.timesheets.checks import hours_fr
from app.domain.sheetmap.period import month_label
from app.services.sheet_reading import read_timesheet

EXIT_UNREADABLE = 2


@click.group(name="timesheet")
def timesheet() -> None:
    """Relevés d'heures mensuels (fiches de suivi des SIAE et entreprises)."""


@timesheet.command(name="parse")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Affiche le résultat en JSON.")
@click.option("--period", "period_hint", metavar="AAAA-MM", help="Mois attendu, si le fichier ne le dit pas.")
@click.option("--profile", "profile_name", metavar="NOM",
              help="Lit le fichier avec ce profil de lecture enregistré (lit la base de données).")
def parse(path: Path, as_json: bool, period_hint: str | None, profile_name: str | None) -> None:
    """Lit un relevé d'heures (Excel, LibreOffice, CSV ou PDF) sans rien enregistrer."""
    try:
        data = path.read_bytes()
    except OSError:
        click.echo(f"Erreur : le fichier « {path} » est introuvable ou illisible.", err=True)
        sys.exit(EXIT_UNREADABLE)
    mapping = _saved_mapping(profile_name) if profile_name else None
    try:
        result = read_timesheet(data, path.name, period_hint=period_hint, mapping=mapping)
    except TimesheetError as exc:
        click.echo(f"Erreur : {exc.message_fr}", err=True)
        sys.exit(EXIT_UNREADABLE)
    if as_json:
        click.echo(json.dumps(timesheet_to_dict(result), ensure_ascii=False, indent=2))
        return
    if profile_name:
        click.echo(f"Lu avec le profil de lecture « {profile_name} »")
    month = month_label(result.period) if result.period else "mois non indiqué"
    click.echo(f"Fichier {result.file_kind.upper()} — {month} — {len(result.rows)} ligne(s)")
    width = max([len(row.person) for row in result.rows] + [9])
    click.echo(f"{'Personne':<{width}}  {'Heures':>9}  {'Formation':>9}  Lot")
    for row in result.rows:
        day = f" ({row.day:%d/%m})" if row.day else ""
        flag = "  à vérifier" if row.needs_review else ""
        click.echo(f"{row.person + day:<{width}}  {hours_fr(row.hours):>9}  "
                   f"{hours_fr(row.training_hours):>9}  {row.lot or '-'}{flag}")
    if result.warnings:
        click.echo(f"\n{len(result.warnings)} point(s) à vérifier :")
        for warning in result.warnings:
            click.echo(f"- {warning.message}")


def _saved_mapping(name: str):
    """Return the mapping of a saved profile, its header found again in the file by the parser."""
    # Only this option needs the database: the app is built here, not for every parse.
    from flask.cli import ScriptInfo

    from app.db import db
    from app.services.reading_profiles import find_by_name
    from app.services.referential import ServiceError

    info = click.get_current_context().find_object(ScriptInfo) or ScriptInfo(create_app=_create_app)
    with info.load_app().app_context(), db.session_scope() as session:
        try:
            return find_by_name(session, name).mapping
        except ServiceError as exc:
            click.echo(f"Erreur : {exc}", err=True)
            sys.exit(EXIT_UNREADABLE)


def _create_app():
    from app import create_app

    return create_app()
