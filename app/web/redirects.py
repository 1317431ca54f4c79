"""The one check of every user-given redirect target (``next``, ``suite``): same-site paths only."""

import unicodedata
from urllib.parse import unquote, urlsplit

MAX_TARGET_LENGTH = 2000


def safe_local_path(target: str | None) -> str | None:
    """Return ``target`` when it is a path of this site, else None.

    Browsers forgive a lot: ``/\\evil``, ``/%09/evil`` (a tab they drop) or ``https:evil`` all lead
    away. So the target must start with a single "/", hold no backslash, no control character and
    no whitespace, and have neither scheme nor host once parsed — checked on the value as given
    and once percent-decoded (the page may decode it again).
    """
    if not target or len(target) > MAX_TARGET_LENGTH:
        return None
    for form in (target, unquote(target)):
        if not form.startswith("/") or form.startswith("//") or "\\" in form:
            return None
        if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in form):
            return None
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return None
    return target
