"""Engine and sessions: one session per request, session_scope() for jobs and the CLI."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


class Database:
    """Hold the engine and the session factory of one app (or one worker)."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session_factory: sessionmaker[Session] | None = None

    def configure(self, url: str, **engine_options) -> None:
        """Create the engine for ``url``; SQLite gets foreign keys and a busy timeout."""
        if self.engine is not None:
            self.engine.dispose()
        # Bound values are names, birth dates, phone numbers: a failed statement must not copy
        # them into the server log (SQLAlchemy puts them in its error messages otherwise).
        engine_options.setdefault("hide_parameters", True)
        if url.startswith("sqlite"):
            engine_options.setdefault("connect_args", {"timeout": 30})
        else:
            engine_options.setdefault("pool_pre_ping", True)
        self.engine = create_engine(url, **engine_options)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)

    def session(self, **info) -> Session:
        """Open a new session; ``info`` carries the access scope (see app.access)."""
        if self.session_factory is None:
            raise RuntimeError("Database.configure() must run before sessions are opened.")
        session = self.session_factory()
        session.info.update(info)
        return session

    @contextmanager
    def session_scope(self, **info) -> Iterator[Session]:
        """Yield a session that commits on success and rolls back on error."""
        session = self.session(**info)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite ignores foreign keys unless asked, and WAL lets the web read while a job writes.
    # pysqlite's own transaction handling breaks SAVEPOINT: SQLAlchemy emits BEGIN itself
    # (the recipe of SQLAlchemy's SQLite dialect documentation).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


db = Database()


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def refresh_statistics(engine: Engine) -> None:
    """Run ANALYZE so the planner knows the tables' sizes after a bulk load (seed, large import).

    On a freshly loaded PostgreSQL without statistics the planner picks nested loops: the
    dashboards' queries took 676–804 ms instead of 2–3 ms. Autovacuum would catch up later, if it
    is on; ANALYZE costs a fraction of a second. SQLite is left alone: its ANALYZE takes the
    write lock the other connections of the embedded mode are waiting for, for little gain.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))

