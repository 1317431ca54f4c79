"""``clausier hours duplicates``: find hour records counted twice, report them, and on request resolve.

A month of a placement counted from two declarations (the lending SIAE and the company) is a
duplicate. Without ``--resolve`` the command only reports (exit 0, or 3 when duplicates were
found so that scripts notice). ``--resolve`` keeps the declarant of record's figure counted, or
the record given with ``--keep``, and marks the others not counted with a note: nothing is
deleted. Exit 2 on bad input.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.cli.dossier import _organisation_id, _positive_int
from app.cli.french import CliError, CliInputError
from app.db import db

FOUND = 3


@click.command(name="duplicates", help="Trouver les heures comptées deux fois (relevé de la SIAE et de "
                                        "l'entreprise pour le même mois) et, avec --resolve, n'en compter qu'un.")
@click.option("--organisation", "organisation_text", metavar="ID", help="Organisation (défaut : la seule, ou la démo).")
@click.option("--resolve", is_flag=True, help="Ne compter qu'un relevé par doublon (rien n'est supprimé).")
@click.option("--keep", "keep_texts", metavar="RELEVÉ", multiple=True,
              help="Numéro du relevé à garder compté (sinon celui du déclarant de référence) ; répétable.")
@click.option("--by", "who", default="commande clausier hours duplicates", help="Qui résout (gardé dans la note).")
@click.pass_context
@with_appcontext
def duplicates(ctx: click.Context, organisation_text: str | None, resolve: bool, keep_texts: tuple[str, ...],
               who: str) -> None:
    """Report (and resolve) the placement-months counted from several declarations."""
    from app.services import declarations
    from app.services.referential import ServiceError

    keep = {_positive_int(ctx, "keep", text) for text in keep_texts}
    with db.session_scope() as session:
        organisation_id = _organisation_id(ctx, session, _positive_int(ctx, "organisation", organisation_text))
        found = declarations.find_duplicates(session, organisation_id)
        if not found:
            click.echo("Aucune heure comptée deux fois.")
            return
        for item in found:
            records = " ; ".join(f"relevé n° {r.record_id} : {r.label}" for r in item.records)
            click.echo(f"{item.participant}, {item.month_on:%m/%Y} (déclarant de référence : "
                       f"{item.declarant_of_record or 'inconnu'}) — {records}")
        if not resolve:
            click.echo(f"{len(found)} doublon(s). Relancez avec --resolve pour n'en compter qu'un.")
            ctx.exit(FOUND)
        unknown = keep - {r.record_id for item in found for r in item.records}
        if unknown:
            raise CliInputError(f"--keep : relevé(s) {', '.join(map(str, sorted(unknown)))} hors des doublons.",
                                ctx.command_path)
        try:
            for item in found:
                wanted = next((r.record_id for r in item.records if r.record_id in keep), None)
                kept = declarations.resolve_duplicate(session, item, wanted, who)
                click.echo(f"{item.participant}, {item.month_on:%m/%Y} : relevé n° {kept.record_id} retenu "
                           f"({kept.label}).")
        except ServiceError as exc:
            raise CliError(f"{exc} Rien n'a été modifié.") from None
    click.echo(f"{len(found)} doublon(s) résolu(s) ; les autres relevés sont gardés, non comptés.")
