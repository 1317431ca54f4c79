"""Read Excel and LibreOffice workbooks (xlsx, xlsm, xls, ods) with python-calamine."""

import io

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from app.domain.timesheets.hidden import column_letter, hidden_columns
from app.domain.timesheets.limits import Deadline, Limits
from app.domain.timesheets.model import Grid, ParseWarning, TimesheetError, reraise_fatal

_CORRUPT = (
    "Le classeur est abîmé ou incomplet (l'envoi a peut-être été coupé) : ouvrez-le, "
    "enregistrez-le à nouveau puis renvoyez-le."
)


def read_workbook(data: bytes, limits: Limits, deadline: Deadline) -> list[Grid]:
    """Return one grid per visible worksheet, cells as calamine gives them."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        worksheets = [meta for meta in workbook.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
        sheets = [meta.name for meta in worksheets if meta.visible == SheetVisibleEnum.Visible]
        hidden_sheets = [meta.name for meta in worksheets if meta.visible != SheetVisibleEnum.Visible]
    except BaseException as exc:  # noqa: BLE001 - see reraise_fatal
        reraise_fatal(exc)
        raise _corrupt_error(exc) from None
    hidden = hidden_columns(data) if data.startswith(b"PK") else {}
    grids = []
    for name in sheets:
        deadline.check()
        try:
            sheet = workbook.get_sheet_by_name(name)
            height, width = sheet.height, sheet.width
            if height > limits.max_rows or width > limits.max_columns:
                raise TimesheetError(
                    f"La feuille « {name} » est trop grande ({height} lignes, {width} colonnes) : "
                    f"un relevé mensuel dépasse rarement {limits.max_rows} lignes.",
                    "too_many_rows",
                )
            rows = sheet.to_python(skip_empty_area=False)
        except TimesheetError:
            raise
        except BaseException as exc:  # noqa: BLE001 - see reraise_fatal
            reraise_fatal(exc)
            raise _corrupt_error(exc) from None
        grid = Grid(name, rows, [{"sheet": name, "row": i + 1} for i in range(len(rows))])
        if hidden.get(name):
            _blank_columns(grid, hidden[name])
        grids.append(grid)
    if hidden_sheets and grids:
        names = ", ".join(f"« {name} »" for name in hidden_sheets)
        grids[0].warnings.insert(0, ParseWarning(
            "hidden_sheets",
            (f"Feuilles masquées non lues : {names}. Si elles contiennent des heures de ce mois, affichez-les"
             if len(hidden_sheets) > 1 else
             f"Feuille masquée non lue : {names}. Si elle contient des heures de ce mois, affichez-la")
            + " dans le tableur puis renvoyez le fichier.",
        ))
    return grids


def _blank_columns(grid: Grid, columns: list[int]) -> None:
    # Hidden columns hold plans or last month's figures: read as if empty, and say so.
    width = max(map(len, grid.rows), default=0)
    columns = [index for index in columns if index < width]
    if not columns:
        return
    for row in grid.rows:
        for index in columns:
            if index < len(row):
                row[index] = None
    letters = ", ".join(column_letter(index) for index in columns)
    grid.warnings.append(ParseWarning(
        "hidden_columns",
        f"Feuille « {grid.name} » : "
        + (f"colonnes masquées non lues ({letters}). Si elles contiennent des heures de ce mois, affichez-les"
           if len(columns) > 1 else
           f"colonne masquée non lue ({letters}). Si elle contient des heures de ce mois, affichez-la")
        + " dans le tableur puis renvoyez le fichier.",
    ))


def _corrupt_error(exc: BaseException) -> TimesheetError:
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return TimesheetError(
            "Le classeur est protégé par un mot de passe : enregistrez-le sans mot de passe.",
            "encrypted",
        )
    return TimesheetError(_CORRUPT, "corrupt")
