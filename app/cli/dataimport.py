"""``clausier import KIND FILE``: bring an organisation's existing records in from a spreadsheet.

Exit codes: 0 the file was imported (or, with ``--dry-run``, would be, without error); 1 some
lines have errors, so nothing was written (all or nothing); 2 the input cannot be used (file,
kind, profile, a required column missing), with a French message. ``--organisation`` works as
for ``clausier decp import``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.cli.decp import _organisation
from app.cli.french import CliInputError
from app.db import db
from app.domain.dataimport import ACTION_LABELS

EXIT_ERRORS = 1


@click.command(name="import")
@click.argument("kind_name", metavar="KIND")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--profile", "profile_name", metavar="NOM", help="Lire le fichier avec ce profil d'import enregistré.")
@click.option("--dry-run", is_flag=True, help="Montrer ce qui serait créé et mis à jour, sans rien enregistrer.")
@click.option("--json", "as_json", is_flag=True, help="Affiche le compte rendu en JSON.")
@click.option("--organisation", "organisation_raw", metavar="ID", help="Organisation qui importe (si la base en a plusieurs).")
@click.pass_context
@with_appcontext
def import_command(ctx: click.Context, kind_name: str, path: Path, profile_name: str | None, dry_run: bool,
                   as_json: bool, organisation_raw: str | None) -> None:
    """Importe des données existantes d'un tableur (XLSX, XLS, ODS, CSV) : companies, siae ou buyers."""
    from app.access import Scope
    from app.services.dataimport import ImportRefused, apply_plan, kind_named, plan_import, read_import
    from app.services.referential import ServiceError

    try:
        kind = kind_named(kind_name)
        data = path.read_bytes()
    except ServiceError as exc:
        raise CliInputError(str(exc), ctx.command_path) from None
    except OSError:
        raise CliInputError(f"le fichier « {path} » est introuvable ou illisible.", ctx.command_path) from None
    session = db.session()
    try:
        scope = Scope(organisation_id=_organisation(ctx, session, organisation_raw))
        try:
            read = read_import(session, scope, kind, data, profile_name)
        except ServiceError as exc:
            raise CliInputError(str(exc), ctx.command_path) from None
        plan = plan_import(session, scope, kind, read.rows, read.mapping, read.value_maps)
        if not dry_run and not plan.has_errors:
            try:
                plan = apply_plan(session, scope, plan, path.name)
                session.commit()
            except ImportRefused as exc:  # the records changed between the plan and the write
                plan = exc.plan
        session.rollback()
    finally:
        session.close()
    _print(plan, path.name, dry_run, as_json)
    if plan.has_errors:
        sys.exit(EXIT_ERRORS)


def _print(plan, filename: str, dry_run: bool, as_json: bool) -> None:
    report = plan.report(filename)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    verb = "seraient" if dry_run or plan.has_errors else "ont été"
    click.echo(f"{plan.kind.label} — {filename} : {report['created']} {verb} créé(s), {report['updated']} {verb} "
               f"mis à jour, {report['unchanged']} ligne(s) ignorée(s), {report['errors']} en erreur.")
    for row in report["rows"]:
        if row["action"] == "skip" and row["reasons"] in (["ligne vide"], ["identique"]):
            continue
        changes = "".join(f"\n    {role} : « {old or ''} » → « {new} »" for role, (old, new) in row["changes"].items())
        reasons = " ; ".join(row["reasons"])
        click.echo(f"- ligne {row['row']} ({ACTION_LABELS[row['action']]}) {row['key']}"
                   f"{' : ' + reasons if reasons else ''}{changes}")
    for role, values in plan.unknown.items():
        click.echo(f"Valeurs inconnues de « {plan.kind.field(role).label} » à faire correspondre : "
                   + ", ".join(f"« {value} »" for value in values))
    if plan.has_errors:
        click.echo("Des lignes sont en erreur : rien n'a été enregistré. Corrigez le fichier puis relancez.")
    else:
        click.echo("Simulation : rien n'a été enregistré." if dry_run else "Import enregistré.")
