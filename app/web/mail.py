"""Mail: the outbox and its failures, the organisation's mail settings and templates, my reminder choice."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case, func, select

from app.domain.formats import ARTICLES
from app.domain.mail import MAIL_KINDS
from app.models import MailStatus, Organisation, SentMail, User
from app.queue import enqueue
from app.services.mail import MailSite
from app.services.mail import templates as svc
from app.services.mail.delivery import outbox_folder, retry_mail
from app.web.context import commit_or_refuse, current_scope, get_or_404, get_session, require
from app.web.doc_templates import example_text
from forms.mail import MailPreferenceForm, MailSettingsForm, MailTemplateForm
from workers.mail import deliver_mails_job

bp = Blueprint("mail", __name__, url_prefix="/messages")
SHOWN = 300


def mail_site() -> MailSite:
    """Return the site mails sent from a page link to: the address the user is browsing."""
    return MailSite(request.url_root, current_app.config["SECRET_KEY"])


def deliver_now() -> None:
    """Hand the mails just committed to the worker (or deliver them here in the embedded mode)."""
    enqueue(deliver_mails_job)


def structure_mails(session, *, siae_id: int | None = None, company_id: int | None = None) -> list[SentMail]:
    """Return the mails sent about a structure, newest first (its page lists them)."""
    column = SentMail.siae_id if siae_id is not None else SentMail.company_id
    return list(session.scalars(select(SentMail).where(column == (siae_id or company_id))
                                .order_by(SentMail.id.desc()).limit(100)))


@bp.route("/")
@require("manage_reference")
def index():
    """List the mails, failures first, and say where they go (SMTP server or outbox folder)."""
    session = get_session()
    waiting_first = case((SentMail.status == MailStatus.FAILED, 0), (SentMail.status == MailStatus.RETRYING, 1),
                         else_=2)
    mails = session.scalars(select(SentMail).order_by(waiting_first, SentMail.id.desc()).limit(SHOWN)).all()
    counts = dict(session.execute(select(SentMail.status, func.count()).group_by(SentMail.status)).all())
    mail_url = current_app.config.get("MAIL_URL")
    return render_template("mail/index.html", mails=mails, counts=counts, statuses=MailStatus,
                           smtp_host=mail_url.split("@")[-1].split("?")[0] if mail_url else None,
                           outbox=outbox_folder(current_app.instance_path))


@bp.route("/<int:mail_id>/reessayer", methods=["POST"])
@require("manage_reference")
def retry(mail_id: int):
    """Put a failed mail back in the queue and try it now."""
    session = get_session()
    mail = get_or_404(SentMail, mail_id)
    if commit_or_refuse(lambda: retry_mail(session, mail), "Message remis en file d'envoi."):
        deliver_now()
    return redirect(url_for("mail.index"))


@bp.route("/distribuer", methods=["POST"])
@require("manage_reference")
def deliver():
    """Deliver what is waiting now instead of at the next tick."""
    deliver_now()
    flash("Distribution lancée : les messages en attente partent.", "success")
    return redirect(url_for("mail.index"))


@bp.route("/modeles")
@require("manage_reference")
def templates():
    """List the kinds of mail with the template each uses, and the organisation's mail settings."""
    session, scope = get_session(), current_scope()
    organisation = session.get(Organisation, scope.organisation_id)
    form = MailSettingsForm(formdata=None, obj=organisation)
    rows = [(kind, svc.active_mail_template(session, scope.organisation_id, kind.key).is_custom)
            for kind in MAIL_KINDS.values()]
    return render_template("mail/templates.html", rows=rows, form=form, organisation=organisation)


@bp.route("/reglages", methods=["POST"])
@require("manage_reference")
def settings():
    """Save how the organisation signs its mails and its reminder calendar."""
    session, scope = get_session(), current_scope()
    organisation = session.get(Organisation, scope.organisation_id)
    form = MailSettingsForm()
    if not form.validate_on_submit():
        flash(" ".join(error for f in form for error in f.errors) or "Le formulaire a expiré : recommencez.", "error")
        return redirect(url_for("mail.templates"))
    organisation.name_article = form.name_article.data if form.name_article.data in ARTICLES else ""
    organisation.sender_name = (form.sender_name.data or "").strip()
    organisation.reply_to_email = (form.reply_to_email.data or "").strip()
    organisation.reminder_day = form.reminder_day.data
    organisation.second_reminder_after_days = form.second_reminder_after_days.data
    session.commit()
    flash("Réglages des messages enregistrés.", "success")
    return redirect(url_for("mail.templates"))


def _kind(kind: str):
    if kind not in MAIL_KINDS:
        abort(404)
    return MAIL_KINDS[kind]


@bp.route("/modeles/<kind>", methods=["GET", "POST"])
@require("manage_reference")
def template(kind: str):
    """Show and edit a kind's subject and bodies, checked before they are kept."""
    mail_kind = _kind(kind)
    session, scope = get_session(), current_scope()
    active = svc.active_mail_template(session, scope.organisation_id, kind)
    form = MailTemplateForm(data={"subject": active.subject, "body_text": active.text, "body_html": active.html})
    problems = []
    if form.validate_on_submit():
        try:
            svc.save_mail_template(session, scope.organisation_id, kind, form.subject.data, form.body_text.data,
                                   form.body_html.data, scope.user_id)
        except svc.MailTemplateRejected as exc:
            session.rollback()
            problems = exc.problems
        else:
            session.commit()
            flash("Modèle de message enregistré : il sert dès le prochain envoi.", "success")
            return redirect(url_for("mail.template", kind=kind))
    variables = [(name, text, example_text(example)) for name, (text, example) in mail_kind.variables.items()]
    return render_template("mail/template.html", kind=mail_kind, form=form, active=active, problems=problems,
                           variables=variables), (422 if problems else 200)


@bp.route("/modeles/<kind>/defaut", methods=["POST"])
@require("manage_reference")
def revert(kind: str):
    """Go back to the default template of a kind."""
    _kind(kind)
    session, scope = get_session(), current_scope()
    commit_or_refuse(lambda: svc.revert_mail_template(session, scope.organisation_id, kind),
                     "Modèle par défaut rétabli.")
    return redirect(url_for("mail.template", kind=kind))


@bp.route("/mes-preferences", methods=["POST"])
@require("read", "read_own")
def preferences():
    """Let a user stop (or resume) reminders and digests for themselves."""
    form = MailPreferenceForm()
    if form.validate_on_submit():
        session = get_session()
        user = session.get(User, current_user.id)
        user.mail_opt_out = bool(form.mail_opt_out.data)
        session.commit()
        flash("C'est noté : vous ne recevrez plus de rappels ni de récapitulatifs." if user.mail_opt_out
              else "C'est noté : vous recevrez de nouveau les rappels et récapitulatifs.", "success")
    else:
        flash("Le formulaire a expiré : recommencez.", "error")
    return redirect(url_for("auth.account"))
