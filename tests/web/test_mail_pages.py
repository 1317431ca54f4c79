"""Mail pages: the outbox with failures and retries, templates checked, settings, my opt-out, sheet outcomes."""

from datetime import date
from pathlib import Path

from app.domain.enums import Role
from app.models import MailStatus, MailTemplate, Organisation, SentMail, Siae, TimesheetImport, User
from app.models.timesheets import ImportStatus
from app.services.mail import MailSite
from app.services.mail.reminders import send_reminders
from app.models.base import utcnow
from tests.conftest import page_text


def _reminders(app, session):
    report = send_reminders(session, MailSite("http://localhost", app.config["SECRET_KEY"]),
                            today=date(2026, 12, 8), now=utcnow())
    session.commit()
    return report


def test_outbox_page_shows_a_failure_and_retry_writes_it_to_the_outbox(app, session, world, login):
    report = _reminders(app, session)
    failed = next(mail for mail in report.queued if mail.organisation_id == world.a.organisation_id)
    failed.status, failed.attempts, failed.last_error = MailStatus.FAILED, 6, "Serveur de messagerie injoignable"
    session.commit()
    admin = login(Role.ADMIN)

    page = page_text(admin.get("/messages/"))

    assert "Serveur de messagerie injoignable (6\u00a0essais)" in page
    assert "boîte d'envoi locale" in page and "1\u00a0message n'a pas pu partir" in page
    assert "ORG-B" not in page
    response = admin.post(f"/messages/{failed.id}/reessayer")
    assert response.status_code == 302
    session.expire_all()
    mail = session.get(SentMail, failed.id)
    assert mail.status == MailStatus.OUTBOX
    eml = Path(app.instance_path) / "outbox" / mail.outbox_name
    assert "Relev=C3=A9" in eml.read_text() or "Relevé" in eml.read_text()


def test_template_with_unknown_variable_is_refused_then_a_good_one_is_used(app, session, world, login):
    admin = login(Role.ADMIN)
    bad = admin.post("/messages/modeles/sheet_reminder", data={
        "subject": "Relevé de {{ mois }}", "body_text": "Bonjour {{ structure }}", "body_html": "<p>Bonjour</p>"})
    assert bad.status_code == 422
    assert "variable inconnue « mois »" in page_text(bad)
    assert session.query(MailTemplate).count() == 0

    good = admin.post("/messages/modeles/sheet_reminder", data={
        "subject": "Votre relevé de {{ month_label }}", "body_text": "Bonjour {{ structure }},\nmerci.\n",
        "body_html": "<p>Bonjour {{ structure }}</p>"})

    assert good.status_code == 302
    report = _reminders(app, session)
    mine = [m for m in report.queued if m.kind == "sheet_reminder" and m.organisation_id == world.a.organisation_id]
    assert mine and all(m.subject == "Votre relevé de novembre 2026" for m in mine)
    others = [m for m in report.queued if m.kind == "sheet_reminder" and m.organisation_id == world.b.organisation_id]
    assert others and all(m.subject.startswith("Relevé d'heures de novembre 2026") for m in others)


def test_settings_change_the_reminder_day_and_the_reply_address(app, session, world, login):
    admin = login(Role.ADMIN)
    response = admin.post("/messages/reglages", data={"sender_name": "Clauses du Val", "reply_to_email":
                                                      "clauses@plie-a.fr", "reminder_day": "10",
                                                      "second_reminder_after_days": "5"})
    assert response.status_code == 302
    org = session.get(Organisation, world.a.organisation_id)
    session.refresh(org)
    assert (org.reminder_day, org.reply_to_email, org.sender_name) == (10, "clauses@plie-a.fr", "Clauses du Val")
    admin.post("/messages/reglages", data={"name_article": "la", "reminder_day": "10",
                                           "second_reminder_after_days": "5"})
    session.refresh(org)
    assert org.name_article == "la"
    report = _reminders(app, session)  # the 8th: before organisation A's day
    assert not [m for m in report.queued if m.organisation_id == org.id and m.kind == "sheet_reminder"]


def test_user_stops_reminders_from_the_account_page(app, session, world, login):
    siae = login(Role.SIAE)
    assert "Ne plus recevoir les rappels" in page_text(siae.get("/compte"))
    response = siae.post("/messages/mes-preferences", data={"mail_opt_out": "y"})
    assert response.status_code == 302
    user = session.query(User).filter_by(email=world.a.users[Role.SIAE]).one()
    session.refresh(user)
    assert user.mail_opt_out
    report = _reminders(app, session)
    assert user.email not in {m.recipient_email for m in report.queued}


def test_structure_page_lists_what_was_sent_to_it(app, session, world, login):
    _reminders(app, session)
    page = page_text(login(Role.FACILITATEUR).get(f"/siae/{world.a.ids['siaes']['own']}"))
    assert "Messages envoyés à cette structure" in page
    assert "Relevé d'heures de novembre 2026 — SIAE ORG-A (ETTI)" in page and world.a.users[Role.SIAE] in page


def test_refused_sheet_tells_its_sender_with_the_reason(app, session, world, login):
    sender = session.query(User).filter_by(email=world.a.users[Role.SIAE]).one()
    imp = TimesheetImport(organisation_id=world.a.organisation_id, siae_id=world.a.ids["siaes"]["own"],
                          month_on=date(2026, 11, 1), filename="releve-novembre.xlsx", sha256="1" * 64,
                          status=ImportStatus.PREVIEW, preview={"people": []}, uploaded_by_id=sender.id)
    session.add(imp)
    session.commit()

    response = login(Role.FACILITATEUR).post(f"/releves/{imp.id}/abandonner",
                                             data={"reason": "le fichier est celui d'octobre"})

    assert response.status_code == 302
    [mail] = session.query(SentMail).filter_by(kind="sheet_refused").all()
    assert mail.recipient_email == sender.email and mail.status == MailStatus.OUTBOX
    assert "n'a pas été retenu : le fichier est celui d'octobre." in mail.body_text
    assert mail.subject == "Relevé de novembre 2026 non retenu — SIAE ORG-A"
    assert "Durand" not in mail.body_text  # no participant in it


def test_company_link_is_sent_to_the_company_contact(app, session, world, login):
    from app.models import Company

    company = session.get(Company, world.a.ids["companies"]["own"])
    company.contact_email, company.contact_name = "rh@entreprise-a.fr", "M. Martin"
    session.commit()

    response = login(Role.FACILITATEUR).post("/fiches/lien", data={"company_id": company.id, "days": "10"})

    assert response.status_code == 302
    [mail] = session.query(SentMail).filter_by(kind="fiche_link").all()
    assert mail.recipient_email == "rh@entreprise-a.fr" and "Bonjour M. Martin" in mail.body_text
    assert "/lien/" in mail.body_text and mail.company_id == company.id
