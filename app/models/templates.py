"""Document templates an administrator uploaded to replace a default one, version by version."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.models.base import Base, OrgOwned, utcnow
from app.models.files import StoredFile


class DocTemplate(OrgOwned, Base):
    """One uploaded version of an organisation's template for a document kind.

    At most one version per kind is active; none active means the default template of
    ``templates_docs/`` is used. Versions are never deleted: generated documents point at them.
    """

    __tablename__ = "doc_template"
    __table_args__ = (UniqueConstraint("organisation_id", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int]
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id", ondelete="RESTRICT"))
    original_name: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_active: Mapped[bool] = mapped_column(default=False)

    file: Mapped[StoredFile] = relationship()
    uploaded_by = relationship("User")


class GeneratedDocument:
    """Columns of a row that owns a generated DOCX/PDF and the template version it came from."""

    @declared_attr
    def docx_file_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))

    @declared_attr
    def pdf_file_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))

    @declared_attr
    def template_version_id(cls) -> Mapped[int | None]:
        # None with a label: the default template of templates_docs/ was used.
        return mapped_column(ForeignKey("doc_template.id", ondelete="SET NULL"))

    template_label: Mapped[str] = mapped_column(String(120), default="")
    document_generated_at: Mapped[datetime | None]
    # Why there is a DOCX but no PDF (LibreOffice missing or failed), shown beside the links.
    pdf_note: Mapped[str] = mapped_column(String(500), default="")
