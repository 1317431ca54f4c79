"""Fiches de liaison (a company's job need), their status history, candidate positionings and
the no-account links companies fill them through."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import ContractType, Modality
from app.domain.liaison.workflow import FicheStatus, PositioningStatus
from app.models.base import Base, ExactDecimal, OrgOwned, enum_column, utcnow
from app.models.participants import Participant
from app.models.templates import GeneratedDocument

CREATED_BY_FACILITATOR = "facilitateur"
CREATED_BY_LINK = "lien entreprise"
LINK_ACTOR = "entreprise (lien)"  # who a change made through a company link is recorded as


class Fiche(GeneratedDocument, OrgOwned, Base):
    """A company's job need on a tender with a clause: every field of FicheData, plus its life."""

    __tablename__ = "fiche"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int | None] = mapped_column(ForeignKey("tender.id", ondelete="SET NULL"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lot.id", ondelete="SET NULL"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="SET NULL"), index=True)
    status: Mapped[FicheStatus] = enum_column(FicheStatus, default=FicheStatus.BROUILLON)
    # True until submitted (facilitator) or sent (company link); a draft may be incomplete.
    is_draft: Mapped[bool] = mapped_column(default=True)
    created_via: Mapped[str] = mapped_column(String(20), default=CREATED_BY_FACILITATOR)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]

    # Company (as the company states it: it may differ from the referential row).
    company_name: Mapped[str] = mapped_column(String(200), default="")
    company_siret: Mapped[str] = mapped_column(String(20), default="")
    company_address: Mapped[str] = mapped_column(String(300), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # Position.
    job_title: Mapped[str] = mapped_column(String(200), default="")
    rome_code: Mapped[str] = mapped_column(String(10), default="")
    posts: Mapped[int] = mapped_column(default=1)
    start_on: Mapped[date | None]
    activities: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[str] = mapped_column(Text, default="")
    experience: Mapped[str] = mapped_column(Text, default="")
    training: Mapped[str] = mapped_column(Text, default="")
    driving_licence: Mapped[str] = mapped_column(String(120), default="")
    habilitation: Mapped[str] = mapped_column(String(300), default="")
    outdoor_work: Mapped[bool] = mapped_column(default=False)
    other_requirements: Mapped[str] = mapped_column(Text, default="")
    # Conditions.
    contract_type: Mapped[ContractType | None] = enum_column(ContractType, nullable=True)
    contract_length: Mapped[str] = mapped_column(String(120), default="")
    weekly_hours: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    work_schedule: Mapped[str] = mapped_column(String(300), default="")
    gross_monthly_salary: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    workplace: Mapped[str] = mapped_column(String(300), default="")
    # Recruitment: until when and how candidacies are received, and the day the company asked.
    applications_close_on: Mapped[date | None]
    application_channel: Mapped[str] = mapped_column(String(300), default="")
    requested_on: Mapped[date | None]
    # Clause context, copied from the tender and lot so the fiche reads the same later.
    tender_reference: Mapped[str] = mapped_column(String(80), default="")
    tender_object: Mapped[str] = mapped_column(String(500), default="")
    lot_label: Mapped[str] = mapped_column(String(300), default="")
    # The lot's whole insertion obligation (a need's own share is estimated, never stored).
    hours_covered: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    modality: Mapped[Modality | None] = enum_column(Modality, nullable=True)
    tutor_name: Mapped[str] = mapped_column(String(200), default="")
    tutor_role: Mapped[str] = mapped_column(String(200), default="")

    tender = relationship("Tender")
    lot = relationship("Lot")
    company = relationship("Company")
    created_by = relationship("User", foreign_keys=[created_by_id])
    status_changes: Mapped[list["FicheStatusChange"]] = relationship(
        back_populates="fiche", cascade="all, delete-orphan",
        order_by="FicheStatusChange.id")
    positionings: Mapped[list["Positioning"]] = relationship(
        back_populates="fiche", cascade="all, delete-orphan", order_by="Positioning.id")
    links: Mapped[list["FicheLink"]] = relationship(
        back_populates="fiche", cascade="all, delete-orphan", order_by="FicheLink.id")

    @property
    def title(self) -> str:
        """Return « Maçon·ne — Entreprise X », how lists name a fiche."""
        parts = [self.job_title.strip() or "Poste à préciser", self.company_name.strip()]
        return " — ".join(part for part in parts if part)


class FicheStatusChange(OrgOwned, Base):
    """One dated status change of a fiche, and who made it."""

    __tablename__ = "fiche_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(ForeignKey("fiche.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[FicheStatus | None] = enum_column(FicheStatus, nullable=True)
    to_status: Mapped[FicheStatus] = enum_column(FicheStatus)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # The user's name at the time, or « entreprise (lien) »: history stays readable after deletions.
    by_label: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(500), default="")

    fiche: Mapped[Fiche] = relationship(back_populates="status_changes")


class Positioning(OrgOwned, Base):
    """A participant proposed on a fiche, with the eligibility seen when proposed."""

    __tablename__ = "positioning"
    __table_args__ = (UniqueConstraint("fiche_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(ForeignKey("fiche.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    status: Mapped[PositioningStatus] = enum_column(PositioningStatus, default=PositioningStatus.PROPOSE)
    is_override: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    # Snapshot of the check: dates, criterion codes and statuses only — no name, no contact.
    eligibility: Mapped[dict] = mapped_column(JSON)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The partner or prescriber who sent the candidate (France Travail, Mission locale…).
    prescriber_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id", ondelete="SET NULL"), index=True)

    fiche: Mapped[Fiche] = relationship(back_populates="positionings")
    prescriber = relationship("Partner")
    participant: Mapped[Participant] = relationship()
    proposed_by = relationship("User")
    changes: Mapped[list["PositioningChange"]] = relationship(
        back_populates="positioning", cascade="all, delete-orphan",
        order_by="PositioningChange.id")


class PositioningChange(OrgOwned, Base):
    """One step of a candidate on a fiche: proposed, presented, retained… (partners are told)."""

    __tablename__ = "positioning_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    positioning_id: Mapped[int] = mapped_column(ForeignKey("positioning.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[PositioningStatus | None] = enum_column(PositioningStatus, nullable=True)
    to_status: Mapped[PositioningStatus] = enum_column(PositioningStatus)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    by_label: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(500), default="")

    positioning: Mapped[Positioning] = relationship(back_populates="changes")


class FicheLink(OrgOwned, Base):
    """A signed, expiring link through which one company fills one fiche without an account.

    The token carries only this row's id and ``nonce``; revoking the row or letting it expire
    kills the link whatever the token's signature says.
    """

    __tablename__ = "fiche_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(ForeignKey("fiche.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    is_revoked: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    fiche: Mapped[Fiche] = relationship(back_populates="links")
    company = relationship("Company")
