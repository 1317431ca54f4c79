"""Retention purge: inactive participants anonymised, FSE+ figures kept, dry run changes nothing."""

from datetime import date, timedelta

from sqlalchemy import func, select

from app.domain.enums import Criterion, JobStatus
from app.models import HourRecord, Job, Participant, ParticipantCriterion
from app.models.base import utcnow
from app.services.jobs import create_job
from app.services.retention import ANONYMOUS, purge_personal_data


def make_old(session, world):
    person = session.get(Participant, world.a.ids["participants"]["own"])
    person.criteria.append(ParticipantCriterion(organisation_id=world.a.organisation_id, criterion=Criterion.RQTH,
                                                proof_on=date(2026, 1, 2)))
    session.commit()
    return person.id


def test_purge_spares_recent_participants(session, world):
    report = purge_personal_data(session)
    assert world.a.ids["participants"]["own"] not in report.participants


def test_purge_anonymises_after_two_years_and_keeps_hours(session, world):
    pid = make_old(session, world)
    minutes = session.scalar(select(func.sum(HourRecord.minutes)))
    report = purge_personal_data(session, now=utcnow() + timedelta(days=3 * 365))
    session.commit()
    assert pid in report.participants and report.health_criteria_removed >= 1
    person = session.get(Participant, pid)
    assert person.last_name == ANONYMOUS and person.first_name == person.code
    assert person.birth_on == date(1990, 1, 1) and person.phone == "" and person.anonymised_at
    assert {c.criterion for c in person.criteria} == {Criterion.BRSA}
    assert all(c.proof_on is None for c in person.criteria)
    assert session.scalar(select(func.sum(HourRecord.minutes))) == minutes
    assert "participant(s) anonymisé(s)" in report.summary()


def test_purge_dry_run_by_rollback_changes_nothing(session, world):
    pid = make_old(session, world)
    purge_personal_data(session, now=utcnow() + timedelta(days=3 * 365))
    session.rollback()
    assert session.get(Participant, pid).last_name == "Durand ORG-A"


def test_reconciler_requeues_stuck_job_then_fails_after_attempts(session, world, monkeypatch):
    from workers import maintenance

    job = create_job(session, "summarise_tender_progress", organisation_id=world.a.organisation_id, user_id=None,
                     subject_id=world.a.ids["tenders"]["own"])
    job.status = JobStatus.RUNNING
    session.commit()
    ran = []
    monkeypatch.setattr(maintenance, "enqueue", lambda fn, *ids: ran.append((fn.__name__, ids)))
    assert maintenance.reconcile_jobs(stale_after=timedelta(seconds=-1)) == (1, 0)
    assert ran == [("summarise_tender_progress_job", (job.id, world.a.ids["tenders"]["own"]))]
    session.expire_all()
    assert session.get(Job, job.id).status == JobStatus.QUEUED and session.get(Job, job.id).attempts == 1
    for _ in range(3):
        maintenance.reconcile_jobs(stale_after=timedelta(seconds=-1))
    session.expire_all()
    final = session.get(Job, job.id)
    assert final.status == JobStatus.FAILED and "interrompu" in final.message


def test_reconciler_fails_unknown_kinds(session, world):
    from workers import maintenance

    job = create_job(session, "ancien_type", organisation_id=world.a.organisation_id, user_id=None)
    session.commit()
    assert maintenance.reconcile_jobs(stale_after=timedelta(seconds=-1)) == (0, 1)
