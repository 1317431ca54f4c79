"""The bilan's narrative: four sections the facilitator may write before the bilan is generated.

« Faits marquants », « Actions menées », « Difficultés rencontrées », « Perspectives ». The texts are
data, never template: they reach the document as context values (escaped, typeset like any other
text). An empty section is left out of the document, heading included.
"""

import re
from dataclasses import dataclass, fields

# Long enough for a page of text per section, short enough to keep the bilan a bilan.
MAX_LENGTH = 4000
SECTION_TITLES = {
    "highlights": "Faits marquants",
    "actions": "Actions menées",
    "difficulties": "Difficultés rencontrées",
    "outlook": "Perspectives",
}
# Characters Word cannot store (XML 1.0) and invisible controls: dropped, line breaks kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@dataclass(frozen=True)
class Narrative:
    """The four texts, as the facilitator left them (empty: the section is left out)."""

    highlights: str = ""
    actions: str = ""
    difficulties: str = ""
    outlook: str = ""

    @classmethod
    def from_mapping(cls, data) -> "Narrative":
        """Build a narrative from a form's or a row's values, each text cleaned."""
        return cls(**{name: clean_text(data.get(name) or "") for name in SECTION_TITLES})

    def as_dict(self) -> dict[str, str]:
        """Return the texts by section name."""
        return {item.name: getattr(self, item.name) for item in fields(self)}

    @property
    def is_empty(self) -> bool:
        """Tell whether every section is empty."""
        return not any(self.as_dict().values())


def clean_text(text: str) -> str:
    """Return the text with Windows line ends, control characters and trailing blanks removed."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def narrative_problems(narrative: Narrative) -> dict[str, str]:
    """Return, per section, why its text cannot be kept (too long), in French."""
    problems = {}
    for name, text in narrative.as_dict().items():
        if len(text) > MAX_LENGTH:
            problems[name] = (f"« {SECTION_TITLES[name]} » compte {len(text):,} caractères ; "
                              f"raccourcissez-le à {MAX_LENGTH:,} au plus.").replace(",", "\u202f")
    return problems


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def narrative_paragraphs(narrative: Narrative | None) -> dict[str, list[str]]:
    """Return each section's paragraphs by name (one per non-empty line; none for an empty section)."""
    narrative = narrative or Narrative()
    return {name: _paragraphs(text) for name, text in narrative.as_dict().items()}


def narrative_sections(narrative: Narrative | None) -> list[dict]:
    """Return the sections to print in order, title and paragraphs, the empty ones left out."""
    return [{"title": SECTION_TITLES[name], "paragraphs": paragraphs}
            for name, paragraphs in narrative_paragraphs(narrative).items() if paragraphs]
