"""Gunicorn's logger with company-link tokens masked (Procfile: ``--logger-class``)."""

from gunicorn.glogging import Logger

from app.log_masking import MaskTokensFilter, mask_tokens


class MaskingLogger(Logger):
    """Gunicorn's access and error logs, without the token of a /lien/<token> path or referer."""

    def setup(self, cfg) -> None:
        """Set gunicorn's handlers up, then filter the error log (it names the path of a failed request)."""
        super().setup(cfg)
        self.error_log.addFilter(MaskTokensFilter())

    def atoms(self, resp, req, environ, request_time) -> dict:
        """Return the access-log fields with every text masked (request line, path, referer, headers)."""
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}
