"""Import profiles: how another tool's extraction is read, named and found again by its header."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, OrgOwned


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
