"""Tenders and their lots from a file with one line per lot: matched by reference and lot number.

A line resolves its buyer (a name or a SIRET) and its winning company (a SIRET) among the
organisation's records; a tender already stored under the same reference with another buyer
is an error, never a second tender. Lines of a new tender create it once, with the values its
lines gather; a line of a stored tender updates only the fields it holds (amounts in cents).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.access import Scope
from app.domain.dataimport import CREATE, UPDATE, RowResult
from app.domain.dataimport.tenders import (
    LOT_ROLES,
    NEW_TENDER_NEEDS,
    TENDER_ROLES,
    TENDERS,
    TenderLines,
    group_tender_lines,
    has_lot_columns,
    tender_key,
)
from app.domain.enums import TenderStatus
from app.domain.numbers import cents_to_euros, euros_to_cents
from app.models import Buyer, Company, Lot, Tender
from app.services.dataimport.lookup import Directory
from app.services.dataimport.stores import Index, Store, note_changes, refuse, register
from app.services.referential import ServiceError, check_abandon_reason

# Roles whose model column has another name or unit; the others are the column's name.
_TENDER_COLUMNS = {"amount": "amount_cents"}
_LOT_COLUMNS = {"lot_number": "number", "lot_label": "label", "lot_amount": "amount_cents",
                "company_siret": "company_id"}
_CENTS = frozenset({"amount", "lot_amount"})


@dataclass
class Resolved:
    """What one line points at: its buyer, winning company, stored tender and lot."""

    buyer: Buyer
    company: Company | None
    tender: Tender | None
    lot: Lot | None
    adds_lot: bool


class TenderStore(Store):
    """Tenders with their lots, one line per lot."""

    kind = TENDERS

    def index(self, session: Session, scope: Scope, results: list[RowResult]) -> Index:
        org = scope.organisation_id
        found = Index()
        found.extra["buyers"] = Directory.load(session, org, Buyer, "l'acheteur", "acheteurs")
        found.extra["companies"] = Directory.load(session, org, Company, "l'entreprise", "entreprises")
        found.extra["tenders"] = {tender_key({"reference": tender.reference}): tender
                                  for tender in _tenders(session, org)}
        found.extra["lines"] = group_tender_lines(results)
        found.extra["resolved"] = {}
        return found

    def match(self, result: RowResult, index: Index) -> None:
        values = result.values
        lines: TenderLines = index.extra["lines"][tender_key(values)]
        tender = index.extra["tenders"].get(tender_key(values))
        if tender is None and (missing := [role for role in NEW_TENDER_NEEDS if role not in lines.values]):
            labels = " et ".join(f"« {self.kind.field(role).label} »" for role in missing)
            refuse(result, f"Nouveau marché « {values['reference']} » : indiquez {labels} sur l'une de ses lignes.")
            return
        buyers = index.extra["buyers"]
        buyer, problem = buyers.find(lines.values["buyer"]) if "buyer" in lines.values else \
            (buyers.by_id[tender.buyer_id], None)
        if problem:
            refuse(result, f"Acheteur : {problem}")
            return
        company = index.extra["companies"].by_siret.get(values.get("company_siret"))
        if "company_siret" in values and company is None:
            refuse(result, f"SIRET de l'attributaire « {values['company_siret']} » : aucune entreprise de votre "
                           "organisation ne porte ce SIRET ; importez d'abord les entreprises.")
            return
        if tender is not None and tender.buyer_id != buyer.id:
            stored = buyers.by_id[tender.buyer_id]
            refuse(result, f"Le marché « {tender.reference} » est enregistré pour l'acheteur « {stored.name} », "
                           f"le fichier indique « {buyer.name} » : une référence désigne un seul marché, corrigez "
                           "l'acheteur ou la référence.")
            return
        status = lines.values.get("status") or (tender.status if tender else TenderStatus.ATTRIBUE)
        reason = lines.values.get("abandon_reason") or (tender.abandon_reason if tender else "")
        try:
            check_abandon_reason(status, reason)
        except ServiceError as exc:
            refuse(result, f"Marché « {values['reference']} » abandonné : {exc} (colonne « Motif d'abandon »)")
            return
        lot = next((lot for lot in tender.lots if lot.number == values["lot_number"]), None) if tender else None
        adds_lot = lot is None and (tender is None or bool(tender.lots) or has_lot_columns(values))
        index.extra["resolved"][result.row] = Resolved(buyer, company, tender, lot, adds_lot)
        if tender is None:
            return
        current = {**_tender_values(tender, buyers), "buyer": values.get("buyer")}  # the same buyer, as written
        if lot is not None:
            current.update(_lot_values(lot, index.extra["companies"]))
        note_changes(result, self.kind, current, lot.id if lot is not None else tender.id)
        if adds_lot:  # a new lot of a stored tender, whose fields the line may also update
            result.action, result.match_id = CREATE, None
            result.reasons = [f"nouveau lot du marché « {tender.reference} » déjà enregistré"
                              + (" ; " + result.reasons[0] if result.changes else "")]

    def write(self, session: Session, scope: Scope, results: list[RowResult], index: Index) -> None:
        created: dict[str, Tender] = {}
        for result in results:
            if result.action not in (CREATE, UPDATE):
                continue
            found: Resolved = index.extra["resolved"][result.row]
            tender, key = found.tender, tender_key(result.values)
            if tender is None and key not in created:
                created[key] = tender = _new_tender(scope, index.extra["lines"][key].values, found.buyer)
                session.add(tender)
            tender = tender or created[key]
            for role, (_old, new) in result.changes.items():
                target = tender if role in TENDER_ROLES else found.lot
                _assign(target, role, new, found.company)
            if found.adds_lot:
                lot = Lot(organisation_id=scope.organisation_id, label=tender.object[:300])
                for role in LOT_ROLES & result.values.keys():
                    _assign(lot, role, result.values[role], found.company)
                tender.lots.append(lot)

    def export(self, session: Session, scope: Scope) -> Iterator[dict[str, object]]:
        buyers = Directory.load(session, scope.organisation_id, Buyer, "l'acheteur", "acheteurs")
        companies = Directory.load(session, scope.organisation_id, Company, "l'entreprise", "entreprises")
        for tender in _tenders(session, scope.organisation_id):
            values = _tender_values(tender, buyers)
            if not tender.lots:
                yield values
            for lot in tender.lots:
                yield {**values, **_lot_values(lot, companies)}


def _tenders(session: Session, organisation_id: int) -> list[Tender]:
    return session.scalars(select(Tender).where(Tender.organisation_id == organisation_id)
                           .options(selectinload(Tender.lots)).order_by(Tender.reference, Tender.id)).all()


def _tender_values(tender: Tender, buyers: Directory) -> dict[str, object]:
    buyer = buyers.by_id.get(tender.buyer_id)
    values = {role: getattr(tender, role) for role in TENDER_ROLES - {"buyer", "amount"}}
    return {**values, "buyer": buyer.name if buyer else "", "amount": cents_to_euros(tender.amount_cents)}


def _lot_values(lot: Lot, companies: Directory) -> dict[str, object]:
    company = companies.by_id.get(lot.company_id)
    return {"lot_number": lot.number, "lot_label": lot.label, "trade": lot.trade,
            "lot_amount": cents_to_euros(lot.amount_cents), "hours_required": lot.hours_required,
            "hours_max": lot.hours_max, "is_conditional": lot.is_conditional,
            "company_siret": company.siret if company else None}


def _new_tender(scope: Scope, values: dict[str, object], buyer: Buyer) -> Tender:
    tender = Tender(organisation_id=scope.organisation_id, buyer_id=buyer.id, status=TenderStatus.ATTRIBUE)
    for role in TENDER_ROLES & values.keys() - {"buyer"}:
        _assign(tender, role, values[role], None)
    return tender


def _assign(record: Tender | Lot, role: str, value: object, company: Company | None) -> None:
    """Set the column of ``role`` the way the forms store it (cents, the company's id)."""
    columns = _LOT_COLUMNS if isinstance(record, Lot) else _TENDER_COLUMNS
    if role in _CENTS:
        value = euros_to_cents(value)
    elif role == "company_siret":
        value = company.id if company is not None else None
    setattr(record, columns.get(role, role), value)


register([TenderStore()])
