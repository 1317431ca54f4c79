"""Mail jobs: the reminder tick of the maintenance clock, and delivery after a user's action."""

from datetime import date

from app.config import load_settings
from app.db import db
from app.models.base import utcnow
from app.services.mail import MailSite
from app.services.mail.delivery import deliver_due_mails, transport_for
from app.services.mail.reminders import send_reminders
from workers import ensure_database


def _transport_and_sender():
    settings = load_settings()
    return transport_for(settings.mail_url, settings.instance_path), settings.mail_from, settings


def deliver_mails_job() -> str:
    """Deliver every mail waiting (new ones and retries whose delay has passed)."""
    ensure_database()
    transport, mail_from, _settings = _transport_and_sender()
    counts = deliver_due_mails(transport, mail_from)
    return ", ".join(f"{status.label} : {count}" for status, count in counts.items()) or "Aucun message en attente."


def remind_job() -> str:
    """Record the reminders due today (idempotent), then deliver what is waiting."""
    ensure_database()
    transport, mail_from, settings = _transport_and_sender()
    with db.session_scope() as session:
        report = send_reminders(session, MailSite(settings.base_url, settings.secret_key), today=date.today(),
                                now=utcnow())
        queued = len(report.queued)
    counts = deliver_due_mails(transport, mail_from)
    return f"{queued} message(s) enregistré(s) ; " + (
        ", ".join(f"{status.label} : {count}" for status, count in counts.items()) or "rien à distribuer.")
