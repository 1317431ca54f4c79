"""The activity log, the partners and prescribers of the directory, fiche diffusions, the
documents an FSE+ operation keeps, and the agreements of consolidating bodies."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.reports.activities import ActivityKind, PartnerKind
from app.domain.reports.proof_lists import OperationDocumentKind
from app.models.base import Base, OrgOwned, enum_column, utcnow


class Partner(OrgOwned, Base):
    """A partner or prescriber: France Travail, a Mission locale, Cap emploi, a CIP référent, a SIAE."""

    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PartnerKind] = enum_column(PartnerKind)
    # The SIAE of the referential this partner is, when it is one.
    siae_id: Mapped[int | None] = mapped_column(ForeignKey("siae.id", ondelete="SET NULL"))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    siae = relationship("Siae")


class Activity(OrgOwned, Base):
    """An entry of the activity log: a contact, a visit, a comité… with its optional compte rendu."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActivityKind] = enum_column(ActivityKind)
    occurred_on: Mapped[date] = mapped_column(index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # The author's name at the time: the log stays readable after an account is removed.
    author_name: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # How many at once for counted kinds (« 4 postes transmis »); 1 otherwise.
    quantity: Mapped[int] = mapped_column(default=1)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyer.id", ondelete="SET NULL"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="SET NULL"), index=True)
    siae_id: Mapped[int | None] = mapped_column(ForeignKey("siae.id", ondelete="SET NULL"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id", ondelete="SET NULL"), index=True)
    tender_id: Mapped[int | None] = mapped_column(ForeignKey("tender.id", ondelete="SET NULL"), index=True)
    fse_operation_id: Mapped[int | None] = mapped_column(ForeignKey("fse_operation.id", ondelete="SET NULL"),
                                                         index=True)
    minutes_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))

    author = relationship("User")
    buyer = relationship("Buyer")
    company = relationship("Company")
    siae = relationship("Siae")
    participant = relationship("Participant")
    partner = relationship("Partner")
    tender = relationship("Tender")
    fse_operation = relationship("FseOperation")
    minutes_file = relationship("StoredFile")


class FicheDiffusion(OrgOwned, Base):
    """A fiche de liaison sent to a partner: the partner is one of its recipients."""

    __tablename__ = "fiche_diffusion"
    __table_args__ = (UniqueConstraint("fiche_id", "partner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(ForeignKey("fiche.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), index=True)
    diffused_on: Mapped[date]
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    fiche = relationship("Fiche")
    partner = relationship("Partner")


class OperationDocument(OrgOwned, Base):
    """A signed sheet, signed contract document or compte rendu kept with an FSE+ operation."""

    __tablename__ = "operation_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    fse_operation_id: Mapped[int] = mapped_column(ForeignKey("fse_operation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[OperationDocumentKind] = enum_column(OperationDocumentKind)
    title: Mapped[str] = mapped_column(String(200), default="")
    # The tender a contract document belongs to, when it is one.
    tender_id: Mapped[int | None] = mapped_column(ForeignKey("tender.id", ondelete="SET NULL"))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id", ondelete="CASCADE"))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    file = relationship("StoredFile")
    tender = relationship("Tender")


class ConsolidationAgreement(Base):
    """A partner organisation's agreement that a consolidating body compiles its figures.

    The consolidating body asks; the partner's administrator agrees (``agreed_at``) or ends it
    (``ended_at``). Only an agreed, not ended row lets the body see aggregates and pseudonymised
    tables of the partner — never names.
    """

    __tablename__ = "consolidation_agreement"
    __table_args__ = (UniqueConstraint("consolidating_id", "partner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consolidating_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    agreed_at: Mapped[datetime | None]
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    ended_at: Mapped[datetime | None]

    consolidating = relationship("Organisation", foreign_keys=[consolidating_id])
    partner = relationship("Organisation", foreign_keys=[partner_id])

    @property
    def is_active(self) -> bool:
        """Tell whether the partner agreed and did not end the agreement."""
        return self.agreed_at is not None and self.ended_at is None
