"""Conventions: save, move along « brouillon → envoyée → signée → échue », attach the signed scan,
count the active ones on a date, produce the document. Callers commit.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.liaison.convention import (
    FACILITATOR,
    STANDARD_CLAUSES,
    ConventionData,
    Party,
    PartyKind,
    ScopeItem,
    Signatory,
    build_convention_context,
    validate_convention,
)
from app.domain.liaison.workflow import ConventionStatus, is_active_on, is_due_to_expire, transition
from app.models import (
    Buyer,
    Company,
    Convention,
    ConventionClauseSet,
    ConventionStatusChange,
    Operation,
    Organisation,
    Siae,
    Tender,
)
from app.models.base import utcnow
from app.sandbox import SandboxRefusal
from app.services.actors import Actor
from app.services.doc_templates import render_and_store
from app.services.files import PDF_TYPE, scan_page_count, store_file
from app.services.referential import ServiceError

PARTY_MODELS = {PartyKind.ACHETEUR: (Buyer, "buyer_id"), PartyKind.ENTREPRISE: (Company, "company_id"),
                PartyKind.SIAE: (Siae, "siae_id")}
CLAUSE_KEYS = (FACILITATOR, *(kind.value for kind in PartyKind))
MAX_SCAN_BYTES = 10 * 1024 * 1024
EDITABLE = (ConventionStatus.BROUILLON,)
TEXT_FIELDS = ("reference", "party_signatory_name", "party_signatory_role", "facilitator_signatory_name",
               "facilitator_signatory_role", "facilitator_address", "object", "data_protection_contact",
               "committee_frequency", "fse_operation", "signed_at_place")


def standard_clauses(session: Session, organisation_id: int) -> dict[str, tuple[str, ...]]:
    """Return the standard commitments of each party, as the organisation edited them."""
    clauses = dict(STANDARD_CLAUSES)
    for row in session.scalars(select(ConventionClauseSet).where(
            ConventionClauseSet.organisation_id == organisation_id)):
        if row.paragraphs:
            clauses[row.key] = tuple(row.paragraphs)
    return clauses


def save_clause_set(session: Session, organisation_id: int, key: str, paragraphs: list[str],
                    user_id: int | None) -> None:
    """Replace the organisation's standard commitments of one party (empty: back to the defaults)."""
    if key not in CLAUSE_KEYS:
        raise ServiceError(f"Partie inconnue : « {key} ».")
    row = session.scalar(select(ConventionClauseSet).where(
        ConventionClauseSet.organisation_id == organisation_id, ConventionClauseSet.key == key))
    if not paragraphs:
        if row is not None:
            session.delete(row)
        session.flush()
        return
    if row is None:
        row = ConventionClauseSet(organisation_id=organisation_id, key=key)
        session.add(row)
    row.paragraphs, row.updated_by_id = list(paragraphs), user_id
    session.flush()


def record_status(session: Session, convention: Convention, target: ConventionStatus, actor: Actor,
                  note: str = "", *, initial: bool = False) -> None:
    """Record a dated status change of a convention and who made it."""
    session.add(ConventionStatusChange(
        organisation_id=convention.organisation_id, convention=convention,
        from_status=None if initial else convention.status, to_status=target, changed_at=utcnow(),
        by_user_id=actor.user_id, by_label=actor.label[:200], note=note[:500]))
    convention.status = target


def _scope_rows(session: Session, model, ids, field: str, message: str) -> list:
    rows = []
    for row_id in ids or []:
        row = session.get(model, row_id)
        if row is None:
            raise ServiceError(message, field)
        rows.append(row)
    return rows


def check_dates(starts_on: date, ends_on: date) -> None:
    """Refuse a convention that ends before it starts."""
    if ends_on < starts_on:
        raise ServiceError("La date de fin de la convention précède sa date de début.", "ends_on")


def set_party(convention: Convention, kind: PartyKind, party) -> None:
    """Point the convention at its party's row and copy the name, SIRET and address it prints."""
    _model, column = PARTY_MODELS[kind]
    for name in ("buyer_id", "company_id", "siae_id"):
        setattr(convention, name, party.id if name == column else None)
    address = ", ".join(part for part in (getattr(party, "address", ""),
                                          f"{getattr(party, 'postcode', '')} {party.city}".strip()) if part)
    convention.party_name, convention.party_siret = party.name, party.siret or ""
    convention.party_address = address[:300]


def is_fse_funded(asked: bool | None, tenders, operations) -> bool:
    """Tell whether a convention mentions the EU co-funding: asked, or one covered operation is FSE+-funded."""
    return bool(asked) or any(op.is_fse_funded for op in operations) or any(
        tender.operation is not None and tender.operation.is_fse_funded for tender in tenders)


def save_convention(session: Session, scope: Scope, data: dict, actor: Actor,
                    convention: Convention | None = None) -> Convention:
    """Create or update a draft convention; the party's name, SIRET and address are copied from its row."""
    if convention is not None and convention.status not in EDITABLE:
        raise ServiceError(f"La convention est « {convention.status.label} » : repassez-la en brouillon pour la "
                           "modifier." if convention.status is ConventionStatus.ENVOYEE else
                           f"La convention est « {convention.status.label} » : elle ne se modifie plus.")
    kind = PartyKind(data["party_kind"]) if convention is None else convention.party_kind
    model, _column = PARTY_MODELS[kind]
    party = session.get(model, data["party_id"]) if data.get("party_id") is not None else None
    if party is None:
        raise ServiceError("Choisissez le partenaire signataire.", "party_id")
    check_dates(data["starts_on"], data["ends_on"])
    tenders = _scope_rows(session, Tender, data.get("tender_ids"), "tender_ids", "Ce marché est introuvable.")
    operations = _scope_rows(session, Operation, data.get("operation_ids"), "operation_ids",
                             "Cette opération est introuvable.")
    is_new = convention is None
    if is_new:
        convention = Convention(organisation_id=scope.organisation_id, party_kind=kind,
                                status=ConventionStatus.BROUILLON, created_by_id=actor.user_id)
    set_party(convention, kind, party)
    for name in TEXT_FIELDS:
        if name in data:
            setattr(convention, name, (data[name] or "").strip())
    convention.starts_on, convention.ends_on = data["starts_on"], data["ends_on"]
    for name in ("facilitator_commitments", "party_commitments", "reporting"):
        if name in data:
            setattr(convention, name, data[name] or None)
    for name in ("committee_members", "annexes"):
        if name in data:
            setattr(convention, name, list(data[name] or []))
    convention.tenders, convention.operations = tenders, operations
    convention.is_fse_funded = is_fse_funded(data.get("is_fse_funded"), tenders, operations)
    if is_new:
        session.add(convention)
        record_status(session, convention, ConventionStatus.BROUILLON, actor, "Convention créée", initial=True)
    session.flush()
    return convention


def _party_article(session: Session, convention: Convention) -> str:
    """Return the article of a buyer party's name; a company or an SIAE is named bare."""
    if convention.party_kind is PartyKind.ACHETEUR and convention.buyer_id is not None:
        buyer = session.get(Buyer, convention.buyer_id)
        return buyer.name_article if buyer is not None else ""
    return "aucun"


def convention_data(session: Session, convention: Convention) -> ConventionData:
    """Return the domain view of a convention, commitments defaulting to the organisation's clauses."""
    organisation = session.get(Organisation, convention.organisation_id)
    clauses = standard_clauses(session, convention.organisation_id)
    kind = convention.party_kind
    items = []
    for tender in convention.tenders:
        lots = [str(lot.number) for lot in tender.lots
                if kind is PartyKind.ENTREPRISE and lot.company_id == convention.company_id]
        items.append(ScopeItem(tender.reference, tender.object, ", ".join(lots)))
    items += [ScopeItem("Opération", operation.name) for operation in convention.operations]
    return ConventionData(
        facilitator_name=organisation.name, facilitator_article=organisation.name_article,
        facilitator_signatory=Signatory(convention.facilitator_signatory_name, convention.facilitator_signatory_role),
        facilitator_address=convention.facilitator_address,
        party=Party(kind, convention.party_name, convention.party_siret,
                    Signatory(convention.party_signatory_name, convention.party_signatory_role),
                    convention.party_address, article=_party_article(session, convention)),
        object=convention.object, scope=tuple(items), starts_on=convention.starts_on, ends_on=convention.ends_on,
        reference=convention.reference,
        facilitator_commitments=tuple(convention.facilitator_commitments or clauses[FACILITATOR]),
        party_commitments=tuple(convention.party_commitments or clauses[kind.value]),
        reporting=tuple(tuple(step) for step in convention.reporting) if convention.reporting else None,
        data_protection_contact=convention.data_protection_contact,
        committee_members=tuple(convention.committee_members or ()),
        committee_frequency=convention.committee_frequency or "au moins deux fois par an",
        is_fse_funded=convention.is_fse_funded, fse_operation=convention.fse_operation,
        annexes=tuple(convention.annexes or ()), signed_at_place=convention.signed_at_place,
    )


def convention_problems(session: Session, convention: Convention) -> list[str]:
    """Return what prevents sending or printing the convention (French, empty: fine)."""
    problems = validate_convention(convention_data(session, convention))
    if not convention.object.strip():
        problems.insert(0, "Indiquez l'objet de la convention.")
    return problems


def change_status(session: Session, convention: Convention, target: ConventionStatus, actor: Actor, *,
                  today: date, note: str = "") -> None:
    """Apply a status change; sending needs a complete convention, ending early moves its end date."""
    transition(convention.status, target, has_signed_scan=convention.signed_scan_file_id is not None)
    if target is ConventionStatus.ENVOYEE and (problems := convention_problems(session, convention)):
        raise ServiceError("La convention ne peut pas être envoyée : " + " ".join(problems))
    if target is ConventionStatus.ECHUE and today < convention.ends_on:
        note = f"Résiliation anticipée au {today:%d/%m/%Y}. {note}".strip()
        convention.ends_on = max(today, convention.starts_on)
    record_status(session, convention, target, actor, note.strip())
    session.flush()


def check_signed_scan(data: bytes) -> None:
    """Refuse anything but a readable PDF of reasonable size (French message)."""
    if not data:
        raise ServiceError("Le fichier est vide.", "file")
    if len(data) > MAX_SCAN_BYTES:
        raise ServiceError(f"Le scan dépasse {MAX_SCAN_BYTES // 1024 // 1024} Mo : numérisez-le en noir et blanc "
                           "ou à une résolution plus faible.", "file")
    if b"%PDF-" not in data[:1024]:
        raise ServiceError("Ce fichier n'est pas un PDF : déposez le scan de la convention signée au format PDF.",
                           "file")
    try:
        pages = scan_page_count(data)
    except SandboxRefusal as exc:
        raise ServiceError(exc.message_fr, "file") from exc
    if pages < 1:
        raise ServiceError("Ce PDF est illisible ou endommagé : numérisez à nouveau la convention signée.", "file")


def attach_signed_scan(session: Session, convention: Convention, filename: str, data: bytes, actor: Actor, *,
                       signed_on: date, today: date) -> None:
    """Store the signed scan of a sent convention and mark it « Signée »."""
    if convention.status is not ConventionStatus.ENVOYEE:
        raise ServiceError("Le scan signé se joint à une convention au statut « Envoyée ».", "file")
    if signed_on > today:
        raise ServiceError("La date de signature ne peut pas être dans le futur.", "signed_on")
    check_signed_scan(data)
    stored = store_file(session, convention.organisation_id, "convention_scan", convention.id,
                        f"convention-{convention.id}-signee.pdf", PDF_TYPE, data)
    convention.signed_scan_file_id, convention.signed_on = stored.id, signed_on
    change_status(session, convention, ConventionStatus.SIGNEE, actor, today=today,
                  note=f"Scan signé déposé ({(filename or 'scan.pdf')[:120]}), signée le {signed_on:%d/%m/%Y}")


def _counts_as_signed(convention: Convention) -> ConventionStatus:
    # An « échue » convention was signed: on a past day within its dates it was active.
    return ConventionStatus.SIGNEE if convention.status is ConventionStatus.ECHUE else convention.status


def active_conventions(session: Session, day: date) -> list[Convention]:
    """Return the conventions active on ``day`` (signed, within their dates) — the FSE+ count."""
    rows = session.scalars(select(Convention).where(
        Convention.status.in_((ConventionStatus.SIGNEE, ConventionStatus.ECHUE)),
        Convention.starts_on <= day, Convention.ends_on >= day).order_by(Convention.starts_on, Convention.id))
    return [row for row in rows if is_active_on(_counts_as_signed(row), row.starts_on, row.ends_on, day)]


def due_to_expire(session: Session, today: date) -> list[Convention]:
    """Return the signed conventions whose end date has passed."""
    rows = session.scalars(select(Convention).where(Convention.status == ConventionStatus.SIGNEE,
                                                    Convention.ends_on < today))
    return [row for row in rows if is_due_to_expire(row.status, row.ends_on, today)]


def expire_due(session: Session, actor: Actor, today: date) -> int:
    """Mark « Échue » every signed convention past its end date; return how many."""
    rows = due_to_expire(session, today)
    for row in rows:
        record_status(session, row, transition(row.status, ConventionStatus.ECHUE), actor,
                      f"Arrivée à échéance le {row.ends_on:%d/%m/%Y}")
    session.flush()
    return len(rows)


def generate_documents(session: Session, convention: Convention, *, today: date, with_pdf: bool = True) -> None:
    """Render the convention as DOCX (and PDF) with the organisation's active template."""
    if problems := convention_problems(session, convention):
        raise ServiceError("La convention est incomplète : " + " ".join(problems))
    context = build_convention_context(convention_data(session, convention), today)
    render_and_store(session, convention, organisation_id=convention.organisation_id, owner_kind="convention",
                     kind="convention", context=context, base_name=f"convention-{convention.id}",
                     with_pdf=with_pdf)
