"""Facilitator organisations and their users."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import OrganisationKind, Role
from app.models.base import Base, OrgOwned, Timestamped, enum_column


class Organisation(Timestamped, Base):
    """The facilitator's structure (PLIE, Maison de l'emploi, Département) and its territory."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = enum_column(OrganisationKind)
    territory: Mapped[str] = mapped_column(String(200), default="")
    # The article its name takes in a sentence (« le PLIE… »): a key of formats.ARTICLES, empty: guessed.
    name_article: Mapped[str] = mapped_column(String(6), default="", server_default="")
    # Mail settings: the name mails are signed with, where replies go, the reminder calendar.
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    reply_to_email: Mapped[str] = mapped_column(String(254), default="")
    reminder_day: Mapped[int] = mapped_column(default=5)
    second_reminder_after_days: Mapped[int] = mapped_column(default=7)


class User(OrgOwned, Base):
    """A person who signs in; SIAE and company users are tied to their structure."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = enum_column(Role)
    siae_id: Mapped[int | None] = mapped_column(ForeignKey("siae.id", ondelete="SET NULL"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="SET NULL"))
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]
    # Second factor (TOTP): the shared secret once confirmed, and hashes of unused recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    recovery_code_hashes: Mapped[list] = mapped_column(JSON, default=list)
    # The user asked for no reminders or digests; essential mails (links, sheet outcomes) still go.
    mail_opt_out: Mapped[bool] = mapped_column(default=False)
    # The last accepted TOTP time-step: a code is refused once its step (or an earlier one) is used.
    totp_last_step: Mapped[int | None]
    # Set while the password is provisional (created or reset by an administrator): past this
    # moment it no longer signs in, and before it the person must choose their own.
    password_expires_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    siae = relationship("Siae")
    company = relationship("Company")

    # The three members Flask-Login reads; kept here so views need no wrapper class.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """Return the id Flask-Login stores in the session cookie."""
        return str(self.id)
