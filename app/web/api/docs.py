"""/api/docs: the OpenAPI document rendered as a plain page, with no script and no CDN."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_docs", __name__)

DESCRIPTION = (
    "API de Clausier : lecture des acheteurs, marchés, lots, mises en situation, heures, indicateurs et "
    "marchés à venir ; envoi des heures d'un mois. Authentification : « Authorization: Bearer <jeton> » "
    "(jetons créés par un administrateur, menu « Jetons d'API »). Dates ISO 8601, mois "
    "AAAA-MM, décimaux en chaînes. Pagination par curseur (next_cursor), ETag et If-None-Match. Erreurs "
    "au format RFC 9457 (application/problem+json), en français."
)
METHODS = ("get", "post", "put", "patch", "delete")


def _operations(spec: dict) -> list[dict]:
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                found.append({"method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                              "description": operation.get("description", ""),
                              "parameters": [*item.get("parameters", []), *operation.get("parameters", [])],
                              "body": _body_ref(operation.get("requestBody")),
                              "responses": operation.get("responses", {}),
                              "anchor": f"{method}-{path.strip('/').replace('/', '-').replace('{', '').replace('}', '')}"})
    return found


def _body_ref(body: dict | None) -> str:
    if not body:
        return ""
    schema = body.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").rsplit("/", 1)[-1]


@bp.route("/api/docs")
def index():
    """Show the API's operations and schemas, read from the generated OpenAPI document."""
    spec = current_app.extensions["clausier_api"].spec.to_dict()
    return render_template("api/docs.html", spec=spec, operations=_operations(spec),
                           schemas=spec.get("components", {}).get("schemas", {}))
