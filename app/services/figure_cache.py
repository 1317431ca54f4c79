"""A short-lived cache of an organisation's figures and pages, keyed by its data version.

Dashboards and relevé previews under load read, they do not recompute: what a page shows is kept for
``TTL_SECONDS`` under a key made of the organisation, its data version and the page's scope
(report filter and day). The data version is the newest ``data_change`` row of the organisation
and of "every organisation" (app.models.changes): any transaction that changes hours, lots,
placements, participants or structures adds one, so a cached entry is never served after the
data it was computed from has changed — whatever process made the change (web, worker, CLI).

The cache lives in each process (a bounded LRU): the version check is in the database, so a
process cannot serve stale figures, and sharing entries between gunicorn workers through Redis
would save at most a recomputation per worker and per change, for a network hop and one more
failure mode on every page view.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy import delete, func, select, union_all
from sqlalchemy.orm import Session

from app.models.changes import EVERY_ORGANISATION, DataChange

T = TypeVar("T")

TTL_SECONDS = 300.0
MAX_ENTRIES = 256


def data_version(session: Session, organisation_id: int) -> tuple:
    """Return the organisation's data version: its newest change and the newest global one.

    The change's time is part of the version: an id alone may come back after a rollback (SQLite
    reuses the highest rowid), a time does not.
    """
    newest = [
        select(DataChange.organisation_id, DataChange.id, DataChange.changed_at)
        .where(DataChange.organisation_id == org).order_by(DataChange.id.desc()).limit(1).subquery().select()
        for org in (organisation_id, EVERY_ORGANISATION)
    ]
    rows = session.execute(union_all(*newest)).all()
    found = {org: (change_id, str(changed_at)) for org, change_id, changed_at in rows}
    return found.get(organisation_id), found.get(EVERY_ORGANISATION)


def prune_data_changes(session: Session, now: datetime | None = None, keep: timedelta = timedelta(days=1)) -> int:
    """Delete the change rows no version needs any more (all but each organisation's newest); return how many."""
    cutoff = (now or datetime.now(UTC)) - keep
    newest = select(func.max(DataChange.id)).group_by(DataChange.organisation_id)
    return session.execute(delete(DataChange).where(DataChange.changed_at < cutoff, DataChange.id.not_in(newest)),
                           execution_options={"synchronize_session": False}).rowcount or 0


class FigureCache:
    """A bounded LRU of computed figures with a time to live; safe across threads."""

    def __init__(self, ttl: float = TTL_SECONDS, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.enabled = True
        self._entries: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def clear(self) -> None:
        """Forget every entry (tests; a settings change)."""
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def get_or_compute(self, session: Session, organisation_id: int, key: Hashable, compute: Callable[[], T]) -> T:
        """Return the cached value of ``key`` for the organisation's current data, computing it if needed."""
        if not self.enabled:
            return compute()
        engine = getattr(session.get_bind(), "engine", None) or session.get_bind()
        # The database is part of the key: two databases (tests, several apps) never share entries;
        # so is what the session may see (a structure user's rows are filtered by app.access).
        scope = session.info.get("scope")
        sees = None if scope is None else (scope.organisation_id, scope.role, scope.siae_id, scope.company_id)
        full_key = (id(engine), str(engine.url), organisation_id, sees, data_version(session, organisation_id), key)
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(full_key)
            if entry is not None and entry[0] > now:
                self._entries.move_to_end(full_key)
                self.hits += 1
                return entry[1]
        self.misses += 1
        value = compute()
        with self._lock:
            self._entries[full_key] = (now + self.ttl, value)
            self._entries.move_to_end(full_key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value


figure_cache = FigureCache()
