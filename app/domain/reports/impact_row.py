"""One line of the tableau d'impact: a participant on a tender (DOMAIN §7)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.domain.enums import ContractType, Criterion, LegalInstrument, Modality, Sex
from app.domain.reports.exits import ExitCategory
from app.domain.reports.common import age_band, age_on, is_under


@dataclass(frozen=True, kw_only=True)
class ImpactRow:
    """A participant × tender line; ages and QPV are derived so they can never disagree."""

    buyer: str
    tender_reference: str
    tender_object: str
    lot: str
    cpv: str
    company_siret: str
    company_name: str
    modality: Modality | None
    clause_type: LegalInstrument | None
    participant_code: str
    last_name: str
    first_name: str
    sex: Sex | None
    birth_date: date | None
    qualification_level: str
    contract_type: ContractType | None
    entry_on: date
    hours_done: Decimal
    siae_siret: str = ""
    criteria: frozenset[Criterion] = field(default_factory=frozenset)
    exit_on: date | None = None
    training_hours: Decimal = Decimal(0)
    exit_category: ExitCategory | None = None

    @property
    def is_qpv(self) -> bool:
        """Tell whether the participant lives in a quartier prioritaire."""
        return Criterion.QPV in self.criteria

    @property
    def age_at_entry(self) -> int | None:
        """Return the age on the entry date."""
        return age_on(self.birth_date, self.entry_on)

    @property
    def is_under_26(self) -> bool:
        """Tell whether the participant was under 26 on entry."""
        return is_under(self.age_at_entry)

    @property
    def age_band(self) -> str:
        """Return the French age band on entry."""
        return age_band(self.age_at_entry)
