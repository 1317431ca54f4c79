"""Mails that follow a user's action: a fiche's company link, a sheet confirmed or refused. Callers commit.

Both are essential (a user's « no reminders » choice does not stop them) and name no participant.
"""

from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.domain.formats import format_hours
from app.domain.mail import month_label
from app.domain.numbers import minutes_to_hours
from app.models import Company, FicheLink, Organisation, SentMail, TimesheetImport, User
from app.services.doc_templates import generated_on_label
from app.services.liaison.fiche_links import link_token
from app.services.mail import MailSite
from app.services.mail.sending import Recipient, queue_mail

UPLOAD_PATH = "/releves/deposer"


def fiche_link_context(site: MailSite, link: FicheLink) -> tuple[dict, Recipient | None]:
    """Return the variables of a fiche link mail and its recipient (None: no address known)."""
    fiche = link.fiche
    company: Company | None = link.company
    email = fiche.contact_email or (company.contact_email if company is not None else "")
    label = fiche.contact_name or (company.contact_name if company is not None else "") or fiche.company_name
    tender = " — ".join(part for part in (fiche.tender_reference, fiche.tender_object) if part)
    context = {"link_url": site.url(f"/lien/{link_token(site.secret_key, link)}"),
               "expires_on": generated_on_label(link.expires_at), "job_title": fiche.job_title, "tender": tender}
    return context, (Recipient(email, label) if email else None)


def send_fiche_link(session: Session, site: MailSite, link: FicheLink) -> SentMail | None:
    """Record the mail that gives a company its link; None when the company has no address."""
    context, recipient = fiche_link_context(site, link)
    if recipient is None:
        return None
    organisation = session.get(Organisation, link.organisation_id)
    return queue_mail(session, organisation, "fiche_link", about=f"link:{link.id}", recipient=recipient,
                      context=context, company_id=link.company_id)


def notify_sheet_outcome(session: Session, site: MailSite, imp: TimesheetImport, *, reason: str = "",
                         by_user_id: int | None = None) -> SentMail | None:
    """Tell the SIAE or company account that sent a sheet that it was confirmed, or not retained and why.

    Nobody is told of their own action: a structure user who confirms or abandons their own
    upload sees the result on the page already.
    """
    sender = session.get(User, imp.uploaded_by_id) if imp.uploaded_by_id else None
    if sender is None or not sender.is_active or sender.role not in (Role.SIAE, Role.ENTREPRISE) \
            or sender.id == by_user_id:
        return None
    structure = imp.structure
    context = {"structure": structure.name if structure is not None else "",
               "month_label": month_label(imp.month_on) if imp.month_on else "du mois indiqué",
               "filename": imp.filename, "sheet_url": site.url(f"/releves/{imp.id}")}
    if reason:
        kind, context = "sheet_refused", {**context, "reason": reason.strip().rstrip("."),
                                          "upload_url": site.url(UPLOAD_PATH)}
    else:
        kind, context = "sheet_confirmed", {**context, "hours": format_hours(minutes_to_hours(imp.total_minutes)),
                                            "people_count": imp.records_count}
    organisation = session.get(Organisation, imp.organisation_id)
    return queue_mail(session, organisation, kind, about=f"import:{imp.id}",
                      recipient=Recipient(sender.email, sender.full_name, sender.id), context=context,
                      siae_id=imp.siae_id, company_id=imp.company_id)
