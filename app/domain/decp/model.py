"""What a DECP file holds once read: contracts, their holders, and what was doubtful."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# The four values of considerationsSociales (DOMAIN.md §10); concessions say « Concession réservée ».
CLAUSE_SOCIALE = "Clause sociale"
CRITERE_SOCIAL = "Critère social"
MARCHE_RESERVE = "Marché réservé"
CONCESSION_RESERVEE = "Concession réservée"
PAS_DE_CONSIDERATION = "Pas de considération sociale"
SOCIAL_VALUES = (CLAUSE_SOCIALE, CRITERE_SOCIAL, MARCHE_RESERVE, CONCESSION_RESERVEE, PAS_DE_CONSIDERATION)

MARCHE = "marche"
CONCESSION = "concession"


@dataclass(frozen=True)
class Holder:
    """A titulaire (or concessionnaire): its identifier, the kind of identifier, a name if given."""

    id: str
    id_type: str = "SIRET"
    name: str = ""


@dataclass
class DecpContract:
    """One contract, whatever the number of records or CSV rows that described it."""

    buyer_siret: str
    id: str
    record: int
    kind: str = MARCHE
    buyer_name: str = ""
    nature: str = ""
    object: str = ""
    cpv: str = ""
    procedure: str = ""
    amount: Decimal | None = None
    duration_months: int | None = None
    notified_on: date | None = None
    is_framework: bool = False
    # None when the file says nothing (v1 files have no social field); a tuple of SOCIAL_VALUES otherwise.
    social: tuple[str, ...] | None = None
    holders: list[Holder] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Return the unique key « <buyer SIRET>-<id> » (DOMAIN.md §10)."""
        return f"{self.buyer_siret}-{self.id}"

    @property
    def is_works(self) -> bool:
        """Tell whether the CPV code is in division 45 (construction work)."""
        return self.cpv.startswith("45")

    def add_holder(self, holder: Holder) -> None:
        """Add a co-contractor once."""
        if all(known.id != holder.id for known in self.holders):
            self.holders.append(holder)


@dataclass(frozen=True)
class DecpWarning:
    """Something doubtful in the file; ``record`` is the index of the record or CSV row, if any."""

    code: str
    message: str
    record: int | None = None


@dataclass
class DecpFile:
    """A DECP file read: its format (``v2``, ``v1`` or ``csv``), its contracts and the warnings."""

    format: str
    contracts: list[DecpContract] = field(default_factory=list)
    warnings: list[DecpWarning] = field(default_factory=list)
    records: int = 0

    @property
    def amount_total(self) -> Decimal:
        """Return the sum of the amounts, each contract counted once."""
        return sum((c.amount for c in self.contracts if c.amount is not None), Decimal(0))

    @property
    def buyer_sirets(self) -> set[str]:
        """Return the distinct buyer SIRETs."""
        return {contract.buyer_siret for contract in self.contracts}

    @property
    def company_ids(self) -> set[str]:
        """Return the distinct holders identified by a SIRET."""
        return {h.id for c in self.contracts for h in c.holders if h.id_type == "SIRET"}


class DecpError(ValueError):
    """The file cannot be read at all; the message is French and shown as is."""

    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr
