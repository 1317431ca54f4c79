"""Server-side sessions: idle and absolute timeouts, ended by logout or deactivation."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import User, UserSession
from app.models.base import utcnow

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=8)
# Refresh last_seen_at at most this often: a page view need not always write.
TOUCH_EVERY = timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for aware columns; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def open_session(session: Session, user: User) -> str:
    """Start a server-side session; return the token the cookie carries."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user.id, token_hash=_hash(token)))
    session.flush()
    return token


def check_session(session: Session, user_id: int, token: str | None, *, now: datetime | None = None,
                  idle: timedelta = IDLE_TIMEOUT, absolute: timedelta = ABSOLUTE_TIMEOUT) -> bool:
    """Tell whether the cookie's session is still open; end it when it timed out."""
    if not token:
        return False
    now = now or utcnow()
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token),
                                                   UserSession.user_id == user_id))
    if row is None or row.ended_at is not None:
        return False
    if now - _aware(row.created_at) > absolute:
        row.ended_at, row.ended_reason = now, "durée maximale"
        return False
    if now - _aware(row.last_seen_at) > idle:
        row.ended_at, row.ended_reason = now, "inactivité"
        return False
    if now - _aware(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now
    return True


def end_session(session: Session, token: str | None, reason: str = "déconnexion") -> None:
    """End the session behind a cookie's token."""
    if token:
        session.execute(update(UserSession).where(UserSession.token_hash == _hash(token),
                                                  UserSession.ended_at.is_(None))
                        .values(ended_at=utcnow(), ended_reason=reason))


def end_all_sessions(session: Session, user_id: int, reason: str) -> int:
    """End every open session of a user (deactivation, password or second-factor reset)."""
    result = session.execute(update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
                             .values(ended_at=utcnow(), ended_reason=reason))
    return result.rowcount or 0


def end_other_sessions(session: Session, user_id: int, keep_token: str | None, reason: str) -> int:
    """End every open session of a user except the one behind ``keep_token`` (password change)."""
    statement = update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
    if keep_token:
        statement = statement.where(UserSession.token_hash != _hash(keep_token))
    return session.execute(statement.values(ended_at=utcnow(), ended_reason=reason)).rowcount or 0
