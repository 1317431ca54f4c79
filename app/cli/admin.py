"""Commands that touch the database: migrations, demo data and accounts."""

import sys

import click
from flask.cli import with_appcontext

from app.cli.decp import decp as decp_group
from app.cli.dossier import dossier as dossier_group
from app.db import db, refresh_statistics
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
    from app.services.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_exists, seed_demo

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
    refresh_statistics(db.engine)
    click.echo(
        f"Démo chargée : {summary.tenders} marchés, {summary.lots} lots, {summary.participants} participants, "
        f"{summary.placements} mises en situation, {summary.hour_records} relevés mensuels ({summary.hours} heures)."
    )
    _print_logins(DEMO_ACCOUNTS, DEMO_PASSWORD)


def _print_logins(accounts, password: str) -> None:
    from app.services.demo.seed import DEMO_API_TOKENS

    click.echo("Comptes de démonstration (mot de passe : %s) :" % password)
    for role, email in accounts.items():
        click.echo(f"  {role.label:<40} {email}")
    click.echo("Jetons d'API de démonstration (Authorization: Bearer …) :")
    click.echo(f"  {'organisation (lecture, indicateurs, heures)':<40} {DEMO_API_TOKENS['organisation']}")
    click.echo(f"  {'ETTI (lecture, envoi des heures)':<40} {DEMO_API_TOKENS['siae']}")


ADMIN_COMMANDS = (db_group, seed_demo_command)


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Montrer ce qui serait supprimé, sans rien modifier.")
@click.option("--months", type=click.IntRange(1, 240), default=None,
              help="Durée de conservation après la dernière activité (défaut : 24 mois).")
@with_appcontext
def purge_command(dry_run: bool, months: int | None) -> None:
    """Anonymise participants inactive for 2 years and delete audit events older than 12 months."""
    from app.services.audit import purge_audit
    from app.services.retention import DEFAULT_RETENTION_MONTHS, purge_personal_data

    session = db.session()
    try:
        report = purge_personal_data(session, retention_months=months or DEFAULT_RETENTION_MONTHS)
        removed = purge_audit(session)
        if dry_run:
            session.rollback()
            click.echo("Simulation (rien n'a été modifié) : " + report.summary()
                       + f" {removed} événement(s) d'audit seraient supprimés.")
        else:
            session.commit()
            click.echo(report.summary() + f" {removed} événement(s) d'audit supprimé(s).")
    finally:
        session.close()


@click.group(name="jobs")
def jobs_group() -> None:
    """Tâches de fond."""


@jobs_group.command("reconcile")
@with_appcontext
def jobs_reconcile() -> None:
    """Re-queue or fail the jobs stuck « en cours »."""
    from workers.maintenance import reconcile_jobs

    requeued, failed = reconcile_jobs()
    click.echo(f"{requeued} tâche(s) relancée(s), {failed} marquée(s) en échec.")


ADMIN_COMMANDS = (*ADMIN_COMMANDS, purge_command, jobs_group, dossier_group, decp_group)
