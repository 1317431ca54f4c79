"""Fixtures: one migrated database per run, a rollback per test, logged-in clients."""

import html
import os
import re

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from app import create_app
from app.db import db
from app.services.migrations import upgrade_database
from app.services.figure_cache import figure_cache
from tests.world import PASSWORD, build_world

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """Use DATABASE_URL when CI sets it (PostgreSQL), else a fresh SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if url:
        from app.config import normalise_database_url

        return normalise_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def reset_schema(engine) -> None:
    """Drop every table so migrations run from empty."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            tables = connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars().all()
            for table in tables:
                connection.execute(text(f'DROP TABLE IF EXISTS "{table}"'))


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """Build the app once, on a database migrated from empty and holding the test world."""
    os.environ.setdefault("CLAUSIER_INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))
    application = create_app({"DATABASE_URL": database_url, "TESTING": True, "LOGIN_RATE_LIMIT": "100000 per minute", "REQUIRE_TOTP": False,
                              "REDIS_URL": None})
    reset_schema(db.engine)
    upgrade_database(db.engine)
    with db.session_scope() as session:
        application.config["WORLD"] = build_world(session)
    return application


@pytest.fixture(autouse=True)
def _rollback(request):
    """Run each test inside a transaction that is rolled back, whatever the app commits."""
    if "app" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("app")
    # Figures cached by an earlier test were computed on data its rollback took away.
    figure_cache.clear()
    connection = db.engine.connect()
    transaction = connection.begin()
    factory = db.session_factory
    db.session_factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                                      expire_on_commit=False)
    try:
        yield
    finally:
        db.session_factory = factory
        transaction.rollback()
        connection.close()


@pytest.fixture
def world(app):
    """Return the ids and logins of organisations A and B."""
    return app.config["WORLD"]


@pytest.fixture
def session(app):
    """Return an unscoped session inside the test's transaction."""
    db_session = db.session()
    yield db_session
    db_session.close()


def page_text(response) -> str:
    """Return a response's HTML with entities decoded (``d'heures``, not ``d&#39;heures``).

    Pages print « ’ » (app/web/page_typography.py, tested in tests/web/test_page_typography.py);
    it is folded back to the keyboard's quote so a test compares with the wording it typed.
    """
    return html.unescape(response.get_data(as_text=True)).replace("’", "'")


class Browser:
    """A test client that keeps the CSRF token of its session."""

    def __init__(self, client) -> None:
        self.client = client
        self.token = ""

    def refresh_token(self, url: str = "/connexion") -> str:
        """Read a fresh CSRF token from a page."""
        match = CSRF_RE.search(self.client.get(url).get_data(as_text=True))
        self.token = next(group for group in match.groups() if group) if match else ""
        return self.token

    def login(self, email: str, password: str = PASSWORD):
        """Sign in and keep the new session's CSRF token."""
        self.refresh_token("/connexion")
        response = self.client.post("/connexion", data={"email": email, "password": password, "csrf_token": self.token})
        self.refresh_token("/")
        return response

    def get(self, url: str, **kwargs):
        """GET a page."""
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kwargs):
        """POST a form, with the session's CSRF token unless told otherwise."""
        payload = dict(data or {})
        if csrf:
            payload.setdefault("csrf_token", self.token)
        return self.client.post(url, data=payload, **kwargs)


@pytest.fixture
def browser(app) -> Browser:
    """Return an anonymous browser."""
    return Browser(app.test_client())


@pytest.fixture
def login(app):
    """Return a function that opens a browser signed in as a role of organisation A."""

    def _login(role, org: str = "a") -> Browser:
        browser = Browser(app.test_client())
        response = browser.login(getattr(app.config["WORLD"], org).users[role])
        assert response.status_code == 302, response.get_data(as_text=True)
        return browser

    return _login
