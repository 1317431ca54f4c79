"""Split and clean people's names the way French timesheets write them."""

import re

from app.domain.timesheets.hours import fold

LAST_FIRST = "last_first"
FIRST_LAST = "first_last"

_LETTER = re.compile(r"[^\W\d_]")
# Words that show a line is a footer or a total, not a person.
_NOT_A_PERSON = re.compile(
    r"\b(total|sous-total|cumul|signature|visa|cachet|fait [aà]|le responsable|l[eé]gende|soit|"
    r"moyenne|nombre|page|imprim[eé]|date d'[eé]dition|relev[eé]|heures|fiche|suivi|suite|mois|"
    r"structure|chantier|client|tableau|p[eé]riode|siret|lot|entreprise|march[eé]|[eé]dit[eé])\b"
)
_DIGIT_OR_COLON = re.compile(r"[\d:]")
PERSON, FOOTER, OTHER = "person", "footer", "other"


def clean_name(value: object) -> str:
    """Return a name cell as text with single spaces (``None`` → empty)."""
    if value is None:
        return ""
    if value.__class__ is not str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    return " ".join(value.replace("\u00a0", " ").split()).strip(",;")


def _is_upper_word(word: str) -> bool:
    letters = _LETTER.findall(word)
    return bool(letters) and all(ch.isupper() for ch in letters) and (
        len(letters) > 1 or word.endswith(".")
    )


def split_full_name(text: str, order: str = LAST_FIRST) -> tuple[str, str]:
    """Split ``DUPONT Marie`` / ``Marie DUPONT`` / ``DE SOUSA João`` into (last, first)."""
    name = clean_name(text)
    if "," in name:
        # "Dupont, Marie" is the one unambiguous separator people use.
        last, _, first = name.partition(",")
        return clean_name(last), clean_name(first)
    words = name.split(" ")
    if len(words) < 2:
        return name, ""
    upper = [_is_upper_word(word) for word in words]
    if any(upper) and not all(upper):
        # The run of capitalised words is the last name, wherever it stands.
        if upper[0]:
            cut = upper.index(False)
            if not any(upper[cut:]):
                return " ".join(words[:cut]), " ".join(words[cut:])
        elif upper[-1]:
            cut = len(upper) - upper[::-1].index(False)
            if not any(upper[:cut]):
                return " ".join(words[cut:]), " ".join(words[:cut])
    if order == FIRST_LAST:
        return " ".join(words[1:]), words[0]
    return words[0], " ".join(words[1:])


def name_status(text: str) -> str:
    """Say whether a name cell names a person, a total/footer line, or something else."""
    if not text:
        return FOOTER
    if _NOT_A_PERSON.search(text.lower()):
        return FOOTER
    if _DIGIT_OR_COLON.search(text) or text.count(" ") >= 6 or not _LETTER.search(text):
        return OTHER
    return PERSON


def person_key(last_name: str, first_name: str) -> str:
    """Return a key that ignores case, accents, hyphens and word order noise."""
    folded = fold(f"{last_name} {first_name}")
    return " ".join(re.sub(r"[-'’.]", " ", folded).split())
