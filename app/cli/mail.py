"""``clausier remind``: record the reminders due today, then deliver every mail waiting."""

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from app.db import db


@click.command("remind")
@click.option("--dry-run", is_flag=True, help="Montrer les messages qui partiraient, sans rien enregistrer ni envoyer.")
@click.option("--today", "today_text", metavar="AAAA-MM-JJ", default=None,
              help="Faire comme si l'on était ce jour-là (essais, rattrapage).")
@with_appcontext
def remind_command(dry_run: bool, today_text: str | None) -> None:
    """Send the monthly sheet reminders, link reminders, 6-month follow-ups and the weekly digest."""
    from app.models.base import utcnow
    from app.services.mail import MailSite
    from app.services.mail.delivery import deliver_due_mails, transport_for
    from app.services.mail.reminders import send_reminders

    try:
        today = date.fromisoformat(today_text) if today_text else date.today()
    except ValueError:
        raise click.BadParameter(f"« {today_text} » n'est pas une date AAAA-MM-JJ.", param_hint="--today") from None
    config = current_app.config
    site = MailSite(config["BASE_URL"], config["SECRET_KEY"])
    session = db.session()
    try:
        report = send_reminders(session, site, today=today, now=utcnow())
        lines = report.lines()
        if dry_run:
            session.rollback()
            click.echo(f"Simulation (rien n'a été enregistré ni envoyé) : {len(lines)} message(s) partiraient.")
            for line in lines:
                click.echo(f"  {line}")
            return
        session.commit()
    finally:
        session.close()
    counts = deliver_due_mails(transport_for(config["MAIL_URL"], current_app.instance_path), config["MAIL_FROM"])
    # Counts only: cron keeps this output in a log, which must hold no address and no name.
    click.echo(f"{len(lines)} nouveau(x) message(s) enregistré(s).")
    for line in report.counts():
        click.echo(f"  {line}")
    if counts:
        click.echo("Distribution : " + ", ".join(f"{status.label.lower()} : {count}"
                                                 for status, count in sorted(counts.items())))
    else:
        click.echo("Aucun message en attente d'envoi.")


MAIL_COMMANDS = (remind_command,)
