"""The browser's session cookie, encrypted: what it carries (flashed messages, the second factor
being set up) cannot be read by whoever sees the cookie, only by the server.

Flask's default cookie is signed, not encrypted: base64 anyone can decode. Flashed messages
may name a person (« Camille Durand figure déjà sur la liste. »), so the whole payload is
sealed with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under a key derived from
SECRET_KEY. Sessions themselves stay server-side (app/services/sessions.py); the cookie holds
their token.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature


class _SealedSerializer:
    """dumps/loads like itsdangerous' serializer, but the token is encrypted as well as authenticated."""

    def __init__(self, secret_key: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"clausier session cookie").derive(
            secret_key.encode())
        self.fernet = Fernet(base64.urlsafe_b64encode(key))
        self.json = TaggedJSONSerializer()

    def dumps(self, data: dict) -> str:
        return self.fernet.encrypt(self.json.dumps(data).encode()).decode()

    def loads(self, token: str, max_age: int | None = None) -> dict:
        try:
            plain = self.fernet.decrypt(token, ttl=max_age)
        except InvalidToken as exc:
            # Flask starts an empty session on BadSignature: a forged or stale cookie is ignored.
            raise BadSignature("session cookie refused") from exc
        return self.json.loads(plain.decode())


class SealedCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session with a sealed (encrypted) payload."""

    def get_signing_serializer(self, app):
        """Return the sealing serializer, or None without a SECRET_KEY (Flask then refuses sessions)."""
        if not app.secret_key:
            return None
        return _SealedSerializer(app.secret_key)
