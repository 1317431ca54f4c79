"""Accounts of the organisation (administrators only) and the audit trail."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.models import AuditEvent, Company, Siae, User
from app.services import referential as ref_svc
from app.services import accounts, totp
from app.services.accounts import AccountError, create_user, set_active
from app.services.sessions import end_all_sessions
from app.web.context import audit_here, current_scope, get_or_404, get_session, require
from forms.fields import select_choices
from forms.users import UserCreateForm

bp = Blueprint("users", __name__, url_prefix="/administration")

# The journal speaks French: the audit trail stores English codes (AuditEvent.action, object_type).
AUDIT_ACTIONS = {"read": "consultation", "export": "export", "create": "création", "update": "modification",
                 "login": "connexion", "delete": "suppression"}
AUDIT_OBJECTS = {
    "api_token": "jeton d'API", "buyer": "acheteur", "bilan": "bilan", "bilan_narrative": "textes du bilan",
    "clause_pack": "dossier de clause", "collective_action": "action collective", "convention": "convention",
    "convention_scan": "convention signée (scan)", "decp_import": "import DECP", "doc_template": "modèle de document",
    "dossier": "dossier FSE+", "dossier_fse": "dossier FSE+", "fiche": "fiche de liaison",
    "fse_operation": "opération FSE+", "hour_record": "heures", "indicators": "indicateurs",
    "participant": "participant", "participants_fse": "liste des participants FSE+", "placement": "mise en situation",
    "positioning": "positionnement", "sent_mail": "message envoyé", "statistiques": "statistiques",
    "tableau_impact": "tableau d'impact", "tender": "marché", "timesheet_import": "relevé d'heures",
    "timesheet_template": "modèle de relevé", "user": "compte",
}


@bp.route("/comptes", methods=["GET", "POST"])
@require("manage_users")
def index():
    """List the accounts and create one."""
    session = get_session()
    form = UserCreateForm()
    form.siae_id.choices = select_choices(ref_svc.choices(session, Siae, lambda s: s.name, (Siae.name,), optional="Aucune"))
    form.company_id.choices = select_choices(ref_svc.choices(session, Company, lambda c: c.name, (Company.name,),
                                                             optional="Aucune"))
    if form.validate_on_submit():
        scope = current_scope()
        try:
            user = create_user(session, organisation_id=scope.organisation_id, email=form.email.data,
                               password=form.password.data, role=form.role.data, full_name=form.full_name.data,
                               siae_id=form.siae_id.data, company_id=form.company_id.data, provisional=True)
        except AccountError as exc:
            session.rollback()
            flash(str(exc), "error")
        else:
            audit_here("create", "user", user.id, "compte créé")
            session.commit()
            flash("Compte créé. Transmettez le mot de passe provisoire par un autre canal que l'e-mail : il vaut "
                  "72 heures et devra être changé à la première connexion.", "success")
            return redirect(url_for("users.index"))
    users = session.scalars(select(User).order_by(User.full_name)).all()
    return render_template("users/index.html", users=users, form=form)


@bp.route("/comptes/<int:user_id>/etat", methods=["POST"])
@require("manage_users")
def toggle(user_id: int):
    """Deactivate or reactivate an account; deactivation ends its sessions at once."""
    session = get_session()
    user = get_or_404(User, user_id)
    try:
        set_active(session, user, request.form.get("active") == "1", by_user_id=current_scope().user_id)
    except AccountError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("users.index"))
    audit_here("update", "user", user.id, "compte réactivé" if user.is_active else "compte désactivé")
    session.commit()
    flash("Compte réactivé." if user.is_active else "Compte désactivé : ses sessions sont fermées.", "success")
    return redirect(url_for("users.index"))


@bp.route("/comptes/<int:user_id>/double-authentification", methods=["POST"])
@require("manage_users")
def reset_second_factor(user_id: int):
    """Remove an account's second factor (lost phone); it will enrol again at next sign-in."""
    session = get_session()
    user = get_or_404(User, user_id)
    totp.reset_totp(user)
    end_all_sessions(session, user.id, "double authentification réinitialisée")
    audit_here("update", "user", user.id, "double authentification réinitialisée")
    session.commit()
    flash("Double authentification réinitialisée : la personne la configurera à sa prochaine connexion.", "success")
    return redirect(url_for("users.index"))


@bp.route("/comptes/<int:user_id>/mot-de-passe", methods=["POST"])
@require("manage_users")
def reset_password(user_id: int):
    """Give an account a provisional password (72 hours, to change at first sign-in); end its sessions."""
    session = get_session()
    user = get_or_404(User, user_id)
    try:
        password = accounts.reset_password(session, user, by_user_id=current_scope().user_id)
    except AccountError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("users.index"))
    audit_here("update", "user", user.id, "mot de passe réinitialisé")
    session.commit()
    # Shown once in the page, never flashed: the password must not travel in the session cookie.
    return render_template("users/provisional_password.html", password=password, user_id=user.id)


@bp.route("/journal")
@require("manage_users")
def journal():
    """Show the audit trail of the organisation, newest first."""
    events = get_session().scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(500)).all()
    names = {user.id: user.full_name or user.email for user in get_session().scalars(select(User))}
    return render_template("users/journal.html", events=events, names=names, actions=AUDIT_ACTIONS,
                           objects=AUDIT_OBJECTS)
