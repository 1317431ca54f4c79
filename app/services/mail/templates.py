"""Mail templates: the organisation's own subject and bodies for a kind, or the default. Callers commit."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.mail import MAIL_KINDS, MailKind, check_mail_template
from app.models import MailTemplate
from app.models.base import utcnow
from app.services.referential import ServiceError


@dataclass(frozen=True)
class ActiveMailTemplate:
    """The sources a kind renders from, and whether they are the organisation's own."""

    subject: str
    text: str
    html: str
    is_custom: bool


class MailTemplateRejected(ServiceError):
    """An edited template was refused; ``problems`` lists every reason, in French."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Le modèle de message a été refusé : " + " ".join(problems))
        self.problems = problems


def find_mail_kind(kind: str) -> MailKind:
    """Return the kind of mail ``kind`` or refuse it in French."""
    try:
        return MAIL_KINDS[kind]
    except KeyError:
        raise ServiceError(f"Type de message inconnu : « {kind} ».") from None


def _row(session: Session, organisation_id: int, kind: str) -> MailTemplate | None:
    return session.scalar(select(MailTemplate).where(MailTemplate.organisation_id == organisation_id,
                                                     MailTemplate.kind == kind))


def active_mail_template(session: Session, organisation_id: int, kind: str) -> ActiveMailTemplate:
    """Return the organisation's template for ``kind``, else the default one."""
    mail_kind = find_mail_kind(kind)
    row = _row(session, organisation_id, kind)
    if row is None:
        return ActiveMailTemplate(mail_kind.subject, mail_kind.text, mail_kind.html, False)
    return ActiveMailTemplate(row.subject, row.body_text, row.body_html, True)


def save_mail_template(session: Session, organisation_id: int, kind: str, subject: str, text: str, html: str,
                       user_id: int | None) -> MailTemplate:
    """Check and store an organisation's template for ``kind``; store nothing if refused."""
    mail_kind = find_mail_kind(kind)
    subject, text, html = (subject or "").strip(), (text or "").replace("\r\n", "\n"), (html or "").strip()
    problems = check_mail_template(mail_kind, subject, text, html)
    if problems:
        raise MailTemplateRejected(problems)
    row = _row(session, organisation_id, kind)
    if row is None:
        row = MailTemplate(organisation_id=organisation_id, kind=kind)
        session.add(row)
    row.subject, row.body_text, row.body_html = subject, text, html
    row.updated_by_id, row.edited_at = user_id, utcnow()
    session.flush()
    return row


def revert_mail_template(session: Session, organisation_id: int, kind: str) -> None:
    """Go back to the default template of ``kind``."""
    find_mail_kind(kind)
    row = _row(session, organisation_id, kind)
    if row is not None:
        session.delete(row)
        session.flush()
