"""Participants, their eligibility, their placements on lots and the hours they work."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import ContractType, Criterion, HourSource, Modality, Sex
from app.domain.numbers import minutes_to_hours
from app.models.base import Base, OrgOwned, enum_column
from app.models.procurement import Lot


class Participant(OrgOwned, Base):
    """A person far from employment followed by the facilitator; personal data."""

    __tablename__ = "participant"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Pseudonymous code: what exports that leave the structure carry instead of names.
    code: Mapped[str] = mapped_column(String(20))
    last_name: Mapped[str] = mapped_column(String(120))
    first_name: Mapped[str] = mapped_column(String(120))
    birth_on: Mapped[date | None]
    sex: Mapped[Sex | None] = enum_column(Sex, nullable=True)
    postcode: Mapped[str] = mapped_column(String(5), default="")
    is_qpv: Mapped[bool] = mapped_column(default=False)
    qualification_level: Mapped[str] = mapped_column(String(40), default="")
    is_plie_followed: Mapped[bool] = mapped_column(default=False)
    plie_entry_on: Mapped[date | None]
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    # Set when the retention purge removed the identity (2 years without activity).
    anonymised_at: Mapped[datetime | None]

    criteria: Mapped[list["ParticipantCriterion"]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", order_by="ParticipantCriterion.criterion"
    )
    placements: Mapped[list["Placement"]] = relationship(
        back_populates="participant", order_by="Placement.starts_on"
    )

    @property
    def display_name(self) -> str:
        """Return ``DUPONT Marie``, the way timesheets and partners write names."""
        return f"{self.last_name.upper()} {self.first_name}"


class ParticipantCriterion(OrgOwned, Base):
    """One eligibility criterion of a participant, with the date of its proof."""

    __tablename__ = "participant_criterion"
    __table_args__ = (UniqueConstraint("participant_id", "criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[Criterion] = enum_column(Criterion)
    proof_on: Mapped[date | None]

    participant: Mapped[Participant] = relationship(back_populates="criteria")


class Placement(OrgOwned, Base):
    """A participant working on a lot for an employer, under a modality and a contract."""

    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id", ondelete="CASCADE"), index=True)
    # The company that holds the lot; the SIAE when it hires or lends the participant.
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="SET NULL"), index=True)
    siae_id: Mapped[int | None] = mapped_column(ForeignKey("siae.id", ondelete="SET NULL"), index=True)
    modality: Mapped[Modality] = enum_column(Modality)
    contract_type: Mapped[ContractType] = enum_column(ContractType)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]

    participant: Mapped[Participant] = relationship(back_populates="placements")
    lot: Mapped[Lot] = relationship()
    company = relationship("Company")
    siae = relationship("Siae")
    hour_records: Mapped[list["HourRecord"]] = relationship(
        back_populates="placement", cascade="all, delete-orphan", order_by="HourRecord.month_on"
    )


class HourRecord(OrgOwned, Base):
    """Hours worked on a placement in one month, in minutes (exact for 7h30 and 7,5)."""

    __tablename__ = "hour_record"
    __table_args__ = (
        Index("ix_hour_record_placement_month", "placement_id", "month_on"),
        # An import writes one record per placement (and one more for hours outside the placement's
        # dates): a second confirmation cannot count hours twice (issue 12, item 3). Records typed
        # by hand have no import_id, and NULLs never collide.
        Index("uq_hour_record_import_placement", "import_id", "placement_id", "outside_dates", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"))
    # First day of the month the hours belong to.
    month_on: Mapped[date] = mapped_column(index=True)
    minutes: Mapped[int] = mapped_column(default=0)
    training_minutes: Mapped[int] = mapped_column(default=0)
    source: Mapped[HourSource] = enum_column(HourSource, default=HourSource.SAISIE)
    # Where the figures come from: the import and the sheet/page and rows of its file.
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("timesheet_import.id", ondelete="SET NULL"), index=True
    )
    source_ref: Mapped[str] = mapped_column(String(500), default="")
    # DOMAIN.md §11: a person × placement × month counts once. A second declaration of the same
    # month (the company beside the lending SIAE) is kept, not counted, and says why; so are
    # hours outside the placement's dates until someone accepts them (who and when kept here).
    is_counted: Mapped[bool] = mapped_column(default=True, server_default=true())
    count_note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None]
    # The hours of this record fall outside the placement's dates (kept apart from the others).
    outside_dates: Mapped[bool] = mapped_column(default=False, server_default=false())

    placement: Mapped[Placement] = relationship(back_populates="hour_records")

    @property
    def hours(self) -> Decimal:
        """Return worked hours as a two-decimal Decimal."""
        return minutes_to_hours(self.minutes)

    @property
    def training_hours(self) -> Decimal:
        """Return training hours as a two-decimal Decimal."""
        return minutes_to_hours(self.training_minutes)
