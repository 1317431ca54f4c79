"""Split and clean people's names the way French timesheets write them."""

import re
from itertools import repeat

from app.domain.sheetmap.hours import fold

LAST_FIRST = "last_first"
FIRST_LAST = "first_last"

_LETTER = re.compile(r"[^\W\d_]")
# Words that show a line is a footer or a total, not a person: total, sous-total, cumul,
# signature, visa, cachet, fait à, le responsable, légende, soit, moyenne, nombre, page,
# imprimé, date d'édition, relevé, heures, fiche, suivi, suite, mois, structure, chantier,
# client, tableau, période, siret, lot, entreprise, marché, édité. They are grouped by first
# letter: the regex engine then tries one group, not thirty words, at each word start.
_NOT_A_PERSON = re.compile(
    r"\b(?:t(?:otal|ableau)|s(?:ous-total|ignature|oit|uivi|uite|tructure|iret)|"
    r"c(?:umul|achet|hantier|lient)|v(?:isa)|f(?:ait [aà]|iche)|l(?:e responsable|[eé]gende|ot)|"
    r"m(?:oyenne|ois|arch[eé])|n(?:ombre)|p(?:age|[eé]riode)|i(?:mprim[eé])|d(?:ate d'[eé]dition)|"
    r"r(?:elev[eé])|h(?:eures)|e(?:ntreprise|dit[eé])|é(?:dit[eé]))\b"
)
_FOOTER_WORDS = frozenset((
    "total", "cumul", "signature", "visa", "cachet", "legende", "légende", "soit", "moyenne",
    "nombre", "page", "imprime", "imprimé", "releve", "relevé", "heures", "fiche", "suivi", "suite",
    "mois", "structure", "chantier", "client", "tableau", "periode", "période", "siret", "lot",
    "entreprise", "marche", "marché", "edite", "edité", "édite", "édité"))
_FOOTER_PHRASES = ("fait ", "le responsable", "date d'")
_WORD = re.compile(r"\w+")
_DIGIT_OR_COLON = re.compile(r"[\d:]")
# A line of the joined names (see person_flags) without a single letter.
_NO_LETTER = re.compile(r"\n(?:[^\w\n]|[\d_])*(?=\n)")
_SPACES = re.compile(r"[^\S\n]+")
_PUNCTUATION = str.maketrans("-'’.", "    ")
# What " ".join(line.split()) would change in ASCII lines already free of leading spaces.
_ODD_SPACES = ("  ", " \n", "\n ", "\t", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f")
_EDGES = ("| ", "|,", "|;", " |", ",|", ";|")
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


def clean_names(cells: list[object]) -> list[str]:
    """Return ``clean_name`` of each cell; a column of already clean text comes back as is."""
    # One check over the joined column replaces a call per cell: clean text has no
    # whitespace but single inner spaces and neither spaces, commas nor semicolons at its
    # ends (a "|" inside a cell can only make the check fail, never pass).
    kinds = set(map(type, cells))
    if kinds == {str}:
        joined = "|" + "|".join(cells) + "|"
        if joined.isprintable() and "  " not in joined and not any(edge in joined for edge in _EDGES):
            return cells
    elif kinds == {float} and all(map(float.is_integer, cells)):
        # Numbers (a "N°" column): whole floats read as integers, "12" rather than "12.0".
        return list(map(str, map(int, cells)))
    return list(map(clean_name, cells))


def _is_upper_word(word: str) -> bool:
    if word.isalpha():
        # Fast path: every character is a letter, so the word is its own list of letters.
        return len(word) > 1 and all(map(str.isupper, word))
    letters = _LETTER.findall(word)
    return bool(letters) and all(map(str.isupper, letters)) and (
        len(letters) > 1 or word.endswith(".")
    )


_CIVILITY = re.compile(r"^(?:m\.|mr\.?|mme\.?|mlle\.?|melle|monsieur|madame|mademoiselle)\s+", re.IGNORECASE)


def split_full_name(text: str, order: str = LAST_FIRST) -> tuple[str, str]:
    """Split ``DUPONT Marie`` / ``Marie DUPONT`` / ``DE SOUSA João`` into (last, first)."""
    name = clean_name(text)
    if name[:1] in "Mm" and _CIVILITY.match(name):
        # HR and planning tools write « Mme DUPONT Marie »: the civility is not a name.
        name = _CIVILITY.sub("", name, count=1)
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


def person_flags(names: list[str]) -> list[bool]:
    """Tell for each name whether ``name_status`` says PERSON, checking all names at once."""
    # Each test of name_status runs once over the names joined by line breaks (none can
    # hold one, and no pattern crosses one); the rare hits are mapped back to their line.
    joined = "\n".join(names)
    if joined.count("\n") != len(names) - 1:
        return [name_status(name) == PERSON for name in names]
    lowered, padded = joined.lower(), f"\n{joined}\n"
    # The words of _NOT_A_PERSON are whole runs of letters (\b on both sides) and words of
    # letters only hold no digit: the distinct words of all the names rule both tests out
    # at once, the usual case; otherwise the patterns find the lines.
    words = set(lowered.split())
    others = [word for word in words if not word.isalpha()]
    runs = words.union(*map(_WORD.findall, others))
    refused: set[int] = set()
    if not _FOOTER_WORDS.isdisjoint(runs) or any(phrase in lowered for phrase in _FOOTER_PHRASES):
        refused.update(lowered.count("\n", 0, m.start()) for m in _NOT_A_PERSON.finditer(lowered))
    if any(map(_DIGIT_OR_COLON.search, others)):
        refused.update(joined.count("\n", 0, m.start()) for m in _DIGIT_OR_COLON.finditer(joined))
    refused.update(padded.count("\n", 0, m.start()) for m in _NO_LETTER.finditer(padded))
    refused.update(i for i, spaces in enumerate(map(str.count, names, repeat(" "))) if spaces >= 6)
    return [i not in refused for i in range(len(names))] if refused else [True] * len(names)


def person_key(last_name: str, first_name: str) -> str:
    """Return a key that ignores case, accents, hyphens and word order noise."""
    folded = fold(f"{last_name} {first_name}")
    return " ".join(folded.translate(_PUNCTUATION).split())


def person_keys(people: list[tuple[str, str]]) -> list[str]:
    """Return ``person_key`` of each (last, first), folding all the names at once."""
    text = "\n".join([f"{last} {first}" for last, first in people])
    folded = fold(text).translate(_PUNCTUATION)
    if not folded.isascii() or any(space in folded for space in _ODD_SPACES) or folded[:1] == " " \
            or folded[-1:] == " ":
        # Folding keeps line breaks; runs of other whitespace become one space, then the
        # spaces left at the ends of each line go: " ".join(line.split()) for every line.
        folded = _SPACES.sub(" ", folded).replace(" \n", "\n").replace("\n ", "\n").strip(" ")
    keys = folded.split("\n")
    if len(keys) != len(people):  # a name holding a line break (not from our readers)
        return [person_key(last, first) for last, first in people]
    return keys
