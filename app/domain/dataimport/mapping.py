"""Propose which column holds which field, from the header's names; find the header line.

Names are compared folded (case, accents, punctuation: ``sheetmap.header_key``); an exact
name or synonym wins over a header that merely contains one (« Raison sociale du titulaire »).
"""

from app.domain.dataimport.kinds import Field, Kind
from app.domain.sheetmap import SEARCH_ROWS, cell_text, header_key

EXACT, CONTAINED = 2, 1


def _score(header: str, field: Field) -> int:
    names = field.header_names
    if header in names:
        return EXACT
    padded = f" {header} "
    # Short names (« cp », « tel ») only count as the whole header: « cp » is in « cpv ».
    return CONTAINED if any(len(name) > 3 and f" {name} " in padded for name in names) else 0


def propose_mapping(header_row: list[object], kind: Kind) -> dict[int, str]:
    """Return ``{column index: role}`` for the columns whose title names a field of ``kind``."""
    candidates = []
    for index, cell in enumerate(header_row):
        header = header_key(cell)
        if not header:
            continue
        for order, field in enumerate(kind.fields):
            score = _score(header, field)
            if score:
                candidates.append((-score, index, order, field.role))
    columns: dict[int, str] = {}
    for _score_, index, _order, role in sorted(candidates):
        if index not in columns and role not in columns.values():
            columns[index] = role
    return dict(sorted(columns.items()))


def locate_header(rows: list[list[object]], kind: Kind, limit: int = SEARCH_ROWS) -> int | None:
    """Return the index of the line naming the most fields of ``kind`` (title lines above it), if any."""
    best, best_count = None, 0
    for index, row in enumerate(rows[:limit]):
        count = len(propose_mapping(row, kind))
        if count > best_count:
            best, best_count = index, count
    return best


def missing_required(columns: dict[int, str], kind: Kind) -> list[Field]:
    """Return the required fields no column holds."""
    present = set(columns.values())
    return [field for field in kind.fields if field.required and field.role not in present]


def headers_seen(row: list[object]) -> list[str]:
    """Return the non-empty titles of a header line, as a person reads them."""
    return [text for text in (cell_text(cell) for cell in row) if text]
