"""Find the record a cell points at — a buyer, a company, an SIAE — by its SIRET or its name.

A tender's buyer, its winning company and a convention's party are written in a file as a
person knows them: a SIRET, or a name with its own spelling. The organisation's records of
one model are loaded once (``Directory.load``) and every line is matched in memory.
"""

from dataclasses import dataclass, field
from difflib import get_close_matches

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.formats import check_siret
from app.domain.sheetmap import cell_text, label_key


@dataclass
class Directory:
    """The organisation's records of one model, by id, SIRET and folded name."""

    singular: str  # « l'acheteur », as a message names one
    plural: str  # « acheteurs »
    by_id: dict[int, object] = field(default_factory=dict)
    by_siret: dict[str, object] = field(default_factory=dict)
    by_name: dict[str, list[object]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, organisation_id: int, model, singular: str, plural: str) -> "Directory":
        """Return the organisation's ``model`` records, in one query."""
        found = cls(singular, plural)
        for record in session.scalars(select(model).where(model.organisation_id == organisation_id)
                                      .order_by(model.id)):
            found.by_id[record.id] = record
            if record.siret:
                found.by_siret.setdefault(record.siret, record)
            found.by_name.setdefault(label_key(record.name), []).append(record)
        return found

    def find(self, raw: object) -> tuple[object | None, str | None]:
        """Return the record ``raw`` names (a SIRET or a name), or None and a French reason."""
        text = cell_text(raw)[:200]
        digits = text.replace(" ", "").replace(".", "")
        if digits.isdigit() and len(digits) == 14:
            siret, problem = check_siret(digits)
            if problem:
                return None, f"SIRET « {text} » ({self.singular}) : {problem[0].lower()}{problem[1:]}"
            record = self.by_siret.get(siret)
            if record is None:
                return None, (f"Le SIRET « {text} » n'est pas parmi les {self.plural} de votre organisation : "
                              f"importez d'abord les {self.plural}, ou corrigez le SIRET.")
            return record, None
        named = self.by_name.get(label_key(text), [])
        if len(named) > 1:
            return None, (f"Plusieurs {self.plural} s'appellent « {text} » : indiquez plutôt le SIRET de "
                          f"{self.singular}.")
        if named:
            return named[0], None
        return None, self._unknown(text)

    def _unknown(self, text: str) -> str:
        names = {key: records[0].name for key, records in self.by_name.items()}
        close = get_close_matches(label_key(text), list(names), n=3, cutoff=0.6)
        hint = (" Noms proches : " + ", ".join(f"« {names[key]} »" for key in close) + ".") if close else ""
        return (f"« {text} » n'est pas parmi les {self.plural} de votre organisation : importez d'abord les "
                f"{self.plural} (ou corrigez le nom).{hint}")
