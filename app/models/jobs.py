"""Background job status, read by pages in both run modes."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import JobStatus
from app.models.base import Base, Timestamped, enum_column


class Job(Timestamped, Base):
    """One run of a background job: its status, progress and the French message users see."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(80))
    # The id of the row the job works on (an import, a pack, a dossier): ids only, never data.
    subject_id: Mapped[int | None]
    status: Mapped[JobStatus] = enum_column(JobStatus, default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    rq_job_id: Mapped[str | None] = mapped_column(String(64))
    # Times the reconciler put the job back in the queue after an interruption.
    attempts: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
