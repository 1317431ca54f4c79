"""Sign in (password, then the second factor), sign out, and second-factor enrolment."""

import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.access import Scope
from app.extensions import limiter
from app.models import User
from app.services import audit, totp
from app.services.accounts import authenticate, load_user
from app.services.sessions import end_session, open_session
from app.web.context import get_session, set_scope
from app.web.redirects import safe_local_path
from forms.auth import LoginForm, SecondFactorForm

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
        if user is None:
            flash("Adresse e-mail ou mot de passe incorrect.", "error")
        elif user.totp_enabled_at or current_app.config["REQUIRE_TOTP"]:
            db_session.commit()
            target = _safe_next(request.args.get("next"))
            session.clear()
            session.update(pending_user_id=user.id, pending_at=time.time(), pending_next=target)
            return redirect(url_for("auth.second_factor" if user.totp_enabled_at else "auth.enrol"))
        else:
            return _finish_login(user, _safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


def _pending_user() -> User | None:
    user_id, started = session.get("pending_user_id"), session.get("pending_at", 0)
    if not user_id or time.time() - started > PENDING_SECONDS:
        return None
    return load_user(get_session(), user_id)


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
        code = form.code.data.strip()
        if totp.verify_code(user.totp_secret, code) or totp.use_recovery_code(user, code):
            return _finish_login(user, session.get("pending_next") or url_for("main.home"))
        flash("Code incorrect ou expiré : réessayez avec le code affiché maintenant.", "error")
    return render_template("auth/second_factor.html", form=form)


@bp.route("/double-authentification", methods=["GET", "POST"])
def enrol():
    """Set up the second factor: scan the QR code, type a code, keep the recovery codes."""
    user = current_user._get_current_object() if current_user.is_authenticated else _pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    secret = session.get("enrol_secret") or totp.new_secret()
    session["enrol_secret"] = secret
    form = SecondFactorForm()
    if form.validate_on_submit():
        if not totp.verify_code(secret, form.code.data):
            flash("Ce code ne correspond pas : vérifiez l'heure de votre téléphone et réessayez.", "error")
        else:
            db_session = get_session()
            codes = totp.enable_totp(user, secret)
            audit.record(db_session, organisation_id=user.organisation_id, user_id=user.id, action="update",
                         object_type="user", object_id=user.id, detail="double authentification activée")
            target = session.get("pending_next") or url_for("main.home")
            session.pop("enrol_secret", None)
            if current_user.is_authenticated:
                db_session.commit()
            else:
                _complete_login(user)
            return render_template("auth/recovery_codes.html", codes=codes, target=target)
    uri = totp.provisioning_uri(user.email, secret)
    return render_template("auth/enrol.html", form=form, secret=secret, qr=totp.qr_svg(uri))


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


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would help phishing.
    return safe_local_path(target) or url_for("main.home")
