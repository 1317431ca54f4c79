"""Background jobs (RQ) and the worker entry point (``python -m workers``)."""

from app.config import load_settings
from app.db import db


def ensure_database() -> None:
    """Configure the database from the environment when a worker runs a job."""
    if db.engine is None:
        db.configure(load_settings().database_url)
