"""The data import's background work: read and plan the file, then write it all or nothing.

Both run in a job (inline without Redis, in the RQ worker otherwise), never in the request: a
territory's history may hold 350 000 lines. The file is read in the sandbox outside any
transaction; the plan and its report are stored in one short transaction afterwards.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.db import db
from app.domain.dataimport import KINDS, Kind, missing_required, propose_mapping
from app.domain.formats import format_count
from app.domain.sheetmap import MappingError, SheetMapping
from app.models import DataImport, DataImportStatus, StoredFile
from app.models.base import utcnow
from app.services.dataimport.plans import ImportRefused, apply_plan, plan_import
from app.services.dataimport.reading import ImportInputError, choose_mapping, proposed_mapping, read_grids
from app.services.dataimport.reports import bounded_report, sheet_preview
from app.services.jobs import JobFailure

GONE = "Le fichier de cet import n'est plus conservé : déposez-le à nouveau."


def _load(import_id: int, *statuses: DataImportStatus) -> tuple[bytes, str] | None:
    """Return the import's file and kind, or None when the import is no longer in ``statuses``."""
    with db.session_scope() as session:
        imp = session.get(DataImport, import_id)
        if imp is None:
            raise JobFailure("Cet import n'existe plus.")
        if imp.status not in statuses:
            return None  # confirmed or abandoned since: a late run changes nothing
        if imp.file_id is None:
            imp.status, imp.error = DataImportStatus.FAILED, GONE
            return None
        return session.get(StoredFile, imp.file_id).data, imp.kind


def _grids(import_id: int, data: bytes, failed_status: DataImportStatus):
    """Read the file in the sandbox; an unreadable one is recorded on the import and ends the job."""
    try:
        return read_grids(data)
    except ImportInputError as exc:
        with db.session_scope() as session:
            imp = session.get(DataImport, import_id)
            imp.status, imp.error = failed_status, str(exc)
        raise JobFailure(str(exc)) from None


def run_analysis(import_id: int, progress=lambda pct, msg: None) -> str:
    """Read an import's file and keep its mapping, first lines and plan; write no record."""
    loaded = _load(import_id, DataImportStatus.RECEIVED, DataImportStatus.PREVIEW, DataImportStatus.FAILED)
    if loaded is None:
        return "Rien à relire : cet import est déjà enregistré ou abandonné."
    progress(10, "Lecture du fichier…")
    grids = _grids(import_id, loaded[0], DataImportStatus.FAILED)
    progress(50, "Vérification des lignes…")
    with db.session_scope() as session:
        imp = session.get(DataImport, import_id)
        analyse(session, imp, grids)
        if imp.error:
            return imp.error
        report = imp.report
    return (f"Fichier lu : {format_count(report['created'], 'ligne à créer', 'lignes à créer')}, "
            f"{format_count(report['errors'], 'ligne en erreur', 'lignes en erreur')}.")


def analyse(session: Session, imp: DataImport, grids: list) -> None:
    """Choose the sheet and mapping (the user's, a profile's, or proposed), then plan the lines.

    A required column nobody found is not a dead end: the first lines are kept with the
    proposed mapping and the French reason, so the user points at the column in the grid.
    """
    kind = KINDS[imp.kind]
    scope = Scope(organisation_id=imp.organisation_id, user_id=imp.uploaded_by_id)
    error = ""
    value_maps = {role: dict(values) for role, values in (imp.value_maps or {}).items()}
    if imp.mapping:
        rows, mapping = stored_mapping(imp, kind, grids)
    else:
        try:
            read = choose_mapping(session, scope, kind, grids, imp.profile_name)
            rows, mapping, imp.profile_name = read.rows, read.mapping, read.profile_name
            # The profile's correspondences, then the user's over them.
            value_maps = {role: {**read.value_maps.get(role, {}), **value_maps.get(role, {})}
                          for role in {*read.value_maps, *value_maps}}
        except ImportInputError as exc:
            rows, mapping, error = grids[0].rows, proposed_mapping(grids[0], kind), str(exc)
    missing = missing_required(mapping.columns, kind)
    if missing and not error:
        names = ", ".join(f"« {field.label} »" for field in missing)
        error = (f"Colonne obligatoire non indiquée : {names}. Choisissez-la au-dessus de la bonne colonne, "
                 "puis « Relire avec ces choix ».")
    imp.mapping, imp.value_maps = mapping.to_dict(), value_maps
    imp.sheet_preview = sheet_preview(mapping.sheet or "", rows, mapping)
    imp.status, imp.error, imp.report = DataImportStatus.PREVIEW, error, None
    if not error:
        imp.report = bounded_report(plan_import(session, scope, kind, rows, mapping, value_maps), imp.filename)


def stored_mapping(imp: DataImport, kind: Kind, grids: list) -> tuple[list[list[object]], SheetMapping]:
    """Return the sheet's rows and the mapping the user chose (columns proposed again if the header moved)."""
    try:
        stored = SheetMapping.from_dict(imp.mapping, kind.roles)
    except MappingError as exc:
        raise JobFailure(str(exc)) from None
    grid = next((g for g in grids if stored.sheet and g.name == stored.sheet), grids[0])
    header = min(stored.header_row, len(grid.rows) - 1)
    columns = propose_mapping(grid.rows[header], kind) if imp.mapping.get("propose") else stored.columns
    return grid.rows, SheetMapping(header, columns, grid.name or None, frozenset(), stored.skip_labels,
                                   stored.signature)


def run_confirmation(import_id: int, progress=lambda pct, msg: None) -> str:
    """Write every line of a previewed import in one transaction, or none; return what happened (French)."""
    loaded = _load(import_id, DataImportStatus.PREVIEW)
    if loaded is None:
        return "Rien à enregistrer : cet import est déjà enregistré ou abandonné."
    progress(10, "Lecture du fichier…")
    grids = _grids(import_id, loaded[0], DataImportStatus.PREVIEW)
    progress(40, "Vérification et enregistrement des lignes…")
    with db.session_scope() as session:
        # Locked: a second confirmation waits for this one, then finds it confirmed.
        imp = session.scalars(select(DataImport).where(DataImport.id == import_id).with_for_update()
                              .execution_options(populate_existing=True)).first()
        if imp.status != DataImportStatus.PREVIEW:
            return "Rien à enregistrer : cet import est déjà enregistré ou abandonné."
        return confirm(session, imp, grids)


def confirm(session: Session, imp: DataImport, grids: list) -> str:
    """Plan the file again with the stored choices and write it; on a refusal keep the fresh report."""
    kind = KINDS[imp.kind]
    scope = Scope(organisation_id=imp.organisation_id, user_id=imp.confirmed_by_id)
    rows, mapping = stored_mapping(imp, kind, grids)
    plan = plan_import(session, scope, kind, rows, mapping, imp.value_maps or {})
    try:
        if plan.has_errors:
            raise ImportRefused(plan)
        done = apply_plan(session, scope, plan, imp.filename)
    except ImportRefused as exc:
        # The records changed since the preview: nothing written, the page shows why.
        imp.report, imp.error, imp.confirmed_by_id = bounded_report(exc.plan, imp.filename), str(exc), None
        return str(exc)
    imp.report = bounded_report(done, imp.filename)
    imp.status, imp.confirmed_at, imp.error = DataImportStatus.CONFIRMED, utcnow(), ""
    imp.created_count, imp.updated_count = imp.report["created"], imp.report["updated"]
    return (f"Import enregistré : {format_count(imp.created_count, 'fiche créée', 'fiches créées')}, "
            f"{format_count(imp.updated_count, 'mise à jour', 'mises à jour')}.")
