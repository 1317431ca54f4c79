"""Second factor: TOTP (RFC 6238, pyotp) with single-use recovery codes."""

import hashlib
import hmac
import secrets

import pyotp
import segno

from app.models import User
from app.models.base import utcnow

ISSUER = "Clausier"
RECOVERY_CODES = 10


def new_secret() -> str:
    """Return a fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(email: str, secret: str) -> str:
    """Return the otpauth:// URI an authenticator app reads."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """Return the URI as an inline SVG QR code (no image request, no external service)."""
    return segno.make(uri, error="m").svg_inline(scale=5, title="Code QR à scanner")


def verify_code(secret: str | None, code: str) -> bool:
    """Check a 6-digit code, allowing one step of clock drift."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    return bool(secret) and len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def new_recovery_codes() -> tuple[list[str], list[str]]:
    """Return (codes to show once, hashes to store)."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    return codes, [_hash(code) for code in codes]


def enable_totp(user: User, secret: str) -> list[str]:
    """Turn the second factor on for a user; return the recovery codes to show once."""
    codes, hashes = new_recovery_codes()
    user.totp_secret, user.totp_enabled_at, user.recovery_code_hashes = secret, utcnow(), hashes
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Accept an unused recovery code once."""
    wanted = _hash(code or "")
    for stored in user.recovery_code_hashes or []:
        if hmac.compare_digest(stored, wanted):
            user.recovery_code_hashes = [h for h in user.recovery_code_hashes if h != stored]
            return True
    return False


def reset_totp(user: User) -> None:
    """Remove a user's second factor (an admin does it when a phone is lost)."""
    user.totp_secret, user.totp_enabled_at, user.recovery_code_hashes = None, None, []
