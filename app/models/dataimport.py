"""Data imports: the uploaded files and their preview, and the profiles that read other tools' extractions."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import LabelledEnum
from app.models.base import Base, OrgOwned, enum_column


class ImportProfile(OrgOwned, Base):
    """A named column mapping and value maps for one kind of data import (entreprises, SIAE…).

    An export from another tool has the same columns every time: the next file whose header
    has the same signature is read the same way.
    """

    __tablename__ = "import_profile"
    __table_args__ = (UniqueConstraint("organisation_id", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(120))
    signature: Mapped[str] = mapped_column(String(32), index=True)
    # The SheetMapping as JSON (header row, column roles, labels of lines to skip).
    mapping: Mapped[dict] = mapped_column(JSON)
    # Coded columns: role → {their spelling: Clausier's value}.
    value_maps: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    last_used_at: Mapped[datetime | None]
    uses_count: Mapped[int] = mapped_column(default=0)


class DataImportStatus(LabelledEnum):
    RECEIVED = "received", "Reçu, en cours de lecture"
    PREVIEW = "preview", "À vérifier"
    CONFIRMED = "confirmed", "Enregistré"
    FAILED = "failed", "Illisible"
    CANCELLED = "cancelled", "Abandonné"


class DataImport(OrgOwned, Base):
    """One uploaded file of one kind (entreprises, SIAE…), from upload through preview to confirmation.

    The file is read by a job, never in the request (a territory's history may hold 350 000
    lines): what the job understood is kept here for the page — the mapping, the first lines of
    the sheet and a bounded report of the plan.
    """

    __tablename__ = "data_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    status: Mapped[DataImportStatus] = enum_column(DataImportStatus, default=DataImportStatus.RECEIVED)
    # The SheetMapping read with (SheetMapping.to_dict), and the user's value maps: role → {spelling: code}.
    mapping: Mapped[dict | None] = mapped_column(JSON)
    value_maps: Mapped[dict] = mapped_column(JSON, default=dict)
    # The profile the file is read with (chosen at upload, or found by its header line).
    profile_name: Mapped[str | None] = mapped_column(String(120))
    # Counts of the plan and a bounded sample of its lines (app/services/dataimport/reports.py).
    report: Mapped[dict | None] = mapped_column(JSON)
    # The first lines of the sheet as text, for the mapping grid.
    sheet_preview: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None]
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)

    job = relationship("Job")
