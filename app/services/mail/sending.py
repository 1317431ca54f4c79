"""Decide a mail: render it from the organisation's template and record it once. Callers commit.

Every mail goes through ``queue_mail``: the row is written before anything leaves, with a key
(kind, what it is about, recipient, period) unique per organisation, so a second run of the
reminders — or two workers racing — finds the key and queues nothing twice.
"""

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.mail import MAIL_KINDS, MailTemplateError, render_mail
from app.models import MailStatus, Organisation, SentMail, User
from app.models.base import utcnow
from app.services.files import XLSX_TYPE, store_file
from app.services.mail.templates import active_mail_template

EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


@dataclass(frozen=True)
class Recipient:
    """Who a mail goes to: an address, a name for the greeting, the account when there is one."""

    email: str
    label: str = ""
    user_id: int | None = None


@dataclass
class Attachment:
    """A file joined to one or more mails, stored once, the first time a mail needs it."""

    build: object  # () -> (name, bytes)
    name: str = ""
    file_id: int | None = field(default=None)

    def stored(self, session: Session, organisation_id: int) -> tuple[int, str]:
        """Return the stored file's id and name, building and storing it on first use."""
        if self.file_id is None:
            data, self.name = self.build()
            self.file_id = store_file(session, organisation_id, "sent_mail", 0, self.name, XLSX_TYPE, data).id
        return self.file_id, self.name


def sender_name(organisation: Organisation) -> str:
    """Return the name an organisation signs its mails with."""
    return organisation.sender_name or organisation.name


def dedup_key(kind: str, about: str, email: str, period: str = "") -> str:
    """Return the key that makes a mail unique within its organisation."""
    return f"{kind}|{about}|{email.lower()}|{period}"[:300]


def is_queued(session: Session, organisation_id: int, key: str) -> SentMail | None:
    """Return the mail already recorded under ``key``, if any."""
    return session.scalar(select(SentMail).where(SentMail.organisation_id == organisation_id,
                                                 SentMail.dedup_key == key))


def has_opted_out(session: Session, email: str) -> bool:
    """Tell whether an account with this address asked for no reminders."""
    return bool(session.scalar(select(func.count()).select_from(User).where(
        func.lower(User.email) == email.lower(), User.mail_opt_out)))


def queue_mail(session: Session, organisation: Organisation, kind: str, *, about: str, recipient: Recipient,
               context: dict, period: str = "", siae_id: int | None = None, company_id: int | None = None,
               attachment: Attachment | None = None) -> SentMail | None:
    """Record a mail to send, or return None: already recorded, no valid address, or opted out."""
    email = (recipient.email or "").strip()
    if not EMAIL.match(email):
        return None
    if not MAIL_KINDS[kind].essential and has_opted_out(session, email):
        return None
    key = dedup_key(kind, about, email, period)
    if is_queued(session, organisation.id, key) is not None:
        return None
    full_context = {"organisation": sender_name(organisation),
                    "recipient_name": recipient.label or "Madame, Monsieur", **context}
    template = active_mail_template(session, organisation.id, kind)
    try:
        rendered = render_mail(template.subject, template.text, template.html, full_context)
    except MailTemplateError:
        # An edited template was checked when saved; should a later change break it, the
        # default one still says what the recipient needs to know.
        default = MAIL_KINDS[kind]
        rendered = render_mail(default.subject, default.text, default.html, full_context)
    row = SentMail(organisation_id=organisation.id, kind=kind, dedup_key=key, period=period,
                   recipient_email=email, recipient_label=(recipient.label or "")[:200], user_id=recipient.user_id,
                   subject=rendered.subject, body_text=rendered.text, body_html=rendered.html,
                   siae_id=siae_id, company_id=company_id, status=MailStatus.PENDING, next_attempt_at=utcnow())
    if attachment is not None:
        row.attachment_file_id, _name = attachment.stored(session, organisation.id)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None  # another run recorded the same key in the meantime
    return row
