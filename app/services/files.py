"""Keep generated and uploaded files in the database (StoredFile); callers commit."""

import hashlib

from sqlalchemy.orm import Session

from app.models import StoredFile

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"


def store_file(session: Session, organisation_id: int, owner_kind: str, owner_id: int, name: str,
               content_type: str, data: bytes) -> StoredFile:
    """Add a file attached to the row ``(owner_kind, owner_id)``; return it flushed (its id set)."""
    stored = StoredFile(organisation_id=organisation_id, owner_kind=owner_kind, owner_id=owner_id,
                        name=(name or "fichier")[:200], content_type=content_type[:120], size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), data=data)
    session.add(stored)
    session.flush()
    return stored
