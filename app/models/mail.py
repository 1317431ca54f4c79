"""Outgoing mail: each message recorded before it leaves, and the templates an admin edited."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import LabelledEnum
from app.models.base import Base, OrgOwned, enum_column, utcnow


class MailStatus(LabelledEnum):
    PENDING = "pending", "En attente d'envoi"
    RETRYING = "retrying", "Échec passager, nouvel essai prévu"
    SENT = "sent", "Envoyé"
    OUTBOX = "outbox", "Écrit dans la boîte d'envoi locale"
    FAILED = "failed", "Échec : non envoyé"


class SentMail(OrgOwned, Base):
    """One mail to one recipient, from the moment it is decided until it is delivered.

    ``dedup_key`` (kind, subject of the mail, recipient, period) is unique per organisation:
    running the reminders twice finds the key and sends nothing twice. The rendered message is
    kept so a failed delivery can be retried as it was written.
    """

    __tablename__ = "sent_mail"
    __table_args__ = (UniqueConstraint("organisation_id", "dedup_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    dedup_key: Mapped[str] = mapped_column(String(300))
    period: Mapped[str] = mapped_column(String(20), default="")
    recipient_email: Mapped[str] = mapped_column(String(254))
    recipient_label: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    attachment_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    # The structure the mail is about, so its page lists what was sent to it.
    siae_id: Mapped[int | None] = mapped_column(ForeignKey("siae.id", ondelete="SET NULL"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    status: Mapped[MailStatus] = enum_column(MailStatus, default=MailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    sent_at: Mapped[datetime | None]
    outbox_name: Mapped[str] = mapped_column(String(120), default="")


class MailTemplate(OrgOwned, Base):
    """An organisation's own subject and bodies for a kind of mail; none means the default."""

    __tablename__ = "mail_template"
    __table_args__ = (UniqueConstraint("organisation_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
