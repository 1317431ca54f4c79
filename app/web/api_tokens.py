"""Administration → Jetons d'API: create (secret shown once), list with last use, revoke."""

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, url_for

from app.services.api import tokens as svc
from app.services.referential import ServiceError
from app.services.timesheets import structure_choices
from app.web.context import audit_here, current_scope, get_or_404, get_session, require
from app.web.crud import attach_error
from app.models import ApiToken
from forms.api_tokens import ApiTokenCreateForm
from forms.fields import select_choices

bp = Blueprint("api_tokens", __name__, url_prefix="/administration/jetons-api")


@bp.route("/", methods=["GET", "POST"])
@require("manage_users")
def index():
    """List the organisation's tokens and create one; a new secret is shown on this answer only."""
    session = get_session()
    form = ApiTokenCreateForm()
    form.structure.choices = select_choices([("", "Toute l'organisation"), *structure_choices(session)])
    if not form.is_submitted():
        form.expires_on.data = date.today() + timedelta(days=365)
    secret = None
    if form.validate_on_submit():
        try:
            token, secret = svc.create_token(session, current_scope(), name=form.name.data, scopes=form.scopes.data,
                                             expires_on=form.expires_on.data, structure_key=form.structure.data)
        except ServiceError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            audit_here("create", "api_token", token.id, "jeton d'API créé")
            session.commit()
            flash("Jeton créé. Copiez-le maintenant : il ne sera plus jamais affiché.", "success")
            form = ApiTokenCreateForm(formdata=None)
            form.structure.choices = select_choices([("", "Toute l'organisation"), *structure_choices(session)])
            form.expires_on.data = date.today() + timedelta(days=365)
    return render_template("api/tokens.html", tokens=svc.list_tokens(session), form=form, secret=secret,
                           today=date.today())


@bp.route("/<int:token_id>/revoquer", methods=["POST"])
@require("manage_users")
def revoke(token_id: int):
    """Revoke a token: its next call is refused."""
    session = get_session()
    get_or_404(ApiToken, token_id)
    token = svc.revoke_token(session, token_id)
    audit_here("update", "api_token", token.id, "jeton d'API révoqué")
    session.commit()
    flash(f"Jeton « {token.name} » révoqué.", "success")
    return redirect(url_for("api_tokens.index"))
