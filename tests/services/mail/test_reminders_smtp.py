"""Reminders end to end: recorded once, delivered to a real SMTP server, failures retried and shown."""

from datetime import date, timedelta

from app.domain.enums import Role
from app.models import MailStatus, SentMail, Siae, User
from app.models.base import utcnow
from app.config import parse_mail_url
from app.services.mail.delivery import SmtpTransport, deliver_mail, due_mail_ids, retry_mail
from app.services.actors import as_utc
from app.services.mail.reminders import send_reminders

TODAY = "2026-12-08"  # a Tuesday: no weekly digest in the way


def _give_contact(session, world):
    siae = session.get(Siae, world.a.ids["siaes"]["other"])
    siae.contact_email, siae.contact_name = "paie@siae-autre.fr", "Service paie"
    session.commit()
    return siae


def _leftover(text: str) -> bool:
    return any(tag in text for tag in ("{{", "}}", "{%", "%}"))


def test_remind_sends_sheet_reminders_with_template_then_nothing_twice(app, session, world, smtp_server):
    inbox, mail_url = smtp_server
    _give_contact(session, world)
    app.config["MAIL_URL"], app.config["MAIL_FROM"] = mail_url, "clausier@plie.example.fr"
    runner = app.test_cli_runner()

    result = runner.invoke(args=["remind", "--today", TODAY])

    assert result.exit_code == 0, result.output
    assert "sheet_reminder" in result.output and "@" not in result.output  # a log line names nobody
    siae_user = world.a.users[Role.SIAE]
    [own] = inbox.to(siae_user)
    assert own["Subject"] == "Relevé d'heures de novembre 2026 — SIAE ORG-A (ETTI)"
    assert "PLIE A" in own["From"] and "clausier@plie.example.fr" in own["From"]
    text = own.get_body(("plain",)).get_content()
    html = own.get_body(("html",)).get_content()
    assert "relevé d'heures de novembre 2026" in text and "Bien cordialement" in text
    assert not _leftover(text) and not _leftover(html) and not _leftover(own["Subject"])
    [attachment] = list(own.iter_attachments())
    assert attachment.get_filename() == f"releve-2026-11-siae-{world.a.ids['siaes']['own']}.xlsx"
    assert attachment.get_content()[:2] == b"PK"
    [other] = inbox.to("paie@siae-autre.fr")
    assert other["Subject"] == "Relevé d'heures de novembre 2026 — SIAE ORG-A HORS-STRUCTURE (ETTI)"
    assert "Bonjour" in other.get_body(("plain",)).get_content()
    [summary] = inbox.to(world.a.users[Role.FACILITATEUR])
    summary_text = summary.get_body(("plain",)).get_content()
    assert summary["Subject"] == "Relevés de novembre 2026 : 2 structures en attente"
    assert "SIAE ORG-A (ETTI)" in summary_text and "HORS-STRUCTURE" in summary_text
    # Organisation B's structures are not named in organisation A's mails.
    assert all("ORG-B" not in message.as_string() for _rcpts, message in inbox.messages
               if world.a.users[Role.FACILITATEUR] in _rcpts)
    delivered = len(inbox.messages)

    again = runner.invoke(args=["remind", "--today", TODAY])

    assert again.exit_code == 0, again.output
    assert "0 nouveau(x) message(s)" in again.output
    assert len(inbox.messages) == delivered


def test_remind_dry_run_records_nothing(app, session, world, smtp_server):
    inbox, mail_url = smtp_server
    app.config["MAIL_URL"] = mail_url

    result = app.test_cli_runner().invoke(args=["remind", "--dry-run", "--today", TODAY])

    assert result.exit_code == 0, result.output
    assert "Simulation" in result.output and "sheet_reminder" in result.output
    assert session.query(SentMail).count() == 0 and inbox.messages == []


def test_reminders_wait_for_the_organisations_day_and_send_the_second_after_n_days(session, world, site):
    assert send_reminders(session, site, today=date(2026, 12, 4), now=utcnow()).queued == []
    first = send_reminders(session, site, today=date(2026, 12, 5), now=utcnow())
    assert {mail.kind for mail in first.queued} == {"sheet_reminder", "sheet_summary"}
    for mail in first.queued:  # as if the first round had gone out a week ago
        mail.created_at = utcnow() - timedelta(days=7)
    session.flush()

    second = send_reminders(session, site, today=date(2026, 12, 12), now=utcnow())

    kinds = sorted(mail.kind for mail in second.queued)
    assert kinds.count("sheet_second_reminder") == 2  # the SIAE account of each organisation
    assert "sheet_summary" in kinds
    [mail] = [m for m in second.queued if m.kind == "sheet_second_reminder"
              and m.organisation_id == world.a.organisation_id]
    assert "premier rappel le" in mail.body_text and mail.attachment_file_id is not None


def test_opted_out_user_gets_no_reminder_but_the_structure_contact_does(session, world, site):
    _give_contact(session, world)
    user = session.query(User).filter_by(email=world.a.users[Role.SIAE]).one()
    user.mail_opt_out = True
    session.flush()

    report = send_reminders(session, site, today=date.fromisoformat(TODAY), now=utcnow())

    recipients = {mail.recipient_email for mail in report.queued}
    assert user.email not in recipients and "paie@siae-autre.fr" in recipients


def test_smtp_failure_is_retried_with_backoff_then_shown_and_never_lost(session, world, site, smtp_server):
    inbox, mail_url = smtp_server
    send_reminders(session, site, today=date.fromisoformat(TODAY), now=utcnow())
    session.commit()
    mail_id = min(due_mail_ids(session, utcnow()))
    transport = SmtpTransport(parse_mail_url(mail_url))
    inbox.failures = 100
    now = utcnow()

    assert deliver_mail(session, mail_id, transport, "clausier@plie.example.fr", now) == MailStatus.RETRYING
    mail = session.get(SentMail, mail_id)
    assert mail.attempts == 1 and "451" in mail.last_error
    assert as_utc(mail.next_attempt_at) == now + timedelta(minutes=1)
    assert mail_id not in due_mail_ids(session, now)  # waits for its delay
    delays = []
    while mail.status == MailStatus.RETRYING:
        delays.append(as_utc(mail.next_attempt_at) - now)
        now = as_utc(mail.next_attempt_at)
        deliver_mail(session, mail_id, transport, "clausier@plie.example.fr", now)
    assert delays == [timedelta(minutes=m) for m in (1, 5, 30, 120, 360)]
    assert mail.status == MailStatus.FAILED and mail.attempts == 6 and inbox.messages == []

    inbox.failures = 0
    retry_mail(session, mail)
    assert deliver_mail(session, mail_id, transport, "clausier@plie.example.fr", utcnow()) == MailStatus.SENT
    assert len(inbox.to(mail.recipient_email)) == 1 and mail.last_error == ""


def test_unreachable_server_counts_as_a_passing_failure(session, world, site):
    send_reminders(session, site, today=date.fromisoformat(TODAY), now=utcnow())
    mail_id = min(due_mail_ids(session, utcnow()))
    closed = SmtpTransport(parse_mail_url("smtp://127.0.0.1:9?tls=none&timeout=2"))

    assert deliver_mail(session, mail_id, closed, "clausier@plie.example.fr", utcnow()) == MailStatus.RETRYING
    assert "injoignable" in session.get(SentMail, mail_id).last_error


def test_a_mail_claimed_by_one_worker_is_left_alone_by_another(session, world, site, smtp_server):
    from app.services.mail.delivery import claim_mail

    send_reminders(session, site, today=date.fromisoformat(TODAY), now=utcnow())
    now = utcnow()
    mail_id = min(due_mail_ids(session, now))

    assert claim_mail(session, mail_id, now) is True
    assert claim_mail(session, mail_id, now) is False  # the second worker
    assert mail_id not in due_mail_ids(session, now)
