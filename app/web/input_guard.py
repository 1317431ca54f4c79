"""One gate for every request's text: no NUL or other control character reaches a form or the database.

A NUL byte makes PostgreSQL refuse the statement (and a naive error page would then fail too);
other C0 characters are invisible and only come from pasted binary or an attack. Tab, line feed
and carriage return stay allowed in form fields (multi-line text); a file name allows none.
"""

import re

from flask import request
from werkzeug.exceptions import BadRequest

# C0 controls and DEL, except tab, line feed and carriage return.
FORBIDDEN_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORBIDDEN_IN_FILENAME = re.compile(r"[\x00-\x1f\x7f]")

TEXT_REFUSED = ("Le formulaire contient un caractère invisible non autorisé (caractère de contrôle, souvent "
                "venu d'un copier-coller). Retapez le texte concerné puis renvoyez le formulaire ; rien n'a été "
                "enregistré.")
FILENAME_REFUSED = ("Le nom du fichier contient un caractère invisible non autorisé. Renommez le fichier puis "
                    "déposez-le à nouveau ; rien n'a été enregistré.")


class InputRefused(BadRequest):
    """A 400 whose description is French and shown to the user as is."""


def refuse_control_characters() -> None:
    """Refuse (400, French) a request whose path, query, form fields or file names hold a control character."""
    texts = [request.path, *(text for pair in request.args.items(multi=True) for text in pair)]
    if request.method in ("POST", "PUT", "PATCH"):
        texts += [text for pair in request.form.items(multi=True) for text in pair]
        for _name, storage in request.files.items(multi=True):
            if storage.filename and FORBIDDEN_IN_FILENAME.search(storage.filename):
                raise InputRefused(FILENAME_REFUSED)
    if any(FORBIDDEN_IN_TEXT.search(text) for text in texts):
        raise InputRefused(TEXT_REFUSED)
