"""Company links of a fiche de liaison: start a fiche with its link, add another one, revoke one."""

from datetime import date
from urllib.parse import quote, urlencode

from flask import Blueprint, current_app, flash, redirect, url_for

from app.models import Fiche
from app.models.base import utcnow
from app.services.liaison import fiche_links as links
from app.services import referential as ref
from app.services.actors import actor_for
from app.services.doc_templates import generated_on_label
from app.services.mail.notifications import send_fiche_link
from app.web.context import commit_or_refuse, current_scope, get_or_404, get_session, require
from app.web.fiche_forms import form_data, referential_choices
from app.web.mail import deliver_now, mail_site
from forms.fiches import FicheLinkForm, NewLinkForm

bp = Blueprint("fiche_links", __name__, url_prefix="/fiches")


def links_context(fiche: Fiche, organisation_name: str, *, can_write: bool) -> dict:
    """Return the fiche's links with their state, the URL to send and a ready e-mail for active ones."""
    form = NewLinkForm(formdata=None) if can_write and fiche.is_draft and fiche.company_id else None
    return {"links": _links(fiche, organisation_name), "link_form": form}


def _links(fiche: Fiche, organisation_name: str) -> list[dict]:
    now = utcnow()
    rows = []
    for link in fiche.links:
        state = links.link_state(link, now)
        url = mailto = None
        if state == "active":
            url = url_for("public.fiche_link", token=links.link_token(current_app.config["SECRET_KEY"], link),
                          _external=True)
            mailto = _mailto(fiche.contact_email, organisation_name, url, link.expires_at)
        rows.append({"link": link, "state": state, "url": url, "mailto": mailto})
    return rows


def _mailto(address: str, organisation_name: str, url: str, expires_at) -> str | None:
    if not address:
        return None
    body = (f"Bonjour,\n\nMerci de décrire votre besoin de recrutement en remplissant cette fiche de liaison :\n"
            f"{url}\n\nLe lien est valable jusqu'au {generated_on_label(expires_at)}.\n\n{organisation_name}")
    return f"mailto:{quote(address, safe='@')}?" + urlencode({"subject": f"Fiche de liaison — {organisation_name}",
                                                   "body": body}, quote_via=quote)


@bp.route("/lien", methods=["POST"])
@require("write")
def create():
    """Start a fiche for a company and show the link to send it."""
    session = get_session()
    form = FicheLinkForm()
    referential_choices(form, session)
    if not form.validate_on_submit():
        errors = [error for field in form if field.errors for error in field.errors]
        flash(" ".join(errors) or "Le formulaire contient des erreurs.", "error")
        return redirect(url_for("fiches.index"))
    try:
        link = links.create_fiche_with_link(session, current_scope(), form_data(form),
                                            actor_for(session, current_scope()), today=date.today())
    except ref.ServiceError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("fiches.index"))
    mail = send_fiche_link(session, mail_site(), link)
    session.commit()
    if mail is not None:
        deliver_now()
        flash(f"Fiche créée : le lien a été envoyé par e-mail à {mail.recipient_email}. Vous pouvez aussi le copier "
              "ci-dessous.", "success")
    else:
        flash("Fiche créée : copiez le lien ci-dessous et envoyez-le à l'entreprise (aucune adresse e-mail connue "
              "pour elle).", "success")
    return redirect(url_for("fiches.detail", fiche_id=link.fiche_id) + "#liens")


@bp.route("/<int:fiche_id>/liens", methods=["POST"])
@require("write")
def new(fiche_id: int):
    """Add a link for the company of a draft fiche."""
    session = get_session()
    fiche = get_or_404(Fiche, fiche_id)
    form = NewLinkForm()
    if form.validate_on_submit():
        sent = []

        def create_and_send():
            link = links.create_link(session, fiche, actor_for(session, current_scope()), days=form.days.data)
            sent.append(send_fiche_link(session, mail_site(), link))

        if commit_or_refuse(create_and_send, lambda _: "Nouveau lien créé." + (
                f" Il a été envoyé par e-mail à {sent[0].recipient_email}." if sent and sent[0] else "")) \
                and sent[0] is not None:
            deliver_now()
    else:
        flash(" ".join(form.days.errors) or "Le formulaire a expiré : recommencez.", "error")
    return redirect(url_for("fiches.detail", fiche_id=fiche.id) + "#liens")


@bp.route("/<int:fiche_id>/liens/<int:link_id>/revoquer", methods=["POST"])
@require("write")
def revoke(fiche_id: int, link_id: int):
    """Cut a company link at once."""
    session = get_session()
    fiche = get_or_404(Fiche, fiche_id)
    link = next((item for item in fiche.links if item.id == link_id), None)
    # CSRFProtect has already checked the token of this POST.
    if link is not None:
        links.revoke_link(session, link)
        session.commit()
        flash("Lien révoqué : il ne fonctionne plus.", "success")
    return redirect(url_for("fiches.detail", fiche_id=fiche.id) + "#liens")
