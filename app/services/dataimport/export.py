"""Export an organisation's records of one kind in the layout its import reads (no lock-in)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.dataimport import Kind, shown
from app.domain.documents.xlsx_stream import StreamBook
from app.services import audit
from app.services.dataimport.plans import MODELS


def export_rows(session: Session, scope: Scope, kind: Kind) -> bytes:
    """Return an XLSX of the organisation's ``kind`` records: one header line of field names, a line each."""
    model = MODELS[kind.name]
    records = session.scalars(select(model).where(model.organisation_id == scope.organisation_id)
                              .order_by(*(getattr(model, role) for role in kind.natural_key), model.id)).all()
    book = StreamBook()
    sheet = book.sheet(kind.label)
    sheet.header([field.label for field in kind.fields])
    for record in records:
        # Codes as text (SIRET, postcodes keep their leading zeros), coded values by Clausier's code.
        sheet.write(["" if (value := shown(getattr(record, field.role))) is None else value for field in kind.fields])
    sheet.size_columns()
    audit.record(session, organisation_id=scope.organisation_id, user_id=scope.user_id, action="export",
                 object_type=kind.name, detail=f"export pour import : {len(records)} ligne(s)")
    return book.finish()
