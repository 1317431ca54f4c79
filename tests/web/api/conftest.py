"""Tokens of organisations A and B: for the organisation, for SIAE A1, for company A1."""

from datetime import date, timedelta

import pytest

from app.access import Scope
from app.domain.api.tokens import TokenScope
from app.services.api.tokens import create_token

ALL_SCOPES = list(TokenScope)
STRUCTURE_SCOPES = [TokenScope.READ_TENDERS, TokenScope.WRITE_HOURS]


@pytest.fixture
def make_token(session, world):
    """Return a function that creates a token and returns its Authorization header."""

    def _make(org: str = "a", structure: str | None = None, scopes=None, expires_in_days: int = 30) -> dict:
        rows = getattr(world, org)
        key = ""
        if structure in ("siae", "company"):
            key = f"{structure}:{rows.ids['siaes' if structure == 'siae' else 'companies']['own']}"
        elif structure is not None:
            key = structure
        chosen = scopes if scopes is not None else (STRUCTURE_SCOPES if key else ALL_SCOPES)
        _, secret = create_token(session, Scope(rows.organisation_id), name="essai", scopes=list(chosen),
                                 expires_on=date.today() + timedelta(days=expires_in_days), structure_key=key)
        session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return _make


@pytest.fixture
def client(app):
    """Return a test client without any session cookie."""
    return app.test_client()
