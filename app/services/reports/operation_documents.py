"""Documents the gestionnaire FSE+ keeps with an operation: the signed operation sheet, the signed
contract documents proving a clause, comptes rendus. The dossier joins them as proofs.
"""

from sqlalchemy.orm import Session

from app.access import Scope
from app.models import FseOperation, OperationDocument, OperationDocumentKind, StoredFile, Tender
from app.services.files import store_file
from app.services.referential import ServiceError
from app.services.reports.activity_log import check_minutes

# The stored file belongs to the operation: its id is known before the document row exists.
OWNER = "fse_operation"
MAX_TITLE = 200


def document_type(data: bytes) -> tuple[str, str]:
    """Return the content type and extension of a proof document, or refuse it in French.

    The same formats and checks as a compte rendu of the activity log (PDF, DOCX, ODT, JPEG, PNG).
    """
    return check_minutes(data, "file")


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
