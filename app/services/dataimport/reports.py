"""What an import page keeps of a plan and of its sheet: bounded, whatever the file's size.

A territory's history may hold 350 000 lines: the stored report keeps every count, every
error line up to a cap, the updates up to a cap and a sample of the creations and skips, and
says how many lines of each action were left out. The sheet preview keeps the first lines
around the header, as text, for the mapping grid.
"""

from app.domain.dataimport import CREATE, ERROR, SKIP, UPDATE
from app.domain.sheetmap import SheetMapping, cell_text
from app.services.dataimport.plans import Plan

# Lines kept per action; errors first, since they are what the user must fix.
KEPT = {ERROR: 500, UPDATE: 300, CREATE: 50, SKIP: 50}
ORDER = (ERROR, UPDATE, CREATE, SKIP)
# Spellings listed per coded column (a column of free text mapped by mistake lists thousands).
MAX_UNKNOWN = 100
PREVIEW_LINES = 12
PREVIEW_ABOVE = 3  # lines shown above a header found far down the sheet
MAX_COLUMNS = 120
MAX_CELL = 60
_BLANK = ["ligne vide"]


def bounded_report(plan: Plan, filename: str = "") -> dict:
    """Return the plan's counts and a bounded list of its lines (errors first), with what was left out."""
    kept: dict[str, list[dict]] = {action: [] for action in ORDER}
    left_out = dict.fromkeys(ORDER, 0)
    for result in plan.results:
        if result.action == SKIP and result.reasons == _BLANK:
            continue  # blank lines are counted, never listed
        if len(kept[result.action]) < KEPT[result.action]:
            kept[result.action].append(result.to_dict())
        else:
            left_out[result.action] += 1
    return {**plan.summary(filename), "rows": [row for action in ORDER for row in kept[action]],
            "left_out": {action: count for action, count in left_out.items() if count},
            "unknown": {role: values[:MAX_UNKNOWN] for role, values in plan.unknown.items()}}


def sheet_preview(sheet: str, rows: list[list[object]], mapping: SheetMapping) -> dict:
    """Return the first lines of the sheet as text (from a little above the header when it is far down)."""
    start = 0 if mapping.header_row < PREVIEW_LINES - PREVIEW_ABOVE else mapping.header_row - PREVIEW_ABOVE
    lines = [[cell_text(cell)[:MAX_CELL] for cell in (row or [])[:MAX_COLUMNS]]
             for row in rows[start:start + PREVIEW_LINES]]
    width = max((max((i + 1 for i, text in enumerate(line) if text), default=0) for line in lines), default=0)
    # A column the mapping reads stays in the grid even when its first lines are empty.
    width = min(max([width, *(index + 1 for index in mapping.columns)]), MAX_COLUMNS)
    return {"sheet": sheet, "start": start, "total": len(rows), "width": width,
            "rows": [line[:width] + [""] * (width - len(line[:width])) for line in lines]}
