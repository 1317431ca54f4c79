"""Settings: the embedded default needs nothing; production refuses to start half-configured."""

import pytest

from app.config import ConfigError, load_settings, normalise_database_url, parse_mail_url


def test_load_settings_embedded_default_uses_sqlite_and_inline_jobs(tmp_path):
    settings = load_settings({"CLAUSIER_INSTANCE_PATH": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'clausier.sqlite3'}"
    assert settings.redis_url is None
    assert len(settings.secret_key) == 64


def test_load_settings_development_secret_is_kept_between_starts(tmp_path):
    first = load_settings({"CLAUSIER_INSTANCE_PATH": str(tmp_path)}).secret_key
    assert load_settings({"CLAUSIER_INSTANCE_PATH": str(tmp_path)}).secret_key == first


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_load_settings_production_without_variable_refuses_in_french(tmp_path, missing):
    environ = {"APP_ENV": "production", "SECRET_KEY": "s" * 40, "DATABASE_URL": "postgresql://db/clausier",
               "CLAUSIER_INSTANCE_PATH": str(tmp_path)}
    del environ[missing]
    with pytest.raises(ConfigError, match=f"refuse de démarrer.*{missing}"):
        load_settings(environ)


def test_load_settings_production_complete_uses_psycopg3(tmp_path):
    settings = load_settings({"APP_ENV": "production", "SECRET_KEY": "s" * 40, "REDIS_URL": "redis://127.0.0.1:6379/0",
                              "DATABASE_URL": "postgres://u@db/clausier", "CLAUSIER_INSTANCE_PATH": str(tmp_path)})
    assert settings.database_url == "postgresql+psycopg://u@db/clausier"
    assert settings.is_production and settings.redis_url


def test_normalise_database_url_leaves_sqlite_alone():
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://user:p%40ss@smtp.example.fr:587?tls=starttls", ("smtp.example.fr", 587, "user", "p@ss", "starttls")),
    ("smtps://smtp.example.fr", ("smtp.example.fr", 465, "", "", "ssl")),
    ("smtp://127.0.0.1:2525?tls=none", ("127.0.0.1", 2525, "", "", "none")),
])
def test_mail_url_is_read(url, expected):
    server = parse_mail_url(url)
    assert (server.host, server.port, server.username, server.password, server.tls) == expected
    assert "p@ss" not in repr(server)


@pytest.mark.parametrize("url", ["http://smtp.example.fr", "smtp://smtp.example.fr?tls=maybe", "smtp://:25"])
def test_malformed_mail_url_stops_start_up_in_french(url):
    with pytest.raises(ConfigError, match="MAIL_URL"):
        load_settings({"MAIL_URL": url, "CLAUSIER_INSTANCE_PATH": "/tmp/clausier-config-test"})
