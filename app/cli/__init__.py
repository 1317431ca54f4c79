"""The ``clausier`` command line: one Click group, also reachable as ``flask --app app``."""

import click
from flask.cli import FlaskGroup

from app.cli.clause import clause as clause_group
from app.cli.hours import hours as hours_group
from app.cli.timesheet import timesheet as timesheet_group

# Commands that need no database stay importable without building the app.
PURE_COMMANDS = (hours_group, timesheet_group, clause_group)


def _create_app():
    from app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def cli() -> None:
    """Clausier : clauses sociales d'insertion, relevés d'heures et dossiers FSE+."""


def register_commands(group: click.Group) -> None:
    """Attach every Clausier command to a Click group (ours or ``app.cli``)."""
    from app.cli.admin import ADMIN_COMMANDS
    from app.cli.dataimport import export_command, import_command
    from app.cli.duplicates import duplicates
    from app.cli.mail import MAIL_COMMANDS

    # The only ``hours`` command that needs the database: it repairs hours counted twice.
    hours_group.add_command(duplicates)
    for command in (*PURE_COMMANDS, *ADMIN_COMMANDS, *MAIL_COMMANDS, import_command, export_command):
        group.add_command(command)


register_commands(cli)


def main() -> None:
    """Entry point of the ``clausier`` console script."""
    cli(prog_name="clausier")
