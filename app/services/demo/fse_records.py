"""Demo FSE+ participant records: most participants of the demo operation have their entry data,
the exit situation once they left and, for some, the 6-month survey, so that the completeness
rate is plausible (80–90 %) and the common-indicator table has something to count.

Called at the end of seed_demo; one bulk insert keeps the large scale fast.
"""

import random
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.domain.enums import Criterion
from app.domain.reports.exits import add_months
from app.domain.reports.fse import SURVEY_MONTHS
from app.domain.reports.fse_common import EducationLevel, LabourStatus
from app.models import FseOperation, FseParticipantRecord, Participant
from app.services.reports.fse_records import operation_participants

# Shares of an office that keeps its records up to date, with the usual gaps.
RECORD_SHARE = 0.93  # the others have no record typed yet
EXIT_SHARE = 0.92  # exit situations recorded within the 4 weeks
SURVEY_SHARE = 0.75  # people reached for the 6-month survey
EDUCATION = {"infra3": EducationLevel.ISCED_0_2, "3": EducationLevel.ISCED_3_4, "4": EducationLevel.ISCED_3_4}


def _labour_status(rng: random.Random, criteria: set[Criterion]) -> LabourStatus:
    if criteria & {Criterion.DELD, Criterion.DETLD}:
        return LabourStatus.LONG_TERM_UNEMPLOYED
    if Criterion.BRSA in criteria:
        return rng.choice([LabourStatus.LONG_TERM_UNEMPLOYED, LabourStatus.UNEMPLOYED, LabourStatus.INACTIVE])
    return rng.choice([LabourStatus.UNEMPLOYED, LabourStatus.UNEMPLOYED, LabourStatus.EMPLOYED])


def _exit_answers(rng: random.Random) -> dict:
    # One situation per person, as the question is asked; a few gain a qualification on the way.
    situation = rng.choices(["exit_employed", "exit_job_searching", "exit_in_education"], weights=[5, 4, 1])[0]
    answers = {name: name == situation for name in ("exit_employed", "exit_job_searching", "exit_in_education")}
    answers["exit_qualification"] = rng.random() < 0.15
    return answers


def _survey(rng: random.Random, exit_on: date, today: date) -> dict:
    survey_on = add_months(exit_on, SURVEY_MONTHS) + timedelta(days=rng.randint(0, 20))
    if survey_on > today or rng.random() > SURVEY_SHARE:
        return {}
    employed = rng.random() < 0.55
    return {"six_months_on": survey_on, "six_months_employed": employed,
            "six_months_improved": employed or rng.random() < 0.2}


def seed_fse_records_demo(session: Session, organisation_id: int, *, today: date,
                          operation: FseOperation | None = None) -> int:
    """Type the FSE+ records of a demo operation's participants (the first one by default); return how many."""
    rng = random.Random(14)
    operation = operation or session.scalar(select(FseOperation).where(
        FseOperation.organisation_id == organisation_id).order_by(FseOperation.id))
    if operation is None:
        return 0
    people = operation_participants(session, operation.id, today)
    details = {person.id: person for person in session.scalars(
        select(Participant).where(Participant.id.in_([p.participant_id for p in people])))}
    rows = []
    for person in people:
        if rng.random() > RECORD_SHARE:
            continue
        detail = details[person.participant_id]
        criteria = {item.criterion for item in detail.criteria}
        row = {
            "organisation_id": organisation_id, "fse_operation_id": operation.id,
            "participant_id": person.participant_id, "entry_on": None, "exit_on": None,
            "labour_status": _labour_status(rng, criteria),
            "education_level": EDUCATION.get(detail.qualification_level or "", EducationLevel.ISCED_5_8),
            # Sensitive: about one in ten prefers not to answer.
            "is_disabled": None if rng.random() < 0.1 else Criterion.RQTH in criteria,
            "is_minority": None if rng.random() < 0.3 else False,
            "is_third_country_national": rng.random() < 0.08, "has_foreign_background": rng.random() < 0.2,
            "is_homeless": rng.random() < 0.03, "is_rural": rng.random() < 0.1,
            "exit_job_searching": None, "exit_in_education": None, "exit_qualification": None,
            "exit_employed": None, "six_months_on": None, "six_months_employed": None, "six_months_improved": None,
        }
        if person.has_exited(today) and rng.random() < EXIT_SHARE:
            row.update(_exit_answers(rng))
            row.update(_survey(rng, person.exit_on, today))
        rows.append(row)
    if rows:
        session.execute(insert(FseParticipantRecord), rows)
    return len(rows)
