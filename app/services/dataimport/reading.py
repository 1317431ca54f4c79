"""Read an import file in the sandbox and decide how its columns are read.

A saved profile (by name, or found again by the header's signature) wins; otherwise the
mapping is proposed from the header's names. A required column that cannot be found is a
French refusal naming it and the headers seen.
"""

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.dataimport import KINDS, Kind, headers_seen, locate_header, missing_required, propose_mapping
from app.domain.sheetmap import MappingError, SheetMapping, find_header
from app.domain.timesheets import Limits, TimesheetError
from app.models import ImportProfile
from app.services.dataimport.profiles import find_profile, note_use, profile_for_rows
from app.services.referential import ServiceError
from app.services.sheet_reading import read_sheets

# A territory's history is larger than a month's timesheet; the sandbox still bounds its cost.
IMPORT_LIMITS = Limits(max_file_bytes=30 * 1024 * 1024, max_rows=200_000, timeout_seconds=120.0)


# The readers are the timesheets' (one set of guards for every upload); where their refusal speaks
# of a monthly timesheet, an import says it in its own words.
_SPLIT = "découpez-le en plusieurs fichiers (par exemple par année) et importez-les l'un après l'autre."
IMPORT_WORDING = {
    "wrong_type": "Ce fichier n'est pas un tableur lisible. Formats acceptés : Excel (.xlsx, .xlsm, .xls), "
                  "LibreOffice (.ods) ou CSV.",
    "too_big": f"Le fichier est trop gros (maximum {IMPORT_LIMITS.max_file_bytes // (1024 * 1024)} Mo) : {_SPLIT}",
    "too_many_rows": f"Une feuille du fichier est trop grande (maximum {IMPORT_LIMITS.max_rows:,} lignes) : "
                     f"{_SPLIT}".replace(",", "\u202f"),
    "timeout": f"La lecture du fichier prend trop de temps : il est sans doute trop gros ou abîmé ; {_SPLIT}",
}


class ImportInputError(ServiceError):
    """The file, the kind or the profile cannot be used at all (nothing was checked line by line)."""


@dataclass
class SheetRead:
    """The rows of the sheet to import and how its columns are read."""

    kind: Kind
    sheet: str
    rows: list[list[object]]
    mapping: SheetMapping
    value_maps: dict[str, dict[str, str]] = field(default_factory=dict)
    profile_name: str | None = None


def kind_named(name: str) -> Kind:
    """Return the kind called ``name``, or refuse listing the kinds there are."""
    kind = KINDS.get((name or "").strip().lower())
    if kind is None:
        raise ImportInputError(f"Type d'import inconnu « {name} » : choisissez parmi {', '.join(sorted(KINDS))}.")
    return kind


def read_import(session: Session, scope: Scope, kind: Kind, data: bytes, profile_name: str | None = None) -> SheetRead:
    """Return the sheet to import and its mapping, or raise ImportInputError (French)."""
    return choose_mapping(session, scope, kind, read_grids(data), profile_name)


def read_grids(data: bytes) -> list:
    """Return the sheets of the file that hold lines (Grid: name, rows), read in the sandbox, or refuse."""
    try:
        grids = [grid for grid in read_sheets(data, IMPORT_LIMITS) if grid.rows]
    except TimesheetError as exc:
        raise ImportInputError(IMPORT_WORDING.get(exc.code, exc.message_fr)) from None
    if not grids:
        raise ImportInputError("Le fichier ne contient aucune ligne.")
    return grids


def choose_mapping(session: Session, scope: Scope, kind: Kind, grids: list,
                   profile_name: str | None = None) -> SheetRead:
    """Return the sheet to import among ``grids`` and its mapping (profile, else header), or refuse.

    The import page reads the file once and, when this refuses, still shows the first lines for
    the user to point at the missing column.
    """
    if profile_name:
        return _with_profile(kind, grids, find_profile(session, scope, kind.name, profile_name))
    for grid in grids:
        # A saved profile is found again by its header line, wherever the title block puts it.
        profile = profile_for_rows(session, scope, kind.name, grid.rows)
        if profile is not None:
            return _with_profile(kind, [grid], profile)
        header = locate_header(grid.rows, kind)
        if header is None:
            continue
        columns = propose_mapping(grid.rows[header], kind)
        if not missing_required(columns, kind):
            return SheetRead(kind, grid.name, grid.rows, SheetMapping(header, columns, grid.name or None))
    mapping = proposed_mapping(grids[0], kind)
    header = mapping.header_row
    names = ", ".join(f"« {f.label} »" for f in missing_required(mapping.columns, kind))
    seen = ", ".join(f"« {text} »" for text in headers_seen(grids[0].rows[header])[:30]) or "aucun"
    raise ImportInputError(f"Colonne obligatoire introuvable : {names}. En-têtes lus (ligne {header + 1}) : {seen}. "
                           "Renommez la colonne ou enregistrez un profil d'import.")


def proposed_mapping(grid, kind: Kind) -> SheetMapping:
    """Return the mapping proposed from the first sheet's likeliest header line, even if incomplete."""
    header = locate_header(grid.rows, kind) or 0
    return SheetMapping(header, propose_mapping(grid.rows[header], kind), grid.name or None)


def _with_profile(kind: Kind, grids, profile: ImportProfile) -> SheetRead:
    name = profile.name
    try:
        stored = SheetMapping.from_dict(profile.mapping, kind.roles)
    except MappingError as exc:
        raise ImportInputError(f"Le profil « {name} » est abîmé : {exc}") from None
    grid = next((g for g in grids if stored.sheet and g.name == stored.sheet), grids[0])
    header = find_header(grid.rows, stored.signature)
    if header is None:
        raise ImportInputError(f"Le fichier n'a pas la ligne d'en-tête du profil « {name} » : "
                               "ses colonnes ont changé, refaites la correspondance.")
    note_use(profile)
    mapping = SheetMapping(header, stored.columns, grid.name or None, frozenset(), stored.skip_labels,
                           stored.signature)
    return SheetRead(kind, grid.name, grid.rows, mapping, dict(profile.value_maps or {}), profile.name)
