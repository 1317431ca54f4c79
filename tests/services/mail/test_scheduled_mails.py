"""The other scheduled mails: link about to expire, 6-month follow-up, weekly digest; each once."""

from datetime import date, timedelta

from app.domain.enums import Role
from app.domain.liaison.convention import PartyKind
from app.domain.liaison.workflow import ConventionStatus
from app.domain.reports.exits import ExitCategory, ExitSituation
from app.models import Company, Convention, Lot, ParticipantExit, SentMail, Tender, User
from app.models.base import utcnow
from app.services.actors import Actor
from app.services.liaison.fiche_links import create_fiche_with_link
from app.access import Scope
from app.services.mail.reminders import send_reminders

MONDAY = date(2026, 12, 7)


def _kinds(report, organisation_id, kind):
    return [mail for mail in report.queued if mail.organisation_id == organisation_id and mail.kind == kind]


def test_link_about_to_expire_on_a_draft_fiche_is_reminded_once(session, world, site):
    company = session.get(Company, world.a.ids["companies"]["own"])
    company.contact_email = "rh@entreprise-a.fr"
    facilitator = session.query(User).filter_by(email=world.a.users[Role.FACILITATEUR]).one()
    link = create_fiche_with_link(session, Scope.for_user(facilitator), {"company_id": company.id, "days": 2},
                                  Actor(facilitator.id, facilitator.full_name), today=MONDAY)
    org = world.a.organisation_id

    [mail] = _kinds(send_reminders(session, site, today=MONDAY, now=utcnow()), org, "fiche_link_reminder")
    again = send_reminders(session, site, today=MONDAY, now=utcnow() + timedelta(hours=1))

    assert mail.recipient_email == "rh@entreprise-a.fr" and "Rappel : fiche de liaison" in mail.subject
    assert "https://clausier.example.fr/lien/" in mail.body_text and "{{" not in mail.body_text
    assert _kinds(again, org, "fiche_link_reminder") == []
    assert link.fiche.is_draft


def test_exit_follow_up_goes_to_the_facilitator_who_recorded_it(session, world, site):
    facilitator = session.query(User).filter_by(email=world.a.users[Role.FACILITATEUR]).one()
    session.add(ParticipantExit(organisation_id=world.a.organisation_id,
                                participant_id=world.a.ids["participants"]["own"],
                                placement_id=world.a.ids["placements"]["own"], exit_on=date(2026, 5, 29),
                                situation=ExitSituation.PERMANENT_CONTRACT, situation_starts_on=date(2026, 6, 1),
                                category=ExitCategory.EMPLOI_DURABLE, follow_up_due_on=date(2026, 11, 29),
                                recorded_by_id=facilitator.id))
    session.flush()

    [mail] = _kinds(send_reminders(session, site, today=MONDAY, now=utcnow()), world.a.organisation_id,
                    "exit_follow_up")

    assert mail.recipient_email == facilitator.email
    assert mail.subject == "Relance à 6 mois : Camille D."
    assert "sorti·e de la clause le 29/05/2026" in mail.body_text and "RSA" not in mail.body_text
    assert _kinds(send_reminders(session, site, today=MONDAY, now=utcnow()), world.a.organisation_id,
                  "exit_follow_up") == []


def test_weekly_digest_lists_conventions_ending_and_lots_behind_on_mondays_only(session, world, site):
    org = world.a.organisation_id
    session.add(Convention(organisation_id=org, reference="CONV-A-1", party_kind=PartyKind.ENTREPRISE,
                           party_name="Entreprise ORG-A", status=ConventionStatus.SIGNEE,
                           starts_on=date(2026, 1, 1), ends_on=MONDAY + timedelta(days=40)))
    tender = session.get(Tender, world.a.ids["tenders"]["own"])
    tender.starts_on, tender.ends_on = date(2026, 1, 1), date(2026, 12, 31)
    session.get(Lot, world.a.ids["lots"]["own"]).hours_required = 5000
    session.flush()

    assert _kinds(send_reminders(session, site, today=MONDAY + timedelta(days=1), now=utcnow()), org,
                  "weekly_digest") == []
    [mail] = _kinds(send_reminders(session, site, today=MONDAY, now=utcnow()), org, "weekly_digest")

    assert mail.recipient_email == world.a.users[Role.FACILITATEUR]
    assert "CONV-A-1 avec Entreprise ORG-A : fin le 16/01/2027" in mail.body_text
    assert "REF ORG-A, lot 1 — Lot ORG-A : réalisé 70\u00a0heures, attendu à ce jour" in mail.body_text
    assert mail.subject.startswith("Point de la semaine : 1 convention à renouveler")
    assert session.query(SentMail).filter_by(kind="weekly_digest", organisation_id=org).count() == 1


def test_purge_deletes_mails_older_than_two_years_with_their_attachments(session, world, site):
    from app.models import StoredFile
    from app.services.retention import purge_personal_data

    report = send_reminders(session, site, today=date(2026, 12, 8), now=utcnow())
    attached = {mail.attachment_file_id for mail in report.queued if mail.attachment_file_id}
    assert attached
    for mail in report.queued:
        mail.created_at = utcnow() - timedelta(days=800)
    for file_id in attached:
        session.get(StoredFile, file_id).created_at = utcnow() - timedelta(days=800)
    session.flush()

    purge = purge_personal_data(session)

    assert purge.mails_removed == len(report.queued)
    assert session.query(SentMail).count() == 0
    assert all(session.get(StoredFile, file_id) is None for file_id in attached)
