"""Reading profiles: save how a structure's files are read, find and apply it next time."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.sheetmap import MappingError, SheetMapping, label_key, with_skip_labels
from app.domain.timesheets import ROLES, TimesheetError
from app.domain.timesheets import ReadingProfile as Profile
from app.domain.timesheets.names import PERSON, name_status
from app.models import StoredFile
from app.models.base import utcnow
from app.models.timesheets import ReadingProfile, TimesheetImport
from app.services.referential import ServiceError
from app.services.sheet_reading import read_sheet_previews, read_timesheet

ROLE_NAMES = frozenset(ROLES)


def structure_profiles(session: Session, imp: TimesheetImport) -> list[ReadingProfile]:
    """Return the reading profiles of the import's structure, most used first."""
    same = (ReadingProfile.siae_id == imp.siae_id if imp.siae_id
            else ReadingProfile.company_id == imp.company_id)
    return list(session.scalars(select(ReadingProfile).where(same).order_by(
        ReadingProfile.uses_count.desc(), ReadingProfile.id)))


def as_domain(profile: ReadingProfile) -> Profile:
    """Return what the parser needs of a stored profile."""
    return Profile(profile.name, SheetMapping.from_dict(profile.mapping, ROLE_NAMES))


def usable_profiles(session: Session, imp: TimesheetImport) -> list[Profile]:
    """Return the structure's profiles the parser can apply (a damaged one is left out)."""
    found = []
    for profile in structure_profiles(session, imp):
        try:
            found.append(as_domain(profile))
        except MappingError:
            continue
    return found


def note_use(session: Session, imp: TimesheetImport, name: str | None) -> None:
    """Count that a profile read one of the structure's files."""
    if not name:
        return
    for profile in structure_profiles(session, imp):
        if profile.name == name:
            profile.uses_count += 1
            profile.last_used_at = utcnow()


def import_data(session: Session, imp: TimesheetImport) -> bytes:
    """Return the bytes of an import's file, or refuse when it is gone."""
    stored = session.get(StoredFile, imp.file_id) if imp.file_id else None
    if stored is None:
        raise ServiceError("Le fichier de ce relevé n'est plus disponible : déposez-le à nouveau.")
    return stored.data


def sheets_of(session: Session, imp: TimesheetImport):
    """Return the first lines of each sheet of the import's file, for the mapping grid."""
    try:
        return read_sheet_previews(import_data(session, imp))
    except TimesheetError as exc:
        raise ServiceError(exc.message_fr) from None


def build_mapping(sheet: str | None, header_row: int, roles: dict[int, str], skip_rows: set[int]) -> SheetMapping:
    """Return the mapping a person made in the grid, or refuse an impossible one."""
    try:
        return SheetMapping.from_dict({"sheet": sheet, "header_row": header_row, "skip_rows": sorted(skip_rows),
                                       "columns": {i: r for i, r in roles.items() if r != "ignore"}}, ROLE_NAMES)
    except MappingError as exc:
        raise ServiceError(str(exc)) from None


def try_mapping(session: Session, imp: TimesheetImport, mapping: SheetMapping):
    """Read the import's file with a mapping, without storing anything; refuse in French."""
    hint = imp.month_on.strftime("%Y-%m") if imp.month_on else None
    try:
        return read_timesheet(import_data(session, imp), imp.filename, period_hint=hint, mapping=mapping)
    except TimesheetError as exc:
        raise ServiceError(exc.message_fr) from None


def save_profile(session: Session, scope: Scope, imp: TimesheetImport, name: str,
                 mapping: SheetMapping, rows: list[list[object]]) -> ReadingProfile:
    """Save (or replace) the structure's profile under ``name``; the caller commits."""
    name = " ".join((name or "").split())[:120]
    if not name:
        raise ServiceError("Donnez un nom au profil de lecture (par exemple le logiciel qui produit le fichier).",
                           "name")
    # Lines to skip are remembered by their first text (« Total », « Σ »), never by a person's name.
    mapping = with_skip_labels(mapping, rows, keep=_not_a_name)
    if not mapping.signature:
        raise ServiceError("La ligne d'en-tête choisie est vide : choisissez la ligne des titres de colonnes.")
    profile = session.scalars(select(ReadingProfile).where(ReadingProfile.name == name)).first()
    if profile is not None and (profile.siae_id, profile.company_id) != (imp.siae_id, imp.company_id):
        raise ServiceError(f"Le nom « {name} » est déjà pris par le profil d'une autre structure.", "name")
    if profile is None:
        profile = ReadingProfile(organisation_id=imp.organisation_id, siae_id=imp.siae_id,
                                 company_id=imp.company_id, name=name, created_by_id=scope.user_id)
        session.add(profile)
    profile.signature, profile.mapping = mapping.signature, mapping.to_dict()
    session.flush()
    return profile


def _not_a_name(label: str) -> bool:
    return name_status(label) != PERSON or (" " not in label and len(label) <= 3)


def rename_profile(session: Session, profile_id: int, name: str) -> ReadingProfile:
    """Rename a profile; names stay unique in the organisation."""
    profile = _get(session, profile_id)
    name = " ".join((name or "").split())[:120]
    if not name:
        raise ServiceError("Le nom du profil ne peut pas être vide.", "name")
    taken = session.scalars(select(ReadingProfile).where(ReadingProfile.name == name,
                                                         ReadingProfile.id != profile.id)).first()
    if taken is not None:
        raise ServiceError(f"Un autre profil s'appelle déjà « {name} ».", "name")
    profile.name = name
    session.flush()
    return profile


def delete_profile(session: Session, profile_id: int) -> str:
    """Delete a profile: the structure's next files are read automatically again."""
    profile = _get(session, profile_id)
    name = profile.name
    session.delete(profile)
    session.flush()
    return name


def find_by_name(session: Session, name: str) -> Profile:
    """Return the profile named ``name`` (any organisation: the CLI is unscoped), or refuse."""
    found = session.scalars(select(ReadingProfile).where(ReadingProfile.name == name)).all()
    if not found:
        found = [p for p in session.scalars(select(ReadingProfile)) if label_key(p.name) == label_key(name)]
    if not found:
        raise ServiceError(f"Aucun profil de lecture ne s'appelle « {name} ».")
    if len(found) > 1:
        raise ServiceError(f"Plusieurs organisations ont un profil « {name} » : renommez l'un d'eux.")
    return as_domain(found[0])


def _get(session: Session, profile_id: int) -> ReadingProfile:
    profile = session.get(ReadingProfile, profile_id)
    if profile is None:
        raise ServiceError("Ce profil de lecture est introuvable.")
    return profile
