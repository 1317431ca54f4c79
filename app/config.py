"""Settings read from the environment, in one place."""

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

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
