"""Pagination cursors and token secrets."""

import pytest

from app.domain.api.cursors import CursorError, decode_cursor, encode_cursor
from app.domain.api.tokens import TokenScope, format_scopes, hash_secret, new_secret, parse_scopes


@pytest.mark.parametrize("last_id", [0, 1, 42, 2**31 - 1])
def test_cursor_round_trip(last_id):
    assert decode_cursor(encode_cursor(last_id)) == last_id


@pytest.mark.parametrize("cursor", ["zz", "YWZ0ZXI6", "YmVmb3JlOjE", encode_cursor(2**31), "é"])
def test_cursor_foreign_refused(cursor):
    with pytest.raises(CursorError):
        decode_cursor(cursor)


def test_token_secret_random_prefixed_and_hashed():
    first, second = new_secret(), new_secret()
    assert first != second and first.startswith("clsr_") and len(first) > 40
    assert len(hash_secret(first)) == 64 and hash_secret(first) != hash_secret(second)


def test_token_scopes_stored_in_a_stable_order():
    stored = format_scopes([TokenScope.WRITE_HOURS, TokenScope.READ_INDICATORS])
    assert stored == "read:indicators write:hours"
    assert parse_scopes(stored + " inconnu") == {TokenScope.WRITE_HOURS, TokenScope.READ_INDICATORS}
