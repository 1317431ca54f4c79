"""The company link: a company fills its fiche de liaison without an account.

These pages never use the visitor's sign-in: the request's session is replaced by one scoped
to the link's organisation and company, so the fiche of that company is all they can reach.
"""

from datetime import date

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from app.access import Scope
from app.db import db
from app.models import Fiche, Organisation
from app.models.base import utcnow
from app.services.liaison import fiche_links as links
from app.services.liaison.fiches import FicheInvalid
from app.services.referential import ServiceError
from app.web.context import close_session
from app.web.fiche_forms import attach_problems
from forms.fiches import FicheFieldsForm

bp = Blueprint("public", __name__, url_prefix="/lien")
STATUS = {"invalid": 404, "expired": 410, "revoked": 410, "used": 200}


def _link_session(token: str):
    """Return (session, link) for a usable token, else (session, LinkError); never the user's scope."""
    close_session()
    session = g.db_session = db.session(scope=Scope.nobody())
    try:
        link_id, nonce = links.read_link_token(current_app.config["SECRET_KEY"], token)
        link = links.resolve_link(session, link_id, nonce, utcnow())
    except links.LinkError as exc:
        return session, exc
    session.info["scope"] = links.link_scope(link)
    return session, link


def _refusal(session, error: links.LinkError):
    link = error.link
    organisation = session.get(Organisation, link.organisation_id, execution_options={"unscoped": True}) \
        if link is not None else None
    fiche = None
    if error.reason == "used":
        session.info["scope"] = links.link_scope(link)
        fiche = session.get(Fiche, link.fiche_id)
    response = render_template("public/refused.html", reason=error.reason, link=link, organisation=organisation,
                               fiche=fiche)
    return response, STATUS[error.reason]


@bp.route("/<token>", methods=["GET", "POST"])
def fiche_link(token: str):
    """Show and save the company's fiche; « Envoyer » hands it to the facilitator."""
    session, found = _link_session(token)
    if isinstance(found, links.LinkError):
        return _refusal(session, found)
    link = found
    fiche = session.get(Fiche, link.fiche_id)
    if fiche is None:
        return _refusal(session, links.LinkInvalid())
    organisation = session.get(Organisation, link.organisation_id)
    form = FicheFieldsForm(obj=fiche if request.method == "GET" else None)
    notes = []
    if form.validate_on_submit():
        submit = request.form.get("action") == "submit"
        data = {name: value for name, value in form.data.items() if name != "csrf_token"}
        try:
            fiche, problems = links.fill_through_link(session, link, data, today=date.today(), submit=submit)
        except FicheInvalid as exc:
            session.rollback()
            notes = attach_problems(form, exc.problems)
            flash(str(exc), "error")
        except ServiceError as exc:
            session.rollback()
            flash(str(exc), "error")
        else:
            session.commit()
            if submit:
                return redirect(url_for("public.fiche_link", token=token))
            missing = [problem.message for problem in problems if problem.severity == "error"]
            flash("Brouillon enregistré : vous pouvez revenir sur ce lien pour terminer."
                  + (f" À compléter avant l'envoi : {' '.join(missing)}" if missing else ""), "success")
            return redirect(url_for("public.fiche_link", token=token))
    elif request.method == "POST":
        flash("Le formulaire contient des erreurs : corrigez les champs signalés.", "error")
    return render_template("public/fiche_form.html", form=form, fiche=fiche, link=link, organisation=organisation,
                           notes=notes)


@bp.after_request
def _no_store(response):
    # The page holds a company's data and its URL is a credential: no cache, no indexing.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
