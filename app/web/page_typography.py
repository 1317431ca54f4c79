"""Typographic apostrophes on every HTML page, applied once at render time (issue 17).

Templates, labels and flash messages keep the straight quote a keyboard types; the response's
text nodes get « ’ » between two letters. Tags and their attributes, scripts, styles, form values
(textarea, an option without a value attribute) and code samples are never touched, so what a
form posts back is exactly what the user typed. A regex split on tags, not a DOM parse: a few
milliseconds on the largest demo page.
"""

import re

from flask import Response
from markupsafe import Markup

from app.domain.documents.typography import APOSTROPHE

# A fragment typeset once and cached (a dashboard's body) is wrapped in these comments: the page's
# pass skips it whole instead of splitting its thousands of tags again.
TYPESET_START, TYPESET_END = "<!--typeset-->", "<!--/typeset-->"

# Odd items of the split: the parts left as they are. Raw-text elements are skipped whole.
_UNTOUCHED = re.compile(
    r"(<!--typeset-->.*?<!--/typeset-->"
    r"|<(script|style|textarea|pre|code)\b.*?</\2\s*>"
    r"|<option(?![^>]*\svalue=)[^>]*>.*?</option\s*>"
    r"|<!--.*?-->|<[^>]*>)",
    re.S | re.I,
)


def curl_apostrophes(page: str) -> str:
    """Return the HTML ``page`` with « ’ » for a straight apostrophe between letters in its text nodes."""
    if "'" not in page and "&#39;" not in page and "&#x27;" not in page:
        return page
    parts = _UNTOUCHED.split(page)
    # split() also returns the inner group (the raw-text tag name): every third item, skipped.
    out = []
    for index, part in enumerate(parts):
        kind = index % 3
        if kind == 0:
            out.append(APOSTROPHE.sub("’", part) if part else part)
        elif kind == 1:
            out.append(part)
    return "".join(out)


def typeset_fragment(html: str) -> Markup:
    """Return an HTML fragment typeset now and marked so that the page's own pass leaves it alone."""
    return Markup(f"{TYPESET_START}{curl_apostrophes(html)}{TYPESET_END}")


def typeset_page(response: Response) -> Response:
    """After-request hook: curl the apostrophes of an HTML page (not files, JSON or streams)."""
    if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
        return response
    page = response.get_data(as_text=True)
    fixed = curl_apostrophes(page)
    if fixed is not page:
        response.set_data(fixed)
    return response
