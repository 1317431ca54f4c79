"""API tokens: created by an admin (the secret is shown once), looked up by hash, revoked."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.api.tokens import ORGANISATION_ONLY, TokenScope, format_scopes, hash_secret, new_secret, parse_scopes
from app.domain.enums import Role
from app.models import ApiToken, Company, Siae
from app.models.base import utcnow
from app.services.referential import ServiceError

MAX_DAYS = 366
# Writing last_used_at on every call would make each read a write: once a minute is enough to list.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenHolder:
    """Who a valid token speaks for: its row id, its scopes and the scope its queries run in."""

    token_id: int
    name: str
    scopes: frozenset[TokenScope]
    scope: Scope

    @property
    def is_structure(self) -> bool:
        """Tell whether the token is limited to one SIAE or company."""
        return self.scope.is_structure


def create_token(session: Session, scope: Scope, *, name: str, scopes: list[str], expires_on: date,
                 structure_key: str = "", today: date | None = None, secret: str | None = None,
                 ) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret (the only time the secret exists in clear).

    ``secret`` is for the demo territory only, whose tokens are published like its password.
    """
    today = today or date.today()
    chosen = parse_scopes(" ".join(scopes))
    name = (name or "").strip()
    if not name:
        raise ServiceError("Donnez un nom au jeton (par exemple le logiciel qui l'utilisera).", "name")
    if not chosen:
        raise ServiceError("Choisissez au moins un droit.", "scopes")
    if not today < expires_on <= today + timedelta(days=MAX_DAYS):
        raise ServiceError(f"La date d'expiration doit être dans les {MAX_DAYS} prochains jours.", "expires_on")
    siae_id = company_id = None
    if structure_key:
        kind, _, raw = structure_key.partition(":")
        model = {"siae": Siae, "company": Company}.get(kind)
        if model is None or not raw.isdigit() or session.get(model, int(raw)) is None:
            raise ServiceError("Cette structure est introuvable.", "structure")
        siae_id, company_id = (int(raw), None) if kind == "siae" else (None, int(raw))
        if chosen & ORGANISATION_ONLY:
            raise ServiceError("Les indicateurs sont réservés aux jetons de l'organisation, comme les tableaux "
                               "de bord.", "scopes")
    secret = secret or new_secret()
    token = ApiToken(organisation_id=scope.organisation_id, name=name[:100], token_hash=hash_secret(secret),
                     hint=secret[:12], scopes=format_scopes(chosen), siae_id=siae_id, company_id=company_id,
                     expires_on=expires_on, created_by_id=scope.user_id)
    session.add(token)
    session.flush()
    return token, secret


def list_tokens(session: Session) -> list[ApiToken]:
    """Return the organisation's tokens, newest first."""
    return list(session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(session: Session, token_id: int) -> ApiToken:
    """Revoke a token at once: its next call is refused."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise ServiceError("Ce jeton est introuvable.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    session.flush()
    return token


def authenticate(session: Session, secret: str, today: date | None = None) -> TokenHolder | None:
    """Return who a bearer secret speaks for, or None (unknown, revoked or expired).

    ``session`` is unscoped: the token is what tells the scope. Its last use is recorded.
    """
    today = today or date.today()
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or token.revoked_at is not None or token.expires_on < today:
        return None
    now = utcnow()
    if token.last_used_at is None or _aware(token.last_used_at) < now - TOUCH_EVERY:
        session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return TokenHolder(token.id, token.name, parse_scopes(token.scopes), token_scope(token))


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def token_scope(token: ApiToken) -> Scope:
    """Return the scope a token's queries run in: the same filtering as the web's sessions.

    A structure token is an SIAE or company account without a user; an organisation token
    reads the whole organisation, like a gestionnaire (read-only).
    """
    if token.siae_id is not None:
        return Scope(token.organisation_id, role=Role.SIAE, siae_id=token.siae_id)
    if token.company_id is not None:
        return Scope(token.organisation_id, role=Role.ENTREPRISE, company_id=token.company_id)
    return Scope(token.organisation_id, role=Role.GESTIONNAIRE)
