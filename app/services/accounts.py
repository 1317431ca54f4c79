"""Accounts: password hashing with argon2 and sign-in."""

import logging
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.models import User
from app.models.base import utcnow
from app.services.sessions import end_all_sessions, end_other_sessions

log = logging.getLogger(__name__)
hasher = PasswordHasher()
# Verified when the e-mail is unknown, so both paths cost one argon2 run.
_DUMMY_HASH = hasher.hash("clausier-dummy-password")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
# A password an administrator sets (new account, reset) is provisional: it expires after this
# delay and must be replaced by the person's own at the first sign-in.
PROVISIONAL_LIFETIME = timedelta(hours=72)
# Passwords guessed first by anyone (and the demo's, public in the README).
COMMON_PASSWORDS = {"motdepasse1234", "azertyuiop123", "123456789012", "password1234", "demo-clausier-2026",
                    "clausier2026!", "motdepasse123", "azertyuiopqsd"}


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


def password_expired(user: User, now: datetime | None = None) -> bool:
    """Tell whether the user's provisional password has passed its expiry."""
    if user.password_expires_at is None:
        return False
    expires = user.password_expires_at
    expires = expires if expires.tzinfo else expires.replace(tzinfo=utcnow().tzinfo)  # SQLite drops the zone
    return (now or utcnow()) >= expires


def check_password_strength(password: str, email: str = "") -> None:
    """Refuse a weak password with a French message: too short or long, common, or built on the e-mail."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError(f"Le mot de passe doit compter entre {MIN_PASSWORD_LENGTH} et {MAX_PASSWORD_LENGTH} "
                           "caractères ; une phrase de quelques mots fait un bon mot de passe.")
    lowered = password.lower()
    local_part = email.split("@")[0].lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 5 or (len(local_part) >= 4 and local_part in lowered):
        raise AccountError("Ce mot de passe est trop facile à deviner (trop courant, trop répétitif ou construit sur "
                           "l'adresse e-mail) : choisissez-en un autre.")


def new_provisional_password() -> str:
    """Return a random password an administrator hands over by another channel than e-mail."""
    return "-".join(secrets.token_urlsafe(6) for _ in range(3))


def change_password(session: Session, user: User, *, current: str, new: str, keep_token: str | None) -> int:
    """Replace the user's password after checking the current one; end their other sessions.

    Return how many other sessions were ended.
    """
    if not verify_password(user, current):
        raise AccountError("Le mot de passe actuel n'est pas le bon.")
    check_password_strength(new, user.email)
    if new == current:
        raise AccountError("Le nouveau mot de passe doit être différent de l'actuel.")
    user.password_hash = hash_password(new)
    user.password_expires_at = None
    return end_other_sessions(session, user.id, keep_token, "mot de passe changé")


def reset_password(session: Session, user: User, *, by_user_id: int | None, now: datetime | None = None) -> str:
    """Give a user a provisional password (valid 72 hours) and end all their sessions; return it once."""
    if user.id == by_user_id:
        raise AccountError("Pour votre propre compte, utilisez « Changer mon mot de passe » (Mon compte).")
    password = new_provisional_password()
    user.password_hash = hash_password(password)
    user.password_expires_at = (now or utcnow()) + PROVISIONAL_LIFETIME
    end_all_sessions(session, user.id, "mot de passe réinitialisé")
    return password


def create_user(session: Session, *, organisation_id: int, email: str, password: str, role: Role,
                full_name: str = "", siae_id: int | None = None, company_id: int | None = None,
                provisional: bool = False) -> User:
    """Add a user; structure roles must name their SIAE or company.

    ``provisional``: the password was chosen by an administrator; it expires after 72 hours and
    must be changed at the first sign-in.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères.")
    if role == Role.SIAE and siae_id is None:
        raise AccountError("Un compte SIAE doit être rattaché à sa structure d'insertion.")
    if role == Role.ENTREPRISE and company_id is None:
        raise AccountError("Un compte entreprise doit être rattaché à son entreprise.")
    if find_user_by_email(session, email) is not None:
        raise AccountError("Un compte existe déjà avec cette adresse e-mail.")
    user = User(organisation_id=organisation_id, email=email.strip().lower(), password_hash=hash_password(password),
                role=role, full_name=full_name, siae_id=siae_id, company_id=company_id,
                password_expires_at=utcnow() + PROVISIONAL_LIFETIME if provisional else None)
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
