"""Document kinds an administrator may customise: each variable's meaning and example, and the checks.

A kind's examples are not typed by hand: each job package (``clauses.kinds``, ``liaison.kinds``,
``reports.kinds``) runs its own context builder on sample data, so the sample render that vets an
uploaded template sees exactly the shapes (lists, nested keys, booleans) real documents get. This
module knows no job: the catalogue of every kind is assembled by the template service.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.domain.documents.rendering import TEMPLATES_DIR, check_template

SAMPLE_DAY = date(2026, 10, 2)


@dataclass(frozen=True)
class DocKind:
    """A kind of document: its default template and the variables a template may use."""

    key: str
    label_fr: str
    default_template: str
    variables: Mapping[str, tuple[str, object]]  # name → (French description, example value)

    @property
    def template_path(self) -> Path:
        """Return the path of the default template shipped in templates_docs/."""
        return TEMPLATES_DIR / self.default_template


def describe_kind(key: str, label: str, descriptions: Mapping[str, str], context: Mapping) -> DocKind:
    """Return the kind ``key`` whose variables are ``descriptions`` with examples from ``context``."""
    # A description for a key the builder no longer produces fails here, at import, not in a render.
    variables = {name: (text, context[name]) for name, text in descriptions.items()}
    return DocKind(key, label, f"{key}.docx", variables)


def sample_context(kind: DocKind) -> dict:
    """Return the context made of a kind's example values (for the sample render)."""
    return {name: example for name, (_description, example) in kind.variables.items()}


def check_kind_template(kind: DocKind, docx_bytes: bytes) -> list[str]:
    """Return the French problems of a template uploaded for ``kind`` (empty: accept it)."""
    # check_template already suggests the closest known name for an unknown variable.
    return check_template(docx_bytes, kind.variables, sample_context(kind))
