"""Links that let one company fill one fiche de liaison without an account. Callers commit.

The token is signed with the app's secret (itsdangerous) and carries only the link's id and
a random nonce; whether the link still works is decided by its row (expiry, revocation, use),
so a facilitator can cut a link that was sent to the wrong address.
"""

import secrets
from datetime import date, datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.enums import Role
from app.models import Company, Fiche, FicheLink
from app.models.base import utcnow
from app.models.fiches import CREATED_BY_LINK, LINK_ACTOR
from app.services.actors import Actor, as_utc
from app.services.liaison.fiches import COMPANY_FIELDS, new_fiche, save_fiche
from app.services.referential import ServiceError

LINK_SALT = "clausier.fiche-link.v1"
DEFAULT_LINK_DAYS = 14
MAX_LINK_DAYS = 60
LINK_ACTOR_ROW = Actor(None, LINK_ACTOR)


class LinkError(Exception):
    """A link that cannot be used; ``reason`` picks the page shown to the company."""

    reason = "invalid"

    def __init__(self, link: FicheLink | None = None) -> None:
        super().__init__(self.reason)
        self.link = link


class LinkInvalid(LinkError):
    reason = "invalid"  # tampered, truncated or unknown


class LinkExpired(LinkError):
    reason = "expired"


class LinkRevoked(LinkError):
    reason = "revoked"


class LinkUsed(LinkError):
    reason = "used"  # the fiche was sent: the link shows a thank-you page


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=LINK_SALT)


def link_token(secret_key: str, link: FicheLink) -> str:
    """Return the URL-safe token of ``link`` (ids and nonce only, signed)."""
    return _serializer(secret_key).dumps({"l": link.id, "n": link.nonce})


def read_link_token(secret_key: str, token: str) -> tuple[int, str]:
    """Return (link id, nonce) from a token, or raise LinkInvalid / LinkExpired."""
    try:
        payload = _serializer(secret_key).loads(token, max_age=MAX_LINK_DAYS * 86400)
    except SignatureExpired:
        raise LinkExpired() from None
    except BadSignature:
        raise LinkInvalid() from None
    if not isinstance(payload, dict) or not isinstance(payload.get("l"), int) \
            or not isinstance(payload.get("n"), str):
        raise LinkInvalid()
    return payload["l"], payload["n"]


def link_state(link: FicheLink, now: datetime) -> str:
    """Return « active », « used », « revoked » or « expired »."""
    if link.used_at is not None:
        return "used"
    if link.is_revoked:
        return "revoked"
    if as_utc(link.expires_at) <= now:
        return "expired"
    return "active"


def resolve_link(session: Session, link_id: int, nonce: str, now: datetime) -> FicheLink:
    """Return the usable link, reading it whatever the session's scope; raise a LinkError otherwise."""
    link = session.get(FicheLink, link_id, execution_options={"unscoped": True})
    if link is None or not secrets.compare_digest(link.nonce, nonce):
        raise LinkInvalid()
    state = link_state(link, now)
    if state != "active":
        raise {"used": LinkUsed, "revoked": LinkRevoked, "expired": LinkExpired}[state](link)
    return link


def link_scope(link: FicheLink) -> Scope:
    """Return the scope a company link works in: its organisation and its company, no user."""
    return Scope(organisation_id=link.organisation_id, role=Role.ENTREPRISE, company_id=link.company_id)


def create_link(session: Session, fiche: Fiche, actor: Actor, *, days: int = DEFAULT_LINK_DAYS) -> FicheLink:
    """Add a link for the company of a draft fiche, valid ``days`` days."""
    if not fiche.is_draft:
        raise ServiceError("Cette fiche a déjà été envoyée : un lien ne servirait plus à rien.")
    if fiche.company_id is None:
        raise ServiceError("Choisissez d'abord l'entreprise de la fiche : un lien ne sert qu'à une entreprise.",
                           "company_id")
    if not 1 <= days <= MAX_LINK_DAYS:
        raise ServiceError(f"Un lien est valable de 1 à {MAX_LINK_DAYS} jours.", "days")
    link = FicheLink(organisation_id=fiche.organisation_id, fiche=fiche, company_id=fiche.company_id,
                     nonce=secrets.token_urlsafe(24), expires_at=utcnow() + timedelta(days=days),
                     created_by_id=actor.user_id)
    session.add(link)
    session.flush()
    return link


def create_fiche_with_link(session: Session, scope: Scope, data: dict, actor: Actor, *, today: date) -> FicheLink:
    """Start a draft fiche for a company (tender and lot pre-filled) and the link to send it."""
    company_id = data.get("company_id")
    if company_id is None or session.get(Company, company_id) is None:
        raise ServiceError("Choisissez l'entreprise à qui envoyer le lien.", "company_id")
    fiche = new_fiche(scope, created_via=CREATED_BY_LINK, created_by_id=actor.user_id)
    save_fiche(session, fiche, {key: data.get(key) for key in ("company_id", "tender_id", "lot_id")}, actor,
               today=today, allowed=("company_id", "tender_id", "lot_id"))
    return create_link(session, fiche, actor, days=data.get("days") or DEFAULT_LINK_DAYS)


def revoke_link(session: Session, link: FicheLink) -> None:
    """Cut a link: its token stops working at once."""
    link.is_revoked = True
    session.flush()


def fill_through_link(session: Session, link: FicheLink, data: dict, *, today: date, submit: bool):
    """Save what the company typed on its link; sending it marks the fiche received and the link used."""
    fiche = session.get(Fiche, link.fiche_id)
    if fiche is None:  # the company scope hides a fiche moved to another company
        raise LinkInvalid(link)
    problems = save_fiche(session, fiche, data, LINK_ACTOR_ROW, today=today, submit=submit, allowed=COMPANY_FIELDS)
    if submit:
        link.used_at = utcnow()
        session.flush()
    return fiche, problems
