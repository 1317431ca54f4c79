"""Export an organisation's records of one kind in the layout its import reads (no lock-in)."""

from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.dataimport import Kind, written
from app.domain.documents.xlsx_stream import StreamBook
from app.domain.formats import format_count
from app.services import audit
from app.services.dataimport.stores import store_of


def export_rows(session: Session, scope: Scope, kind: Kind) -> bytes:
    """Return an XLSX of the organisation's ``kind`` records: one header line of field names, a line each."""
    book = StreamBook()
    sheet = book.sheet(kind.label)
    fields = [field for field in kind.fields if field.exported]
    sheet.header([field.label for field in fields])
    count = 0
    for values in store_of(kind).export(session, scope):
        # Codes as text (SIRET, postcodes keep their leading zeros), coded values by Clausier's code.
        sheet.write([written(field, values.get(field.role)) for field in fields])
        count += 1
    sheet.size_columns()
    audit.record(session, organisation_id=scope.organisation_id, user_id=scope.user_id, action="export",
                 object_type=kind.name, detail=f"export pour import : {format_count(count, 'ligne')}")
    return book.finish()
