"""Who a preview line may be attached to: the participants placed with the sheet's structure.

The preview page once carried every one of them in a select on every line (12.7 MB for a
300-person sheet, issue #22). It now names the few a line needs — its match, its suggestions,
the choice already made — and finds the others on request, never beyond the structure.
"""

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Participant, Placement
from app.models.timesheets import TimesheetImport

SEARCH_LIMIT = 20
MIN_SEARCH = 2


def _candidates(imp: TimesheetImport):
    """Select the participants placed with the import's structure (the session's scope applies too)."""
    placed = (Placement.siae_id == imp.siae_id) if imp.siae_id else (Placement.company_id == imp.company_id)
    return select(Participant).where(Participant.id.in_(select(Placement.participant_id).where(placed)))


def candidate_label(person: Participant) -> str:
    """Return « DUPONT Marie (P-0012) »: the name and the code that tells two homonyms apart."""
    return f"{person.display_name} ({person.code})"


def search_candidates(session: Session, imp: TimesheetImport, text: str,
                      limit: int = SEARCH_LIMIT) -> list[dict]:
    """Return the structure's participants whose name or code holds every word of ``text``."""
    words = (text or "")[:100].lower().split()[:5]
    if len("".join(words)) < MIN_SEARCH:
        return []
    statement = _candidates(imp)
    for word in words:
        statement = statement.where(or_(Participant.last_name.icontains(word, autoescape=True),
                                        Participant.first_name.icontains(word, autoescape=True),
                                        Participant.code.icontains(word, autoescape=True)))
    people = session.scalars(statement.order_by(Participant.last_name, Participant.first_name, Participant.id)
                             .limit(limit)).all()
    return [{"id": person.id, "label": candidate_label(person)} for person in people]


def candidate_labels(session: Session, imp: TimesheetImport, ids: Iterable) -> dict[int, str]:
    """Return the labels of those of ``ids`` that are the structure's participants, in one query.

    An id from elsewhere (another structure, another organisation, a forged form) is left out.
    """
    wanted = {int(value) for value in ids if str(value).isdigit() and len(str(value)) <= 12}
    if not wanted:
        return {}
    people = session.scalars(_candidates(imp).where(Participant.id.in_(wanted))).all()
    return {person.id: candidate_label(person) for person in people}
