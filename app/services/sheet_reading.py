"""Read untrusted sheet bytes in the sandbox: a whole timesheet, or the first lines of each sheet.

Every reader of an uploaded sheet goes through here, so that a hostile file costs one refused
child process (app/sandbox.py), never the web process or the worker. Refusals are French.
"""

from collections.abc import Sequence

from app.domain.sheetmap import SheetMapping
from app.domain.timesheets import (
    DEFAULT_LIMITS,
    Limits,
    TimesheetError,
    parse_timesheet,
    preview_sheets,
    read_spreadsheet,
)
from app.domain.timesheets import ReadingProfile
from app.sandbox import SandboxLimits, SandboxRefusal, run_sandboxed


def sandbox_limits_for(limits: Limits) -> SandboxLimits:
    """Return the child's limits for a parse: its own deadline plus OCR, with some margin."""
    return SandboxLimits(cpu_seconds=int(limits.timeout_seconds) + 5,
                         wall_seconds=limits.timeout_seconds + limits.ocr_timeout_seconds + 10)


def read_timesheet(data: bytes, filename: str | None = None, *, period_hint: str | None = None,
                   limits: Limits = DEFAULT_LIMITS, sandbox_stats: dict | None = None,
                   mapping: SheetMapping | None = None, profiles: Sequence[ReadingProfile] = ()):
    """Parse an uploaded timesheet in the sandbox; raise TimesheetError (French) when it cannot be read.

    The cheap guards refuse most hostile files inside the child within milliseconds; the
    child's limits stop what they miss (a native reader aborting or allocating gigabytes).
    """
    try:
        return run_sandboxed(parse_timesheet, data, filename, period_hint=period_hint, limits=limits,
                             mapping=mapping, profiles=tuple(profiles),
                             sandbox_limits=sandbox_limits_for(limits), sandbox_stats=sandbox_stats)
    except SandboxRefusal as exc:
        raise TimesheetError(exc.message_fr, f"sandbox_{exc.reason}") from exc


def read_sheet_previews(data: bytes, limits: Limits = DEFAULT_LIMITS):
    """Return the first lines of each sheet (the mapping grid) read in the sandbox, or TimesheetError."""
    try:
        return run_sandboxed(preview_sheets, data, sandbox_limits=sandbox_limits_for(limits))
    except SandboxRefusal as exc:
        raise TimesheetError(exc.message_fr, f"sandbox_{exc.reason}") from exc


def read_sheets(data: bytes, limits: Limits = DEFAULT_LIMITS):
    """Return every visible sheet of a workbook or CSV file (Grid: name, rows) read in the sandbox."""
    try:
        return run_sandboxed(read_spreadsheet, data, limits=limits, sandbox_limits=sandbox_limits_for(limits))
    except SandboxRefusal as exc:
        raise TimesheetError(exc.message_fr, f"sandbox_{exc.reason}") from exc
