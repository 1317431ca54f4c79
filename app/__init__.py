"""Clausier: the app factory."""

from flask import Flask

from app.config import load_settings
from app.db import db
from app.extensions import csrf, limiter, login_manager
from app.log_masking import install_log_masking
from app.queue import job_queue


def create_app(overrides: dict | None = None) -> Flask:
    """Build the Flask app from the environment, then apply ``overrides`` (tests)."""
    settings = load_settings()
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config.update(
        APP_ENV=settings.app_env,
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        REDIS_URL=settings.redis_url,
        MAX_CONTENT_LENGTH=settings.upload_max_bytes,
        LOGIN_RATE_LIMIT=settings.login_rate_limit,
        REQUIRE_TOTP=settings.require_totp,
        MAIL_URL=settings.mail_url,
        MAIL_FROM=settings.mail_from,
        BASE_URL=settings.base_url,
        IDLE_TIMEOUT_MINUTES=30,
        ABSOLUTE_TIMEOUT_HOURS=8,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
        SESSION_COOKIE_NAME="clausier_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=settings.is_production,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        # WTForms ships French messages; Flask-WTF would look for Flask-Babel instead.
        WTF_I18N_ENABLED=False,
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_HEADERS_ENABLED=False,
        # Redis down must not stop people signing in: the limiter keeps counting in memory and
        # logs « Rate limit storage unreachable » (issue 12, item 8); short timeouts keep a
        # vanished Redis from holding each login for the default socket timeout.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1} if settings.redis_url else {},
    )
    if overrides:
        app.config.update(overrides)

    app.jinja_env.add_extension("jinja2.ext.do")
    db.configure(app.config["DATABASE_URL"])
    job_queue.configure(app.config["REDIS_URL"])
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    install_log_masking(app.logger)

    from app.web import register_web

    register_web(app)

    from app.cli import register_commands

    register_commands(app.cli)
    return app
