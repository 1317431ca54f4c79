"""The mail tick of the maintenance clock: importable by its dotted name, idempotent, delivers."""

from datetime import date

from rq.utils import import_attribute

import workers.mail as jobs
from app.models import MailStatus, SentMail
from workers.mail import deliver_mails_job, remind_job


def test_maintenance_clock_names_resolve_to_the_mail_jobs():
    assert import_attribute(f"{remind_job.__module__}.{remind_job.__qualname__}") is remind_job
    assert import_attribute(f"{deliver_mails_job.__module__}.{deliver_mails_job.__qualname__}") is deliver_mails_job


def test_remind_job_records_once_and_delivers_to_the_outbox(app, session, world, monkeypatch):
    class FixedDay(date):
        @classmethod
        def today(cls):
            return date(2026, 12, 8)

    monkeypatch.setattr(jobs, "date", FixedDay)

    first = remind_job()
    second = remind_job()

    assert first.startswith("4 message(s) enregistré(s)")  # a reminder and a summary in each organisation
    assert second.startswith("0 message(s) enregistré(s)")
    assert {mail.status for mail in session.query(SentMail)} == {MailStatus.OUTBOX}
