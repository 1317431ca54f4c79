"""Buyers, operations, tenders and their lots."""

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import BuyerKind, LegalInstrument, Procedure, TenderStatus
from app.models.base import Base, OrgOwned, enum_column
from app.domain.numbers import cents_to_euros


class Buyer(OrgOwned, Base):
    """A public buyer (maître d'ouvrage / donneur d'ordre)."""

    __tablename__ = "buyer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[BuyerKind] = enum_column(BuyerKind, default=BuyerKind.AUTRE)
    name_article: Mapped[str] = mapped_column(String(6), default="", server_default="")  # see Organisation
    siret: Mapped[str | None] = mapped_column(String(14))
    city: Mapped[str] = mapped_column(String(120), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")


class Operation(OrgOwned, Base):
    """A programme or site that groups tenders (e.g. an urban-renewal project)."""

    __tablename__ = "operation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyer.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    is_fse_funded: Mapped[bool] = mapped_column(default=False)

    buyer: Mapped[Buyer | None] = relationship()


class Tender(OrgOwned, Base):
    """A public contract (marché) that may carry an insertion clause."""

    __tablename__ = "tender"
    __table_args__ = (UniqueConstraint("organisation_id", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer.id", ondelete="RESTRICT"), index=True)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operation.id", ondelete="SET NULL"))
    reference: Mapped[str] = mapped_column(String(80))
    object: Mapped[str] = mapped_column(String(500))
    cpv: Mapped[str] = mapped_column(String(12), default="")
    procedure: Mapped[Procedure] = enum_column(Procedure, default=Procedure.PROCEDURE_ADAPTEE)
    legal_instrument: Mapped[LegalInstrument] = enum_column(
        LegalInstrument, default=LegalInstrument.CLAUSE_EXECUTION
    )
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    is_framework: Mapped[bool] = mapped_column(default=False)
    # Whether the clause lets hours done on one lot cover another lot of this tender.
    globalisation_allowed: Mapped[bool] = mapped_column(default=False, server_default=false())
    notified_on: Mapped[date | None]
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    # The pipeline (repérage): where the tender stands, when it should move, what to do next.
    status: Mapped[TenderStatus] = enum_column(TenderStatus, default=TenderStatus.ATTRIBUE,
                                               server_default=TenderStatus.ATTRIBUE.value)
    abandon_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    planned_publication_on: Mapped[date | None]
    planned_award_on: Mapped[date | None]
    planned_works_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Where the works take place, for the statistics by territory (commune, EPCI).
    site_city: Mapped[str] = mapped_column(String(120), default="", server_default="")
    site_epci: Mapped[str] = mapped_column(String(200), default="", server_default="")
    next_step: Mapped[str] = mapped_column(String(300), default="", server_default="")

    buyer: Mapped[Buyer] = relationship()
    operation: Mapped[Operation | None] = relationship()
    lots: Mapped[list["Lot"]] = relationship(
        back_populates="tender", order_by="Lot.number", cascade="all, delete-orphan"
    )

    @property
    def amount(self) -> Decimal:
        """Return the amount excl. VAT in euros."""
        return cents_to_euros(self.amount_cents)


class Lot(OrgOwned, Base):
    """A lot of a tender, with its trade and the insertion hours it requires."""

    __tablename__ = "lot"
    __table_args__ = (UniqueConstraint("tender_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    label: Mapped[str] = mapped_column(String(300))
    trade: Mapped[str] = mapped_column(String(120), default="")
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    # The contractual commitment: for an accord-cadre the hours of its minimum amount.
    hours_required: Mapped[int] = mapped_column(default=0)
    # An accord-cadre's hours on its maximum amount, shown beside the minimum, never added to it.
    hours_max: Mapped[int | None]
    # A per-tranche lot whose trigger threshold is not reached yet: its hours are not due yet.
    is_conditional: Mapped[bool] = mapped_column(default=False, server_default=false())
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="SET NULL"), index=True
    )

    tender: Mapped[Tender] = relationship(back_populates="lots")
    company = relationship("Company")

    @property
    def amount(self) -> Decimal:
        """Return the amount excl. VAT in euros."""
        return cents_to_euros(self.amount_cents)
