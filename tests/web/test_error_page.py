"""The French 500 page renders on a broken database session, and no bound value reaches the log."""

import logging
from datetime import date

import pytest
from sqlalchemy import text

from app.db import db
from app.domain.enums import Role
from app.models import Participant
from app.web.context import get_session
from tests.conftest import page_text

PERSONAL = {"last_name": "Secretname", "first_name": "Hiddenfirst", "birth_on": date(1987, 4, 23),
            "phone": "0699887766", "email": "personne.privee@exemple.fr"}


@pytest.fixture
def failing_home(app, monkeypatch):
    """Make the home page fail the way a bad statement does, leaving the session needing a rollback."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def broken():
        session = get_session()
        # An unknown organisation breaks the foreign key: the INSERT fails with every value bound.
        session.add(Participant(organisation_id=987654, code="X1", **PERSONAL))
        session.flush()

    monkeypatch.setitem(app.view_functions, "main.home", broken)


def test_server_error_page_is_french_after_failed_statement(login, failing_home, caplog):
    browser = login(Role.FACILITATEUR)
    caplog.set_level(logging.DEBUG)
    response = browser.get("/")
    assert response.status_code == 500
    page = page_text(response)
    assert "Erreur inattendue" in page and "Internal Server Error" not in page
    assert response.headers["Cache-Control"] == "no-store"
    assert caplog.records, "the failure is logged"
    for value in ("Secretname", "Hiddenfirst", "1987-04-23", "0699887766", "personne.privee"):
        assert value not in caplog.text


def test_engine_hides_bound_parameters():
    assert db.engine.hide_parameters is True


@pytest.mark.postgres
def test_postgres_nul_byte_fails_without_personal_data_in_message(app, session):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL seulement (DATABASE_URL)")
    from sqlalchemy.exc import DataError

    organisation_id = session.scalar(text("SELECT id FROM organisation ORDER BY id LIMIT 1"))
    session.add(Participant(organisation_id=organisation_id, code="X2", **{**PERSONAL, "last_name": "Secret\x00name"}))
    with pytest.raises(DataError) as failure:
        session.flush()
    session.rollback()
    for value in ("Secret", "Hiddenfirst", "1987-04-23", "0699887766", "personne.privee"):
        assert value not in str(failure.value)


@pytest.mark.postgres
def test_postgres_error_page_after_nul_byte(app, login, monkeypatch, caplog):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL seulement (DATABASE_URL)")
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def broken():
        session = get_session()
        organisation_id = session.scalar(text("SELECT id FROM organisation ORDER BY id LIMIT 1"))
        session.add(Participant(organisation_id=organisation_id, code="X3",
                                **{**PERSONAL, "last_name": "Secret\x00name"}))
        session.flush()

    monkeypatch.setitem(app.view_functions, "main.home", broken)
    browser = login(Role.FACILITATEUR)
    caplog.set_level(logging.DEBUG)
    response = browser.get("/")
    assert response.status_code == 500 and "Erreur inattendue" in page_text(response)
    for value in ("Secret", "Hiddenfirst", "1987-04-23", "0699887766", "personne.privee"):
        assert value not in caplog.text


def test_database_error_text_is_redacted_in_logs(caplog):
    """PostgreSQL quotes row values in its messages (« Key (email)=(…) »): the log keeps none."""
    from sqlalchemy.exc import IntegrityError

    from app.log_masking import MaskTokensFilter

    class UniqueViolation(Exception):
        sqlstate = "23505"

        class diag:
            table_name, constraint_name, column_name = "user_account", "uq_user_account_email", None

    driver = UniqueViolation('duplicate key value violates unique constraint "uq_user_account_email"\n'
                             "DETAIL:  Key (email)=(personne.privee@exemple.fr) already exists.")
    logger = logging.getLogger("tests.redaction")
    logger.addFilter(MaskTokensFilter())
    try:
        try:
            raise IntegrityError("INSERT INTO user_account …", {}, driver) from driver
        except IntegrityError:
            logger.exception("Exception on /comptes [POST]")
    finally:
        logger.filters.clear()
    assert "personne.privee" not in caplog.text
    assert "UniqueViolation" in caplog.text and "23505" in caplog.text and "uq_user_account_email" in caplog.text
    assert "test_database_error_text_is_redacted_in_logs" in caplog.text  # the traceback's frames stay
