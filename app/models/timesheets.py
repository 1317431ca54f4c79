"""Imports of monthly timesheets: the file, what was understood, and what was written."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import LabelledEnum
from app.models.base import Base, OrgOwned, enum_column


class ImportStatus(LabelledEnum):
    RECEIVED = "received", "Reçu, en cours de lecture"
    PREVIEW = "preview", "À vérifier"
    CONFIRMED = "confirmed", "Enregistré"
    FAILED = "failed", "Illisible"
    CANCELLED = "cancelled", "Abandonné"
    REPLACED = "replaced", "Remplacé par un relevé corrigé"


class TimesheetImport(OrgOwned, Base):
    """One uploaded timesheet of one structure for one month, from upload to confirmation."""

    __tablename__ = "timesheet_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    siae_id: Mapped[int | None] = mapped_column(ForeignKey("siae.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lot.id", ondelete="SET NULL"))
    # First day of the month the sheet covers; None until the sheet or the user says.
    month_on: Mapped[date | None] = mapped_column(index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    status: Mapped[ImportStatus] = enum_column(ImportStatus, default=ImportStatus.RECEIVED)
    # What the parser understood (rows, doubts, name matches): shown on the preview page.
    preview: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None]
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("timesheet_import.id", ondelete="SET NULL"))
    records_count: Mapped[int] = mapped_column(default=0)
    total_minutes: Mapped[int] = mapped_column(default=0)

    siae = relationship("Siae")
    company = relationship("Company")
    lot = relationship("Lot")

    @property
    def structure(self):
        """Return the SIAE or company that sent the sheet."""
        return self.siae or self.company


class ReadingProfile(OrgOwned, Base):
    """How one structure's files are read when the automatic reading cannot: its column mapping.

    Found again by the signature of the header line, so the next month's file is read the
    same way without anyone pointing at columns.
    """

    __tablename__ = "reading_profile"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    siae_id: Mapped[int | None] = mapped_column(ForeignKey("siae.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    signature: Mapped[str] = mapped_column(String(32), index=True)
    # The SheetMapping as JSON: header row, column roles, labels of lines to skip.
    mapping: Mapped[dict] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    last_used_at: Mapped[datetime | None]
    uses_count: Mapped[int] = mapped_column(default=0)

    siae = relationship("Siae")
    company = relationship("Company")

    @property
    def structure(self):
        """Return the SIAE or company whose files the profile reads."""
        return self.siae or self.company
