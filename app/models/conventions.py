"""Partnership conventions between the facilitator's organisation and a buyer, company or SIAE."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.liaison.convention import PartyKind
from app.domain.liaison.workflow import ConventionStatus
from app.models.base import Base, OrgOwned, enum_column, utcnow
from app.models.templates import GeneratedDocument

# The scope: tenders and operations a convention covers. Loading them goes through the
# Tender and Operation tables, so app.access still confines what a user sees.
convention_tender = Table(
    "convention_tender", Base.metadata,
    Column("convention_id", ForeignKey("convention.id", ondelete="CASCADE"), primary_key=True),
    Column("tender_id", ForeignKey("tender.id", ondelete="CASCADE"), primary_key=True),
)
convention_operation = Table(
    "convention_operation", Base.metadata,
    Column("convention_id", ForeignKey("convention.id", ondelete="CASCADE"), primary_key=True),
    Column("operation_id", ForeignKey("operation.id", ondelete="CASCADE"), primary_key=True),
)


class Convention(GeneratedDocument, OrgOwned, Base):
    """A convention: parties, object, scope, dates, commitments, reporting, governance."""

    __tablename__ = "convention"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[ConventionStatus] = enum_column(ConventionStatus, default=ConventionStatus.BROUILLON)
    party_kind: Mapped[PartyKind] = enum_column(PartyKind)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyer.id", ondelete="SET NULL"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="SET NULL"))
    siae_id: Mapped[int | None] = mapped_column(ForeignKey("siae.id", ondelete="SET NULL"))
    # The party as printed, copied from its row when saved.
    party_name: Mapped[str] = mapped_column(String(200), default="")
    party_siret: Mapped[str] = mapped_column(String(20), default="")
    party_address: Mapped[str] = mapped_column(String(300), default="")
    party_signatory_name: Mapped[str] = mapped_column(String(200), default="")
    party_signatory_role: Mapped[str] = mapped_column(String(200), default="")
    facilitator_signatory_name: Mapped[str] = mapped_column(String(200), default="")
    facilitator_signatory_role: Mapped[str] = mapped_column(String(200), default="")
    facilitator_address: Mapped[str] = mapped_column(String(300), default="")
    object: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # Lists of paragraphs; None means the organisation's standard clauses for the party kind.
    facilitator_commitments: Mapped[list | None] = mapped_column(JSON)
    party_commitments: Mapped[list | None] = mapped_column(JSON)
    reporting: Mapped[list | None] = mapped_column(JSON)  # [[what, when], …]
    data_protection_contact: Mapped[str] = mapped_column(String(300), default="")
    committee_members: Mapped[list] = mapped_column(JSON, default=list)
    committee_frequency: Mapped[str] = mapped_column(String(200), default="au moins deux fois par an")
    is_fse_funded: Mapped[bool] = mapped_column(default=False)
    fse_operation: Mapped[str] = mapped_column(String(200), default="")
    annexes: Mapped[list] = mapped_column(JSON, default=list)
    signed_at_place: Mapped[str] = mapped_column(String(120), default="")
    signed_scan_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    signed_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    buyer = relationship("Buyer")
    company = relationship("Company")
    siae = relationship("Siae")
    tenders = relationship("Tender", secondary=convention_tender, order_by="Tender.reference")
    operations = relationship("Operation", secondary=convention_operation, order_by="Operation.name")
    status_changes: Mapped[list["ConventionStatusChange"]] = relationship(
        back_populates="convention", cascade="all, delete-orphan", order_by="ConventionStatusChange.id")


class ConventionStatusChange(OrgOwned, Base):
    """One dated status change of a convention, and who made it."""

    __tablename__ = "convention_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("convention.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[ConventionStatus | None] = enum_column(ConventionStatus, nullable=True)
    to_status: Mapped[ConventionStatus] = enum_column(ConventionStatus)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    by_label: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(500), default="")

    convention: Mapped[Convention] = relationship(back_populates="status_changes")


class ConventionClauseSet(OrgOwned, Base):
    """An organisation's edited standard commitments for one party (« facilitateur », « siae »…)."""

    __tablename__ = "convention_clause_set"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(20))
    paragraphs: Mapped[list] = mapped_column(JSON)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
