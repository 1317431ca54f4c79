"""Second factor: TOTP (RFC 6238, pyotp) with single-use recovery codes."""

import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime

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


def matching_step(secret: str | None, code: str, *, after: int | None = None, now: float | None = None) -> int | None:
    """Return the time-step a 6-digit code belongs to (one step of clock drift allowed), else None.

    Steps up to ``after`` are refused: a code already used (or an older one) cannot sign in twice.
    """
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if not secret or len(code) != 6:
        return None
    generator = pyotp.TOTP(secret)
    current = generator.timecode(datetime.fromtimestamp(now if now is not None else time.time(), tz=UTC))
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and hmac.compare_digest(generator.generate_otp(step), code):
            return step
    return None


def verify_code(secret: str | None, code: str) -> bool:
    """Check a 6-digit code against a secret not yet stored (enrolment), allowing one step of drift."""
    return matching_step(secret, code) is not None


def accept_code(user: User, code: str, *, now: float | None = None) -> bool:
    """Check a user's current code once: its time-step is remembered and never accepted again."""
    step = matching_step(user.totp_secret, code, after=user.totp_last_step, now=now)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def new_recovery_codes() -> tuple[list[str], list[str]]:
    """Return (codes to show once, hashes to store)."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    return codes, [_hash(code) for code in codes]


def enable_totp(user: User, secret: str, code: str) -> list[str] | None:
    """Turn the second factor on once ``code`` proves the app holds ``secret``; return the recovery codes.

    Return None when the code does not match. The code's step is remembered, so the code typed
    to enrol cannot sign in again.
    """
    step = matching_step(secret, code)
    if step is None:
        return None
    codes, hashes = new_recovery_codes()
    user.totp_secret, user.totp_enabled_at, user.recovery_code_hashes = secret, utcnow(), hashes
    user.totp_last_step = step
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
    user.totp_last_step = None
