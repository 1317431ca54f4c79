"""The audit trail: append-only events (who read, exported or changed what), purged after a year."""

from datetime import datetime, timedelta

from sqlalchemy import delete, event
from sqlalchemy.orm import ORMExecuteState, Session

from app.models import AuditEvent
from app.models.base import utcnow

RETENTION = timedelta(days=365)


class AuditTrailError(RuntimeError):
    """Something tried to change or delete an audit event."""


def record(session: Session, *, organisation_id: int, user_id: int | None, action: str, object_type: str,
           object_id: int | None = None, detail: str = "") -> None:
    """Append one event; ``detail`` names the kind of thing, never a person."""
    session.add(AuditEvent(organisation_id=organisation_id, user_id=user_id, action=action,
                           object_type=object_type, object_id=object_id, detail=detail[:200]))


def purge_audit(session: Session, now: datetime | None = None) -> int:
    """Delete events older than 12 months; the only deletion the trail allows."""
    cutoff = (now or utcnow()) - RETENTION
    result = session.execute(delete(AuditEvent).where(AuditEvent.created_at < cutoff),
                             execution_options={"audit_purge": True})
    return result.rowcount or 0


@event.listens_for(AuditEvent, "before_update")
def _no_update(_mapper, _connection, _target) -> None:
    raise AuditTrailError("Le journal d'audit ne peut pas être modifié.")


@event.listens_for(AuditEvent, "before_delete")
def _no_delete(_mapper, _connection, _target) -> None:
    raise AuditTrailError("Le journal d'audit ne peut pas être effacé.")


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_change(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ is AuditEvent and not state.execution_options.get("audit_purge"):
        raise AuditTrailError("Le journal d'audit ne peut pas être modifié.")
