"""Read CSV exports: UTF-8 with or without BOM, or Windows-1252; ``;``, ``,`` or tab."""

import csv
import io

from app.domain.timesheets.limits import Limits
from app.domain.timesheets.model import Grid, TimesheetError

_DELIMITERS = ";,\t"
# csv.Sniffer's quote regex is quadratic: a 1 MB line of quotes kept a worker busy for hours.
_SNIFF_CHARS = 8192


def decode_text(data: bytes) -> str:
    """Decode bytes the way French office software writes them."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel "CSV (séparateur : point-virgule)" on Windows writes cp1252.
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """Guess the separator from the first lines, falling back to the commonest one."""
    sample = "\n".join(text[:_SNIFF_CHARS].splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {delim: sample.count(delim) for delim in _DELIMITERS}
        return max(counts, key=counts.get) if any(counts.values()) else ";"


def count_lines(text: str) -> int:
    """Count lines the way the csv module splits them: on \\r\\n, \\n and a lone \\r.

    Counting ``\\n`` alone let a file with old Mac line endings (\\r) through the row limit:
    400 000 rows read for minutes and a 172 MB preview (issue #12, 2026-12).
    """
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _too_many_rows(limits: Limits) -> TimesheetError:
    return TimesheetError(f"Le fichier CSV a trop de lignes (maximum {limits.max_rows}).", "too_many_rows")


def read_csv(data: bytes, limits: Limits) -> list[Grid]:
    """Return the CSV file as one grid of strings."""
    text = decode_text(data)
    if count_lines(text) > limits.max_rows:
        raise _too_many_rows(limits)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows, sources = [], []
    try:
        for row in reader:
            if len(row) > limits.max_columns:
                raise TimesheetError("Le fichier CSV a trop de colonnes pour être lu.", "too_many_columns")
            rows.append(row)
            if len(rows) > limits.max_rows:
                raise _too_many_rows(limits)
            sources.append({"line": reader.line_num})
    except csv.Error as exc:
        raise TimesheetError(
            "Le fichier CSV est mal formé (guillemets non fermés ?) : enregistrez-le à nouveau "
            "depuis le tableur.",
            "corrupt",
        ) from exc
    return [Grid("", rows, sources)]
