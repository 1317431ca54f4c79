"""Follow-up after the clause: exits, collective actions and their attendance, FSE+ operations,
their justification dossiers and the bilans generated for buyers, companies or the whole territory.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.reports.attendance import ActionKind
from app.domain.reports.fse_common import EducationLevel, LabourStatus
from app.domain.reports.targets import Breakdown, DurableRule, TargetKind
from app.domain.reports.exits import ExitCategory, ExitSituation
from app.models.base import Base, ExactDecimal, OrgOwned, enum_column
from app.models.templates import GeneratedDocument


class ParticipantExit(OrgOwned, Base):
    """How a participant left a placement: the situation after it and its FSE+ category."""

    __tablename__ = "participant_exit"
    __table_args__ = (UniqueConstraint("placement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"))
    exit_on: Mapped[date]
    situation: Mapped[ExitSituation] = enum_column(ExitSituation)
    # The contract or training the participant starts after the clause (classification input).
    situation_starts_on: Mapped[date]
    situation_ends_on: Mapped[date | None]
    is_subsidised: Mapped[bool] = mapped_column(default=False)
    employer: Mapped[str] = mapped_column(String(200), default="")
    # Stored, not recomputed: reports must show the category that was recorded at the time.
    category: Mapped[ExitCategory] = enum_column(ExitCategory)
    follow_up_due_on: Mapped[date] = mapped_column(index=True)
    follow_up_done_on: Mapped[date | None]
    follow_up_note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    participant = relationship("Participant")
    placement = relationship("Placement")


class FseOperation(OrgOwned, Base):
    """An FSE+ operation: its own dates, a scope (territory, buyers, programmes, tenders), targets.

    No buyer, programme or tender listed: every tender of the organisation is in scope.
    """

    __tablename__ = "fse_operation"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Any period: 12 months from 1 September, a two-year action, a 6-month extension.
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    # The « numéro d'opération » the managing authority's system gives (« 202501234 »).
    operation_number: Mapped[str] = mapped_column(String(40), default="")
    territory: Mapped[str] = mapped_column(String(200), default="")
    is_fse_funded: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # The programme's wording: « Priorité 1 – … », « Objectif spécifique h) … », who funds it.
    priority: Mapped[str] = mapped_column(String(300), default="", server_default="")
    specific_objective: Mapped[str] = mapped_column(String(300), default="", server_default="")
    funding_body: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # A territory as scope: communes or EPCI of the works, comma-separated (« Lens, CA de Lens-Liévin »).
    site_areas: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # The definitions the operation sheet uses where seeds differ.
    durable_rule: Mapped[DurableRule] = enum_column(DurableRule, default=DurableRule.SIX_MONTHS_OR_MORE,
                                                    server_default=DurableRule.SIX_MONTHS_OR_MORE.value)

    targets: Mapped[list["FseTarget"]] = relationship(
        back_populates="operation", cascade="all, delete-orphan", order_by="FseTarget.id")
    tenders = relationship("Tender", secondary=lambda: fse_operation_tender, order_by="Tender.reference")
    buyers = relationship("Buyer", secondary=lambda: fse_operation_buyer, order_by="Buyer.name")
    programmes = relationship("Operation", secondary=lambda: fse_operation_programme, order_by="Operation.name")

    @property
    def year(self) -> int:
        """Return the year the operation starts in (how lists sort and name it)."""
        return self.starts_on.year

    @property
    def period_label(self) -> str:
        """Return « du 01/09/2025 au 31/08/2026 »."""
        return f"du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"


fse_operation_tender = Table(
    "fse_operation_tender", Base.metadata,
    Column("fse_operation_id", ForeignKey("fse_operation.id", ondelete="CASCADE"), primary_key=True),
    Column("tender_id", ForeignKey("tender.id", ondelete="CASCADE"), primary_key=True),
)
fse_operation_buyer = Table(
    "fse_operation_buyer", Base.metadata,
    Column("fse_operation_id", ForeignKey("fse_operation.id", ondelete="CASCADE"), primary_key=True),
    Column("buyer_id", ForeignKey("buyer.id", ondelete="CASCADE"), primary_key=True),
)
fse_operation_programme = Table(
    "fse_operation_programme", Base.metadata,
    Column("fse_operation_id", ForeignKey("fse_operation.id", ondelete="CASCADE"), primary_key=True),
    Column("operation_id", ForeignKey("operation.id", ondelete="CASCADE"), primary_key=True),
)


class FseTarget(OrgOwned, Base):
    """A target of the operation sheet, e.g. « 80 000 heures d'insertion, dont bénéficiaires du RSA ».

    Any number per operation; each counts one indicator of the catalogue
    (app.domain.reports.targets) over the operation's dates or its own, among all participants or
    one public.
    """

    __tablename__ = "fse_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    fse_operation_id: Mapped[int] = mapped_column(ForeignKey("fse_operation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TargetKind] = enum_column(TargetKind)
    label: Mapped[str] = mapped_column(String(200))
    target: Mapped[Decimal] = mapped_column(ExactDecimal())
    breakdown: Mapped[Breakdown | None] = enum_column(Breakdown, nullable=True)
    # Empty: the operation's dates.
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]

    operation: Mapped[FseOperation] = relationship(back_populates="targets")


class FseParticipantRecord(OrgOwned, Base):
    """One FSE+ participant record per person per operation: entry, exit and 6-month data.

    Disability and minority are sensitive: optional, never shown to a company or SIAE account.
    """

    __tablename__ = "fse_participant_record"
    __table_args__ = (UniqueConstraint("fse_operation_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fse_operation_id: Mapped[int] = mapped_column(ForeignKey("fse_operation.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    # Entry = first action, exit = last (empty: read from the placements).
    entry_on: Mapped[date | None]
    exit_on: Mapped[date | None]
    labour_status: Mapped[LabourStatus | None] = enum_column(LabourStatus, nullable=True)
    education_level: Mapped[EducationLevel | None] = enum_column(EducationLevel, nullable=True)
    is_disabled: Mapped[bool | None]
    is_third_country_national: Mapped[bool | None]
    has_foreign_background: Mapped[bool | None]
    is_minority: Mapped[bool | None]
    is_homeless: Mapped[bool | None]
    is_rural: Mapped[bool | None]
    # At exit (EECR01–04).
    exit_job_searching: Mapped[bool | None]
    exit_in_education: Mapped[bool | None]
    exit_qualification: Mapped[bool | None]
    exit_employed: Mapped[bool | None]
    # Six months after exit (EECR05–06).
    six_months_on: Mapped[date | None]
    six_months_employed: Mapped[bool | None]
    six_months_improved: Mapped[bool | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    participant = relationship("Participant")
    operation = relationship("FseOperation")


class CollectiveAction(OrgOwned, Base):
    """An information meeting, job dating, comité de suivi or awareness session."""

    __tablename__ = "collective_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActionKind] = enum_column(ActionKind)
    title: Mapped[str] = mapped_column(String(200))
    # Wall-clock time where the action takes place (« 9 h 30 »), not an instant: no time zone.
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=False), index=True)
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))
    place: Mapped[str] = mapped_column(String(300))
    organiser: Mapped[str] = mapped_column(String(200))
    # The FSE+ operation the action belongs to: its title and co-funding go on the sheet.
    fse_operation_id: Mapped[int | None] = mapped_column(
        ForeignKey("fse_operation.id", ondelete="SET NULL"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    signed_scan_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))

    fse_operation: Mapped[FseOperation | None] = relationship()
    attendees: Mapped[list["ActionAttendee"]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionAttendee.id")


class ActionAttendee(OrgOwned, Base):
    """A person expected at an action: a participant, or company / partner staff by name."""

    __tablename__ = "action_attendee"
    __table_args__ = (UniqueConstraint("action_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("collective_action.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    structure: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    # None until attendance is marked from the signed sheet.
    attended: Mapped[bool | None]

    action: Mapped[CollectiveAction] = relationship(back_populates="attendees")
    participant = relationship("Participant")


class Dossier(OrgOwned, Base):
    """One build of an FSE+ operation's justification ZIP, dated by the data it reflects."""

    __tablename__ = "dossier"

    id: Mapped[int] = mapped_column(primary_key=True)
    fse_operation_id: Mapped[int] = mapped_column(ForeignKey("fse_operation.id", ondelete="CASCADE"), index=True)
    data_as_of: Mapped[date]
    with_pdf: Mapped[bool] = mapped_column(default=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    pieces_count: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(500), default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    operation: Mapped[FseOperation] = relationship()
    file = relationship("StoredFile")


class Bilan(GeneratedDocument, OrgOwned, Base):
    """A bilan requested for a buyer, a company or the whole territory over a period."""

    __tablename__ = "bilan"

    id: Mapped[int] = mapped_column(primary_key=True)
    # « all », « buyer » or « company »: who the bilan is written for.
    subject: Mapped[str] = mapped_column(String(20))
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyer.id", ondelete="CASCADE"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    with_pdf: Mapped[bool] = mapped_column(default=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    buyer = relationship("Buyer")
    company = relationship("Company")


class BilanNarrative(OrgOwned, Base):
    """The last narrative written for a bilan's subject and period, offered again at the next request.

    ``subject_key`` names the subject in one column (« all », « buyer:12 », « company:3 »,
    « operation:5 ») so that one row per subject and period can be unique (NULL ids never collide).
    """

    __tablename__ = "bilan_narrative"
    __table_args__ = (UniqueConstraint("organisation_id", "subject_key", "starts_on", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))
    subject_key: Mapped[str] = mapped_column(String(40))
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyer.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    fse_operation_id: Mapped[int | None] = mapped_column(ForeignKey("fse_operation.id", ondelete="CASCADE"),
                                                         index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # Free text (at most 4 000 characters each, app.domain.reports.narrative): it may name a person.
    highlights: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    outlook: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
