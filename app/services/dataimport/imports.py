"""An import page's requests: receive a file, take the user's column and value choices, ask to confirm.

Nothing here reads the file: each request stores what the user said on the DataImport row
and the caller commits, then queues the job (``jobs``) that reads the file and plans it.
"""

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.dataimport import Kind
from app.domain.enums import JobStatus
from app.domain.sheetmap import SheetMapping
from app.domain.timesheets.hidden import column_letter
from app.models import DataImport, DataImportStatus, ImportProfile
from app.services.dataimport.profiles import find_profile, save_profile
from app.services.dataimport.reading import IMPORT_LIMITS, IMPORT_WORDING, kind_named
from app.services.files import store_file
from app.services.jobs import create_job
from app.services.referential import ServiceError

OWNER = "data_import"
IGNORE = ""


def receive_import(session: Session, scope: Scope, kind_name: str, filename: str, data: bytes,
                   profile_name: str | None = None) -> DataImport:
    """Store an uploaded file and its import row, with the job that will read it; the caller commits."""
    kind = kind_named(kind_name)
    if not data:
        raise ServiceError("Le fichier est vide : vérifiez que vous avez choisi le bon fichier.", "file")
    if len(data) > IMPORT_LIMITS.max_file_bytes:
        raise ServiceError(IMPORT_WORDING["too_big"], "file")  # what the reader would say, without reading it
    profile = find_profile(session, scope, kind.name, profile_name).name if profile_name else None
    imp = DataImport(organisation_id=scope.organisation_id, kind=kind.name, filename=(filename or "import")[:255],
                     sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=scope.user_id, profile_name=profile,
                     value_maps={})
    session.add(imp)
    session.flush()
    imp.file_id = store_file(session, scope.organisation_id, OWNER, imp.id, imp.filename,
                             "application/octet-stream", data).id
    _start(session, scope, imp, "analyse_data_import", "Fichier reçu, lecture à venir…")
    return imp


def profiles_of(session: Session, kind: str) -> list[ImportProfile]:
    """Return the organisation's import profiles of ``kind``, by name (the session is scoped)."""
    return list(session.scalars(select(ImportProfile).where(ImportProfile.kind == kind).order_by(ImportProfile.name)))


def is_busy(imp: DataImport) -> bool:
    """Tell whether a job is reading or writing the import right now."""
    return imp.job is not None and imp.job.status in (JobStatus.QUEUED, JobStatus.RUNNING)


def _start(session: Session, scope: Scope, imp: DataImport, job_kind: str, message: str) -> None:
    job = create_job(session, job_kind, organisation_id=scope.organisation_id, user_id=scope.user_id,
                     subject_id=imp.id, message=message)
    imp.job_id = job.id
    session.flush()


def _ready(imp: DataImport) -> None:
    if is_busy(imp):
        raise ServiceError("Ce fichier est en cours de traitement : attendez la fin (la page se met à jour), "
                           "puis recommencez.")
    if imp.status != DataImportStatus.PREVIEW:
        raise ServiceError(f"Cet import ne peut plus être modifié (état : {imp.status.label.lower()}).")
    if imp.file_id is None:
        raise ServiceError("Le fichier de cet import n'est plus conservé : déposez-le à nouveau.")


def apply_choices(session: Session, scope: Scope, imp: DataImport, header_line: int, columns: dict[int, str],
                  value_maps: dict[str, dict[str, str]], profile_name: str = "") -> DataImport:
    """Keep the grid's choices (header line, column roles, codes) and read the file again with them.

    ``header_line`` is 1-based, as the grid shows it; when it moved, the columns are proposed
    again from the new header line by the job. A name saves the choices as an import profile.
    """
    _ready(imp)
    kind = kind_named(imp.kind)
    preview = imp.sheet_preview or {}
    start, lines = preview.get("start", 0), preview.get("rows", [])
    header = header_line - 1
    if not start <= header < start + len(lines):
        raise ServiceError(f"Choisissez la ligne des titres parmi les lignes montrées ({start + 1} à "
                           f"{start + len(lines)}).", "entete")
    stored = SheetMapping.from_dict(imp.mapping or {}, kind.roles)
    moved = header != stored.header_row
    mapping = SheetMapping(header, {} if moved else _checked_columns(kind, columns), stored.sheet)
    maps = _checked_value_maps(kind, value_maps, imp.value_maps or {})
    imp.mapping = {**mapping.to_dict(), "propose": moved}
    imp.value_maps = maps
    name = " ".join((profile_name or "").split())
    if name:
        if moved:
            raise ServiceError("Vous avez changé la ligne des titres : relisez d'abord le fichier et vérifiez les "
                               "colonnes proposées, puis enregistrez le profil.", "profil")
        profile = save_profile(session, scope, kind.name, name, mapping, maps, lines[header - start])
        imp.profile_name = profile.name
    imp.status, imp.error = DataImportStatus.RECEIVED, ""
    _start(session, scope, imp, "analyse_data_import", "Nouvelle lecture avec vos choix…")
    return imp


def _checked_columns(kind: Kind, columns: dict[int, str]) -> dict[int, str]:
    chosen = {index: role for index, role in columns.items() if role != IGNORE}
    unknown = {role for role in chosen.values() if role not in kind.roles}
    if unknown:
        raise ServiceError("Un choix de colonne est inconnu : rechargez la page et recommencez.")
    seen: dict[str, int] = {}
    for index, role in sorted(chosen.items()):
        if role in seen:
            raise ServiceError(f"« {kind.field(role).label} » est choisi pour deux colonnes "
                               f"({column_letter(seen[role])} et {column_letter(index)}) : gardez-le pour une seule.")
        seen[role] = index
    return chosen


def _checked_value_maps(kind: Kind, submitted: dict[str, dict[str, str]],
                        current: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Return the value maps with the user's choices over them; refuse a code the field does not have."""
    maps = {role: dict(values) for role, values in current.items()}
    for role, values in submitted.items():
        field = next((item for item in kind.fields if item.role == role and item.coded), None)
        if field is None:
            raise ServiceError("Une correspondance de valeurs est inconnue : rechargez la page et recommencez.")
        codes = {member.value for member in field.enum}
        for spelling, code in values.items():
            if not code:
                continue
            if code not in codes:
                raise ServiceError(f"« {code} » n'est pas une valeur de « {field.label} ».")
            maps.setdefault(role, {})[spelling[:200]] = code
    return maps


def request_confirmation(session: Session, scope: Scope, imp: DataImport) -> DataImport:
    """Queue the writing of a previewed import without errors; the caller commits, then enqueues."""
    _ready(imp)
    report = imp.report or {}
    if imp.error or not report or report.get("errors"):
        raise ServiceError("Cet import a des lignes en erreur ou une colonne à indiquer : corrigez-les, relisez le "
                           "fichier, puis importez.")
    imp.confirmed_by_id = scope.user_id
    _start(session, scope, imp, "confirm_data_import", "Enregistrement des lignes…")
    return imp


def cancel_import(session: Session, imp: DataImport) -> DataImport:
    """Abandon an import that was not written."""
    if is_busy(imp) or imp.status not in (DataImportStatus.PREVIEW, DataImportStatus.FAILED):
        raise ServiceError("Cet import ne peut pas être abandonné maintenant.")
    imp.status = DataImportStatus.CANCELLED
    session.flush()
    return imp

