"""Every GET page of the demo, for every role, speaks French figures and French words (issue 17).

A page fails on a number printed with more than two decimals, « h 00 », « (s) », a straight
apostrophe in French text, or an internal code (enum value, document kind key, field key) shown
instead of its French label. Only what a reader sees is checked: tags, attributes, scripts, styles
and form values (textarea, pre, code) are removed first.
"""

import html
import re

import pytest
from sqlalchemy import select

import app.models as M
from app.domain.enums import LabelledEnum, Role
from app.services.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.security.test_authz_matrix import (
    ENDPOINTS, STAFF, allowed, demo, first_id, first_visible_id, sign_in, url_for_rows)

__all__ = ["demo"]  # the demo fixture, shared with the authorisation matrix

_HIDDEN = re.compile(r"<(script|style|textarea|pre|code)\b.*?</\1\s*>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]*>")

LONG_DECIMALS = re.compile(r"\d[,.]\d{3,}(?![\d/])")
HOUR_ZERO = re.compile(r"\bh[\s\u00a0\u202f]00\b")
OPTIONAL_PLURAL = re.compile(r"\w\((?:s|x|es|e)\)")
STRAIGHT_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W_])(?![^\s@]*@)")


def internal_codes() -> set[str]:
    """Return the identifiers a page must never show: enum values, document kind keys, field keys."""
    from app.services.doc_templates import DOC_KINDS

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    import app.domain.api.tokens, app.domain.liaison.convention, app.domain.liaison.eligibility  # noqa: E401,F401
    import app.domain.liaison.workflow, app.domain.reports.attendance, app.domain.reports.dossier  # noqa: E401,F401
    import app.domain.reports.exits, app.models.mail, app.models.timesheets  # noqa: E401,F401
    from app.domain.reports.common import QUALIFICATION_LABELS

    values = {member.value for enum in subclasses(LabelledEnum) for member in enum}
    # A value that is also an ordinary French word (« commune », « formation ») is not a code.
    codes = {value for value in values if "_" in value or re.search(r"\d", value)}
    codes |= {kind.key for kind in DOC_KINDS.values() if "_" in kind.key}
    codes |= {key for key in QUALIFICATION_LABELS if not key.isdigit()}
    codes |= {"queued", "running", "done", "failed", "company", "buyer", "tender", "amount",
              "labour_share", "hourly_cost", "None", "True", "False"}
    return codes


CODES = internal_codes()
CODE_RE = re.compile(r"(?<![\w@./-])(" + "|".join(sorted(map(re.escape, CODES), key=len, reverse=True))
                     + r")(?![\w@/-])")


def visible_text(page: str) -> str:
    """Return the text a reader sees: no tags, attributes, scripts, styles or form values."""
    return html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", _COMMENT.sub(" ", page))))


def problems(text: str) -> list[str]:
    """Return the French-format faults of a page's visible text."""
    found = []
    for label, pattern in (("décimales", LONG_DECIMALS), ("h 00", HOUR_ZERO), ("(s)", OPTIONAL_PLURAL),
                           ("apostrophe droite", STRAIGHT_APOSTROPHE), ("code interne", CODE_RE)):
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 30), match.end() + 30
            found.append(f"{label} : …{' '.join(text[start:end].split())}…")
    return found


def test_problems_finds_each_fault():
    assert problems("valeur exacte 233,33366666 h") and problems("1203 h 00") and problems("0 heure(s)")
    assert problems("Modèles utilisés : ccap_article") and problems("niveau infra3")
    assert problems("Aujourd'hui")
    assert not problems("Aujourd’hui, 1\u202f203\u00a0h, 7,5 h, 34,25 %, 07/11/2026, o'neil@exemple.fr")
    assert visible_text('<p title="l\'aide">x</p><script>a = "b\'c"</script><textarea>l\'eau</textarea>').split() == ["x"]


def rendered_pages(app, session, demo, role):
    """Yield (endpoint, url, visible text) of every HTML page ``role`` may open in the demo."""
    browser = sign_in(app, DEMO_ACCOUNTS[role], DEMO_PASSWORD)
    user = session.scalar(select(M.User).where(M.User.email == DEMO_ACCOUNTS[role]))
    pick = (lambda model: first_id(session, model, demo)) if role in STAFF \
        else (lambda model: first_visible_id(user, model))
    for endpoint, spec in ENDPOINTS.items():
        if not allowed(spec, role):
            continue
        url = url_for_rows(app, endpoint, spec, pick)
        if url is None:
            continue
        response = browser.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        yield endpoint, url, visible_text(response.get_data(as_text=True))


@pytest.mark.parametrize("role", list(Role))
def test_every_demo_page_prints_french_formats(app, session, demo, role):
    faults, opened = [], 0
    for endpoint, url, text in rendered_pages(app, session, demo, role):
        opened += 1
        faults += [f"{endpoint} {url} — {problem}" for problem in problems(text)]
    assert opened > 5
    assert not faults, f"{len(faults)} défauts :\n" + "\n".join(sorted(set(faults)))
