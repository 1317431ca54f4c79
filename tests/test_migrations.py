"""Migrations build the schema from empty, and the models match them."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.db import db
from app.models import Base


def test_upgrade_from_empty_creates_every_table(app):
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_match_migrations_no_pending_change(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []



def _insert(connection, table: str, **values) -> None:
    """Insert a row, filling every other NOT NULL column with a neutral value of its type."""
    from sqlalchemy import text

    for column in inspect(connection).get_columns(table):
        if column["name"] in values or column["nullable"] or column["default"] is not None \
                or column.get("primary_key"):
            continue
        kind = str(column["type"]).upper()
        values[column["name"]] = 0 if ("INT" in kind or "BOOL" in kind or "NUMERIC" in kind) else (
            "2026-01-01" if ("DATE" in kind or "TIME" in kind) else "")
    names = ", ".join(values)
    connection.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in values)})"),
                       values)


def test_revision_0015_fills_the_request_date_and_downgrades_cleanly(tmp_path):
    # A file database of its own: the shared test database stays at head for the other tests.
    from alembic import command
    from sqlalchemy import create_engine, text

    from app.services.migrations import alembic_config

    url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    config = alembic_config(url)
    command.upgrade(config, "0013")
    engine = create_engine(url)
    with engine.begin() as connection:
        _insert(connection, "organisation", id=1, name="PLIE", kind="plie")
        _insert(connection, "fiche", organisation_id=1, status="recue", submitted_at="2026-09-15 08:30:00")
        _insert(connection, "fiche", organisation_id=1, status="brouillon")
        _insert(connection, "fse_operation", organisation_id=1, year=2026, title="Clauses 2026")
    command.upgrade(config, "0015")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT requested_on, rome_code, application_channel FROM fiche "
                                       "ORDER BY id")).all()
        assert [(str(r.requested_on), r.rome_code, r.application_channel) for r in rows] == [
            ("2026-09-15", "", ""), ("None", "", "")]
        assert connection.execute(text("SELECT operation_number FROM fse_operation")).scalar_one() == ""
    command.downgrade(config, "0013")
    with engine.connect() as connection:
        assert "rome_code" not in {c["name"] for c in inspect(connection).get_columns("fiche")}
        assert "operation_number" not in {c["name"] for c in inspect(connection).get_columns("fse_operation")}
    engine.dispose()
