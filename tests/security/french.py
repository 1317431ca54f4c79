"""Check that a message shown to users is French and carries no library English."""

import re

_FRENCH = re.compile(r"\b(le|la|les|du|des|un|une|est|pas|fichier|classeur|relevé|feuille|trop|modèle|interdit)\b",
                     re.I)
_ENGLISH = re.compile(r"\b(error|exception|traceback|invalid|failed|none|object|the|file|not|unexpected|"
                      r"expected|got|access|unsafe|attribute|is undefined|recursion|depth)\b", re.I)


def assert_french(message: str, what: str) -> None:
    """Fail unless ``message`` is non-empty French without English leaking from a library."""
    assert message and message.strip(), f"{what}: message vide"
    text = re.sub(r"«[^»]*»", "", message)  # file names, quoted values and template excerpts are the user's
    assert _FRENCH.search(text), f"{what}: pas de français dans {message!r}"
    assert not _ENGLISH.search(text), f"{what}: anglais dans {message!r}"
