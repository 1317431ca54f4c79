"""Sign in (password, then the second factor), sign out, second-factor enrolment, password change."""

import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.access import Scope
from app.domain.formats import format_count
from app.extensions import limiter
from app.models import User
from app.services import accounts, audit, totp
from app.services.accounts import AccountError, authenticate, load_user, password_expired, verify_password
from app.services.sessions import end_other_sessions, end_session, open_session
from app.web.context import get_session, set_scope
from app.web.redirects import safe_local_path
from forms.auth import LoginForm, PasswordChangeForm, ReEnrolForm, SecondFactorForm

bp = Blueprint("auth", __name__)
PENDING_SECONDS = 300  # time allowed between the password and the second factor


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Check the password, then ask for the second factor when the account has or needs one."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        db_session = get_session()
        user = authenticate(db_session, form.email.data, form.password.data)
        target = safe_local_path(request.args.get("next")) or url_for("main.home")
        if user is None:
            flash("Adresse e-mail ou mot de passe incorrect.", "error")
        elif password_expired(user):
            flash("Votre mot de passe provisoire a expiré (il vaut 72 heures) : demandez-en un nouveau à "
                  "l'administrateur·rice de votre organisation.", "error")
        elif user.totp_enabled_at or current_app.config["REQUIRE_TOTP"]:
            db_session.commit()
            session.clear()
            session.update(pending_user_id=user.id, pending_at=time.time(), pending_next=target)
            return redirect(url_for("auth.second_factor" if user.totp_enabled_at else "auth.enrol"))
        else:
            return _finish_login(user, target)
    return render_template("auth/login.html", form=form)


def _pending_user() -> User | None:
    user_id, started = session.get("pending_user_id"), session.get("pending_at", 0)
    if not user_id or time.time() - started > PENDING_SECONDS:
        return None
    return load_user(get_session(), user_id)


def _pending_target() -> str:
    return safe_local_path(session.get("pending_next")) or url_for("main.home")


@bp.route("/connexion/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def second_factor():
    """Ask for the authenticator code (or a recovery code)."""
    user = _pending_user()
    if user is None or not user.totp_enabled_at:
        flash("Votre connexion a expiré : saisissez à nouveau votre mot de passe.", "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        if _second_factor_ok(user, form.code.data):
            return _finish_login(user, _pending_target())
        flash("Code incorrect, déjà utilisé ou expiré : réessayez avec le prochain code affiché.", "error")
    return render_template("auth/second_factor.html", form=form)


def _second_factor_ok(user: User, code: str) -> bool:
    # A TOTP code counts once (its time-step is stored); a recovery code is crossed out.
    code = (code or "").strip()
    return totp.accept_code(user, code) or totp.use_recovery_code(user, code)


@bp.route("/double-authentification", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def enrol():
    """Set up the second factor: scan the QR code, type a code, keep the recovery codes.

    Reachable by a signed-in user, or after the password by an account that has no second factor
    yet. Replacing an active second factor takes the password and the current code: a password
    alone (or a borrowed session) must never swap the owner's authenticator for another.
    """
    if current_user.is_authenticated:
        user = current_user._get_current_object()
    else:
        user = _pending_user()
        if user is None:
            return redirect(url_for("auth.login"))
        if user.totp_enabled_at:
            return redirect(url_for("auth.second_factor"))
    replacing = user.totp_enabled_at is not None
    secret = session.get("enrol_secret") or totp.new_secret()
    session["enrol_secret"] = secret
    form = ReEnrolForm() if replacing else SecondFactorForm()
    if form.validate_on_submit():
        if replacing and not (verify_password(user, form.password.data)
                              and _second_factor_ok(user, form.current_code.data)):
            flash("Mot de passe ou code actuel incorrect : votre double authentification reste inchangée.", "error")
        elif (codes := totp.enable_totp(user, secret, form.code.data)) is None:
            flash("Ce code ne correspond pas : vérifiez l'heure de votre téléphone et réessayez.", "error")
        else:
            return _enrolled(user, codes, replacing)
    uri = totp.provisioning_uri(user.email, secret)
    return render_template("auth/enrol.html", form=form, secret=secret, qr=totp.qr_svg(uri), replacing=replacing)


def _enrolled(user: User, codes: list[str], replacing: bool):
    db_session = get_session()
    audit.record(db_session, organisation_id=user.organisation_id, user_id=user.id, action="update",
                 object_type="user", object_id=user.id,
                 detail="double authentification remplacée" if replacing else "double authentification activée")
    session.pop("enrol_secret", None)
    if current_user.is_authenticated:
        target = url_for("auth.account")
        if replacing:
            # Other browsers signed in with the old factor are closed.
            end_other_sessions(db_session, user.id, session.get("sid"), "double authentification remplacée")
        db_session.commit()
    else:
        target = _pending_target()
        _complete_login(user)
    return render_template("auth/recovery_codes.html", codes=codes, target=target)


def _finish_login(user: User, target: str):
    _complete_login(user)
    return redirect(target)


def _complete_login(user: User) -> None:
    """Open the server-side session and sign the browser in."""
    db_session = get_session()
    token = open_session(db_session, user)
    audit.record(db_session, organisation_id=user.organisation_id, user_id=user.id, action="login",
                 object_type="user", object_id=user.id)
    db_session.commit()
    session.clear()
    session["sid"] = token
    login_user(user)
    set_scope(Scope.for_user(user))


@bp.route("/deconnexion", methods=["POST"])
def logout():
    """Close the session, here and on the server."""
    db_session = get_session()
    end_session(db_session, session.get("sid"))
    db_session.commit()
    logout_user()
    session.clear()
    flash("Vous êtes déconnecté·e.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/compte")
@login_required
def account():
    """Show the account and its second factor."""
    return render_template("auth/account.html")


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def change_password():
    """Change one's own password (required first when it is provisional); other sessions end."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        db_session = get_session()
        user = current_user._get_current_object()
        try:
            ended = accounts.change_password(db_session, user, current=form.current_password.data,
                                             new=form.new_password.data, keep_token=session.get("sid"))
        except AccountError as exc:
            db_session.rollback()
            flash(str(exc), "error")
        else:
            audit.record(db_session, organisation_id=user.organisation_id, user_id=user.id, action="update",
                         object_type="user", object_id=user.id, detail="mot de passe changé")
            db_session.commit()
            flash("Mot de passe changé." + (f" {format_count(ended, 'autre session fermée', 'autres sessions fermées')}." if ended else ""), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/password.html", form=form)
