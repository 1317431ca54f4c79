"""Read Excel and LibreOffice workbooks (xlsx, xlsm, xls, ods) with python-calamine."""

import io

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from app.domain.timesheets.limits import Deadline, Limits
from app.domain.timesheets.model import Grid, TimesheetError, reraise_fatal

_CORRUPT = (
    "Le classeur est abîmé ou incomplet (l'envoi a peut-être été coupé) : ouvrez-le, "
    "enregistrez-le à nouveau puis renvoyez-le."
)


def read_workbook(data: bytes, limits: Limits, deadline: Deadline) -> list[Grid]:
    """Return one grid per visible worksheet, cells as calamine gives them."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            meta.name
            for meta in workbook.sheets_metadata
            if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet
        ]
    except BaseException as exc:  # noqa: BLE001 - see reraise_fatal
        reraise_fatal(exc)
        raise _corrupt_error(exc) from None
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
        grids.append(Grid(name, rows, [{"sheet": name, "row": i + 1} for i in range(len(rows))]))
    return grids


def _corrupt_error(exc: BaseException) -> TimesheetError:
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return TimesheetError(
            "Le classeur est protégé par un mot de passe : enregistrez-le sans mot de passe.",
            "encrypted",
        )
    return TimesheetError(_CORRUPT, "corrupt")
