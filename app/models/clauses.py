"""Reference data for sizing clauses, lot calculations and generated clause packs."""

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import LegalInstrument
from app.models.base import Base, ExactDecimal, OrgOwned, enum_column
from app.models.procurement import Lot, Tender


class LabourShareRef(OrgOwned, Base):
    """Labour share of a trade (and its CPV prefixes), with its source and validity."""

    __tablename__ = "labour_share_ref"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(120))
    share_pct: Mapped[Decimal] = mapped_column(ExactDecimal)
    cpv_prefixes: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str | None] = mapped_column(String(300))
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]


class ReferenceParam(OrgOwned, Base):
    """A dated parameter: hourly cost, default insertion rate, penalty amounts."""

    __tablename__ = "reference_param"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), index=True)
    label: Mapped[str] = mapped_column(String(200))
    value: Mapped[Decimal] = mapped_column(ExactDecimal)
    unit: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(300))
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")


class LotCalculation(OrgOwned, Base):
    """One calculation of a lot's hours, with the inputs and reference values it used.

    Kept as it was computed, so re-opening it shows the same figures after the reference
    tables change.
    """

    __tablename__ = "lot_calculation"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    inputs: Mapped[dict] = mapped_column(JSON)
    references: Mapped[dict] = mapped_column(JSON)
    hours: Mapped[int]
    hours_exact: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict] = mapped_column(JSON)
    warnings: Mapped[list] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    lot: Mapped[Lot] = relationship()


class ClausePack(OrgOwned, Base):
    """A generated clause pack: its inputs, template versions, job and files."""

    __tablename__ = "clause_pack"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), index=True)
    instrument: Mapped[LegalInstrument] = enum_column(LegalInstrument)
    request: Mapped[dict] = mapped_column(JSON)
    template_versions: Mapped[dict] = mapped_column(JSON, default=dict)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    pdf_note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    tender: Mapped[Tender] = relationship()
