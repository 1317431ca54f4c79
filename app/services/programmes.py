"""Programmes (« opérations et chantiers »): the projects that group tenders. Callers commit."""

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.access import Scope
from app.models import Buyer, Operation, Tender
from app.services.referential import ServiceError


def save_programme(session: Session, scope: Scope, data: dict, programme: Operation | None = None) -> Operation:
    """Create or update a programme."""
    if data.get("buyer_id") is not None and session.get(Buyer, data["buyer_id"]) is None:
        raise ServiceError("Ce donneur d'ordre est introuvable.", "buyer_id")
    if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise ServiceError("La fin ne peut pas précéder le début.", "ends_on")
    if programme is None:
        programme = Operation(organisation_id=scope.organisation_id)
        session.add(programme)
    programme.name = data["name"].strip()[:200]
    programme.description = (data.get("description") or "").strip()
    programme.buyer_id = data.get("buyer_id")
    programme.starts_on, programme.ends_on = data.get("starts_on"), data.get("ends_on")
    programme.is_fse_funded = bool(data.get("is_fse_funded"))
    session.flush()
    return programme


def programme_tenders(session: Session, programme: Operation) -> list[Tender]:
    """Return the tenders of a programme, by reference."""
    return list(session.scalars(select(Tender).where(Tender.operation_id == programme.id)
                                .options(selectinload(Tender.buyer)).order_by(Tender.reference)))
