"""``clausier dossier build``: write an FSE+ operation's justification ZIP from the database.

Exit codes: 0 written; 1 the build failed; 2 bad input (year, organisation, operation, output
path), nothing written. Without ``--organisation`` the only organisation is used, else the demo
one. Without ``--operation`` the organisation's single FSE+ operation starting in the year is used
(else the single one running during it), or, when it has none, every tender of the year without targets.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.cli.french import CliError, CliInputError, FrenchGroup, require_options
from app.db import db
from app.models import FseOperation, Organisation

# The report stack (openpyxl, matplotlib, fpdf, docxtpl) loads only when a dossier is built,
# so that other ``clausier`` commands start fast.


@click.group(name="dossier", cls=FrenchGroup,
             help="Dossier de justification FSE+ : bilan, marchés clausés, tableau d'impact, conventions, "
                  "émargements, indicateurs et sommaire.")
def dossier() -> None:
    """Group the FSE+ dossier commands."""


def _positive_int(ctx: click.Context, name: str, raw: str | None) -> int | None:
    if raw is None:
        return None
    text = raw.strip()
    if not text.isdigit():
        raise CliInputError(f"--{name} attend un nombre entier, pas « {raw} ».", ctx.command_path)
    return int(text)


def _organisation_id(ctx: click.Context, session, wanted: int | None) -> int:
    from app.services.demo.seed import DEMO_ORGANISATION

    if wanted is not None:
        if session.get(Organisation, wanted) is None:
            raise CliInputError(f"aucune organisation n'a l'identifiant {wanted}.", ctx.command_path)
        return wanted
    rows = session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.id)).all()
    if not rows:
        raise CliInputError("la base ne contient aucune organisation (lancez d'abord « clausier seed-demo »).",
                            ctx.command_path)
    if len(rows) == 1:
        return rows[0].id
    demo = [row.id for row in rows if row.name == DEMO_ORGANISATION]
    if demo:
        return demo[0]
    listed = ", ".join(f"{row.id} ({row.name})" for row in rows)
    raise CliInputError(f"plusieurs organisations : précisez --organisation parmi {listed}.", ctx.command_path)


def _spec(ctx: click.Context, session, organisation_id: int, year: int, operation_id: int | None):
    from app.services.reports.fse_operations import default_spec, spec_for

    query = select(FseOperation).where(FseOperation.organisation_id == organisation_id)
    if operation_id is not None:
        operation = session.scalar(query.where(FseOperation.id == operation_id))
        if operation is None:
            raise CliInputError(f"l'organisation {organisation_id} n'a pas d'opération FSE+ {operation_id}.",
                                ctx.command_path)
        if not operation.starts_on.year <= year <= operation.ends_on.year:
            raise CliInputError(f"l'opération {operation_id} court {operation.period_label}, pas en {year}.",
                                ctx.command_path)
        return spec_for(operation)
    # The operation of a year is the one starting in it (a September–August operation belongs to
    # its first year); failing that, the one running during it (a two-year operation's second year).
    running = session.scalars(query.where(FseOperation.starts_on <= date(year, 12, 31),
                                          FseOperation.ends_on >= date(year, 1, 1))
                              .order_by(FseOperation.id)).all()
    starting = [op for op in running if op.starts_on.year == year]
    operations = starting or running
    if len(operations) > 1:
        listed = ", ".join(f"{op.id} ({op.title})" for op in operations)
        raise CliInputError(f"plusieurs opérations FSE+ en {year} : précisez --operation parmi {listed}.",
                            ctx.command_path)
    return spec_for(operations[0]) if operations else default_spec(session, organisation_id, year)


@dossier.command("build", short_help="Constituer le dossier FSE+ d'une année dans un fichier ZIP.",
                 help="Constituer le dossier de justification FSE+ d'une année (ZIP) avec les données du jour.")
@click.option("--year", "year_text", metavar="AAAA", help="Année de l'opération (obligatoire).")
@click.option("--organisation", "organisation_text", metavar="ID",
              help="Identifiant de l'organisation (par défaut : la seule, ou celle de la démo).")
@click.option("--operation", "operation_text", metavar="ID",
              help="Identifiant de l'opération FSE+ (par défaut : celle qui commence dans l'année, sinon celle qui la couvre).")
@click.option("--out", "out_path", metavar="FICHIER.zip", help="Fichier ZIP à écrire (obligatoire).")
@click.option("--pdf/--sans-pdf", "with_pdf", default=True, show_default=True,
              help="Joindre le bilan et la liste des marchés en PDF (LibreOffice pour le bilan).")
@click.pass_context
@with_appcontext
def build(ctx: click.Context, year_text: str | None, organisation_text: str | None, operation_text: str | None,
          out_path: str | None, with_pdf: bool) -> None:
    """Write the dossier ZIP of an FSE+ operation."""
    from app.services.reports.dossiers import write_dossier
    from app.services.jobs import JobFailure

    require_options(ctx, year=year_text, out=out_path)
    year = _positive_int(ctx, "year", year_text)
    if not 2000 <= year <= 2100:
        raise CliInputError(f"année {year} hors de la plage 2000–2100.", ctx.command_path)
    out = Path(out_path)
    if out.is_dir():
        raise CliInputError(f"{out} est un dossier : indiquez un nom de fichier, par exemple {out / 'dossier.zip'}.",
                            ctx.command_path)
    if not out.parent.is_dir():
        raise CliInputError(f"le dossier {out.parent} n'existe pas.", ctx.command_path)
    with db.session_scope() as session:
        organisation_id = _organisation_id(ctx, session, _positive_int(ctx, "organisation", organisation_text))
        spec = _spec(ctx, session, organisation_id, year, _positive_int(ctx, "operation", operation_text))
    data_as_of = date.today()
    # Written beside the target then renamed: a failed build never leaves half a ZIP behind.
    handle, temporary = tempfile.mkstemp(prefix=".dossier-", suffix=".zip", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            result = write_dossier(spec, stream, data_as_of=data_as_of, with_pdf=with_pdf,
                                   progress=lambda pct, message: click.echo(f"{pct:3d} % {message}", err=True))
        os.replace(temporary, out)
    except JobFailure as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"impossible d'écrire {out} ({exc.strerror}).") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    if result.note:
        click.echo(f"Attention : {result.note}", err=True)
    click.echo(f"Dossier écrit : {out} — « {spec.title} », {result.pieces} pièce(s) et le sommaire, "
               f"données au {data_as_of:%d/%m/%Y}.")
