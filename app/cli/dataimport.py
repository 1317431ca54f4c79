"""``clausier import KIND FILE``: bring an organisation's existing records in from a spreadsheet.

Exit codes: 0 the file was imported (or, with ``--dry-run``, would be, without error); 1 some
lines have errors, so nothing was written (all or nothing); 2 the input cannot be used (file,
kind, profile, a required column missing), with a French message. ``--organisation`` works as
for ``clausier decp import``. ``--map kind:EITI=ETTI`` says what another tool's code means (as
often as needed); ``--save-profile NOM`` keeps the columns and codes used, so the next file of the
same tool is read with ``--profile NOM`` (or found again by its header line).
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
from app.domain.dataimport import ACTION_LABELS, KINDS
from app.domain.formats import format_count

EXIT_ERRORS = 1
# The kinds the help lists are the catalogue's: a new kind appears there without touching the CLI.
KIND_NAMES = ", ".join(KINDS)


@click.command(name="import",
               help=f"Importe des données existantes d'un tableur (XLSX, XLS, ODS, CSV) ; KIND parmi {KIND_NAMES}.")
@click.argument("kind_name", metavar="KIND")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--profile", "profile_name", metavar="NOM", help="Lire le fichier avec ce profil d'import enregistré.")
@click.option("--dry-run", is_flag=True, help="Montrer ce qui serait créé et mis à jour, sans rien enregistrer.")
@click.option("--json", "as_json", is_flag=True, help="Affiche le compte rendu en JSON.")
@click.option("--organisation", "organisation_raw", metavar="ID", help="Organisation qui importe (si la base en a plusieurs).")
@click.option("--map", "value_options", metavar="CHAMP:VALEUR=CODE", multiple=True,
              help="Ce que veut dire une valeur du fichier, par exemple « kind:EITI=ETTI » (répétable).")
@click.option("--save-profile", "save_as", metavar="NOM",
              help="Enregistrer les colonnes et correspondances utilisées sous ce nom (pas avec --dry-run).")
@click.pass_context
@with_appcontext
def import_command(ctx: click.Context, kind_name: str, path: Path, profile_name: str | None, dry_run: bool,
                   as_json: bool, organisation_raw: str | None, value_options: tuple[str, ...],
                   save_as: str | None) -> None:
    """Import a spreadsheet of one kind, every line or none."""
    from app.access import Scope
    from app.services.dataimport import ImportRefused, apply_plan, kind_named, plan_import, read_import
    from app.services.dataimport.profiles import save_profile
    from app.services.referential import ServiceError

    if save_as and dry_run:
        raise CliInputError("--save-profile enregistre un profil : il ne va pas avec --dry-run.", ctx.command_path)
    try:
        kind = kind_named(kind_name)
        extra_maps = _value_options(kind, value_options)
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
        # The profile's correspondences, then --map's over them.
        value_maps = {role: dict(values) for role, values in read.value_maps.items()}
        for role, values in extra_maps.items():
            value_maps.setdefault(role, {}).update(values)
        plan = plan_import(session, scope, kind, read.rows, read.mapping, value_maps)
        if save_as:
            try:
                save_profile(session, scope, kind.name, save_as, read.mapping, value_maps,
                             read.rows[read.mapping.header_row])
                session.commit()
            except ServiceError as exc:
                raise CliInputError(str(exc), ctx.command_path) from None
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


def _value_options(kind, options: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """Read the ``--map CHAMP:VALEUR=CODE`` options into value maps, or refuse one in French."""
    from app.services.referential import ServiceError

    maps: dict[str, dict[str, str]] = {}
    coded = {field.role: field for field in kind.fields if field.coded}
    for option in options:
        role, _, rest = option.partition(":")
        value, _, code = rest.rpartition("=")
        field = coded.get(role.strip())
        if field is None or not value.strip() or not code.strip():
            raise ServiceError(f"--map « {option} » : écrivez CHAMP:VALEUR=CODE, CHAMP parmi "
                               f"{', '.join(sorted(coded)) or '(aucun champ codé)'}.")
        codes = {member.value for member in field.enum}
        if code.strip() not in codes:
            raise ServiceError(f"--map « {option} » : « {code.strip()} » n'est pas un code de « {field.label} » "
                               f"(codes : {', '.join(sorted(codes))}).")
        maps.setdefault(field.role, {})[value.strip()] = code.strip()
    return maps


def _print(plan, filename: str, dry_run: bool, as_json: bool) -> None:
    report = plan.report(filename)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    future = dry_run or plan.has_errors
    created = format_count(report["created"], "fiche créée" if not future else "fiche à créer",
                           "fiches créées" if not future else "fiches à créer")
    updated = format_count(report["updated"], "mise à jour" if not future else "mise à jour à faire",
                           "mises à jour" if not future else "mises à jour à faire")
    click.echo(f"{plan.kind.label} — {filename} : {created}, {updated}, "
               f"{format_count(report['unchanged'], 'ligne ignorée', 'lignes ignorées')}, "
               f"{format_count(report['errors'], 'ligne en erreur', 'lignes en erreur')}.")
    for row in report["rows"]:
        if row["action"] == "skip" and row["reasons"] in (["ligne vide"], ["identique"]):
            continue
        changes = "".join(f"\n    {plan.kind.field(role).label} : « {old or ''} » → « {new} »"
                          for role, (old, new) in row["changes"].items())
        reasons = " ; ".join(row["reasons"])
        click.echo(f"- ligne {row['row']} ({ACTION_LABELS[row['action']]}) {row['key']}"
                   f"{' : ' + reasons if reasons else ''}{changes}")
    for role, values in plan.unknown.items():
        click.echo(f"Valeurs inconnues de « {plan.kind.field(role).label} » à faire correspondre : "
                   + ", ".join(f"« {value} »" for value in values)
                   + f" (par exemple --map {role}:{values[0]}=CODE, CODE parmi "
                   + ", ".join(member.value for member in plan.kind.field(role).enum) + ")")
    if plan.has_errors:
        click.echo("Des lignes sont en erreur : rien n'a été enregistré. Corrigez le fichier puis relancez.")
    else:
        click.echo("Simulation : rien n'a été enregistré." if dry_run else "Import enregistré.")


@click.command(name="export",
               help=f"Exporte les fiches d'un type en XLSX, dans la disposition de l'import ; KIND parmi {KIND_NAMES}.")
@click.argument("kind_name", metavar="KIND")
@click.argument("path", metavar="FICHIER", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--organisation", "organisation_raw", metavar="ID", help="Organisation qui exporte (si la base en a plusieurs).")
@click.pass_context
@with_appcontext
def export_command(ctx: click.Context, kind_name: str, path: Path, organisation_raw: str | None) -> None:
    """Export one kind's records in the layout its import reads."""
    from app.access import Scope
    from app.services.dataimport import kind_named
    from app.services.dataimport.export import export_rows
    from app.services.referential import ServiceError

    try:
        kind = kind_named(kind_name)
    except ServiceError as exc:
        raise CliInputError(str(exc), ctx.command_path) from None
    session = db.session()
    try:
        data = export_rows(session, Scope(organisation_id=_organisation(ctx, session, organisation_raw)), kind)
        session.commit()  # the export's audit event
    finally:
        session.close()
    try:
        path.write_bytes(data)
    except OSError:
        raise CliInputError(f"impossible d'écrire « {path} ».", ctx.command_path) from None
    click.echo(f"{kind.label} : fichier écrit dans {path} ; il se réimporte tel quel avec "
               f"« clausier import {kind.name} {path} ».")
