"""Render DOCX templates (docxtpl) in a sandboxed Jinja environment, with parsed templates cached.

Every document Clausier produces goes through ``render_docx``: clause packs, fiches de
liaison, conventions, bilans. Templates are patched and compiled once per content (or per
path + mtime) and reused, so repeated renders skip docxtpl's regex patching and Jinja's
compilation. ``check_template`` vets a template an administrator uploads.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import threading
from collections import OrderedDict
from pathlib import Path

from docxtpl import DocxTemplate
from docx import Document
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.domain.documents.docx_safety import DocxSafetyError, guard_docx_bytes, inspect_docx
from app.domain.documents.eu_emblem import insert_eu_emblem
from app.domain.documents.typography import typeset_docx
from app.domain.documents.template_lint import (
    FORBIDDEN_NAMES,
    forbidden_constructs,
    nested_keys,
    suggest_name,
    syntax_problem,
)

TEMPLATES_DIR = Path(__file__).resolve().parents[3] / "templates_docs"
MAX_POWER = 64  # ``x ** y`` beyond this exponent is a memory bomb, not a document
MAX_REPEAT = 100_000  # longest string or list a template may build with ``*``
# Memory bombs the sandbox lets through (found by tests/security/test_template_ssti.py, 2026-11):
# ``'a'.ljust(10**9)``, ``['a'*100000]*100000``, ``dict.fromkeys(range(100000), 'a'*100000)``,
# ``'{:>1000000000}'.format(x)``, nested loops. Sizes are checked before Python allocates.
MAX_OUTPUT = 20_000_000  # characters of one rendered XML part (about a 1 000-page document)
_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
_HUGE_FORMAT = re.compile(r"\{[^{}]*(?:\{|\d{6,})|%[-+ #0]*(?:\*|\d{6,})")
_FREE_NUMBER_FILTERS = frozenset({"format", "default", "d", "replace"})
_CACHE_SIZE = 32


class DocumentError(ValueError):
    """A template cannot be read or rendered; the message is French and shown as is."""


class _DocxSandbox(ImmutableSandboxedEnvironment):
    """Sandbox that also refuses huge ``*``/``**`` results and memoises compiled sources."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        # cycler, joiner, lipsum and namespace are the usual SSTI stepping stones: drop them.
        self.globals = {"range": self.globals["range"], "dict": dict}
        self.filters = {name: _bounded_filter(name, func) for name, func in self.filters.items()}
        self._compiled: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()

    def call_binop(self, context, operator, left, right):
        """Apply ``*`` and ``**`` only when their result stays document-sized."""
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_POWER:
            raise SecurityError("exposant trop grand")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and left.bit_length() * right > MAX_POWER * MAX_POWER:
            raise SecurityError("nombre trop grand")  # ((9 ** 64) ** 64) ** 64… grows without end
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) \
                        and _weight(seq) * count > MAX_REPEAT:
                    raise SecurityError("répétition trop longue")
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj, attr, value):
        """Also refuse ``dict.fromkeys``, which shares one huge value between any number of keys."""
        return attr != "fromkeys" and super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj, attribute):
        """Fail at the access itself: Jinja's lazy undefined let ``x|map(attribute='__class__')``
        render as « [Undefined] », so such a template passed the sample render and was stored."""
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe.")

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        """Refuse string methods asked for a huge result: widths, format fields, replacements."""
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox hands str.format over wrapped
        owner, name = getattr(target, "__self__", None), getattr(target, "__name__", "")
        if isinstance(owner, str):
            if name in _WIDTH_METHODS:
                _refuse_huge((*args, *kwargs.values()))
            elif name in ("format", "format_map") and _HUGE_FORMAT.search(owner):
                raise SecurityError("format trop large")
            elif name == "replace" and len(args) >= 2:
                _refuse_amplification(owner, args[0], args[1])
        return super().call(__context, __obj, *args, **kwargs)

    def from_string(self, source, globals=None, template_class=None):
        """Compile ``source`` once; later calls with the same text reuse the template."""
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._lock:
            template = self._compiled.get(source)
            if template is not None:
                self._compiled.move_to_end(source)
                return template
        template = super().from_string(source)
        with self._lock:
            self._compiled[source] = template
            while len(self._compiled) > _CACHE_SIZE * 4:
                self._compiled.popitem(last=False)
        return template


def _weight(seq) -> int:
    """Return what repeating ``seq`` costs per copy: characters, strings inside a list included."""
    if isinstance(seq, str):
        return len(seq)
    return sum(len(item) if isinstance(item, str) else 1 for item in seq)


def _refuse_huge(numbers) -> None:
    if any(isinstance(n, int | float) and not isinstance(n, bool) and abs(n) > MAX_REPEAT for n in numbers):
        raise SecurityError("taille demandée trop grande")


def _refuse_amplification(text, old, new) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        grown = (len(text) + 1) * len(new) if not old else text.count(old) * (len(new) - len(old))
        if len(text) + grown > MAX_OUTPUT:
            raise SecurityError("remplacement trop long")


def _bounded_filter(name: str, func):
    """Wrap a filter so that its size arguments (width, count, slices) stay document-sized."""
    skip = 2 if hasattr(func, "jinja_pass_arg") else 1  # context/environment, then the value

    @functools.wraps(func)
    def bounded(*args, **kwargs):
        if name == "format" and isinstance(args[0], str) and _HUGE_FORMAT.search(args[0]):
            raise SecurityError("format trop large")
        if name == "replace" and len(args) >= skip + 2:
            _refuse_amplification(*args[skip - 1:skip + 2])
        if name not in _FREE_NUMBER_FILTERS:
            _refuse_huge((*args[skip:], *kwargs.values()))
        return func(*args, **kwargs)

    return bounded


SANDBOX = _DocxSandbox()


class _Prepared:
    """One template's bytes and its docxtpl-patched XML sources, computed on first use."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.patched: dict[str, str] = {}  # raw part XML → patched XML
        self.lined: dict[str, str] = {}  # patched XML → one paragraph per line
        self.body: str | None = None


class _CachedDocxTemplate(DocxTemplate):
    """DocxTemplate that reuses the patched XML and compiled Jinja of its ``_Prepared``."""

    def __init__(self, prepared: _Prepared) -> None:
        super().__init__(io.BytesIO(prepared.data))
        self._prepared = prepared

    def patch_xml(self, src_xml):
        """Patch each distinct XML part once (headers, footers, footnotes)."""
        patched = self._prepared.patched.get(src_xml)
        if patched is None:
            patched = self._prepared.patched[src_xml] = super().patch_xml(src_xml)
        return patched

    def body_source(self) -> str:
        """Return the patched body XML, serialised and patched once per template."""
        if self._prepared.body is None:
            self._prepared.body = super().patch_xml(self.get_xml())
        return self._prepared.body

    def jinja_source(self, src_xml: str) -> str:
        """Return patched XML with one paragraph per line, the text Jinja compiles."""
        # docxtpl does the same so that a Jinja error points at one paragraph.
        source = self._prepared.lined.get(src_xml)
        if source is None:
            source = self._prepared.lined[src_xml] = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
        return source

    def build_xml(self, context, jinja_env=None):
        """Render the body from the cached patched XML instead of re-serialising it."""
        return self.render_xml_part(self.body_source(), self.docx._part, context, jinja_env)

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        """Render one part like docxtpl does, with the compiled template memoised."""
        self.current_rendering_part = part
        template = (jinja_env or SANDBOX).from_string(self.jinja_source(src_xml))
        pieces, size = [], 0
        for piece in template.generate(context):
            size += len(piece)
            if size > MAX_OUTPUT:  # loops that multiply the output: stop before memory runs out
                raise SecurityError("document trop long")
            pieces.append(piece)
        dst_xml = "".join(pieces)
        dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
        dst_xml = (dst_xml.replace("{_{", "{{").replace("}_}", "}}")
                   .replace("{_%", "{%").replace("%_}", "%}"))
        # Listing resolution only rewrites tabs, breaks and page feeds; skip the regex pass
        # when the rendered text has none.
        if any(char in dst_xml for char in "\t\a\n\f"):
            dst_xml = self.resolve_listing(dst_xml)
        return dst_xml


_PREPARED: OrderedDict[tuple, _Prepared] = OrderedDict()
_PREPARED_LOCK = threading.Lock()


def _prepare(template: str | os.PathLike | bytes) -> _Prepared:
    """Return the cached ``_Prepared`` for a path (keyed by mtime and size) or for bytes."""
    if isinstance(template, (bytes, bytearray, memoryview)):
        data = bytes(template)
        key = ("sha256", hashlib.sha256(data).hexdigest())
    else:
        path = Path(template)
        try:
            stat = path.stat()
        except OSError:
            raise DocumentError(f"Modèle de document introuvable : {path.name}.") from None
        key, data = ("path", str(path.resolve()), stat.st_mtime_ns, stat.st_size), None
    with _PREPARED_LOCK:
        prepared = _PREPARED.get(key)
        if prepared is not None:
            _PREPARED.move_to_end(key)
            return prepared
    if data is None:
        data = Path(template).read_bytes()
    try:
        guard_docx_bytes(data)
    except DocxSafetyError as exc:
        raise DocumentError(str(exc)) from None
    prepared = _Prepared(data)
    with _PREPARED_LOCK:
        _PREPARED[key] = prepared
        while len(_PREPARED) > _CACHE_SIZE:
            _PREPARED.popitem(last=False)
    return prepared


def render_error_message(exc: Exception) -> str:
    """Turn a Jinja or docxtpl failure into a French sentence for the user."""
    if isinstance(exc, SecurityError):
        unsafe = re.search(r"attribute '([^']+)' of '([^']+)'", str(exc))
        what = f"accès à l'attribut « {unsafe.group(1)} »" if unsafe else str(exc).rstrip(".")
        return f"Opération interdite dans le modèle (bac à sable) : {what}."
    if isinstance(exc, UndefinedError):
        name = re.search(r"'([^']+)' is undefined|attribute '([^']+)'", str(exc))
        field = next((g for g in name.groups() if g), str(exc)) if name else str(exc)
        return f"Le modèle utilise une donnée absente : « {field} »."
    if isinstance(exc, TemplateError):
        return f"Le modèle contient une erreur de balise Jinja : {str(exc).rstrip('.')}."
    if isinstance(exc, RecursionError):
        return "Le modèle s'appelle lui-même sans fin (macro récursive) : interdit."
    if isinstance(exc, MemoryError | OverflowError):
        return "Le modèle demande un document démesuré (boucle, répétition ou nombre trop grand) : interdit."
    if "no loader" in str(exc):
        return "Le modèle tente d'inclure un autre modèle (include, import, extends) : interdit."
    return f"Le document n'a pas pu être produit : {exc}."


def render_docx(template: str | os.PathLike | bytes, context: dict) -> bytes:
    """Render a DOCX template (path or bytes) with ``context``; return the DOCX bytes, typeset."""
    prepared = _prepare(template)
    document = _CachedDocxTemplate(prepared)
    try:
        document.render(context, jinja_env=SANDBOX, autoescape=True)
        out = io.BytesIO()
        document.save(out)
    except DocumentError:
        raise
    except Exception as exc:  # docxtpl surfaces lxml, zip and Jinja errors alike
        raise DocumentError(render_error_message(exc)) from exc
    # Typography is applied to the rendered text, template wording and values alike.
    return insert_eu_emblem(typeset_docx(out.getvalue()))


def template_sources(template: str | os.PathLike | bytes) -> list[str]:
    """Return the Jinja sources docxtpl renders: body, headers, footers and footnotes."""
    prepared = _prepare(template)
    document = _CachedDocxTemplate(prepared)
    try:
        docx = document.get_docx()
        sources = [document.body_source()]
        for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
            for _key, part in document.get_headers_footers(uri):
                sources.append(document.patch_xml(document.get_part_xml(part)))
        for part in docx.part.package.parts:
            if part.content_type.endswith("footnotes+xml"):
                sources.append(document.patch_xml(part.blob.decode("utf-8")))
    except Exception as exc:  # python-docx raises KeyError, lxml errors… on broken packages
        raise DocumentError(f"Le document Word est illisible : {exc}.") from exc
    return [document.jinja_source(source) for source in sources]


def parse_template(template: str | os.PathLike | bytes) -> list[nodes.Template]:
    """Return the Jinja syntax trees of a template's parts (raises TemplateSyntaxError)."""
    return [SANDBOX.parse(source) for source in template_sources(template)]


def template_variables(template: str | os.PathLike | bytes) -> set[str]:
    """Return the undeclared (context) variable names a DOCX template uses."""
    names: set[str] = set()
    for tree in parse_template(template):
        names |= meta.find_undeclared_variables(tree)
    return names


def docx_text(docx_bytes: bytes) -> str:
    """Return the text of a DOCX body, one line per paragraph, table cells included."""
    body = Document(io.BytesIO(docx_bytes)).element.body
    paragraphs = body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")
    return "\n".join("".join(t.text or "" for t in p.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")) for p in paragraphs)


def check_template(docx_bytes: bytes, allowed_variables, sample_context: dict) -> list[str]:
    """Return the French problems of an uploaded DOCX template (an empty list: accept it)."""
    problems = inspect_docx(docx_bytes)
    if problems:
        return problems
    try:
        trees = parse_template(docx_bytes)
    except TemplateSyntaxError as exc:
        return [syntax_problem(exc)]
    except DocumentError as exc:
        return [str(exc)]
    for tree in trees:
        problems += [p for p in forbidden_constructs(tree) if p not in problems]
    allowed = set(allowed_variables)
    used = set().union(*(meta.find_undeclared_variables(tree) for tree in trees))
    for name in sorted(used - allowed - FORBIDDEN_NAMES):
        problems.append(f"Variable inconnue « {name} »{suggest_name(name, allowed)}.")
    if problems:
        return problems
    # The sample render is what proves the template works, sandbox included.
    try:
        rendered = render_docx(docx_bytes, sample_context)
    except DocumentError as exc:
        cause = exc.__cause__
        message = str(exc)
        if isinstance(cause, UndefinedError):
            name = re.search(r"«\s(.+)\s»", message)
            if name:
                hint = suggest_name(name.group(1), nested_keys(sample_context))
                message = f"{message.rstrip('.')}{hint}."
        return [f"Le rendu d'essai a échoué : {message}"]
    text = docx_text(rendered)
    if "{{" in text or "{%" in text:
        problems.append("Une balise n'a pas été interprétée : vérifiez qu'elle n'est pas coupée "
                        "par un changement de mise en forme dans Word.")
    return problems
