"""The request's database session, its access scope and the permission checks of views."""

import io
from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, flash, g, send_file
from flask_login import current_user
from sqlalchemy.orm import Session

from app.access import Scope
from app.db import db
from app.services import audit
from app.services.referential import ServiceError


def get_session() -> Session:
    """Return the request's session, confined to the signed-in user's scope."""
    if "db_session" not in g:
        g.db_session = db.session(scope=Scope.nobody())
    return g.db_session


def set_scope(scope: Scope) -> None:
    """Confine the request's session to ``scope`` (called once the user is known)."""
    get_session().info["scope"] = scope


def current_scope() -> Scope:
    """Return the scope of the request."""
    return get_session().info["scope"]


def close_session(_exc=None) -> None:
    """Roll back what a request left uncommitted and release the connection."""
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()


def require(*permissions: str) -> Callable:
    """Let a view run only for a signed-in user holding one of ``permissions``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_scope().can_any(*permissions):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permissions = permissions
        return wrapped

    return decorator


def get_or_404(model, row_id: int, options=()):
    """Return a row visible in the request's scope, or answer 404 (``options``: loader options)."""
    row = get_session().get(model, row_id, options=options)
    if row is None:
        abort(404)
    return row


def audit_here(action: str, object_type: str, object_id: int | None, detail: str = "") -> None:
    """Add an audit event for the signed-in user to the request's session (the view commits)."""
    scope = current_scope()
    audit.record(get_session(), organisation_id=scope.organisation_id, user_id=scope.user_id, action=action,
                 object_type=object_type, object_id=object_id, detail=detail)


def commit_or_refuse(call: Callable[[], object], success: str | Callable[[object], str], *,
                     refused: type[Exception] | tuple[type[Exception], ...] = ServiceError,
                     category: str = "success") -> bool:
    """Run a service call: commit and flash ``success``, or roll back and flash its French refusal.

    ``success`` may be a function of the call's result, read after the commit (« Statut : Signée »).
    ``refused`` lists the errors whose message is French and meant for the user (ServiceError by
    default; ValueError where a workflow TransitionError can come too).
    """
    session = get_session()
    try:
        result = call()
    except refused as exc:
        session.rollback()
        flash(str(exc), "error")
        return False
    session.commit()
    flash(success(result) if callable(success) else success, category)
    return True


def send_download(data: bytes, mimetype: str, name: str):
    """Send bytes as an attachment named ``name``, never kept in a cache (exports hold personal data)."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response
