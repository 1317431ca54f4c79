"""Match checked rows with the organisation's records, then write them all in one go, or nothing.

A row whose natural key (SIRET; a buyer's name) is already stored updates only the fields
that differ, listed in ``changes``; a row identical to its record is skipped. An empty cell
never erases what is stored: another tool's extraction often leaves out what Clausier knows.
"""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.dataimport import CREATE, ERROR, SKIP, UPDATE, Kind, RowResult, natural_key, shown
from app.domain.dataimport import unknown_in, validate_rows
from app.domain.sheetmap import SheetMapping
from app.models import Buyer, Company, Siae
from app.services import audit
from app.services.referential import ServiceError

MODELS = {"companies": Company, "siae": Siae, "buyers": Buyer}


class ImportRefused(ServiceError):
    """Some rows have errors: nothing was written; ``plan`` says which and why."""

    def __init__(self, plan: "Plan") -> None:
        super().__init__(f"{plan.count(ERROR)} ligne(s) en erreur : rien n'a été enregistré.")
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

    def count(self, action: str) -> int:
        """Return how many lines do ``action``."""
        return sum(1 for result in self.results if result.action == action)

    @property
    def has_errors(self) -> bool:
        """Tell whether a line prevents the import."""
        return any(result.action == ERROR for result in self.results)

    def report(self, filename: str = "") -> dict:
        """Return the JSON report: counts and one entry per line."""
        return {"kind": self.kind.name, "file": filename, "created": self.count(CREATE), "updated": self.count(UPDATE),
                "unchanged": self.count(SKIP), "errors": self.count(ERROR),
                "rows": [result.to_dict() for result in self.results]}


def _stored(session: Session, scope: Scope, kind: Kind) -> dict[tuple[str, ...], object]:
    model = MODELS[kind.name]
    records = session.scalars(select(model).where(model.organisation_id == scope.organisation_id)).all()
    found = {}
    for record in records:
        key = natural_key({role: getattr(record, role) for role in kind.natural_key}, kind)
        if key is not None:
            found.setdefault(key, record)
    return found


def plan_import(session: Session, scope: Scope, kind: Kind, rows: list[list[object]], mapping: SheetMapping,
                value_maps: dict[str, dict[str, str]] | None = None) -> Plan:
    """Return the plan of importing ``rows``: created, updated (with the fields that differ), skipped, errors."""
    value_maps = value_maps or {}
    results = validate_rows(rows, mapping, kind, value_maps)
    stored = _stored(session, scope, kind)
    for result in results:
        if result.action != CREATE:
            continue
        record = stored.get(natural_key(result.values, kind))
        if record is None:
            continue
        result.match_id = record.id
        result.changes = {role: (getattr(record, role), value) for role, value in result.values.items()
                          if shown(getattr(record, role)) != shown(value)}
        result.action = UPDATE if result.changes else SKIP
        if not result.changes:
            result.reasons = ["identique"]
        else:
            labels = ", ".join(kind.field(role).label for role in result.changes)
            result.reasons = [f"déjà enregistré : {labels} à mettre à jour"]
    return Plan(kind, rows, mapping, value_maps, results, unknown_in(results))


def apply_plan(session: Session, scope: Scope, plan: Plan, filename: str = "") -> Plan:
    """Check the file again against the stored records, then write every line or none; the caller commits.

    Raise ImportRefused when a line has an error. The writes happen in a savepoint, so a
    failure half-way leaves the session as it was.
    """
    fresh = plan_import(session, scope, plan.kind, plan.rows, plan.mapping, plan.value_maps)
    if fresh.has_errors:
        raise ImportRefused(fresh)
    model = MODELS[plan.kind.name]
    with session.begin_nested():
        for result in fresh.results:
            if result.action == CREATE:
                session.add(model(organisation_id=scope.organisation_id, **result.values))
            elif result.action == UPDATE:
                record = session.get(model, result.match_id)
                for role, (_old, new) in result.changes.items():
                    setattr(record, role, new)
        session.flush()
    audit.record(session, organisation_id=scope.organisation_id, user_id=scope.user_id, action="import",
                 object_type=plan.kind.name,
                 detail=f"{filename[:80]} : {fresh.count(CREATE)} créé(s), {fresh.count(UPDATE)} mis à jour")
    return fresh
