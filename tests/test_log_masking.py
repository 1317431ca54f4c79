"""Company-link tokens are masked in werkzeug's, Flask's and gunicorn's logs."""

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from werkzeug.serving import WSGIRequestHandler

from app.gunicorn_logging import MaskingLogger
from app.log_masking import mask_tokens

TOKEN = "eyJpZCI6MTIsIm4iOiJhYmMifQ.Z1x2y3.SecretSignature_-42"


@pytest.mark.parametrize("text, expected", [
    (f"GET /lien/{TOKEN} HTTP/1.1", "GET /lien/[jeton masqué] HTTP/1.1"),
    (f"POST /lien/{TOKEN}?action=draft HTTP/1.1", "POST /lien/[jeton masqué]?action=draft HTTP/1.1"),
    (f"http://clausier.example/lien/{TOKEN}", "http://clausier.example/lien/[jeton masqué]"),
    ("GET /participants/3 HTTP/1.1", "GET /participants/3 HTTP/1.1"),
])
def test_mask_tokens(text, expected):
    assert mask_tokens(text) == expected


def test_werkzeug_request_log_masks_token(app, caplog):
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.path, handler.command, handler.request_version = f"/lien/{TOKEN}", "GET", "HTTP/1.1"
    handler.client_address = ("127.0.0.1", 50000)
    caplog.set_level(logging.INFO, logger="werkzeug")
    handler.log_request(200, 512)
    assert "/lien/[jeton masqué]" in caplog.text
    assert "SecretSignature" not in caplog.text


def test_flask_error_log_masks_token(app, caplog):
    caplog.set_level(logging.ERROR)
    app.logger.error("Exception on %s [%s]", f"/lien/{TOKEN}", "POST")
    assert "SecretSignature" not in caplog.text and "/lien/[jeton masqué]" in caplog.text


def test_gunicorn_access_log_masks_token_in_path_and_referer(capsys):
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = MaskingLogger(cfg)
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": f"/lien/{TOKEN}", "PATH_INFO": f"/lien/{TOKEN}",
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1",
               "HTTP_REFERER": f"https://clausier.example/lien/{TOKEN}", "HTTP_USER_AGENT": "test"}
    request = SimpleNamespace(headers=[("REFERER", f"https://clausier.example/lien/{TOKEN}")])
    response = SimpleNamespace(status="302 FOUND", sent=0, headers=[])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
    assert not [key for key, value in atoms.items() if isinstance(value, str) and "SecretSignature" in value]
    logger.access(response, request, environ, timedelta(milliseconds=5))
    line = capsys.readouterr().out
    assert "/lien/[jeton masqué]" in line and "SecretSignature" not in line
