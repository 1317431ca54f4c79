"""How each kind's checked rows meet the organisation's stored records, and are written.

A store loads once what matching needs (``index``: stored records by natural key, the records
a row may point at), then for each checked row says whether it creates, updates or repeats a
record, or why it cannot (``match``); ``write`` writes the rows of a plan without errors;
``export`` gives the records back as rows of the kind's fields, the layout the import reads.

Kinds whose row is one record of one model (companies, SIAE, buyers) use ``ModelStore``;
kinds whose rows point at other records (a lot's tender, an hour's person) have their own.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.dataimport import CREATE, ERROR, KINDS, SKIP, UPDATE, Kind, RowResult, natural_key, shown
from app.models import Buyer, Company, Siae


def note_changes(result: RowResult, kind: Kind, current: dict[str, object], record_id: int) -> None:
    """Compare a row with its stored record: update the fields that differ, else « identique ».

    An empty cell never erases what is stored (another tool's extraction often leaves out what
    Clausier knows): only the roles the row holds are compared.
    """
    result.match_id = record_id
    result.changes = {role: (current.get(role), value) for role, value in result.values.items()
                      if role in current and shown(current.get(role)) != shown(value)}
    settle_changes(result, kind)


def settle_changes(result: RowResult, kind: Kind) -> None:
    """Say what a matched row does from its ``changes``: an update naming the fields, or « identique »."""
    result.action = UPDATE if result.changes else SKIP
    if not result.changes:
        result.reasons = ["identique"]
    else:
        labels = ", ".join(kind.field(role).label for role in result.changes)
        result.reasons = [f"déjà enregistré : {labels} à mettre à jour"]


def refuse(result: RowResult, reason: str) -> None:
    """Mark a row as an error (what it points at is missing, ambiguous or contradicts what is stored)."""
    result.action = ERROR
    result.reasons.append(reason)


@dataclass
class Index:
    """What a store loaded for one plan: stored records by natural key, and anything else it needs."""

    records: dict[tuple[str, ...], object] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)


class Store:
    """The stored side of one kind: subclasses say how rows are matched, written and exported."""

    kind: Kind

    def index(self, session: Session, scope: Scope, results: list[RowResult]) -> Index:
        """Load what matching ``results`` needs, in a few queries whatever their number."""
        raise NotImplementedError

    def match(self, result: RowResult, index: Index) -> None:
        """Turn a row that would create into an update, a repeat (« identique ») or an error."""
        raise NotImplementedError

    def write(self, session: Session, scope: Scope, results: list[RowResult], index: Index) -> None:
        """Write the created and updated rows (the plan has no error); the caller flushes."""
        raise NotImplementedError

    def export(self, session: Session, scope: Scope) -> Iterator[dict[str, object]]:
        """Yield the organisation's records as ``{role: value}``, in the kind's natural order."""
        raise NotImplementedError


class ModelStore(Store):
    """A kind whose row is one record of ``model``, with the kind's roles as column names."""

    def __init__(self, kind: Kind, model) -> None:
        self.kind, self.model = kind, model

    def _ours(self, scope: Scope):
        return select(self.model).where(self.model.organisation_id == scope.organisation_id)

    def index(self, session: Session, scope: Scope, results: list[RowResult]) -> Index:
        found = Index()
        for record in session.scalars(self._ours(scope).order_by(self.model.id)):
            key = natural_key({role: getattr(record, role) for role in self.kind.natural_key}, self.kind)
            if key is not None:
                found.records.setdefault(key, record)
        return found

    def match(self, result: RowResult, index: Index) -> None:
        record = index.records.get(natural_key(result.values, self.kind))
        if record is not None:
            note_changes(result, self.kind, {role: getattr(record, role) for role in self.kind.roles}, record.id)

    def write(self, session: Session, scope: Scope, results: list[RowResult], index: Index) -> None:
        for result in results:
            if result.action == CREATE:
                session.add(self.model(organisation_id=scope.organisation_id, **result.values))
            elif result.action == UPDATE:
                record = session.get(self.model, result.match_id)
                for role, (_old, new) in result.changes.items():
                    setattr(record, role, new)

    def export(self, session: Session, scope: Scope) -> Iterator[dict[str, object]]:
        order = (*(getattr(self.model, role) for role in self.kind.natural_key), self.model.id)
        for record in session.scalars(self._ours(scope).order_by(*order)):
            yield {role: getattr(record, role) for role in self.kind.roles}


STORES: dict[str, Store] = {}


def register(stores: Iterable[Store]) -> None:
    """Add stores to the registry, by their kind's name."""
    for store in stores:
        STORES[store.kind.name] = store


register([ModelStore(KINDS["companies"], Company), ModelStore(KINDS["siae"], Siae),
          ModelStore(KINDS["buyers"], Buyer)])


def store_of(kind: Kind) -> Store:
    """Return the store of ``kind``."""
    return STORES[kind.name]
