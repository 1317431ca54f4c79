"""Import profiles: a named mapping and value maps per kind, found again by the header's signature."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.sheetmap import SheetMapping, find_header, header_signature
from app.models import ImportProfile
from app.models.base import utcnow
from app.services.referential import ServiceError


def _profiles(scope: Scope, kind: str):
    return select(ImportProfile).where(ImportProfile.organisation_id == scope.organisation_id,
                                       ImportProfile.kind == kind)


def find_profile(session: Session, scope: Scope, kind: str, name: str) -> ImportProfile:
    """Return the organisation's profile ``name`` for ``kind``, or refuse (French)."""
    profile = session.scalars(_profiles(scope, kind).where(ImportProfile.name == " ".join(name.split()))).first()
    if profile is None:
        known = session.scalars(_profiles(scope, kind).with_only_columns(ImportProfile.name)
                                .order_by(ImportProfile.name)).all()
        listed = ", ".join(f"« {n} »" for n in known) or "aucun"
        raise ServiceError(f"Aucun profil d'import « {name} » pour ce type (profils enregistrés : {listed}).")
    return profile


def profile_for_rows(session: Session, scope: Scope, kind: str, rows: list[list[object]]) -> ImportProfile | None:
    """Return the most used profile of ``kind`` whose header line is among the first lines of ``rows``."""
    for profile in session.scalars(_profiles(scope, kind).order_by(ImportProfile.uses_count.desc(), ImportProfile.id)):
        if find_header(rows, profile.signature) is not None:
            return profile
    return None


def save_profile(session: Session, scope: Scope, kind: str, name: str, mapping: SheetMapping,
                 value_maps: dict[str, dict[str, str]], header_row: list[object]) -> ImportProfile:
    """Save (or replace) the profile ``name`` of ``kind``; the caller commits."""
    name = " ".join((name or "").split())[:120]
    if not name:
        raise ServiceError("Donnez un nom au profil d'import (par exemple le logiciel qui a produit le fichier).",
                           "name")
    signature = header_signature(header_row)
    if not signature:
        raise ServiceError("La ligne d'en-tête choisie est vide : choisissez la ligne des titres de colonnes.")
    profile = session.scalars(_profiles(scope, kind).where(ImportProfile.name == name)).first()
    if profile is None:
        profile = ImportProfile(organisation_id=scope.organisation_id, kind=kind, name=name,
                                created_by_id=scope.user_id)
        session.add(profile)
    stored = SheetMapping(mapping.header_row, mapping.columns, mapping.sheet, frozenset(), mapping.skip_labels,
                          signature)
    profile.signature, profile.mapping = signature, stored.to_dict()
    profile.value_maps = {role: dict(values) for role, values in (value_maps or {}).items()}
    session.flush()
    return profile


def note_use(profile: ImportProfile) -> None:
    """Count that a profile read a file."""
    profile.uses_count = (profile.uses_count or 0) + 1
    profile.last_used_at = utcnow()
