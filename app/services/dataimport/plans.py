"""Match checked rows with the organisation's records, then write them all in one go, or nothing.

Each kind's store (``stores``) matches the rows: a row whose natural key (SIRET; a buyer's
name) is already stored updates only the fields that differ, listed in ``changes``; a row
identical to its record is skipped; a row pointing at a record that does not exist is an error.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.dataimport import CREATE, ERROR, SKIP, UPDATE, Kind, RowResult, unknown_in, validate_rows
from app.domain.formats import format_count
from app.domain.sheetmap import SheetMapping
from app.services import audit
from app.services.dataimport.stores import Index, store_of
from app.services.referential import ServiceError


class ImportRefused(ServiceError):
    """Some rows have errors: nothing was written; ``plan`` says which and why."""

    def __init__(self, plan: "Plan") -> None:
        errors = plan.count(ERROR)
        super().__init__(f"{format_count(errors, 'ligne')} en erreur : rien n'a été enregistré.")
        self.plan = plan


@dataclass
class Plan:
    """What a file would do to the organisation's records, line by line."""

    kind: Kind
    rows: list[list[object]]
    mapping: SheetMapping
    value_maps: dict[str, dict[str, str]]
    results: list[RowResult]
    unknown: dict[str, list[str]] = field(default_factory=dict)
    index: Index | None = field(default=None, repr=False)
    # The lines as the file alone says them, before matching: a later write matches them again.
    checked: list[RowResult] = field(default_factory=list, repr=False)
    # The session transaction the lines were matched in: a write in the same one need not match again.
    matched_in: object = field(default=None, repr=False)

    def count(self, action: str) -> int:
        """Return how many lines do ``action``."""
        return sum(1 for result in self.results if result.action == action)

    @property
    def has_errors(self) -> bool:
        """Tell whether a line prevents the import."""
        return any(result.action == ERROR for result in self.results)

    def summary(self, filename: str = "") -> dict:
        """Return the report's head: the kind, the file and the count of each action."""
        return {"kind": self.kind.name, "file": filename, "created": self.count(CREATE), "updated": self.count(UPDATE),
                "unchanged": self.count(SKIP), "errors": self.count(ERROR)}

    def report(self, filename: str = "") -> dict:
        """Return the JSON report: counts and one entry per line."""
        return {**self.summary(filename), "rows": [result.to_dict() for result in self.results]}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file's lines are checked, matched or written.

    Those steps allocate a few objects per cell and hold the whole file: each automatic pass
    would walk every row again (a third of a 10 000-line plan's time) to free nothing, since
    they make no reference cycle. Reference counting still frees what they drop; the
    collector resumes, as it was, when the step ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def plan_import(session: Session, scope: Scope, kind: Kind, rows: list[list[object]], mapping: SheetMapping,
                value_maps: dict[str, dict[str, str]] | None = None) -> Plan:
    """Return the plan of importing ``rows``: created, updated (with the fields that differ), skipped, errors."""
    value_maps = value_maps or {}
    with _collector_paused():
        return _matched(session, scope, Plan(kind, rows, mapping, value_maps, [],
                                             checked=validate_rows(rows, mapping, kind, value_maps)))


def _fresh_copy(result: RowResult) -> RowResult:
    return RowResult(result.row, result.action, result.key, dict(result.values), list(result.reasons),
                     unknown=result.unknown)


def _matched(session: Session, scope: Scope, plan: Plan) -> Plan:
    # The file's lines (pure, checked once) met with what is stored now.
    results = [_fresh_copy(result) for result in plan.checked]
    store = store_of(plan.kind)
    index = store.index(session, scope, results)
    for result in results:
        if result.action == CREATE:
            store.match(result, index)
    return Plan(plan.kind, plan.rows, plan.mapping, plan.value_maps, results, unknown_in(results), index,
                plan.checked, session.get_transaction())


def apply_plan(session: Session, scope: Scope, plan: Plan, filename: str = "") -> Plan:
    """Write every line of ``plan`` or none; the caller commits.

    A plan made in an earlier transaction (the preview a user looked at) is matched again with
    what is stored now; one made in this transaction already was (the CLI, the confirmation
    job). Raise ImportRefused when a line has an error. The writes happen in a savepoint, so a
    failure half-way leaves the session as it was.
    """
    with _collector_paused():
        current = plan.matched_in is not None and plan.matched_in is session.get_transaction()
        fresh = plan if current else _matched(session, scope, plan)
        if fresh.has_errors:
            raise ImportRefused(fresh)
        with session.begin_nested():
            store_of(plan.kind).write(session, scope, fresh.results, fresh.index)
            session.flush()
    audit.record(session, organisation_id=scope.organisation_id, user_id=scope.user_id, action="import",
                 object_type=plan.kind.name,
                 detail=f"{filename[:80]} : {format_count(fresh.count(CREATE), 'fiche créée', 'fiches créées')}, "
                        f"{format_count(fresh.count(UPDATE), 'mise à jour', 'mises à jour')}")
    return fresh
