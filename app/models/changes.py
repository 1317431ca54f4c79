"""What changed, and in which organisation: the data version of the figures' cache.

A flush that adds, edits or removes a row the figures read (hours, placements, lots, tenders,
participants, their criteria and exits, structures, buyers, operations, timesheet imports) adds
one ``data_change`` row per organisation and transaction; a bulk statement on those tables that
names no organisation adds a row for organisation 0, which stands for all of them. The row is
written in the same transaction as the change, so it is visible exactly when the change is: a
page that reads the newest id of its organisation (and of 0) knows whether its cached figures
still hold (app.services.figure_cache). Inserting, not updating one counter, keeps
concurrent writers from waiting on each other's row lock.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, event, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.models.base import Base, utcnow
from app.models.followup import ParticipantExit
from app.models.participants import HourRecord, Participant, ParticipantCriterion, Placement
from app.models.procurement import Buyer, Lot, Operation, Tender
from app.models.structures import Company, Siae
from app.models.timesheets import TimesheetImport

EVERY_ORGANISATION = 0
WATCHED = (HourRecord, Placement, Participant, ParticipantCriterion, ParticipantExit, Lot, Tender, Buyer,
           Operation, Company, Siae, TimesheetImport)
WATCHED_TABLES = frozenset(model.__table__.name for model in WATCHED)
_WRITTEN = "data_change_written"


class DataChange(Base):
    """One transaction that changed an organisation's figures (0: possibly every organisation)."""

    __tablename__ = "data_change"
    __table_args__ = (Index("ix_data_change_organisation_latest", "organisation_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


def _record(session: Session, organisation_ids: set[int]) -> None:
    written = session.info.setdefault(_WRITTEN, set())
    new = organisation_ids - written
    if not new:
        return
    written.update(new)
    now = utcnow()
    # Core statement on the session's connection: no ORM event, so no recursion into this module.
    session.connection().execute(insert(DataChange.__table__),
                                 [{"organisation_id": org, "changed_at": now} for org in sorted(new)])


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    # The lists still hold what this flush wrote; a "dirty" row may have no real change.
    touched = [*session.new, *session.deleted,
               *(obj for obj in session.dirty if session.is_modified(obj, include_collections=False))]
    changed = {EVERY_ORGANISATION if obj.organisation_id is None else obj.organisation_id
               for obj in touched if isinstance(obj, WATCHED)}
    if changed:
        _record(session, changed)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is None or getattr(table, "name", None) not in WATCHED_TABLES:
        return
    parameters = state.parameters
    rows = parameters if isinstance(parameters, list) else [parameters] if parameters else []
    organisations = {row.get("organisation_id") for row in rows if isinstance(row, dict)}
    if state.is_insert and organisations and None not in organisations:
        _record(state.session, organisations)
    else:
        # An UPDATE or DELETE by condition may touch any organisation's rows.
        _record(state.session, {EVERY_ORGANISATION})


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, _transaction) -> None:
    # Committed, rolled back or a savepoint released: the next change writes its own row (a
    # savepoint rolled back takes its row with it, so remembering it would lose the change).
    session.info.pop(_WRITTEN, None)
