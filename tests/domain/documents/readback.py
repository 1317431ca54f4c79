"""Checks every generated document must pass when read back (DOCX, PDF or XLSX text)."""

import re

_ENGLISH = re.compile(r"(?<![@\w./-])[a-z]+(?:_[a-z0-9]+)+\b(?![@\w-]*\.\w)|\b(?:None|True|False|nan)\b")
_LOOSE_PUNCT = re.compile(r"[ \u00a0][:;!?»]|« |[^\W\d_][;:!?](?=\s|$)")


def french_problems(text: str, *, mandatory: tuple[str, ...] = ()) -> list[str]:
    """Return what breaks the house rules in a document's text (an empty list: it passes)."""
    problems = []
    if "(s)" in text:
        problems.append("« (s) » au lieu d'un accord")
    if "'" in text:
        problems.append(f"apostrophe droite : {text[max(text.index(chr(39)) - 30, 0):text.index(chr(39)) + 10]!r}")
    loose = _LOOSE_PUNCT.search(text)
    if loose:
        problems.append(f"espace ordinaire ou absente avant la ponctuation : {text[max(loose.start() - 30, 0):loose.end() + 5]!r}")
    english = _ENGLISH.search(text)
    if english:
        problems.append(f"identifiant anglais ou technique : {english.group(0)!r}")
    for label in mandatory:
        line = next((line for line in text.splitlines() if line.startswith(label)), None)
        if line is None or line[len(label):].strip(" \u202f:\t") in ("", "—"):
            problems.append(f"champ obligatoire vide : {label}")
    return problems
