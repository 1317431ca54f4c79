"""The open JSON API under /api/v1/, described by an OpenAPI 3.1 document generated from its schemas.

flask-smorest turns the marshmallow schemas and the decorators of each view into the document
served at /api/v1/openapi.json; /api/docs renders it as a plain page (no script, no CDN).
Calls authenticate with a bearer token only: the session cookie is never read here, so no
CSRF token is needed (nor accepted as proof of anything).
"""

import hashlib

from flask import Flask, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, InternalServerError

from app.db import db
from app.domain.api.tokens import TokenScope
from app.extensions import csrf, limiter
from app.services.api.tokens import TokenHolder, authenticate
from app.web.api.problems import handle_http_exception, problem
from app.web.context import set_scope

MAX_BODY_BYTES = 512 * 1024
API_BLUEPRINTS = ("api", "api-docs", "api_docs")


class ClausierApi(Api):
    """flask-smorest's Api without its app-wide JSON error handlers (the web pages keep theirs)."""

    # Errors are documented per operation as problem+json (routes.errors), not as smorest's Error.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        return None

    def _register_responses(self):
        # smorest's English default responses (and their Error schema): ours are problem+json.
        return None

    def _register_pagination_header(self):
        # Its X-Pagination header drags a PaginationMetadata schema in: our pages carry next_cursor.
        return None


def rate_key() -> str:
    """Count requests per token (its hash), or per address for calls without one."""
    header = request.headers.get("Authorization", "")
    if header:
        return "api-token:" + hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()
    return "api-ip:" + get_remote_address()


def authenticate_request():
    """Read the bearer token, set the request's scope from it, or answer 401 in problem+json."""
    # The declared length first: the app-wide input guard may already have opened the stream
    # under the upload limit (20 Mo); a body sent without a length is cut at this size too.
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return problem(413)
    request.max_content_length = MAX_BODY_BYTES
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret or len(secret) > 200:
        return problem(401)
    with db.session_scope() as check:
        holder = authenticate(check, secret)
    if holder is None:
        return problem(401, "Ce jeton est inconnu, révoqué ou expiré.")
    g.api_holder = holder
    set_scope(holder.scope)
    return None


def current_holder() -> TokenHolder:
    """Return who the request's token speaks for."""
    return g.api_holder


def require_scope(*scopes: TokenScope, organisation_only: bool = False):
    """Answer 403 unless the token holds one of ``scopes`` (and, if asked, speaks for the organisation)."""
    holder = current_holder()
    if not holder.scopes & set(scopes):
        return problem(403, "Ce jeton n'a pas le droit « " + " » ou « ".join(s.value for s in scopes) + " ».")
    if organisation_only and holder.is_structure:
        return problem(403, "Cette opération est réservée aux jetons de l'organisation.")
    return None


def register_api(app: Flask) -> None:
    """Attach the API, its OpenAPI document and its documentation page to ``app``."""
    from app.web.api import docs, routes
    from app.web.api import hours, indicators  # noqa: F401 — their views join routes.blp

    app.config.setdefault("API_TITLE", "Clausier")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_RATE_LIMIT", "120 per minute")
    api = ClausierApi(app, spec_kwargs={"info": {"description": docs.DESCRIPTION}})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearerAuth": []}]
    api.register_blueprint(routes.blp)
    csrf.exempt(routes.blp)
    app.register_blueprint(docs.bp)
    app.extensions["clausier_api"] = api


def install_api_hooks(blp) -> None:
    """Give the API blueprint its authentication, rate limit, errors, ETags and caching rules."""
    blp.before_request(authenticate_request)
    limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_key)(blp)
    blp.register_error_handler(Exception, _any_error)
    blp.after_request(_conditional)


def _any_error(exc: Exception):
    if not isinstance(exc, HTTPException):
        current_app.logger.error("Erreur inattendue de l'API", exc_info=exc)
        exc = InternalServerError(original_exception=exc)
    return handle_http_exception(exc)


def _conditional(response):
    # Bodies can name people: private caches only, and always revalidated (ETag).
    response.headers["Cache-Control"] = "private, no-cache"
    if request.method == "GET" and response.status_code == 200 and response.is_json:
        response.add_etag()
        response.make_conditional(request)
    return response
