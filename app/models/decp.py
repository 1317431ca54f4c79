"""Contracts read from DECP files (the « veille ») and the rules saying which could carry a clause."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.numbers import cents_to_euros
from app.models.base import Base, OrgOwned, utcnow
from app.models.procurement import Buyer, Tender


class DecpRecord(OrgOwned, Base):
    """One published contract, unique per organisation on (buyer SIRET, DECP id)."""

    __tablename__ = "decp_record"
    __table_args__ = (UniqueConstraint("organisation_id", "buyer_siret", "decp_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer.id", ondelete="CASCADE"), index=True)
    buyer_siret: Mapped[str] = mapped_column(String(14))
    decp_id: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20), default="marche")
    nature: Mapped[str] = mapped_column(String(80), default="")
    object: Mapped[str] = mapped_column(Text, default="")
    cpv: Mapped[str] = mapped_column(String(12), default="")
    procedure: Mapped[str] = mapped_column(String(120), default="")
    amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    duration_months: Mapped[int | None]
    notified_on: Mapped[date | None]
    is_framework: Mapped[bool] = mapped_column(default=False)
    # The published social considerations joined by « | »; None when the file said nothing (v1).
    social: Mapped[str | None] = mapped_column(String(200))
    # [{"id", "id_type", "name"}]: the titulaires, identifiers as published.
    holders: Mapped[list] = mapped_column(JSON, default=list)
    tender_id: Mapped[int | None] = mapped_column(ForeignKey("tender.id", ondelete="SET NULL"), index=True)
    source_name: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    buyer: Mapped[Buyer] = relationship()
    tender: Mapped[Tender | None] = relationship()

    @property
    def key(self) -> str:
        """Return « <buyer SIRET>-<id> », the key flags name."""
        return f"{self.buyer_siret}-{self.decp_id}"

    @property
    def amount(self) -> Decimal | None:
        """Return the amount excl. VAT in euros, if published."""
        return None if self.amount_cents is None else cents_to_euros(self.amount_cents)

    @property
    def social_values(self) -> tuple[str, ...] | None:
        """Return the social considerations as a tuple (None when unpublished)."""
        return None if self.social is None else tuple(v for v in self.social.split(" | ") if v)


class ClausableRuleRef(OrgOwned, Base):
    """From which amount a contract of a CPV prefix can carry a clause; an admin edits them."""

    __tablename__ = "clausable_rule"
    __table_args__ = (UniqueConstraint("organisation_id", "cpv_prefix"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cpv_prefix: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(200), default="")
    min_amount_cents: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str | None] = mapped_column(Text)

    @property
    def min_amount(self) -> Decimal:
        """Return the minimum amount in euros."""
        return cents_to_euros(self.min_amount_cents)
