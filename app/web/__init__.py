"""Web layer: blueprints parse the form, call a service, commit, then redirect or render."""

from datetime import timedelta

from flask import Flask, current_app, g, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app.access import Scope
from app.db import db
from app.domain.clauses.texts import detail_label, format_detail
from app.domain.formats import (format_count, format_date_fr, format_figure, format_hours, format_minutes, format_money,
                                format_number, format_pct, format_period, format_siret, format_time_fr, plural)
from app.extensions import login_manager
from app.services.accounts import load_user
from app.services.sessions import check_session
from app.web.api import API_BLUEPRINTS
from app.web.api.problems import problem
from app.web.context import close_session, get_session, set_scope
from app.web.navigation import may_open, menu_for
from app.web.input_guard import InputRefused, refuse_control_characters
from app.web.page_typography import typeset_page
from app.web.session_cookie import SealedCookieSessionInterface

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def register_web(app: Flask) -> None:
    """Attach blueprints, hooks, error pages and template helpers to ``app``."""
    from app.web import auth, clauses, main, reading_profiles, reference, referential, tenders, timesheets, users

    for blueprint in (auth.bp, main.bp, tenders.bp, clauses.bp, timesheets.bp, reading_profiles.bp, users.bp,
                      *referential.BLUEPRINTS,
                      *reference.BLUEPRINTS):
        app.register_blueprint(blueprint)
    # Fiches de liaison, conventions, document templates, stored files, the company link.
    from app.web import conventions, doc_templates, fiche_candidates, fiche_links, fiches, files, public

    for blueprint in (files.bp, fiches.bp, fiche_candidates.bp, fiche_links.bp, public.bp, conventions.bp,
                      doc_templates.bp):
        app.register_blueprint(blueprint)
    # Follow-up: dashboards and exits, collective actions, exports and bilans, the FSE+ dossier.
    from app.web import actions, dashboards, dossiers, exports, mail

    for blueprint in (dashboards.bp, actions.bp, exports.bp, dossiers.bp, mail.bp):
        app.register_blueprint(blueprint)
    # Repérage: the tender pipeline and the DECP veille.
    from app.web import pipeline, veille

    for blueprint in (pipeline.bp, veille.bp):
        app.register_blueprint(blueprint)
    # The open API (bearer tokens) and the admin page of its tokens.
    from app.web import api_tokens
    from app.web.api import register_api

    register_api(app)
    app.register_blueprint(api_tokens.bp)
    # Bringing an organisation's existing data in (and out) from spreadsheets.
    from app.web import dataimport

    app.register_blueprint(dataimport.bp)
    # FSE+ participant records (entry, exit, 6-month survey) and the common indicators.
    from app.web import fse_participants

    app.register_blueprint(fse_participants.bp)
    # The activity log, the partners directory and the programmes (issue 14).
    from app.web import activities, directory, fiche_diffusions

    for blueprint in (activities.bp, fiche_diffusions.bp, *directory.BLUEPRINTS):
        app.register_blueprint(blueprint)
    # A consolidating body's view of the partner territories that agreed to it.
    from app.web import consolidation

    app.register_blueprint(consolidation.bp)

    app.session_interface = SealedCookieSessionInterface()
    login_manager.user_loader(_load_user)
    app.before_request(refuse_control_characters)
    app.before_request(_scope_request)
    app.before_request(_provisional_password_gate)
    app.after_request(_security_headers)
    app.after_request(typeset_page)
    app.teardown_appcontext(close_session)
    # The only way a template prints a figure, a date or a count (issue 17): French formats,
    # no-break spaces inside figures, real plural agreement. See app/domain/formats.py.
    app.jinja_env.filters.update(
        date_fr=format_date_fr, money=format_money, hours=format_hours, minutes=format_minutes,
        number=format_number, figure=format_figure, pct=format_pct, siret=format_siret, counted=format_count, time_fr=format_time_fr,
    )
    app.context_processor(_menu_context)
    # The permission check of the menu, for a template's own links (« Conventions » on the fiches).
    app.jinja_env.globals["can_open"] = lambda endpoint: may_open(get_session().info.get("scope"), endpoint)
    app.jinja_env.filters.update(detail_label=detail_label)
    app.jinja_env.globals.update(plural=plural, period=format_period, format_detail=format_detail)
    _register_error_pages(app)


def _menu_context() -> dict:
    # The menu comes from app/web/navigation.py, the one table that also makes the home cards.
    scope = get_session().info.get("scope")
    return {"scope": scope, "menu": menu_for(scope)}


def _server_error(_exc):
    """Answer the French 500 page even when the database session is broken.

    The failed transaction is rolled back first, and the page reads nothing from the database
    (no user name, no menu): after a failed statement any lazy load would fail again.
    """
    session = g.get("db_session")
    if session is not None:
        try:
            session.rollback()
        except Exception:  # noqa: BLE001 — the page must render whatever state the connection is in
            g.pop("db_session", None).close()
    title, message = ERRORS[500]
    return render_template("error_plain.html", title=title, message=message), 500


def _load_user(user_id: str):
    if not user_id.isdigit():
        return None
    # The server-side session is checked first, in its own short transaction: ending a
    # timed-out session must stick even though the request then answers as a visitor.
    user = load_user(get_session(), int(user_id)) if _session_open(int(user_id)) else None
    if user is None:
        session.clear()
        return None
    set_scope(Scope.for_user(user))
    return user


def _session_open(user_id: int) -> bool:
    config = current_app.config
    with db.session_scope() as check:
        return check_session(check, user_id, session.get("sid"),
                             idle=timedelta(minutes=config["IDLE_TIMEOUT_MINUTES"]),
                             absolute=timedelta(hours=config["ABSOLUTE_TIMEOUT_HOURS"]))


def _scope_request() -> None:
    # The API never reads the session cookie: its token sets the scope (app/web/api).
    if _is_api_request():
        return
    # Loading the user here sets the session's scope before any view queries.
    _ = current_user.is_authenticated


def _is_api_request() -> bool:
    return request.blueprint in API_BLUEPRINTS or request.path.startswith("/api/")


# What a signed-in user with a provisional password may open before choosing their own.
PROVISIONAL_ALLOWED = {"auth.change_password", "auth.logout", "static"}


def _provisional_password_gate():
    if _is_api_request():
        return None
    if current_user.is_authenticated and current_user.password_expires_at is not None \
            and request.endpoint not in PROVISIONAL_ALLOWED:
        return redirect(url_for("auth.change_password"))
    return None


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["APP_ENV"] == "production":
        # Browsers then refuse plain HTTP for a year, even for a mistyped http:// link.
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # The user Flask-Login already loaded, if any: an error page must not query the database again.
    user = g.get("_login_user")
    if response.status_code >= 500 or (user is not None and user.is_authenticated and request.endpoint != "static"):
        # Pages behind the login may show personal data: no copy in any cache.
        response.headers["Cache-Control"] = "no-store"
    return response


ERRORS = {
    400: ("Requête incorrecte", "La demande n'a pas pu être comprise. Revenez en arrière et réessayez."),
    403: ("Accès refusé", "Votre compte ne permet pas d'ouvrir cette page."),
    404: ("Page introuvable", "Cette page n'existe pas, ou elle ne fait pas partie des données de votre structure."),
    405: ("Action impossible", "Cette action n'est pas permise ici."),
    413: ("Fichier trop volumineux", "Le fichier envoyé dépasse la taille autorisée."),
    429: ("Trop de tentatives", "Trop de tentatives en peu de temps. Patientez une minute avant de réessayer."),
    500: ("Erreur inattendue", "Une erreur inattendue s'est produite. Rien n'a été enregistré à moitié ; réessayez."),
}


def _register_error_pages(app: Flask) -> None:
    def render(code: int, detail: str | None = None):
        if _is_api_request():
            return problem(code, detail)
        title, message = ERRORS[code]
        return render_template("error.html", title=title, message=detail or message, code=code), code

    for code in ERRORS:
        if code != 500:
            app.register_error_handler(code, lambda exc, code=code: render(code))
    app.register_error_handler(500, _server_error)
    app.register_error_handler(InputRefused, lambda exc: render(400, exc.description))
    app.register_error_handler(
        CSRFError,
        lambda exc: render(400, "Le formulaire a expiré ou n'a pas été envoyé depuis Clausier. Rechargez la page et recommencez."),
    )
