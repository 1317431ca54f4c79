"""French typography applied to every generated document at render time.

``typeset`` fixes a text; ``typeset_docx`` applies it to every paragraph of a rendered DOCX
(body, headers, footers, footnotes); ``ClausierPdf`` applies it to every string it prints.
Rules (Lexique des règles typographiques en usage à l'Imprimerie nationale):
narrow no-break space (U+202F) before « ; : ! ? » and inside « »; no-break space (U+00A0)
between a number and its unit (« 20 €/h », « 9 h 30 », « 5 % »), after « n° » and « art. »;
typographic apostrophe; « (s) » agreed with the number before it; numeric dates written out
after a preposition (« le 3 novembre 2026 »).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from difflib import SequenceMatcher
from decimal import Decimal, InvalidOperation

from babel.dates import format_date
from lxml import etree

from app.domain.formats import plural  # noqa: F401 — documents import it from here

NNBSP, NBSP = "\u202f", "\u00a0"
_SPACES = " \u00a0\u202f"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TYPESET_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")

# Not in the local part of an e-mail address (« o'neil@exemple.fr » must stay deliverable).
# Pages use it too (app/web/page_typography.py), where autoescape writes the quote « &#39; ».
APOSTROPHE = re.compile(r"(?<=[^\W\d_])(?:'|&#39;|&#x27;)(?=[^\W_])(?![^\s@]*@)")
_SPACE_BEFORE_PUNCT = re.compile(rf"[{_SPACES}]+([;:!?»])")
# « mot: » without a space; a colon inside « 9:30 » or « https:// » is left alone.
_GLUED_PUNCT = re.compile(r"(?<=[^\W_]|[)\]%€»])([;:!?])(?=[\s»)]|$)")
_GLUED_CLOSING = re.compile(r"(?<=[^\s\u202f\u00a0])»")
_OPENING = re.compile(rf"«[{_SPACES}]*")
_UNIT = re.compile(r"(?<=\d)[ \u202f](?=(?:€|%|h\b|heures?\b|ETP\b|mois\b|jours?\b|ans?\b|km\b))")
_CLOCK = re.compile(r"(?<=\d)[ ]h[ ](?=\d)")
_ABBREVIATION = re.compile(r"\b(n°|N°|art\.|Art\.|p\.|articles?|Article)[ ](?=[A-Z]?\d)")
_NUMBER = r"(\d[\d\u202f\u00a0 ]*(?:,\d+)?)"
_PLURAL_GROUP = re.compile(rf"{_NUMBER}((?:[{_SPACES}]+[^\W\d_]+\((?:s|x|es)\))+)")
_PLURAL_WORD = re.compile(r"([^\W\d_]+)\((s|x|es)\)")
_PROSE_DATE = re.compile(
    r"\b(le|du|au|depuis le|avant le|après le|jusqu’au|à compter du|à partir du)[ ]"
    r"(\d{2})/(\d{2})/(\d{4})\b")
_RISKY = frozenset("'\"(«»;:!?/ hn°tpA")  # a text without these characters cannot change


def _agree(match: re.Match) -> str:
    number, words = match.group(1), match.group(2)
    try:
        value = Decimal(re.sub(rf"[{_SPACES}]", "", number).replace(",", "."))
    except InvalidOperation:
        return match.group(0)
    many = abs(value) >= 2  # French: 1,5 heure, 2 heures
    return number + _PLURAL_WORD.sub(lambda w: w.group(1) + (w.group(2) if many else ""), words)


def _prose_date(match: re.Match) -> str:
    day, month, year = int(match.group(2)), int(match.group(3)), int(match.group(4))
    try:
        written = format_date(date(year, month, day), "d MMMM y", locale="fr_FR")
    except ValueError:
        return match.group(0)
    if day == 1:
        written = "1er" + written[1:]
    return f"{match.group(1)} {written}"


def typeset(text: str) -> str:
    """Return ``text`` with French typography (idempotent; identifiers and URLs untouched)."""
    if not text or not any(char in _RISKY or char.isdigit() for char in text):
        return text
    text = APOSTROPHE.sub("’", text)
    text = _SPACE_BEFORE_PUNCT.sub(NNBSP + r"\1", text)
    text = _GLUED_PUNCT.sub(NNBSP + r"\1", text)
    text = _GLUED_CLOSING.sub(NNBSP + "»", text)
    text = _OPENING.sub("«" + NNBSP, text)
    text = _CLOCK.sub(NBSP + "h" + NBSP, text)
    text = _UNIT.sub(NBSP, text)
    text = _ABBREVIATION.sub(r"\1" + NBSP, text)
    text = _PLURAL_GROUP.sub(_agree, text)
    return _PROSE_DATE.sub(_prose_date, text)


def typeset_runs(texts: list[str]) -> list[str]:
    """Typeset a paragraph split in runs: the rules see the whole paragraph, runs keep their text."""
    joined = "".join(texts)
    fixed = typeset(joined)
    if fixed == joined:
        return texts
    owner = [index for index, text in enumerate(texts) for _ in text]
    out = [[] for _ in texts]
    matcher = SequenceMatcher(None, joined, fixed, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i1, i2):
                out[owner[k]].append(joined[k])
        else:  # a replacement goes to the run of its first character, an insertion to the next run
            run = owner[i1] if i1 < len(owner) else owner[-1]
            out[run].append(fixed[j1:j2])
    return ["".join(pieces) for pieces in out]


def _typeset_tree(root) -> None:
    for paragraph in root.iter(f"{_W}p"):
        nodes = [node for node in paragraph.iter(f"{_W}t")]
        if not nodes:
            continue
        texts = [node.text or "" for node in nodes]
        for node, text in zip(nodes, typeset_runs(texts)):
            if text != node.text:
                node.text = text
                # Leading or trailing spaces vanish in Word without xml:space="preserve".
                node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def typeset_docx(docx_bytes: bytes) -> bytes:
    """Return the DOCX with every paragraph of body, headers, footers and notes typeset."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if _TYPESET_PARTS.fullmatch(info.filename):
                root = etree.fromstring(data)
                _typeset_tree(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
