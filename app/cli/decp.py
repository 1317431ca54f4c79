"""``clausier decp import``: read a DECP file, check it against the database, import it.

Exit codes: 0 the file was read (warnings and flags included); 2 it could not be read, or the
input was wrong (date, organisation), with a French message. Without ``--organisation`` (an
addition to the issue's spelling, needed once a database holds several organisations) the import
goes to the only organisation, else the demo one.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext
from app.cli.dossier import _organisation_id as organisation_id_for
from app.cli.dossier import _positive_int
from app.cli.french import CliInputError, FrenchGroup
from app.db import db, refresh_statistics
from app.domain.decp import DecpError, parse_decp
from app.domain.formats import format_money
from app.services.migrations import is_empty


@click.group(name="decp", cls=FrenchGroup,
             help="Données essentielles de la commande publique : import et contrôles de veille.")
def decp() -> None:
    """Group the DECP commands."""


def _today(ctx: click.Context, raw: str | None) -> date:
    if raw is None:
        return date.today()
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise CliInputError(f"--today attend une date AAAA-MM-JJ, pas « {raw} ».", ctx.command_path) from None


def _organisation(ctx: click.Context, session, raw: str | None) -> int:
    if is_empty(db.engine):
        raise CliInputError("la base n'est pas initialisée (lancez d'abord « clausier db upgrade » "
                            "ou « clausier seed-demo »).", ctx.command_path)
    return organisation_id_for(ctx, session, _positive_int(ctx, "organisation", raw))


@decp.command(name="import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Montrer ce qui serait créé, mis à jour et signalé, sans rien enregistrer.")
@click.option("--json", "as_json", is_flag=True, help="Affiche le compte rendu en JSON.")
@click.option("--today", "today_raw", metavar="AAAA-MM-JJ", help="Date du jour des contrôles (par défaut : aujourd'hui).")
@click.option("--organisation", "organisation_raw", metavar="ID", help="Organisation qui importe (si la base en a plusieurs).")
@click.pass_context
@with_appcontext
def import_command(ctx: click.Context, path: Path, dry_run: bool, as_json: bool, today_raw: str | None,
                   organisation_raw: str | None) -> None:
    """Importe un fichier DECP (JSON 2024, JSON v1 ou CSV consolidé) et signale les marchés à regarder."""
    from app.services.reperage.imports import CREATE, KNOWN, UPDATE, apply_decp_import, plan_decp_import

    today = _today(ctx, today_raw)
    try:
        data = path.read_bytes()
    except OSError:
        raise CliInputError(f"le fichier « {path} » est introuvable ou illisible.", ctx.command_path) from None
    try:
        decp_file = parse_decp(data)
    except DecpError as exc:
        raise CliInputError(exc.message_fr, ctx.command_path) from None
    session = db.session()
    try:
        organisation_id = _organisation(ctx, session, organisation_raw)
        plan = plan_decp_import(session, organisation_id, decp_file, today)
        if dry_run:
            session.rollback()
        else:
            apply_decp_import(session, organisation_id, plan, path.name)
            session.commit()
    finally:
        session.close()
    if not dry_run:
        refresh_statistics(db.engine)  # a bulk load: the planner needs the new sizes
    if as_json:
        click.echo(json.dumps(plan.report(), ensure_ascii=False, indent=2))
        return
    report = plan.report()
    click.echo(f"Fichier DECP {report['format']} — {report['contracts']} marché(s) distinct(s), "
               f"{format_money(decp_file.amount_total)} HT (chaque marché compté une fois)")
    verb = "seraient" if dry_run else "ont été"
    click.echo(f"Marchés : {plan.count(CREATE)} {verb} créés, {plan.count(UPDATE)} {verb} mis à jour, "
               f"{plan.count(KNOWN)} déjà connus.")
    click.echo(f"Acheteurs nouveaux : {len(plan.new_buyers)} ; entreprises nouvelles : {len(plan.new_companies)}.")
    if report["flags"]:
        click.echo(f"\n{len(report['flags'])} marché(s) à regarder :")
        for flag in report["flags"]:
            click.echo(f"- [{flag['code']}] {flag['contract']} : {flag['message']}")
    if report["warnings"]:
        click.echo(f"\n{len(report['warnings'])} point(s) à vérifier dans le fichier :")
        for warning in report["warnings"]:
            click.echo(f"- {warning['message']}")
    click.echo("\nSimulation : rien n'a été enregistré." if dry_run else "\nImport enregistré.")
