"""Read the monthly timesheets SIAE and companies send (Excel, LibreOffice, CSV, PDF).

Pure domain code: bytes in, dataclasses out; no Flask, database or queue here.
"""

from collections.abc import Sequence

from app.domain.sheetmap import MappingError, SheetMapping, SheetPreview, preview_sheet
from app.domain.timesheets import detect
from app.domain.timesheets.families.blocks import regroup
from app.domain.timesheets.checks import check_rows
from app.domain.timesheets.limits import DEFAULT_LIMITS, Deadline, Limits, check_file_size
from app.domain.timesheets.matching import (
    KnownParticipant,
    MatchResult,
    PersonMatch,
    Suggestion,
    match_participants,
)
from app.domain.timesheets.model import (
    FATAL,
    Grid,
    ParsedRow,
    ParsedTimesheet,
    ParseWarning,
    TimesheetError,
    format_decimal,
    timesheet_to_dict,
)
from app.domain.timesheets.families.payitems import merge_item_lines
from app.domain.sheetmap.period import find_period_in_cells, month_label
from app.domain.timesheets.profile import (
    ROLES,
    ReadingProfile,
    read_with_mapping,
    read_with_profiles,
    suggest_header_row,
    suggest_roles,
)
from app.domain.timesheets.sheet import GridResult, normalise_hint, read_grid
from app.domain.timesheets.template import TemplateLine, build_timesheet_template
from app.domain.timesheets.families.transposed import transpose

__all__ = [
    "DEFAULT_LIMITS", "KnownParticipant", "Limits", "MappingError", "MatchResult", "ParseWarning",
    "ParsedRow", "ParsedTimesheet", "PersonMatch", "ROLES", "ReadingProfile", "SheetMapping",
    "SheetPreview", "Suggestion", "TemplateLine", "TimesheetError", "build_timesheet_template",
    "format_decimal", "match_participants", "parse_timesheet", "preview_sheets", "read_spreadsheet", "suggest_header_row",
    "suggest_roles", "timesheet_to_dict",
]

_NO_TABLE = (
    "Aucun tableau d'heures n'a été trouvé dans le fichier. Il faut une ligne d'en-tête avec une "
    "colonne « Nom » (ou « Salarié ») et des colonnes d'heures (total, jours 1 à 31 ou semaines)."
)


def parse_timesheet(
    data: bytes,
    filename: str | None = None,
    *,
    period_hint: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    mapping: SheetMapping | None = None,
    profiles: Sequence[ReadingProfile] = (),
) -> ParsedTimesheet:
    """Read a timesheet file; raise TimesheetError (French message) when it cannot be read.

    ``mapping`` reads the file the way a person just mapped it; otherwise the first of
    ``profiles`` whose header is found in the file is used, and ``info["profile"]`` names it.
    """
    try:
        return _parse(bytes(data), normalise_hint(period_hint), limits, mapping, tuple(profiles))
    except MappingError as exc:
        raise TimesheetError(str(exc), "mapping") from None
    except TimesheetError as exc:
        if filename and exc.code == "wrong_type":
            raise TimesheetError(f"« {filename} » : {exc.message_fr}", exc.code) from None
        raise
    except FATAL:
        raise
    except (MemoryError, RecursionError) as exc:
        raise TimesheetError("Le fichier est trop complexe pour être lu.", "too_complex") from exc
    except Exception as exc:  # noqa: BLE001 - the caller must only ever see TimesheetError
        raise TimesheetError(
            "Le fichier n'a pas pu être lu à cause d'une erreur inattendue. Enregistrez-le à "
            "nouveau (Excel ou PDF) et renvoyez-le ; si cela recommence, prévenez l'équipe.",
            "internal_error",
        ) from exc


def _read_grids(data: bytes, kind: str, limits: Limits, deadline: Deadline) -> list[Grid]:
    if kind == detect.PDF:
        from app.domain.timesheets.pdf import read_pdf

        return read_pdf(data, limits, deadline)
    if kind == detect.HTML:
        from app.domain.timesheets.html import read_html

        return read_html(data, limits)
    if kind == detect.CSV:
        from app.domain.timesheets.csv import read_csv

        return read_csv(data, limits)
    from app.domain.timesheets.excel import read_workbook

    return read_workbook(data, limits, deadline)


def preview_sheets(data: bytes, *, limits: Limits = DEFAULT_LIMITS, rows: int = 40) -> list[SheetPreview]:
    """Return the first lines of each sheet as text, for a person to map its columns."""
    check_file_size(data, limits)
    kind = detect.detect_kind(data, limits)
    grids = _read_grids(data, kind, limits, Deadline(limits.timeout_seconds))
    return [preview_sheet(grid.name, grid.rows, rows) for grid in grids]


def read_spreadsheet(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> list[Grid]:
    """Return every visible sheet of a workbook or CSV file as rows of cells (no PDF, no web page).

    The same guards and readers as a timesheet's: data imports read their files through here,
    in the sandbox, so a hostile upload costs one child process whatever the page.
    """
    check_file_size(data, limits)
    kind = detect.detect_kind(data, limits)
    if kind in (detect.PDF, detect.HTML):
        raise TimesheetError("Ce fichier n'est pas un tableur : envoyez un fichier Excel (XLSX, XLS), "
                             "LibreOffice (ODS) ou CSV.", "wrong_type")
    return _read_grids(data, kind, limits, Deadline(limits.timeout_seconds))


_NAMED_ABOVE = ("names_above_tables", "chaque tableau a été attribué à la personne nommée au-dessus (ou au nom "
                "de la feuille) ; vérifiez que les heures sont rattachées à la bonne personne.")
_TRANSPOSED = ("transposed_grid", "le tableau a été lu avec les jours en lignes et une colonne par personne ; "
               "vérifiez les totaux de chaque personne.")


def _read_automatically(grids: list[Grid], hint: str | None, deadline: Deadline) -> list[GridResult]:
    results = []
    for grid in grids:
        result = read_grid(grid, period_hint=hint, deadline=deadline)
        if result is None:
            # No name column: the person may be named above the table (annexes, a sheet each),
            # or the grid may be transposed (days down the rows, a column per person).
            named, how = regroup(grid), _NAMED_ABOVE
            if named is None:
                named, how = transpose(grid), _TRANSPOSED
            result = read_grid(named, period_hint=hint, deadline=deadline) if named else None
            if result is not None:
                result.rows = merge_item_lines(result.rows)
                result.period = result.period or find_period_in_cells(grid.rows[:20], with_dates=False)
                # The layout itself was a guess: say how the sheet was read, once per sheet.
                text = f"Feuille « {grid.name} » : {how[1]}" if grid.name else how[1][0].upper() + how[1][1:]
                result.warnings.insert(0, ParseWarning(how[0], text))
        if result is not None:
            results.append(result)
    return results


def _parse(data: bytes, hint: str | None, limits: Limits, mapping: SheetMapping | None,
           profiles: tuple[ReadingProfile, ...]) -> ParsedTimesheet:
    check_file_size(data, limits)
    kind = detect.detect_kind(data, limits)
    deadline = Deadline(limits.timeout_seconds)
    grids = _read_grids(data, kind, limits, deadline)
    skipped = [warning for grid in grids for warning in grid.warnings]
    used: str | None = None
    if mapping is not None:
        used = ""
        results = read_with_mapping(grids, mapping, period_hint=hint, deadline=deadline)
    else:
        found = read_with_profiles(grids, profiles, period_hint=hint, deadline=deadline) if profiles else None
        if found is not None:
            used, results = found[0].name, found[1]
        else:
            results = _read_automatically(grids, hint, deadline)
    read_names = {result.name for result in results}
    ocr = any(grid.ocr for grid in grids if grid.name in read_names)
    over_scan = any(grid.over_scan for grid in grids if grid.name in read_names)
    if not results:
        raise TimesheetError(_NO_TABLE, "no_table")
    period, warnings = _resolve_period(results, hint)
    warnings.extend(skipped)
    rows = [row for result in results if result.period in (period, None) or period is None
            for row in result.rows]
    for result in results:
        warnings.extend(result.warnings)
    if ocr:
        for row in rows:
            row.needs_review = True
        warnings.insert(0, ParseWarning(
            "ocr",
            "Le PDF est une image (scan) : les chiffres ont été lus par reconnaissance de "
            "caractères et doivent tous être vérifiés.",
        ))
    if over_scan:
        for row in rows:
            row.needs_review = True
        warnings.insert(0, ParseWarning(
            "text_over_scan",
            "Le PDF est un scan auquel le copieur a ajouté un texte reconnu automatiquement : "
            "les chiffres ont été lus dans ce texte et sont tous à vérifier sur le document.",
        ))
    warnings.extend(check_rows(rows))
    info: dict[str, str] = {} if used is None else {"profile": used}
    for result in results:
        for key, value in result.info.items():
            info.setdefault(key, value)
    return ParsedTimesheet(period, rows, warnings, kind, [r.name for r in results], info)


def _resolve_period(results: list[GridResult], hint: str | None) -> tuple[str | None, list[ParseWarning]]:
    found = sorted({r.period for r in results if r.period})
    warnings: list[ParseWarning] = []
    if len(found) > 1:
        if hint in found:
            others = ", ".join(f"« {r.name} »" for r in results if r.period not in (hint, None))
            warnings.append(ParseWarning(
                "other_months_ignored",
                f"Le fichier couvre plusieurs mois : seules les feuilles de {month_label(hint)} "
                f"ont été lues (ignorées : {others}).",
            ))
            return hint, warnings
        months = ", ".join(month_label(p) for p in found)
        warnings.append(ParseWarning(
            "several_months",
            f"Le fichier couvre plusieurs mois ({months}) : précisez le mois voulu ou envoyez "
            "un fichier par mois.",
        ))
        return None, warnings
    period = found[0] if found else hint
    if found and hint and hint != period:
        warnings.append(ParseWarning(
            "period_differs",
            f"Le fichier indique {month_label(period)} alors que {month_label(hint)} était "
            "attendu : vérifiez qu'il s'agit du bon relevé.",
        ))
    return period, warnings
