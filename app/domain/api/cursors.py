"""Opaque pagination cursors: the last id seen, so a page never shifts when rows are added."""

import base64
import binascii


MAX_ID = 2**31 - 1


class CursorError(ValueError):
    """A cursor that this API did not write."""


def encode_cursor(last_id: int) -> str:
    """Return the cursor that resumes after ``last_id``."""
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """Return the id a cursor resumes after (0 for the first page); raise CursorError."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise CursorError("Ce curseur de pagination n'est pas valide.") from None
    kind, _, raw = text.partition(":")
    # Ids are PostgreSQL integers: a larger one is no cursor of ours (and would fail in SQL).
    if kind != "after" or not raw.isdigit() or int(raw) > MAX_ID:
        raise CursorError("Ce curseur de pagination n'est pas valide.")
    return int(raw)
