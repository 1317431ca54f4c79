"""Plan and apply a DECP import: what will be created, updated, already known, flagged, skipped.

Idempotent on (buyer SIRET, DECP id): importing the same file twice changes nothing the second
time. Buyers and companies unknown by SIRET are created only when the import is applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.decp import (
    DecpContract,
    DecpFile,
    DecpFlag,
    DecpWarning,
    KnownTender,
    check_contracts,
    date_warnings,
    report_to_dict,
)
from app.domain.decp.model import CRITERE_SOCIAL, MARCHE_RESERVE, CLAUSE_SOCIALE
from app.domain.decp.reference import BUYER_CENTRAL, BUYER_OTHER, BUYER_UTILITIES
from app.domain.enums import BuyerKind, LegalInstrument
from app.domain.numbers import euros_to_cents
from app.models import Buyer, Company, DecpRecord, Lot, Tender
from app.services.reperage.rules import clausable_rules

CREATE, UPDATE, KNOWN = "create", "update", "known"
ACTION_LABELS = {CREATE: "à créer", UPDATE: "à mettre à jour", KNOWN: "déjà connu"}
_RESERVED = {LegalInstrument.RESERVE_SIAE, LegalInstrument.RESERVE_EA_ESAT}
_BUYER_CATEGORY = {BuyerKind.ETAT: BUYER_CENTRAL, BuyerKind.ENTREPRISE_PUBLIQUE: BUYER_UTILITIES}


@dataclass
class ContractLine:
    """One contract of the preview: what the import does with it and its flags."""

    contract: DecpContract
    action: str
    flags: list[DecpFlag] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        """Return the action in French."""
        return ACTION_LABELS[self.action]


@dataclass
class DecpImportPlan:
    """The preview of an import, also its summary once applied."""

    file: DecpFile
    lines: list[ContractLine]
    flags: list[DecpFlag]
    warnings: list[DecpWarning]
    new_buyers: dict[str, str]
    new_companies: dict[str, str]

    def count(self, action: str) -> int:
        """Return how many contracts the import creates, updates or already knows."""
        return sum(1 for line in self.lines if line.action == action)

    def report(self) -> dict:
        """Return the JSON report of issue #16."""
        return report_to_dict(self.file, self.flags, self.warnings)


def buyer_category(buyer: Buyer | None) -> str:
    """Return the EU threshold category of a buyer (other buyers when unknown)."""
    return _BUYER_CATEGORY.get(buyer.kind, BUYER_OTHER) if buyer is not None else BUYER_OTHER


def known_tenders(session: Session, organisation_id: int, keys: Iterable[tuple[str, str]],
                  linked: dict[str, int] | None = None) -> dict[str, KnownTender]:
    """Return what Clausier follows for each (buyer SIRET, DECP id): by link, else by tender reference."""
    keys = list(keys)
    sirets = {siret for siret, _ in keys}
    by_reference: dict[tuple[str, str], Tender] = {}
    for siret_chunk in _chunks(sorted(sirets)):
        rows = session.execute(select(Buyer.siret, Tender).join(Tender.buyer).where(
            Tender.organisation_id == organisation_id, Buyer.siret.in_(siret_chunk))).all()
        by_reference.update({(siret, tender.reference): tender for siret, tender in rows})
    linked_ids = set((linked or {}).values())
    tenders = {t.id: t for t in by_reference.values()}
    missing = linked_ids - set(tenders)
    for chunk in _chunks(sorted(missing)):
        tenders.update({t.id: t for t in session.scalars(select(Tender).where(Tender.id.in_(chunk)))})
    with_hours = set()
    for chunk in _chunks(sorted(tenders)):
        with_hours.update(session.scalars(select(Lot.tender_id).where(Lot.tender_id.in_(chunk),
                                                                      Lot.hours_required > 0)))
    known = {}
    for siret, decp_id in keys:
        key = f"{siret}-{decp_id}"
        tender_id = (linked or {}).get(key)
        tender = tenders.get(tender_id) if tender_id else by_reference.get((siret, decp_id))
        if tender is not None:
            known[key] = _known(tender, tender.id in with_hours)
    return known


def _known(tender: Tender, has_hours: bool) -> KnownTender:
    instrument = tender.legal_instrument
    if instrument in _RESERVED:
        return KnownTender(tender.id, True, MARCHE_RESERVE)
    if instrument == LegalInstrument.CRITERE_ATTRIBUTION:
        return KnownTender(tender.id, True, CRITERE_SOCIAL)
    return KnownTender(tender.id, has_hours or instrument == LegalInstrument.MARCHE_INSERTION, CLAUSE_SOCIALE)


def plan_decp_import(session: Session, organisation_id: int, decp_file: DecpFile, today: date) -> DecpImportPlan:
    """Compare the file with the organisation's data and run the four checks; writes nothing."""
    contracts = decp_file.contracts
    buyers = _by_siret(session, Buyer, organisation_id, decp_file.buyer_sirets)
    companies = _by_siret(session, Company, organisation_id, decp_file.company_ids)
    records = _records(session, organisation_id, decp_file.buyer_sirets)
    linked = {key: record.tender_id for key, record in records.items() if record.tender_id}
    known = known_tenders(session, organisation_id, ((c.buyer_siret, c.id) for c in contracts), linked)
    flags = check_contracts(contracts, known=known, rules=clausable_rules(session, organisation_id),
                            buyer_categories={siret: buyer_category(b) for siret, b in buyers.items()})
    by_key: dict[str, list[DecpFlag]] = {}
    for flag in flags:
        by_key.setdefault(flag.contract, []).append(flag)
    lines = []
    for contract in contracts:
        record = records.get(contract.key)
        action = CREATE if record is None else KNOWN if _same(record, contract) else UPDATE
        lines.append(ContractLine(contract, action, by_key.get(contract.key, [])))
    new_buyers = {c.buyer_siret: c.buyer_name for c in contracts if c.buyer_siret not in buyers}
    new_companies = {h.id: h.name for c in contracts for h in c.holders
                     if h.id_type == "SIRET" and h.id not in companies}
    return DecpImportPlan(decp_file, lines, flags, date_warnings(contracts, today), new_buyers, new_companies)


def apply_decp_import(session: Session, organisation_id: int, plan: DecpImportPlan, source_name: str) -> None:
    """Create the unknown buyers and companies, create or update the records; the caller commits."""
    sirets = plan.file.buyer_sirets
    buyers = _by_siret(session, Buyer, organisation_id, sirets)
    for siret, name in plan.new_buyers.items():
        if siret not in buyers:
            buyers[siret] = Buyer(organisation_id=organisation_id, siret=siret, kind=BuyerKind.AUTRE,
                                  name=name or f"Acheteur SIRET {siret}")
            session.add(buyers[siret])
    companies = _by_siret(session, Company, organisation_id, plan.file.company_ids)
    for siret, name in plan.new_companies.items():
        if siret not in companies:
            companies[siret] = Company(organisation_id=organisation_id, siret=siret,
                                       name=name or f"Entreprise SIRET {siret}")
            session.add(companies[siret])
    session.flush()
    records = _records(session, organisation_id, sirets)
    for line in plan.lines:
        if line.action == KNOWN:
            continue
        contract = line.contract
        record = records.get(contract.key)
        if record is None:
            record = DecpRecord(organisation_id=organisation_id, buyer_siret=contract.buyer_siret,
                                decp_id=contract.id)
            session.add(record)
        record.buyer_id = buyers[contract.buyer_siret].id
        record.source_name = source_name[:200]
        for name, value in _values(contract).items():
            setattr(record, name, value)
    session.flush()


def _values(contract: DecpContract) -> dict:
    return {
        "kind": contract.kind, "nature": contract.nature, "object": contract.object, "cpv": contract.cpv,
        "procedure": contract.procedure, "duration_months": contract.duration_months,
        "amount_cents": None if contract.amount is None else euros_to_cents(contract.amount),
        "notified_on": contract.notified_on, "is_framework": contract.is_framework,
        "social": None if contract.social is None else " | ".join(contract.social),
        "holders": [{"id": h.id, "id_type": h.id_type, "name": h.name} for h in contract.holders],
    }


def _same(record: DecpRecord, contract: DecpContract) -> bool:
    return all(getattr(record, name) == value for name, value in _values(contract).items())


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _by_siret(session: Session, model, organisation_id: int, sirets: set[str]) -> dict:
    found = {}
    for chunk in _chunks(sorted(sirets)):
        for row in session.scalars(select(model).where(model.organisation_id == organisation_id,
                                                       model.siret.in_(chunk)).order_by(model.id)):
            found.setdefault(row.siret, row)
    return found


def _records(session: Session, organisation_id: int, sirets: set[str]) -> dict[str, DecpRecord]:
    found = {}
    for chunk in _chunks(sorted(sirets)):
        for record in session.scalars(select(DecpRecord).where(DecpRecord.organisation_id == organisation_id,
                                                               DecpRecord.buyer_siret.in_(chunk))):
            found[record.key] = record
    return found
