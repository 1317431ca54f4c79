"""Deliver recorded mails: through SMTP, or into the outbox folder in the embedded mode.

Each mail is delivered and its row updated in its own transaction, so one failure never holds
back the others and nothing sent is forgotten. A refused or unreachable server leaves the
mail « nouvel essai prévu » with a growing delay; after the last try it is marked failed and
shown on the outbox page, where an administrator can try it again. Never dropped.
"""

import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.config import MailServer, parse_mail_url
from app.db import db
from app.domain.mail import RenderedMail, build_message, next_attempt_delay
from app.models import MailStatus, Organisation, SentMail, StoredFile
from app.models.base import utcnow
from app.services.mail.sending import sender_name

BATCH = 200
# While one worker delivers a mail, the others leave it alone for this long (every worker runs
# the mail tick, so two deliveries of the same queue do overlap).
LEASE = timedelta(minutes=10)


class SmtpTransport:
    """Send through the SMTP server of MAIL_URL."""

    delivered_status = MailStatus.SENT

    def __init__(self, server: MailServer) -> None:
        self.server = server

    def send(self, message: EmailMessage, mail: SentMail) -> str:
        """Hand the message to the server; raise smtplib.SMTPException or OSError on failure."""
        server = self.server
        if server.tls == "ssl":
            client = smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
        with client:
            if server.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if server.username:
                client.login(server.username, server.password)
            client.send_message(message, to_addrs=[mail.recipient_email])
        return ""


class OutboxTransport:
    """Write each message as an .eml file under instance/outbox/ (embedded mode, demo)."""

    delivered_status = MailStatus.OUTBOX

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage, mail: SentMail) -> str:
        """Write the message; return the file's name."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{mail.organisation_id}-{mail.id:06d}-{mail.kind}.eml"
        (self.folder / name).write_bytes(bytes(message))
        return name


def outbox_folder(instance_path: Path | str) -> Path:
    """Return the embedded outbox folder."""
    return Path(instance_path) / "outbox"


def transport_for(mail_url: str | None, instance_path: Path | str):
    """Return the SMTP transport of ``mail_url``, or the outbox folder when there is none."""
    if mail_url:
        return SmtpTransport(parse_mail_url(mail_url))
    return OutboxTransport(outbox_folder(instance_path))


def due_mail_ids(session: Session, now: datetime, limit: int = BATCH) -> list[int]:
    """Return the mails waiting for a first or a new try, oldest first."""
    return list(session.scalars(select(SentMail.id).where(
        SentMail.status.in_((MailStatus.PENDING, MailStatus.RETRYING)),
        or_(SentMail.next_attempt_at.is_(None), SentMail.next_attempt_at <= now))
        .order_by(SentMail.id).limit(limit)))


def claim_mail(session: Session, mail_id: int, now: datetime) -> bool:
    """Take a due mail for delivery so no other worker sends it too; the caller commits at once."""
    claimed = session.execute(update(SentMail).where(
        SentMail.id == mail_id, SentMail.status.in_((MailStatus.PENDING, MailStatus.RETRYING)),
        or_(SentMail.next_attempt_at.is_(None), SentMail.next_attempt_at <= now))
        .values(next_attempt_at=now + LEASE).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def _error_text(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "Adresse refusée par le serveur de messagerie."
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "Identifiants SMTP refusés : vérifiez MAIL_URL."
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"Le serveur de messagerie a répondu {exc.smtp_code} : {detail}"[:500]
    return f"Serveur de messagerie injoignable ({type(exc).__name__} : {exc})"[:500]


def _is_permanent(exc: Exception) -> bool:
    # A refused address will be refused again; a 4xx or a network error may pass later.
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500 \
        and not isinstance(exc, smtplib.SMTPAuthenticationError)


def ascii_address(address: str) -> str | None:
    """Return ``address`` with its domain in IDNA (« bâtiments.fr » → « xn--btiments-… »), or None.

    An accented domain is valid (RFC 5890) and travels as IDNA; an accented local part needs the
    server's SMTPUTF8 extension, which Clausier does not rely on: such an address is refused.
    """
    local, _, domain = address.strip().rpartition("@")
    if not local or not domain or not local.isascii():
        return None
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return None


def deliver_mail(session: Session, mail_id: int, transport, mail_from: str, now: datetime) -> MailStatus | None:
    """Try to deliver one recorded mail and record the outcome; return its new status."""
    mail = session.get(SentMail, mail_id)
    if mail is None or mail.status not in (MailStatus.PENDING, MailStatus.RETRYING):
        return None
    organisation = session.get(Organisation, mail.organisation_id)
    attachment = None
    if mail.attachment_file_id is not None:
        stored = session.get(StoredFile, mail.attachment_file_id)
        if stored is not None:
            attachment = (stored.name, stored.data)
    mail.attempts += 1
    recipient = ascii_address(mail.recipient_email)
    if recipient is None:
        # Refused for good, shown on the admin page: retrying would fail the same way.
        mail.status, mail.next_attempt_at = MailStatus.FAILED, None
        mail.last_error = (f"Adresse e-mail inutilisable : « {mail.recipient_email} » (caractères accentués "
                           "avant l'arobase ou domaine invalide). Corrigez l'adresse puis réessayez.")[:500]
        session.flush()
        return mail.status
    message = build_message(RenderedMail(mail.subject, mail.body_text, mail.body_html),
                            sender_name=sender_name(organisation), sender_address=mail_from,
                            reply_to=organisation.reply_to_email, to=formataddr((mail.recipient_label, recipient)),
                            sent_at=now, message_key=f"clausier-mail-{mail.id}", attachment=attachment)
    try:
        where = transport.send(message, mail)
    except (smtplib.SMTPException, OSError) as exc:
        delay = None if _is_permanent(exc) else next_attempt_delay(mail.attempts)
        mail.last_error = _error_text(exc)
        mail.status = MailStatus.FAILED if delay is None else MailStatus.RETRYING
        mail.next_attempt_at = None if delay is None else now + delay
    else:
        mail.status, mail.sent_at, mail.next_attempt_at = transport.delivered_status, now, None
        mail.outbox_name, mail.last_error = where[:120], ""
    session.flush()
    return mail.status


def deliver_due_mails(transport, mail_from: str, now: datetime | None = None) -> dict[MailStatus, int]:
    """Deliver every mail due, each in its own transaction; return how many ended in each status."""
    now = now or utcnow()
    counts: dict[MailStatus, int] = {}
    with db.session_scope() as session:
        ids = due_mail_ids(session, now)
    for mail_id in ids:
        with db.session_scope() as session:
            if not claim_mail(session, mail_id, now):
                continue  # another worker has it
        with db.session_scope() as session:
            status = deliver_mail(session, mail_id, transport, mail_from, now)
        if status is not None:
            counts[status] = counts.get(status, 0) + 1
    return counts


def retry_mail(session: Session, mail: SentMail) -> None:
    """Put a failed mail back in the queue for a fresh series of tries."""
    if mail.status in (MailStatus.FAILED, MailStatus.RETRYING):
        mail.status, mail.attempts, mail.next_attempt_at = MailStatus.PENDING, 0, utcnow()
        session.flush()

