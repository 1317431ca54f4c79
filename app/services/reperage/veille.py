"""The veille: imported DECP contracts per buyer with their flags, and a tender pre-filled from one."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.decp import DecpContract, DecpFlag, Holder, check_contracts
from app.domain.decp.checks import FLAG_LABELS
from app.domain.enums import LegalInstrument, Procedure, TenderStatus
from app.models import Buyer, Company, DecpRecord, Lot, Tender
from app.services.referential import ServiceError
from app.services.reperage.imports import buyer_category, known_tenders
from app.services.reperage.rules import clausable_rules

# DECP's procedure labels → ours (DOMAIN.md §10); anything else is « autre ».
_PROCEDURES = {
    "procédure adaptée": Procedure.PROCEDURE_ADAPTEE, "appel d'offres ouvert": Procedure.APPEL_OFFRES_OUVERT,
    "appel d'offres restreint": Procedure.APPEL_OFFRES_RESTREINT,
    "procédure avec négociation": Procedure.NEGOCIEE, "dialogue compétitif": Procedure.DIALOGUE,
}


@dataclass
class VeilleLine:
    """One imported contract and its flags."""

    record: DecpRecord
    flags: list[DecpFlag] = field(default_factory=list)


@dataclass
class BuyerVeille:
    """A buyer's imported contracts, flagged, and the count per check."""

    buyer: Buyer
    lines: list[VeilleLine]

    @property
    def counts(self) -> dict[str, int]:
        """Return the number of flags per check, every check listed."""
        found = Counter(flag.code for line in self.lines for flag in line.flags)
        return {code: found.get(code, 0) for code in FLAG_LABELS}

    @property
    def flagged(self) -> int:
        """Return how many contracts carry at least one flag."""
        return sum(1 for line in self.lines if line.flags)


def record_contract(record: DecpRecord) -> DecpContract:
    """Return the domain contract a stored record stands for."""
    return DecpContract(record.buyer_siret, record.decp_id, 0, record.kind, nature=record.nature,
                        object=record.object, cpv=record.cpv, procedure=record.procedure, amount=record.amount,
                        duration_months=record.duration_months, notified_on=record.notified_on,
                        is_framework=record.is_framework, social=record.social_values,
                        holders=[Holder(h.get("id", ""), h.get("id_type", "SIRET"), h.get("name", ""))
                                 for h in record.holders or []])


def veille(session: Session, organisation_id: int, buyer_id: int | None = None) -> list[BuyerVeille]:
    """Return the veille of every buyer with imported contracts (or of one), with the four checks."""
    statement = select(DecpRecord).options(selectinload(DecpRecord.buyer)).where(
        DecpRecord.organisation_id == organisation_id)
    if buyer_id is not None:
        statement = statement.where(DecpRecord.buyer_id == buyer_id)
    records = list(session.scalars(statement.order_by(DecpRecord.notified_on.desc().nulls_last(), DecpRecord.id)))
    linked = {r.key: r.tender_id for r in records if r.tender_id}
    known = known_tenders(session, organisation_id, ((r.buyer_siret, r.decp_id) for r in records), linked)
    categories = {r.buyer_siret: buyer_category(r.buyer) for r in records}
    flags: dict[str, list[DecpFlag]] = {}
    for flag in check_contracts([record_contract(r) for r in records], known=known, buyer_categories=categories,
                                rules=clausable_rules(session, organisation_id)):
        flags.setdefault(flag.contract, []).append(flag)
    by_buyer: dict[int, BuyerVeille] = {}
    for record in records:
        entry = by_buyer.setdefault(record.buyer_id, BuyerVeille(record.buyer, []))
        entry.lines.append(VeilleLine(record, flags.get(record.key, [])))
    return sorted(by_buyer.values(), key=lambda entry: entry.buyer.name.lower())


def prefill_tender(session: Session, organisation_id: int, record_id: int) -> Tender:
    """Create a tender and its lot from a DECP record, ready for the calculator; the caller commits."""
    record = session.get(DecpRecord, record_id)
    if record is None or record.organisation_id != organisation_id:
        raise ServiceError("Ce marché publié est introuvable.")
    if record.tender_id is not None:
        raise ServiceError("Un marché a déjà été créé à partir de cette publication.")
    reference = record.decp_id
    taken = set(session.scalars(select(Tender.reference).where(Tender.organisation_id == organisation_id,
                                                               Tender.reference.startswith(reference))))
    suffix = 2
    while reference in taken:
        reference, suffix = f"{record.decp_id} ({suffix})", suffix + 1
    amount_cents = record.amount_cents or 0
    tender = Tender(organisation_id=organisation_id, buyer_id=record.buyer_id, reference=reference[:80],
                    object=(record.object or f"Marché {record.decp_id}")[:500], cpv=record.cpv,
                    procedure=_PROCEDURES.get(record.procedure.lower(), Procedure.AUTRE),
                    legal_instrument=LegalInstrument.CLAUSE_EXECUTION, amount_cents=amount_cents,
                    is_framework=record.is_framework, notified_on=record.notified_on, starts_on=record.notified_on,
                    ends_on=_add_months(record.notified_on, record.duration_months),
                    status=TenderStatus.ATTRIBUE, next_step="Vérifier la clause avec l'acheteur",
                    note=f"Pré-rempli depuis la DECP ({record.source_name or 'import'}).")
    holder = next((h for h in record.holders or [] if h.get("id_type") == "SIRET"), None)
    company_id = None
    if holder is not None:
        company_id = session.scalar(select(Company.id).where(Company.organisation_id == organisation_id,
                                                             Company.siret == holder["id"]).limit(1))
    tender.lots.append(Lot(organisation_id=organisation_id, number=1, label=tender.object[:300],
                           amount_cents=amount_cents, company_id=company_id))
    session.add(tender)
    session.flush()
    record.tender_id = tender.id
    session.flush()
    return tender


def _add_months(day: date | None, months: int | None) -> date | None:
    if day is None or not months:
        return None
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return None
