"""RFC 9457 problem details, in French, for every error the API answers."""

from flask import current_app, g, json
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Requête incorrecte",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Ressource introuvable",
    405: "Méthode non permise",
    406: "Format de réponse non disponible",
    409: "Conflit",
    413: "Requête trop volumineuse",
    415: "Type de contenu non pris en charge",
    422: "Données invalides",
    429: "Trop de requêtes",
    500: "Erreur inattendue",
}
DETAILS = {
    400: "La requête n'a pas pu être comprise.",
    401: "Envoyez un jeton valide dans l'en-tête « Authorization: Bearer … » (le cookie de session n'est pas "
         "accepté par l'API).",
    403: "Ce jeton n'a pas le droit d'utiliser cette opération.",
    404: "Cette ressource n'existe pas, ou elle ne fait pas partie des données de ce jeton.",
    405: "Cette méthode n'est pas permise sur cette adresse.",
    413: "Le corps de la requête dépasse la taille autorisée.",
    415: "Envoyez le corps en JSON (Content-Type: application/json).",
    422: "Les données envoyées ne sont pas valides : voir « errors ».",
    429: "Trop de requêtes pour ce jeton en peu de temps : patientez avant de réessayer.",
    500: "Une erreur inattendue s'est produite. Rien n'a été enregistré à moitié ; réessayez.",
}

# webargs and marshmallow speak English; the API answers in French.
FIELD_MESSAGES = {
    "Missing data for required field.": "Champ obligatoire.",
    "Unknown field.": "Champ inconnu.",
    "Not a valid integer.": "Nombre entier attendu.",
    "Not a valid string.": "Texte attendu.",
    "Not a valid boolean.": "Booléen attendu (true ou false).",
    "Not a valid date.": "Date attendue (AAAA-MM-JJ).",
    "Not a valid list.": "Liste attendue.",
    "Invalid input type.": "Type de valeur non valide.",
    "Field may not be null.": "Ce champ ne peut pas être nul.",
    "String does not match expected pattern.": "Format non valide.",
    "Invalid value.": "Valeur non valide.",
}


def french_errors(messages):
    """Return webargs' error tree with French messages."""
    if isinstance(messages, dict):
        return {key: french_errors(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [french_errors(value) for value in messages]
    text = str(messages)
    if text in FIELD_MESSAGES:
        return FIELD_MESSAGES[text]
    if text.startswith(("Must be", "Length must", "Shorter than", "Longer than")):
        return "Valeur hors des limites permises."
    return "Valeur non valide."


def problem(status: int, detail: str | None = None, **extra):
    """Return a problem+json response."""
    body = {"type": "about:blank", "title": TITLES.get(status, "Erreur"), "status": status,
            "detail": detail or DETAILS.get(status, TITLES.get(status, "Erreur")), **extra}
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype=PROBLEM_JSON)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="clausier"'
    return response


def handle_http_exception(exc: HTTPException):
    """Answer any HTTP error of the API as problem+json."""
    status = exc.code or 500
    if status >= 500:
        session = g.get("db_session")
        if session is not None:
            session.rollback()
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    if status == 422 and messages:
        # webargs nests by location (json, query, headers): flatten the single location clients see.
        errors = {name: french_errors(value) for location in messages.values() for name, value in location.items()}
        return problem(422, errors=errors)
    if status == 400 and getattr(exc, "description", None) and exc.__class__.__name__ == "InputRefused":
        return problem(400, exc.description)
    return problem(status)
