"""Server-side sessions and the append-only audit trail."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, OrgOwned, utcnow


class UserSession(Base):
    """One signed-in browser; ending it here logs the browser out whatever its cookie says."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # Only a hash of the cookie's token is kept: a database leak does not hand out sessions.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str] = mapped_column(String(40), default="")


class AuditEvent(OrgOwned, Base):
    """Who read, exported or changed what: ids and verbs only, never personal data."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # read, export, create, update, delete, login…
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    detail: Mapped[str] = mapped_column(String(200), default="")
