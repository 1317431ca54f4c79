"""Who did something, as status histories record it: a user (id and name) or a company link."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.access import Scope
from app.models import User


@dataclass(frozen=True)
class Actor:
    """The author of a change: ``user_id`` is None for a company acting through its link."""

    user_id: int | None
    label: str


def actor_for(session: Session, scope: Scope) -> Actor:
    """Return the signed-in user of ``scope`` as an Actor (name kept as written today)."""
    user = session.get(User, scope.user_id) if scope.user_id else None
    if user is None:
        return Actor(None, "utilisateur inconnu")
    return Actor(user.id, user.full_name or user.email)


def as_utc(moment: datetime | None) -> datetime | None:
    """Return ``moment`` as an aware UTC datetime (SQLite hands back naive ones)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
