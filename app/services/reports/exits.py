"""Record how participants leave a placement, classify the exit, and remind the 6-month survey.

Callers commit.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.access import Scope
from app.domain.reports.exits import ExitClassificationError, ExitSituation, classify_exit, follow_up_due_on
from app.models import ParticipantExit, Placement
from app.services.referential import ServiceError


def record_exit(session: Session, scope: Scope, placement: Placement, data: dict) -> ParticipantExit:
    """Create or update the exit of a placement; the category follows DOMAIN.md §7."""
    exit_on: date | None = data.get("exit_on")
    if exit_on is None:
        raise ServiceError("Indiquez la date de sortie.", "exit_on")
    if exit_on < placement.starts_on:
        raise ServiceError("La date de sortie précède le début de la mise en situation.", "exit_on")
    situation = ExitSituation(data["situation"])
    starts_on = data.get("situation_starts_on") or exit_on
    ends_on = data.get("situation_ends_on")
    try:
        category = classify_exit(situation, starts_on, ends_on, bool(data.get("is_subsidised")))
    except ExitClassificationError as exc:
        raise ServiceError(str(exc), "situation_ends_on") from None
    row = exit_of(session, placement)
    if row is None:
        row = ParticipantExit(organisation_id=scope.organisation_id, placement_id=placement.id,
                              participant_id=placement.participant_id)
        session.add(row)
    row.exit_on, row.situation, row.category = exit_on, situation, category
    row.situation_starts_on, row.situation_ends_on = starts_on, ends_on
    row.is_subsidised = bool(data.get("is_subsidised"))
    row.employer = (data.get("employer") or "").strip()[:200]
    row.follow_up_due_on = follow_up_due_on(exit_on)
    row.recorded_by_id = scope.user_id
    # Leaving the clause closes the placement on the exit date when it was still open.
    if placement.ends_on is None or placement.ends_on > exit_on:
        placement.ends_on = exit_on
    session.flush()
    return row


def delete_exit(session: Session, row: ParticipantExit) -> None:
    """Forget an exit recorded by mistake (the placement keeps its end date)."""
    session.delete(row)
    session.flush()


def exit_of(session: Session, placement: Placement) -> ParticipantExit | None:
    """Return the exit recorded for a placement, if any."""
    return session.scalar(select(ParticipantExit).where(ParticipantExit.placement_id == placement.id))


def follow_ups_due(session: Session, organisation_id: int, today: date, limit: int = 200) -> list[ParticipantExit]:
    """Return the exits whose 6-month survey is due and not done, oldest first."""
    return list(session.scalars(
        select(ParticipantExit)
        .where(ParticipantExit.organisation_id == organisation_id, ParticipantExit.follow_up_due_on <= today, ParticipantExit.follow_up_done_on.is_(None))
        .options(selectinload(ParticipantExit.participant))
        .order_by(ParticipantExit.follow_up_due_on, ParticipantExit.id).limit(limit)))


def upcoming_follow_ups(session: Session, organisation_id: int, today: date, limit: int = 200
                        ) -> list[ParticipantExit]:
    """Return the exits whose survey is still to come, soonest first."""
    return list(session.scalars(
        select(ParticipantExit)
        .where(ParticipantExit.organisation_id == organisation_id, ParticipantExit.follow_up_due_on > today, ParticipantExit.follow_up_done_on.is_(None))
        .options(selectinload(ParticipantExit.participant))
        .order_by(ParticipantExit.follow_up_due_on, ParticipantExit.id).limit(limit)))


def record_follow_up(session: Session, row: ParticipantExit, done_on: date, note: str, today: date) -> None:
    """Mark the 6-month survey of an exit done."""
    if done_on > today:
        raise ServiceError("La date de la relance ne peut pas être dans le futur.", "done_on")
    if done_on < row.exit_on:
        raise ServiceError("La relance ne peut pas précéder la sortie.", "done_on")
    row.follow_up_done_on, row.follow_up_note = done_on, (note or "").strip()[:500]
    session.flush()
