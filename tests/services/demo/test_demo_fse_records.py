"""The demo FSE+ operation has most participant records typed: a plausible completeness rate."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.reports import common_indicators, completeness, correction_warning
from app.models import FseOperation, FseParticipantRecord
from app.services.demo.seed import seed_demo
from app.services.reports.fse_records import operation_participants


@pytest.mark.parametrize("today", [date(2026, 11, 22), date(2027, 6, 30)])
def test_seed_demo_fse_records_plausible_completeness(session, today):
    org = seed_demo(session, today=today).organisation_id
    operation = session.scalar(select(FseOperation).where(FseOperation.organisation_id == org))
    people = operation_participants(session, operation.id, today)
    records = session.scalar(select(func.count(FseParticipantRecord.id))
                             .where(FseParticipantRecord.fse_operation_id == operation.id))
    assert 0.8 * len(people) <= records < len(people)
    result = completeness(people, today)
    assert 0.8 <= result.rate <= 0.95 and correction_warning(result) is None
    lines = {line.code: line for line in common_indicators(people, today)}
    assert lines["EECO01"].total == len(people)
    assert lines["EECO02"].total > 0 and lines["EECR04"].total > 0 and lines["EECO12"].not_given > 0
