"""The narrative of a bilan: kept per organisation, subject and period, so a regenerated bilan keeps
the texts the facilitator wrote, and offered as a draft written from the figures the first time.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import BilanNarrative
from app.domain.reports.narrative import Narrative, narrative_problems
from app.services.referential import ServiceError


def subject_key(subject: str, *, buyer_id: int | None = None, company_id: int | None = None,
                fse_operation_id: int | None = None) -> str:
    """Return « all », « buyer:12 », « company:3 » or « operation:5 »."""
    ids = {"buyer": buyer_id, "company": company_id, "operation": fse_operation_id}
    return f"{subject}:{ids[subject]}" if ids.get(subject) is not None else subject


def saved_narrative(session: Session, organisation_id: int, key: str, starts_on: date, ends_on: date
                    ) -> BilanNarrative | None:
    """Return the narrative last kept for this subject and period, if any."""
    return session.scalar(select(BilanNarrative).where(
        BilanNarrative.organisation_id == organisation_id, BilanNarrative.subject_key == key,
        BilanNarrative.starts_on == starts_on, BilanNarrative.ends_on == ends_on))


def as_narrative(row: BilanNarrative | None) -> Narrative | None:
    """Return the texts of a kept narrative (None when nothing was kept)."""
    if row is None:
        return None
    return Narrative(highlights=row.highlights, actions=row.actions, difficulties=row.difficulties,
                     outlook=row.outlook)


def check_narrative(narrative: Narrative) -> None:
    """Refuse a section longer than the limit, naming its field."""
    for name, message in narrative_problems(narrative).items():
        raise ServiceError(message, name)


def keep_narrative(session: Session, organisation_id: int, user_id: int | None, *, subject: str, starts_on: date,
                   ends_on: date, narrative: Narrative, buyer_id: int | None = None, company_id: int | None = None,
                   fse_operation_id: int | None = None) -> BilanNarrative:
    """Keep the narrative for this subject and period, replacing the one kept before."""
    check_narrative(narrative)
    key = subject_key(subject, buyer_id=buyer_id, company_id=company_id, fse_operation_id=fse_operation_id)
    row = saved_narrative(session, organisation_id, key, starts_on, ends_on)
    if row is None:
        row = BilanNarrative(organisation_id=organisation_id, subject=subject, subject_key=key, buyer_id=buyer_id,
                             company_id=company_id, fse_operation_id=fse_operation_id, starts_on=starts_on,
                             ends_on=ends_on)
        session.add(row)
    for name, text in narrative.as_dict().items():
        setattr(row, name, text)
    row.updated_by_id = user_id
    session.flush()
    return row
