"""Documents the gestionnaire FSE+ keeps with an operation: the signed operation sheet, the signed
contract documents proving a clause, comptes rendus. The dossier joins them as proofs.
"""

import io
import zipfile

from sqlalchemy.orm import Session

from app.access import Scope
from app.models import FseOperation, OperationDocument, OperationDocumentKind, StoredFile, Tender
from app.services.files import DOCX_TYPE, store_file
from app.services.referential import ServiceError
from app.services.reports.actions import MAX_SCAN_BYTES, scan_type

# The stored file belongs to the operation: its id is known before the document row exists.
OWNER = "fse_operation"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
MAX_TITLE = 200


def office_type(data: bytes) -> tuple[str, str] | None:
    """Return the type of a Word or OpenDocument text, told by the archive's own entries."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX_TYPE, "docx"
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_TYPE.encode():
                return ODT_TYPE, "odt"
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def document_type(data: bytes) -> tuple[str, str]:
    """Return the content type and extension of a proof document, or refuse it in French.

    A scan (PDF, JPEG, PNG) or a text document (DOCX, ODT), told by its bytes, never its name.
    """
    if data.startswith(b"PK\x03\x04") and len(data) <= MAX_SCAN_BYTES:
        found = office_type(data)
        if found is not None:
            return found
    try:
        return scan_type(data)
    except ServiceError:
        if data and len(data) <= MAX_SCAN_BYTES:
            raise ServiceError("Déposez un document PDF, Word (DOCX), OpenDocument (ODT), JPEG ou PNG.",
                               "file") from None
        raise


def attach_document(session: Session, scope: Scope, operation: FseOperation, *, kind: str, title: str,
                    tender_id: int | None, data: bytes) -> OperationDocument:
    """Keep a signed sheet, contract document or compte rendu with the operation."""
    document_kind = OperationDocumentKind(kind)
    title = " ".join((title or "").split())[:MAX_TITLE]
    tender = None
    if tender_id:
        tender = session.get(Tender, tender_id)
        if tender is None:
            raise ServiceError("Ce marché est introuvable.", "tender_id")
    elif document_kind is OperationDocumentKind.CONTRACT_DOCUMENT:
        raise ServiceError("Choisissez le marché dont c'est une pièce contractuelle.", "tender_id")
    content_type, extension = document_type(data)
    stored = store_file(session, operation.organisation_id, OWNER, operation.id,
                        f"{document_kind.value}.{extension}", content_type, data)
    document = OperationDocument(organisation_id=operation.organisation_id, fse_operation_id=operation.id,
                                 kind=document_kind, title=title, tender_id=tender.id if tender else None,
                                 uploaded_by_id=scope.user_id, file_id=stored.id)
    session.add(document)
    session.flush()
    return document


def remove_document(session: Session, document: OperationDocument) -> None:
    """Remove a document and its file."""
    stored = session.get(StoredFile, document.file_id)
    session.delete(document)
    if stored is not None:
        session.delete(stored)
    session.flush()
