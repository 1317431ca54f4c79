"""Generated and uploaded files, kept in the database so web and workers share them."""

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.models.base import Base, OrgOwned


class StoredFile(OrgOwned, Base):
    """One file (a DOCX, a PDF, a ZIP…) attached to a row of another table."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the file belongs to, e.g. ("clause_pack", 12): one table serves every feature.
    owner_kind: Mapped[str] = mapped_column(String(40), index=True)
    owner_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Deferred: lists of files never load their bytes.
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
