"""Bring an organisation's existing data in from spreadsheets, and take it out the same way.

Pure code over rows of cells: the kinds and their fields (``kinds``), reading one cell
(``values``), proposing a column mapping from the header (``mapping``) and checking each line
(``rows``). Reading the file (in the sandbox) and matching stored records are the service's.
"""

from app.domain.dataimport.catalogue import KINDS
from app.domain.dataimport.kinds import Field, Kind
from app.domain.dataimport.mapping import headers_seen, locate_header, missing_required, propose_mapping
from app.domain.dataimport.rows import (
    ACTION_LABELS,
    CREATE,
    ERROR,
    SKIP,
    UPDATE,
    RowResult,
    natural_key,
    shown,
    unknown_in,
    unknown_values,
    validate_rows,
)
from app.domain.dataimport.values import read_date, read_month, read_value, written

__all__ = [
    "ACTION_LABELS", "CREATE", "ERROR", "KINDS", "SKIP", "UPDATE", "Field", "Kind", "RowResult",
    "headers_seen", "locate_header", "missing_required", "natural_key",
    "propose_mapping", "read_date", "read_month", "read_value", "shown", "unknown_in", "unknown_values",
    "validate_rows", "written",
]
