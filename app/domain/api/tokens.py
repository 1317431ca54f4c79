"""API tokens: their scopes, how a secret is made and hashed, and how it is recognised."""

import hashlib
import secrets

from app.domain.enums import LabelledEnum

PREFIX = "clsr_"
# 32 random bytes: a SHA-256 of the secret is enough to store it, no slow hash needed.
SECRET_BYTES = 32


class TokenScope(LabelledEnum):
    READ_INDICATORS = "read:indicators", "Lire les indicateurs"
    READ_TENDERS = "read:tenders", "Lire acheteurs, marchés, lots, mises en situation et heures"
    WRITE_HOURS = "write:hours", "Envoyer des relevés d'heures"


# Indicators and the pipeline are the facilitator's figures: a structure does not see the
# dashboards on the web either, so its tokens cannot read them.
ORGANISATION_ONLY = frozenset({TokenScope.READ_INDICATORS})


def new_secret() -> str:
    """Return a fresh token secret, shown once to the admin who creates it."""
    return PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def hash_secret(secret: str) -> str:
    """Return the SHA-256 (hex) under which a token secret is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_scopes(text: str) -> frozenset[TokenScope]:
    """Read the space-separated scopes stored on a token (unknown words are ignored)."""
    known = {scope.value: scope for scope in TokenScope}
    return frozenset(known[word] for word in text.split() if word in known)


def format_scopes(scopes) -> str:
    """Write scopes in a stable order for storage."""
    return " ".join(scope.value for scope in TokenScope if scope in set(scopes))
