"""Accounts: password hashing with argon2 and sign-in."""

import logging

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.models import User
from app.models.base import utcnow
from app.services.sessions import end_all_sessions

log = logging.getLogger(__name__)
hasher = PasswordHasher()
# Verified when the e-mail is unknown, so both paths cost one argon2 run.
_DUMMY_HASH = hasher.hash("clausier-dummy-password")
MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    """An account cannot be created as asked; the message is French."""


def hash_password(password: str) -> str:
    """Return the argon2 hash of ``password``."""
    return hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    """Tell whether ``password`` is the user's (re-authentication before a sensitive change)."""
    try:
        return hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def find_user_by_email(session: Session, email: str) -> User | None:
    """Return the user with this e-mail, whatever the session's scope (sign-in only)."""
    return session.scalar(
        select(User).where(func.lower(User.email) == email.strip().lower()),
        execution_options={"unscoped": True},
    )


def load_user(session: Session, user_id: int) -> User | None:
    """Return an active user by id, whatever the session's scope (session restore only)."""
    user = session.get(User, user_id, execution_options={"unscoped": True})
    return user if user is not None and user.is_active else None


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the active user whose e-mail and password match, else None."""
    user = find_user_by_email(session, email)
    try:
        hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        # Log the account id only: an e-mail address is personal data.
        log.info("failed sign-in%s", f" for user {user.id}" if user else " (unknown e-mail)")
        return None
    if user is None or not user.is_active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    return user


def create_user(session: Session, *, organisation_id: int, email: str, password: str, role: Role,
                full_name: str = "", siae_id: int | None = None, company_id: int | None = None) -> User:
    """Add a user; structure roles must name their SIAE or company."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères.")
    if role == Role.SIAE and siae_id is None:
        raise AccountError("Un compte SIAE doit être rattaché à sa structure d'insertion.")
    if role == Role.ENTREPRISE and company_id is None:
        raise AccountError("Un compte entreprise doit être rattaché à son entreprise.")
    if find_user_by_email(session, email) is not None:
        raise AccountError("Un compte existe déjà avec cette adresse e-mail.")
    user = User(organisation_id=organisation_id, email=email.strip().lower(), password_hash=hash_password(password),
                role=role, full_name=full_name, siae_id=siae_id, company_id=company_id)
    session.add(user)
    session.flush()
    return user


def set_active(session: Session, user: User, active: bool, *, by_user_id: int | None) -> None:
    """Deactivate (ending every session at once) or reactivate an account."""
    if not active and user.id == by_user_id:
        raise AccountError("Vous ne pouvez pas désactiver votre propre compte.")
    user.is_active = active
    if not active:
        end_all_sessions(session, user.id, "compte désactivé")
