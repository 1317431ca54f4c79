"""Reference data of an organisation: labour shares and dated parameters, editable by an admin."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain.clauses import reference as defaults
from app.domain.clauses.reference import (
    LabourShare,
    ReferenceValue,
    find_labour_share,
    fold_text,
    nearest_labour_shares,
)
from app.models import LabourShareRef, ReferenceParam
from app.services.referential import ServiceError


def ensure_reference_data(session: Session, organisation_id: int) -> None:
    """Copy the sourced defaults into an organisation's tables the first time they are needed."""
    has_shares = session.scalar(select(func.count(LabourShareRef.id)).where(
        LabourShareRef.organisation_id == organisation_id))
    if not has_shares:
        session.add_all(
            LabourShareRef(organisation_id=organisation_id, key=share.key, label=share.label, share_pct=share.share_pct,
                           cpv_prefixes=",".join(share.cpv_prefixes), source=share.source,
                           valid_from=share.valid_from, valid_until=share.valid_until)
            for share in defaults.LABOUR_SHARES)
    # Parameters are added key by key, so a parameter introduced later reaches existing organisations.
    present = set(session.scalars(select(ReferenceParam.key).where(ReferenceParam.organisation_id == organisation_id)))
    session.add_all(
        ReferenceParam(organisation_id=organisation_id, key=value.key, label=value.label, value=value.value,
                       unit=value.unit, source=value.source, valid_from=value.valid_from, note=value.note)
        for value in defaults.REFERENCE_VALUES if value.key not in present)
    session.flush()


def labour_shares(session: Session) -> list[LabourShare]:
    """Return the organisation's labour shares as domain values."""
    rows = session.scalars(select(LabourShareRef).order_by(LabourShareRef.label)).all()
    return [LabourShare(row.key, row.label, row.share_pct, tuple(p for p in row.cpv_prefixes.split(",") if p),
                        row.source, row.valid_from, row.valid_until) for row in rows]


def labour_share_for(session: Session, *, trade: str | None, cpv: str | None, on: date) -> LabourShare | None:
    """Return the labour share that applies to a trade, else to a CPV code, on a date."""
    return find_labour_share(trade=trade, cpv=cpv, on=on, shares=tuple(labour_shares(session)))


def trade_choices(session: Session, on: date | None = None) -> list[LabourShare]:
    """Return the trades a lot may name: the organisation's référentiel, else the sourced defaults."""
    shares = labour_shares(session) or list(defaults.LABOUR_SHARES)
    return sorted((share for share in shares if share.is_valid_on(on)), key=lambda share: fold_text(share.label))


def resolve_trade(session: Session, typed: str | None, on: date | None = None) -> tuple[str | None, list[LabourShare]]:
    """Return the référentiel's label for a typed trade, and the nearest trades when it matches none.

    « maçonnerie - gros oeuvre » becomes « Maçonnerie – gros œuvre »; a trade outside the
    référentiel is kept as typed (free text stays allowed) with up to three proposals.
    """
    text = (typed or "").strip()
    if not text:
        return None, []
    shares = tuple(trade_choices(session, on))
    share = find_labour_share(trade=text, shares=shares)
    if share is not None:
        return share.label, []
    return text, nearest_labour_shares(text, shares)


def param_on(session: Session, key: str, on: date) -> ReferenceValue | None:
    """Return the parameter ``key`` in force on ``on`` (the latest that started before it)."""
    row = session.scalar(
        select(ReferenceParam)
        .where(ReferenceParam.key == key,
               or_(ReferenceParam.valid_from.is_(None), ReferenceParam.valid_from <= on),
               or_(ReferenceParam.valid_until.is_(None), ReferenceParam.valid_until >= on))
        .order_by(ReferenceParam.valid_from.desc().nulls_last())
        .limit(1)
    )
    if row is None:
        return None
    return ReferenceValue(row.key, row.label, row.value, row.unit, row.source, row.valid_from, row.note)


def save_labour_share(session: Session, scope, data: dict, row: LabourShareRef | None = None) -> LabourShareRef:
    """Create or update a labour share; a new row gets a key derived from its label."""
    if not Decimal(0) < data["share_pct"] <= Decimal(100):
        raise ServiceError("La part de main-d'œuvre doit être comprise entre 0 et 100 %.", "share_pct")
    row = row or LabourShareRef(organisation_id=scope.organisation_id, key=_slug(data["label"]))
    row.label, row.share_pct = data["label"].strip(), data["share_pct"]
    row.cpv_prefixes = data.get("cpv_prefixes") or ""
    row.source = (data.get("source") or "").strip() or None
    row.valid_from, row.valid_until = data.get("valid_from"), data.get("valid_until")
    session.add(row)
    session.flush()
    return row


def save_param(session: Session, scope, data: dict, row: ReferenceParam | None = None) -> ReferenceParam:
    """Create or update a dated parameter; its unit follows from its key."""
    if data["value"] < 0:
        raise ServiceError("La valeur ne peut pas être négative.", "value")
    default = {value.key: value for value in defaults.REFERENCE_VALUES}[data["key"]]
    row = row or ReferenceParam(organisation_id=scope.organisation_id)
    row.key, row.unit = default.key, default.unit
    row.label, row.value = data["label"].strip(), data["value"]
    row.source = (data.get("source") or "").strip() or None
    row.valid_from, row.valid_until = data.get("valid_from"), data.get("valid_until")
    row.note = (data.get("note") or "").strip()
    session.add(row)
    session.flush()
    return row


def _slug(label: str) -> str:
    return fold_text(label).replace(" ", "_")[:60] or "metier"
