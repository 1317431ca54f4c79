"""Nothing personal reaches a log: company-link tokens are masked, database error details redacted.

A token is a key to a company's form, valid for days: whoever reads the access log (hosting
staff, a log service) could open it. The development server (werkzeug), Flask's own error log
and gunicorn (app.gunicorn_logging) all pass their lines through ``mask_tokens``.
"""

import logging
import re

from sqlalchemy.exc import DBAPIError

TOKEN_IN_PATH = re.compile(r"(/lien/)[^\s/?#\"']+")
MASK = r"\1[jeton masqué]"


def mask_tokens(text: str) -> str:
    """Return ``text`` with every company-link token replaced by a mark."""
    return TOKEN_IN_PATH.sub(MASK, text)


class RedactedDatabaseError(Exception):
    """Stands in a log for a database error whose text may quote the values of a row."""


def redact_database_error(error: DBAPIError) -> RedactedDatabaseError:
    """Return a stand-in naming the error's class, SQLSTATE and constraint, but no value.

    PostgreSQL's message quotes data (« Key (email)=(…) already exists », « invalid input
    syntax for type date: "…" »); hide_parameters=True hides the bound values, not this text.
    """
    orig = error.orig
    diag = getattr(orig, "diag", None)
    parts = [type(orig).__name__ if orig is not None else type(error).__name__]
    if getattr(orig, "sqlstate", None):
        parts.append(f"SQLSTATE {orig.sqlstate}")
    for label, attribute in (("table", "table_name"), ("contrainte", "constraint_name"), ("colonne", "column_name")):
        value = getattr(diag, attribute, None) if diag is not None else None
        if value:
            parts.append(f"{label} {value}")
    redacted = RedactedDatabaseError(f"{type(error).__name__} ({', '.join(parts)}) — détail masqué (données personnelles)")
    return redacted.with_traceback(error.__traceback__)


def _database_error_in(exc: BaseException | None) -> DBAPIError | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DBAPIError):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


class MaskTokensFilter(logging.Filter):
    """Rewrite a record: tokens masked in its message, a database error's details redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[1] is not None:
            error = _database_error_in(record.exc_info[1])
            if error is not None:
                # The stand-in has no cause or context: the chained driver error (with its text)
                # is not printed either. The traceback's frames (code lines) stay.
                redacted = redact_database_error(error)
                record.exc_info = (RedactedDatabaseError, redacted, redacted.__traceback__)
                record.exc_text = None
        return True


def install_log_masking(*loggers: logging.Logger) -> None:
    """Mask tokens in werkzeug's request log and in the given loggers (Flask's app logger)."""
    for logger in (logging.getLogger("werkzeug"), *loggers):
        if not any(isinstance(existing, MaskTokensFilter) for existing in logger.filters):
            logger.addFilter(MaskTokensFilter())
