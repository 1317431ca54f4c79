"""After a bulk load PostgreSQL's planner statistics are refreshed (ANALYZE); SQLite is left alone."""

import os

import pytest
from sqlalchemy import create_engine, text

from app.db import refresh_statistics


def test_sqlite_left_alone(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'stats.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE hours (id INTEGER PRIMARY KEY, lot INTEGER)"))
        connection.execute(text("CREATE INDEX hours_lot ON hours (lot)"))
        connection.execute(text("INSERT INTO hours (lot) VALUES " + ",".join(f"({i % 7})" for i in range(200))))
        refresh_statistics(engine)  # another connection holds the write lock: no wait, no error
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")).scalar() == 0


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
                    reason="PostgreSQL seulement (DATABASE_URL)")
def test_postgresql_tables_analyzed():
    engine = create_engine(os.environ["DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS stats_probe (id serial PRIMARY KEY, lot int)"))
        connection.execute(text("INSERT INTO stats_probe (lot) SELECT g % 7 FROM generate_series(1, 200) g"))
    try:
        refresh_statistics(engine)
        with engine.connect() as connection:
            analyzed = connection.execute(text(
                "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'stats_probe'")).scalar()
        assert analyzed is not None
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE stats_probe"))
        engine.dispose()
