"""The scheduled mails: sheet reminders, fiche links about to expire, 6-month follow-ups, the
weekly digest. ``send_reminders`` records them (callers commit, then deliver); running it twice
the same day, or every ten minutes, records nothing new.

Which structures are reminded is the dashboard's own list of missing sheets
(``missing_monthly_sheets``), restricted to last month: the alert and the mail cannot disagree.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.domain.formats import format_date_fr, format_hours
from app.domain.mail import (
    ReminderRound,
    digest_week,
    is_digest_day,
    month_label,
    previous_month,
    reminder_rounds,
    second_round_due,
)
from app.domain.reports import month_key
from app.models import Company, Convention, Fiche, FicheLink, Organisation, SentMail, Siae, User
from app.services.actors import as_utc
from app.services.liaison.conventions import active_conventions
from app.services.liaison.fiche_links import link_state
from app.services.mail import MailSite
from app.services.mail.notifications import fiche_link_context
from app.services.mail.sending import Attachment, Recipient, dedup_key, is_queued, queue_mail
from app.services.reports.dashboards import build_dashboard, missing_monthly_sheets
from app.services.reports.exits import follow_ups_due
from app.services.reports.exports import ReportFilter
from app.services.timesheets import build_template

# A draft fiche's company gets one reminder when its link has this long left.
LINK_REMINDER_BEFORE = timedelta(days=3)
CONVENTION_HORIZON = timedelta(days=60)
UPLOAD_PATH = "/releves/deposer"
DASHBOARD_PATH = "/tableaux-de-bord/"
FOLLOW_UPS_PATH = "/tableaux-de-bord/sorties"


@dataclass(frozen=True)
class StructureDue:
    """A structure whose sheet for last month is missing, and where its reminder goes."""

    key: str  # siae:3 / company:5
    name: str
    recipients: tuple[Recipient, ...]


@dataclass
class RemindReport:
    """What one run recorded, and which structures it found missing, per organisation."""

    queued: list[SentMail] = field(default_factory=list)
    missing: dict[int, list[StructureDue]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Return one line per recorded mail, recipient and subject included (for --dry-run on a terminal)."""
        return [f"{mail.kind} → {mail.recipient_email} : {mail.subject}" for mail in self.queued]

    def counts(self) -> list[str]:
        """Return « 3 × sheet_reminder » lines: what a log may keep (no address, no name)."""
        kinds: dict[str, int] = defaultdict(int)
        for mail in self.queued:
            kinds[mail.kind] += 1
        return [f"{count} × {kind}" for kind, count in sorted(kinds.items())]


def facilitators(session: Session, organisation_id: int) -> list[Recipient]:
    """Return the organisation's active facilitators, or its administrators when it has none."""
    users = session.scalars(select(User).where(User.organisation_id == organisation_id, User.is_active,
                                               User.role == Role.FACILITATEUR).order_by(User.id)).all()
    if not users:
        users = session.scalars(select(User).where(User.organisation_id == organisation_id, User.is_active,
                                                   User.role == Role.ADMIN).order_by(User.id)).all()
    return [Recipient(user.email, user.full_name, user.id) for user in users]


def structure_recipients(session: Session, key: str) -> tuple[str, tuple[Recipient, ...]]:
    """Return a structure's name and who receives its mails: its contact, then its own accounts."""
    kind, _, raw_id = key.partition(":")
    model, column = (Siae, User.siae_id) if kind == "siae" else (Company, User.company_id)
    row = session.get(model, int(raw_id))
    found: dict[str, Recipient] = {}
    if row.contact_email:
        found[row.contact_email.lower()] = Recipient(row.contact_email, row.contact_name or row.name)
    for user in session.scalars(select(User).where(column == row.id, User.is_active,
                                                   User.role.in_((Role.SIAE, Role.ENTREPRISE))).order_by(User.id)):
        found.setdefault(user.email.lower(), Recipient(user.email, user.full_name or row.name, user.id))
    return row.name, tuple(found.values())


def sheets_due(session: Session, organisation_id: int, today: date) -> list[StructureDue]:
    """Return the structures whose sheet for last month the dashboard shows as missing."""
    wanted = month_key(previous_month(today))
    missing = missing_monthly_sheets(session, ReportFilter(organisation_id=organisation_id), today)
    due = []
    for item in missing:
        if item.month == wanted:
            _name, recipients = structure_recipients(session, item.structure_key)
            due.append(StructureDue(item.structure_key, item.structure, recipients))
    return due


def _sheet_reminders(session: Session, site: MailSite, organisation: Organisation, today: date,
                     report: RemindReport) -> None:
    rounds = reminder_rounds(today, organisation.reminder_day)
    if not rounds:
        return
    month_on = previous_month(today)
    period = month_key(month_on)
    due = sheets_due(session, organisation.id, today)
    report.missing[organisation.id] = due
    by_round: dict[ReminderRound, list[dict]] = defaultdict(list)
    for structure in due:
        kind, _, raw_id = structure.key.partition(":")
        attachment = Attachment(lambda key=structure.key: build_template(session, key, period))
        for round_ in rounds:
            queued_now = False
            for recipient in structure.recipients:
                context = {"structure": structure.name, "month_label": month_label(month_on),
                           "upload_url": site.url(UPLOAD_PATH), "attachment_name": _attachment_name(period, kind,
                                                                                                       raw_id)}
                if round_ == ReminderRound.SECOND:
                    first = is_queued(session, organisation.id, dedup_key(ReminderRound.FIRST.value, structure.key,
                                                                          recipient.email, period))
                    first_on = as_utc(first.created_at).date() if first is not None else None
                    if first_on is None or not second_round_due(first_on, today,
                                                                organisation.second_reminder_after_days):
                        continue
                    context["first_sent_on"] = format_date_fr(first_on)
                mail = queue_mail(session, organisation, round_.value, about=structure.key, recipient=recipient,
                                  context=context, period=period, attachment=attachment,
                                  **{f"{kind}_id": int(raw_id)})
                if mail is not None:
                    report.queued.append(mail)
                    queued_now = True
            if queued_now or (round_ == ReminderRound.FIRST and not structure.recipients):
                by_round[round_].append({"name": structure.name, "reminded": bool(structure.recipients)})
    for round_, missing in by_round.items():
        label = "premier rappel" if round_ == ReminderRound.FIRST else "second rappel"
        for recipient in facilitators(session, organisation.id):
            mail = queue_mail(session, organisation, "sheet_summary", about=round_.value, recipient=recipient,
                              period=period, context={"month_label": month_label(month_on), "round_label": label,
                                                      "missing": missing,
                                                      "dashboard_url": site.url(DASHBOARD_PATH)})
            if mail is not None:
                report.queued.append(mail)


def _attachment_name(period: str, kind: str, raw_id: str) -> str:
    # The same name build_template gives the file.
    return f"releve-{period}-{kind}-{raw_id}.xlsx"


def _link_reminders(session: Session, site: MailSite, organisation: Organisation, now: datetime,
                    report: RemindReport) -> None:
    links = session.scalars(select(FicheLink).join(Fiche, Fiche.id == FicheLink.fiche_id).where(
        FicheLink.organisation_id == organisation.id, FicheLink.used_at.is_(None), FicheLink.is_revoked.is_(False),
        FicheLink.expires_at > now, FicheLink.expires_at <= now + LINK_REMINDER_BEFORE, Fiche.is_draft))
    for link in links:
        if link_state(link, now) != "active":
            continue
        context, recipient = fiche_link_context(site, link)
        if recipient is None:
            continue
        mail = queue_mail(session, organisation, "fiche_link_reminder", about=f"link:{link.id}", recipient=recipient,
                          context=context, company_id=link.company_id)
        if mail is not None:
            report.queued.append(mail)


def _participant_label(participant) -> str:
    # First name and initial: enough for the facilitator to find the person, no more in a mailbox.
    return f"{participant.first_name} {participant.last_name[:1]}.".strip()


def _exit_follow_ups(session: Session, site: MailSite, organisation: Organisation, today: date,
                     report: RemindReport) -> None:
    staff = facilitators(session, organisation.id)
    for row in follow_ups_due(session, organisation.id, today, limit=500):
        if row.participant.anonymised_at is not None:
            continue
        recorder = session.get(User, row.recorded_by_id) if row.recorded_by_id else None
        recipients = ([Recipient(recorder.email, recorder.full_name, recorder.id)]
                      if recorder is not None and recorder.is_active
                      and recorder.role in (Role.FACILITATEUR, Role.ADMIN) else staff)
        context = {"participant": _participant_label(row.participant), "exit_on": format_date_fr(row.exit_on),
                   "due_on": format_date_fr(row.follow_up_due_on), "followups_url": site.url(FOLLOW_UPS_PATH)}
        for recipient in recipients:
            mail = queue_mail(session, organisation, "exit_follow_up", about=f"exit:{row.id}", recipient=recipient,
                              context=context)
            if mail is not None:
                report.queued.append(mail)


def _weekly_digest(session: Session, site: MailSite, organisation: Organisation, today: date,
                   report: RemindReport) -> None:
    recipients = [recipient for recipient in facilitators(session, organisation.id)
                  if is_queued(session, organisation.id, dedup_key("weekly_digest", "digest", recipient.email,
                                                                   digest_week(today))) is None]
    if not recipients:
        return  # already sent this week: the tick every 10 minutes need not rebuild the dashboard
    conventions = [{"reference": c.reference or f"n° {c.id}", "party": c.party_name, "ends_on": format_date_fr(c.ends_on)}
                   for c in active_conventions(session, today)
                   if c.organisation_id == organisation.id and c.ends_on <= today + CONVENTION_HORIZON]
    dashboard = build_dashboard(session, ReportFilter(organisation_id=organisation.id), title="", today=today)
    lots = [{"tender": lot.tender_reference, "lot": f"lot {lot.lot_number} — {lot.lot_label}",
             "done": format_hours(lot.projection.done), "expected": format_hours(lot.projection.expected_by_now)}
            for lot in dashboard.behind]
    if not conventions and not lots:
        return
    for recipient in recipients:
        mail = queue_mail(session, organisation, "weekly_digest", about="digest", recipient=recipient,
                          period=digest_week(today),
                          context={"conventions": conventions, "lots_behind": lots,
                                   "dashboard_url": site.url(DASHBOARD_PATH)})
        if mail is not None:
            report.queued.append(mail)


def send_reminders(session: Session, site: MailSite, *, today: date, now: datetime) -> RemindReport:
    """Record every scheduled mail due ``today`` for every organisation; the caller commits."""
    report = RemindReport()
    for organisation in session.scalars(select(Organisation).order_by(Organisation.id)):
        _sheet_reminders(session, site, organisation, today, report)
        _link_reminders(session, site, organisation, now, report)
        _exit_follow_ups(session, site, organisation, today, report)
        if is_digest_day(today):
            _weekly_digest(session, site, organisation, today, report)
    return report
