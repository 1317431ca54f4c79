"""What each kind of import holds: its fields, their French names and synonyms, its natural key.

A kind is the vocabulary of one import page and of its export (the same layout both ways).
Roles are the model's column names, so the service writes them without a translation table.
A row that points at another record (a lot's company by SIRET, an hour's person) holds the
reference as read (text, a SIRET, a date); the kind's store in the service resolves it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from app.domain.enums import BuyerKind, LabelledEnum, SiaeKind
from app.domain.sheetmap import header_key

TEXT, SIRET, POSTCODE, EMAIL, PHONE, DATE, INT, DECIMAL, ENUM = (
    "text", "siret", "postcode", "email", "phone", "date", "int", "decimal", "enum")
# Oui/non cells; a month (« mars 2024 », 03/2024, a date) as its first day; hours (« 7h30 », 7,5) as minutes.
BOOL, MONTH, HOURS = "bool", "month", "hours"
# Several coded values in one cell (« RSA, RQTH (12/03/2024) »), each with an optional date in brackets;
# a cell ticked (X, oui) or holding the date of what it ticks (a criterion's column and its proof date).
CODES, MARK = "codes", "mark"


@dataclass(frozen=True)
class Field:
    """One column of a kind: its role (the model's column), French label, parser and header synonyms."""

    role: str
    label: str
    # A parser name of ``values``, or a reader of the kind's own: ``(field, raw) -> (value, reason)``.
    parser: str | Callable[["Field", object], tuple[object, str | None]] = TEXT
    required: bool = False
    synonyms: tuple[str, ...] = ()
    max_length: int = 200
    # For ENUM fields: the vocabulary, and other tools' usual spellings of it (folded → value).
    enum: type[LabelledEnum] | None = None
    aliases: dict[str, str] = field(default_factory=dict)
    # The value of a blank cell or of a column the file lacks (a tender listed without lots: lot 1).
    default: object = None
    # False for a column only read (another layout of what an exported column already says).
    exported: bool = True

    @property
    def coded(self) -> bool:
        """Tell whether the column holds codes of a vocabulary (one, or several in a cell) the user may map."""
        return self.enum is not None

    # Both folded once per field (a frozen dataclass still takes cached_property): a header is
    # compared with every field of its kind, and a coded cell with every spelling of its field.
    @cached_property
    def header_names(self) -> frozenset[str]:
        """Return the column titles that name this field, folded: its role, label and synonyms."""
        return frozenset({header_key(name) for name in (self.role, self.label, *self.synonyms)} - {""})

    @cached_property
    def known_spellings(self) -> dict[str, str]:
        """Return the spellings Clausier understands by itself, folded: its codes, its labels, the aliases."""
        if self.enum is None:
            return {}
        known = {header_key(alias): value for alias, value in self.aliases.items()}
        for member in self.enum:
            known[header_key(member.value)] = member.value
            known[header_key(member.label)] = member.value
            known.setdefault(header_key(member.label.split(" (")[0]), member.value)  # the label without its code
        return known


@dataclass(frozen=True)
class Kind:
    """One kind of record an organisation can import and export."""

    name: str
    label: str
    fields: tuple[Field, ...]
    # Roles whose folded values identify a record within the organisation (SIRET, a name…).
    natural_key: tuple[str, ...]
    # Roles of the natural key a line may leave empty (a birth date nobody knows, a one-lot tender's lot).
    key_optional: frozenset[str] = frozenset()

    def field(self, role: str) -> Field:
        """Return the field of ``role``."""
        return self._by_role[role]

    @cached_property
    def _by_role(self) -> dict[str, Field]:
        return {item.role: item for item in self.fields}

    @cached_property
    def roles(self) -> frozenset[str]:
        """Return every role of the kind (the mapping's vocabulary)."""
        return frozenset(self._by_role)


def _structure_fields(name_synonyms: tuple[str, ...]) -> tuple[Field, ...]:
    return (
        Field("siret", "SIRET", SIRET, True, ("n siret", "numero siret", "no siret", "siret etablissement",
                                               "code siret")),
        Field("name", "Raison sociale", TEXT, True, name_synonyms),
        Field("address", "Adresse", TEXT, False, ("adresse postale", "rue", "voie", "adresse 1"), 300),
        Field("postcode", "Code postal", POSTCODE, False, ("cp", "code postal", "c p")),
        Field("city", "Commune", TEXT, False, ("ville", "localite", "commune"), 120),
        Field("contact_name", "Contact", TEXT, False, ("nom du contact", "interlocuteur", "referent",
                                                      "personne a contacter", "contact nom")),
        Field("contact_email", "E-mail du contact", EMAIL, False, ("email", "e-mail", "mail", "courriel",
                                                                   "adresse mail", "adresse e-mail",
                                                                   "email contact", "mail contact"), 254),
        Field("contact_phone", "Téléphone du contact", PHONE, False, ("telephone", "tel", "tel.", "portable",
                                                                     "telephone contact"), 30),
    )


_COMPANY_NAMES = ("raison sociale", "nom", "entreprise", "nom de l'entreprise", "denomination",
                  "nom entreprise", "societe")

# Other tools' codes for the SIAE kinds, beyond the codes and labels Clausier writes itself.
SIAE_ALIASES = {
    "entreprise d'insertion": "EI", "atelier chantier d'insertion": "ACI", "chantier d'insertion": "ACI",
    "association intermediaire": "AI", "entreprise de travail temporaire d'insertion": "ETTI",
    "groupement d'employeurs pour l'insertion et la qualification": "GEIQ", "entreprise adaptee": "EA",
}

COMPANIES = Kind("companies", "Entreprises", _structure_fields(_COMPANY_NAMES), ("siret",))

SIAE = Kind("siae", "Structures d'insertion (SIAE)", (
    *_structure_fields(_COMPANY_NAMES + ("structure", "nom de la structure", "siae")),
    Field("kind", "Type de structure", ENUM, True, ("type", "type siae", "type de siae", "nature",
                                                  "categorie", "type structure"), enum=SiaeKind,
          aliases=SIAE_ALIASES),
), ("siret",))

BUYERS = Kind("buyers", "Acheteurs", (
    Field("name", "Nom", TEXT, True, ("acheteur", "nom de l'acheteur", "maitre d'ouvrage", "donneur d'ordre",
                                      "raison sociale", "denomination", "pouvoir adjudicateur")),
    Field("kind", "Type", ENUM, False, ("type d'acheteur", "type acheteur", "categorie"), enum=BuyerKind),
    Field("siret", "SIRET", SIRET, False, ("n siret", "numero siret", "no siret")),
    Field("city", "Commune", TEXT, False, ("ville", "localite"), 120),
    Field("contact_name", "Contact", TEXT, False, ("nom du contact", "interlocuteur", "referent")),
    Field("contact_email", "E-mail du contact", EMAIL, False, ("email", "e-mail", "mail", "courriel"), 254),
), ("name",))
