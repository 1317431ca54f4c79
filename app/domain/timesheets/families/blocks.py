"""Tables without a name column: the person is named above the table (« Intérimaire : X »).

Temp agencies' invoice annexes put each mission under a heading naming the temp worker, and
workbooks with one sheet per person name them in the title block or the sheet's name. Such a
grid is rewritten as an ordinary table with a « Nom » column, then read like any other.
"""

import re

from app.domain.timesheets import columns as c
from app.domain.timesheets.columns import classify
from app.domain.sheetmap.hours import fold, parse_hours
from app.domain.timesheets.model import Grid
from app.domain.timesheets.names import FOOTER, PERSON, clean_name, name_status

_KEY = re.compile(
    r"^(interimaire|salariee?|nom(\s*(et|/)\s*prenom)?|prenom|collaborat(eur|rice)|stagiaire|agent"
    r"|beneficiaire|participant(e)?|intervenant(e)?)\s*(n°\s*\d+\s*)?:\s*(.*)$")
_CUT = re.compile(r"\s+(—|–|-|\|)\s+|\s{2,}|\s+mission\b", re.IGNORECASE)
_FULL_DATE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$")
_HOURS = (c.DAY, c.WEEK, c.HOURS, c.TENDER, c.TOTAL, c.TRAINING, c.OVERTIME, c.START, c.END)


def _headings(row: list[object]) -> dict[str, str]:
    """Return the person keys a title line gives: {"full": …} or {"last": …} / {"first": …}."""
    found: dict[str, str] = {}
    cells = [cell for cell in row if isinstance(cell, str) and cell.strip()]
    for index, cell in enumerate(cells):
        match = _KEY.match(fold(cell).strip())
        if not match:
            continue
        value = cell.split(":", 1)[1].strip() if ":" in cell else ""
        if not value and index + 1 < len(cells):
            value = cells[index + 1].strip()
        value = _CUT.split(value)[0].strip() if value else ""
        key = match.group(1)
        if not value or name_status(value) == FOOTER:
            continue
        kind = "first" if key == "prenom" else "last" if key == "nom" else "full"
        found.setdefault(kind, value)
    return found


def _header_without_name(row: list[object]) -> bool:
    filled = [cell for cell in row if cell is not None and cell != ""]
    if len(filled) < 2 or not all(isinstance(cell, str) for cell in filled):
        return False
    # CSV lines are text too: a dated line, or figures that are not a run of day numbers, is data.
    if any(_FULL_DATE.match(cell.strip()) for cell in filled):
        return False
    figures = [parse_hours(cell).hours for cell in filled if parse_hours(cell).hours is not None]
    if figures and not (len(figures) >= 3 and figures == sorted(set(figures))):
        return False
    kinds = [col.kind for i, cell in enumerate(row) if (col := classify(i, [cell])) is not None]
    return any(kind in _HOURS for kind in kinds) and not any(kind in c.NAME_LABELS for kind in kinds)


def _person_name(grid_name: str) -> str | None:
    # A sheet named after its person: « VASSEUR Théo », never « Consignes » or « Avril 2026 ».
    name = clean_name(grid_name)
    if name_status(name) == PERSON and len(name.split()) >= 2 and any(w.isupper() and len(w) > 1 for w in name.split()):
        return name
    return None


def regroup(grid: Grid) -> Grid | None:
    """Return the grid with a « Nom » column filled from the headings above each table, or None."""
    rows, person, pending = grid.rows, None, {}
    out: list[list[object]] = []
    sources: list[dict] = []
    header: list[object] | None = None
    in_table = False
    for row, source in zip(rows, grid.sources):
        heading = _headings(row)
        if heading:
            pending = {**pending, **heading} if not in_table else heading
            in_table = False
            continue
        if _header_without_name(row):
            if "full" in pending:
                person = pending["full"]
            elif pending:
                person = " ".join(filter(None, (pending.get("last"), pending.get("first"))))
            else:
                person = person or _person_name(grid.name)
            pending, in_table = {}, True
            if person and row != header:
                out.append(["Nom", *row])
                sources.append(source)
                header = row
            continue
        if not in_table or not person:
            continue
        filled = [cell for cell in row if cell is not None and cell != ""]
        if not filled:
            continue
        first_text = next((cell for cell in filled if isinstance(cell, str)), None)
        # A subtotal or total line keeps its words in the name column, so it is skipped as one.
        label = first_text if first_text and name_status(clean_name(first_text)) == FOOTER else person
        out.append([label, *row])
        sources.append(source)
    if header is None or len(out) < 2:
        return None
    return Grid(grid.name, out, sources, grid.ocr, grid.over_scan, grid.warnings)
