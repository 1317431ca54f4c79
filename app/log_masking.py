"""Company-link tokens never reach a log: the token in /lien/<token> is masked in every logged line.

A token is a key to a company's form, valid for days: whoever reads the access log (hosting
staff, a log service) could open it. The development server (werkzeug), Flask's own error log
and gunicorn (app.gunicorn_logging) all pass their lines through ``mask_tokens``.
"""

import logging
import re

TOKEN_IN_PATH = re.compile(r"(/lien/)[^\s/?#\"']+")
MASK = r"\1[jeton masqué]"


def mask_tokens(text: str) -> str:
    """Return ``text`` with every company-link token replaced by a mark."""
    return TOKEN_IN_PATH.sub(MASK, text)


class MaskTokensFilter(logging.Filter):
    """Rewrite a record's final message with its tokens masked (the arguments are merged in)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install_log_masking(*loggers: logging.Logger) -> None:
    """Mask tokens in werkzeug's request log and in the given loggers (Flask's app logger)."""
    for logger in (logging.getLogger("werkzeug"), *loggers):
        if not any(isinstance(existing, MaskTokensFilter) for existing in logger.filters):
            logger.addFilter(MaskTokensFilter())
