"""Settings read from the environment, in one place."""

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The environment cannot run Clausier; the message says what to set."""


@dataclass
class Settings:
    """What the app needs to know about where it runs."""

    app_env: str = "development"
    secret_key: str = ""
    database_url: str = ""
    redis_url: str | None = None
    instance_path: Path = field(default_factory=lambda: PROJECT_ROOT / "instance")
    upload_max_bytes: int = 20 * 1024 * 1024
    login_rate_limit: str = "10 per minute"
    require_totp: bool = False
    # Outgoing mail: smtp://user:pass@host:587?tls=starttls; None writes mails to instance/outbox/.
    mail_url: str | None = None
    mail_from: str = "clausier@localhost"
    # Links in mails sent by the worker or the CLI, where there is no request to read a host from.
    base_url: str = "http://127.0.0.1:5000"

    @property
    def is_production(self) -> bool:
        """Tell whether this is a production deployment."""
        return self.app_env == "production"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build Settings from the environment; refuse an unsafe production setup."""
    env = os.environ if environ is None else environ
    settings = Settings(app_env=env.get("APP_ENV", "development").strip().lower())
    if env.get("CLAUSIER_INSTANCE_PATH"):
        settings.instance_path = Path(env["CLAUSIER_INSTANCE_PATH"])
    settings.redis_url = env.get("REDIS_URL") or None
    # The second factor is mandatory in production; elsewhere CLAUSIER_REQUIRE_TOTP=1 turns it on.
    flag = env.get("CLAUSIER_REQUIRE_TOTP", "").strip().lower()
    settings.require_totp = settings.is_production if not flag else flag in ("1", "true", "oui", "yes")
    settings.mail_url = env.get("MAIL_URL") or None
    settings.mail_from = env.get("MAIL_FROM") or settings.mail_from
    settings.base_url = (env.get("CLAUSIER_BASE_URL") or settings.base_url).rstrip("/")
    if settings.mail_url:
        parse_mail_url(settings.mail_url)  # fail at start-up, not at the first reminder
    database_url = env.get("DATABASE_URL", "")
    secret_key = env.get("SECRET_KEY", "")
    if settings.is_production:
        missing = [name for name, value in (("SECRET_KEY", secret_key), ("DATABASE_URL", database_url)) if not value]
        if missing:
            raise ConfigError(
                "Clausier refuse de démarrer en production (APP_ENV=production) : "
                f"variable(s) manquante(s) : {', '.join(missing)}. "
                "Définissez-les dans l'environnement du service."
            )
    settings.secret_key = secret_key or _development_secret(settings.instance_path)
    settings.database_url = normalise_database_url(
        database_url or f"sqlite:///{settings.instance_path / 'clausier.sqlite3'}"
    )
    return settings


@dataclass(frozen=True)
class MailServer:
    """Where outgoing mail goes, read from MAIL_URL."""

    host: str
    port: int
    username: str = ""
    password: str = field(default="", repr=False)
    tls: str = "starttls"  # « starttls », « ssl » or « none »
    timeout: float = 30.0


def parse_mail_url(url: str) -> MailServer:
    """Read ``smtp://user:pass@host:587?tls=starttls`` (``smtps://`` means implicit TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError(f"MAIL_URL doit ressembler à smtp://utilisateur:mot-de-passe@hote:587?tls=starttls "
                          f"(schéma « {parts.scheme or 'absent'} » non reconnu).")
    query = parse_qs(parts.query)
    tls = query.get("tls", ["ssl" if parts.scheme == "smtps" else "starttls"])[0].lower()
    if tls not in ("starttls", "ssl", "none"):
        raise ConfigError(f"MAIL_URL : tls={tls} n'est pas reconnu (starttls, ssl ou none).")
    try:
        port = parts.port or (465 if tls == "ssl" else 587)
        timeout = float(query.get("timeout", ["30"])[0])
    except ValueError as exc:
        raise ConfigError(f"MAIL_URL : port ou délai invalide ({exc}).") from None
    return MailServer(host=parts.hostname, port=port, username=unquote(parts.username or ""),
                      password=unquote(parts.password or ""), tls=tls, timeout=timeout)


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the Heroku way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _development_secret(instance_path: Path) -> str:
    """Keep one random secret per development instance so sessions survive restarts."""
    instance_path.mkdir(parents=True, exist_ok=True)
    secret_file = instance_path / "dev-secret-key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_hex(32))
        secret_file.chmod(0o600)
    return secret_file.read_text().strip()
