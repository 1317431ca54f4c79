"""Commands that touch the database: migrations, demo data and accounts."""

import sys

import click
from flask.cli import with_appcontext

from app.db import db
from app.services.migrations import is_empty, upgrade_database


@click.group(name="db")
def db_group() -> None:
    """Base de données (migrations)."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every migration (Alembic) to the configured database."""
    upgrade_database(db.engine)
    click.echo("Base de données à jour.")


@click.command("seed-demo")
@click.option("--scale", type=click.Choice(["small", "large"]), default="small", show_default=True,
              help="small : un territoire de démonstration ; large : volume pour les mesures de performance.")
@click.option("--if-empty", is_flag=True, help="Ne rien faire si les données de démonstration existent déjà.")
@with_appcontext
def seed_demo_command(scale: str, if_empty: bool) -> None:
    """Load the demo territory and one account per role (migrating an empty database first)."""
    from app.services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_exists, seed_demo

    if is_empty(db.engine):
        click.echo("Base vide : application des migrations…")
    upgrade_database(db.engine)
    with db.session_scope() as session:
        if demo_exists(session):
            if if_empty:
                click.echo("Les données de démonstration sont déjà chargées.")
                _print_logins(DEMO_ACCOUNTS, DEMO_PASSWORD)
                return
            click.echo("Les données de démonstration sont déjà chargées : rien n'a été modifié.", err=True)
            sys.exit(1)
        summary = seed_demo(session, scale=scale)
    click.echo(
        f"Démo chargée : {summary.tenders} marchés, {summary.lots} lots, {summary.participants} participants, "
        f"{summary.placements} mises en situation, {summary.hour_records} relevés mensuels ({summary.hours} heures)."
    )
    _print_logins(DEMO_ACCOUNTS, DEMO_PASSWORD)


def _print_logins(accounts, password: str) -> None:
    click.echo("Comptes de démonstration (mot de passe : %s) :" % password)
    for role, email in accounts.items():
        click.echo(f"  {role.label:<40} {email}")


ADMIN_COMMANDS = (db_group, seed_demo_command)
