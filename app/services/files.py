"""Keep generated and uploaded files in the database (StoredFile); callers commit."""

import hashlib

from sqlalchemy.orm import Session

from app.domain.documents.scans import count_pdf_pages
from app.models import StoredFile
from app.sandbox import SandboxLimits, run_sandboxed

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
# Counting a scan's pages takes pypdf milliseconds; these limits only stop a hostile file.
SCAN_LIMITS = SandboxLimits(memory_mb=1024, cpu_seconds=15, wall_seconds=20.0)


def store_file(session: Session, organisation_id: int, owner_kind: str, owner_id: int, name: str,
               content_type: str, data: bytes) -> StoredFile:
    """Add a file attached to the row ``(owner_kind, owner_id)``; return it flushed (its id set)."""
    stored = StoredFile(organisation_id=organisation_id, owner_kind=owner_kind, owner_id=owner_id,
                        name=(name or "fichier")[:200], content_type=content_type[:120], size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), data=data)
    session.add(stored)
    session.flush()
    return stored


def scan_page_count(data: bytes) -> int:
    """Return the pages of an uploaded PDF scan, read in the sandbox (0: unreadable).

    Raise SandboxRefusal (French message) when reading it broke a limit.
    """
    return run_sandboxed(count_pdf_pages, data, sandbox_limits=SCAN_LIMITS)
