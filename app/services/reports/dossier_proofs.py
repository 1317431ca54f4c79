"""The proofs an FSE+ operation sheet lists beyond the bilan and the impact table.

Read once in the dossier's first transaction (``read_proofs``), written piece by piece by
``proof_pieces``: the operations followed, the buyers accompanied, the actions held with their
émargement or compte rendu, the clause of every tender in scope, and the documents uploaded to
the operation (signed operation sheet, signed contract documents, minutes).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import db
from app.domain.formats import file_slug, format_count
from app.domain.reports.activities import ActivityKind
from app.domain.reports.dossier import DossierPiece
from app.domain.reports.indicators import Figures
from app.domain.reports.proof_lists import (
    ActionLine,
    ClauseLine,
    GroupLine,
    accompanied_buyers,
    build_actions_xlsx,
    build_clauses_xlsx,
    build_groups_xlsx,
    followed_operations,
)
from app.domain.reports.targets import Proof
from app.models import Activity, ClausePack, Operation, OperationDocument, OperationDocumentKind, StoredFile, Tender
from app.services.clauses.packs import OWNER as PACK_OWNER
from app.services.reports.targets import activities_in

# The clause documents a dossier joins as proof of the clause (the note de calcul is internal).
CLAUSE_PREFIXES = ("Article-CCAP", "Annexe-AE", "Mention-RC-AAPC")
DOCUMENT_FOLDERS = {
    OperationDocumentKind.SIGNED_SHEET: ("08-fiche-operation-signee", Proof.SIGNED_SHEET),
    OperationDocumentKind.CONTRACT_DOCUMENT: ("09-pieces-contractuelles-signees", Proof.CONTRACT_DOCUMENTS),
    OperationDocumentKind.MINUTES: ("05-actions/comptes-rendus", Proof.ACTIONS),
    OperationDocumentKind.OTHER: ("10-autres-pieces", None),
}


@dataclass(frozen=True)
class StoredPiece:
    """A stored file the dossier joins: its id, its name in the ZIP, what it proves."""

    file_id: int
    name: str
    proves: str
    proof: Proof | None


@dataclass
class Proofs:
    """What the proof pieces need, read in the dossier's first transaction."""

    operations: list[GroupLine] = field(default_factory=list)
    buyers: list[GroupLine] = field(default_factory=list)
    actions: list[ActionLine] = field(default_factory=list)
    clauses: list[ClauseLine] = field(default_factory=list)
    files: list[StoredPiece] = field(default_factory=list)
    # The activity log the dossier counts (held by its date), for the actions list and the extract.
    activities: list[Activity] = field(default_factory=list)


def file_extension(name: str) -> str:
    """Return a stored file's extension, lower-case (« pdf » when its name has none)."""
    return name.rsplit(".", 1)[-1].lower() if "." in name else "pdf"


def _with_whom(activity: Activity) -> str:
    # Organisations only: the dossier leaves the structure and names no participant.
    names = [row.name for row in (activity.buyer, activity.company, activity.siae, activity.partner) if row]
    if activity.tender is not None:
        names.append(f"marché {activity.tender.reference}")
    return ", ".join(names)


def _clauses(session: Session, tender_ids: Iterable[int]) -> tuple[list[ClauseLine], list[StoredPiece]]:
    tenders = session.scalars(select(Tender).where(Tender.id.in_(set(tender_ids)))
                              .order_by(Tender.reference)).all()
    packs: dict[int, int] = {}
    for pack_id, tender_id in session.execute(select(ClausePack.id, ClausePack.tender_id).where(
            ClausePack.tender_id.in_([t.id for t in tenders])).order_by(ClausePack.id)):
        packs[tender_id] = pack_id  # the latest pack of each tender
    stored = session.execute(select(StoredFile.id, StoredFile.owner_id, StoredFile.name).where(
        StoredFile.owner_kind == PACK_OWNER, StoredFile.owner_id.in_(list(packs.values())))
        .order_by(StoredFile.id)).all()
    lines, files = [], []
    for tender in tenders:
        names = {name: file_id for file_id, owner_id, name in stored if owner_id == packs.get(tender.id)}
        chosen = []
        for prefix in CLAUSE_PREFIXES:
            # The PDF when LibreOffice made one, else the Word document.
            found = sorted((n for n in names if n.startswith(prefix)), key=lambda n: not n.endswith(".pdf"))
            if found:
                chosen.append(found[0])
        folder = f"07-clauses/{file_slug(tender.reference)[:40]}-{tender.id}"
        for name in chosen:
            files.append(StoredPiece(names[name], f"{folder}/{name}",
                                     f"Clause du marché {tender.reference} : {name.rsplit('.', 1)[0]}",
                                     Proof.CLAUSE_PACKS))
        lines.append(ClauseLine(tender.buyer.name, tender.reference, tender.object,
                                tuple(f"{folder}/{name}" for name in chosen)))
    return lines, files


def read_proofs(session: Session, spec, figures: Figures, action_lines: list[ActionLine],
                data_as_of: date) -> Proofs:
    """Read what the proof pieces of ``spec``'s dossier need."""
    proofs = Proofs()
    programme_ids = {lot.operation_id for lot in figures.lots if lot.operation_id is not None}
    names = dict(session.execute(select(Operation.id, Operation.name).where(Operation.id.in_(programme_ids))).all())
    proofs.operations = followed_operations(figures, names, spec.starts_on, spec.ends_on)
    proofs.buyers = accompanied_buyers(figures, spec.starts_on, spec.ends_on)
    proofs.actions = list(action_lines)
    proofs.activities = activities_in(session, spec.organisation_id, spec.starts_on, spec.held_until(data_as_of),
                                      spec.operation_id)
    for activity in proofs.activities:
        if activity.minutes_file_id is None and activity.kind not in (
                ActivityKind.STEERING_COMMITTEE, ActivityKind.CLAUSE_COMMISSION, ActivityKind.SITE_VISIT):
            continue
        name = ""
        if activity.minutes_file_id is not None:
            name = (f"05-actions/comptes-rendus/{activity.occurred_on:%Y-%m-%d}-{file_slug(activity.kind.label)}"
                    f"-{activity.id}.{file_extension(activity.minutes_file.name)}")
            proofs.files.append(StoredPiece(activity.minutes_file_id, name,
                                            f"Compte rendu : {activity.kind.label} du {activity.occurred_on:%d/%m/%Y}"
                                            f"{' — ' + activity.title if activity.title else ''}", Proof.ACTIONS))
        proofs.actions.append(ActionLine(activity.occurred_on, activity.kind.label, activity.title,
                                         _with_whom(activity), name))
    proofs.actions.sort(key=lambda line: (line.on, line.kind))
    proofs.clauses, clause_files = _clauses(session, {lot.tender_id for lot in figures.lots})
    proofs.files += clause_files
    if spec.operation_id is not None:
        documents = session.scalars(select(OperationDocument).where(
            OperationDocument.fse_operation_id == spec.operation_id).order_by(OperationDocument.id)).all()
        for document in documents:
            folder, proof = DOCUMENT_FOLDERS[document.kind]
            title = document.title or document.kind.label
            name = f"{folder}/{file_slug(title)[:60]}-{document.id}.{file_extension(document.file.name)}"
            proofs.files.append(StoredPiece(document.file_id, name, f"{document.kind.label} : {title}", proof))
            if document.kind is OperationDocumentKind.CONTRACT_DOCUMENT and document.tender is not None:
                proofs.clauses = [ClauseLine(c.buyer, c.reference, c.object, (*c.pieces, name))
                                  if c.reference == document.tender.reference else c for c in proofs.clauses]
    return proofs


def stored_bytes(file_id: int) -> bytes:
    """Return a stored file's bytes, read in a short transaction of its own."""
    # One short read per file: the ZIP never holds more than the piece being written.
    with db.session_scope() as session:
        stored = session.get(StoredFile, file_id)
        return stored.data if stored is not None else b""


def list_pieces(spec, proofs: Proofs) -> Iterator[DossierPiece]:
    """Yield the lists of operations followed and buyers accompanied."""
    period = spec.period
    operations = format_count(len(proofs.operations), "opération suivie", "opérations suivies") + f" {period}"
    yield DossierPiece("02-liste-des-operations-suivies.xlsx", build_groups_xlsx(
        proofs.operations, title=f"Liste des opérations suivies — {spec.title}", subtitle=operations,
        headers=("Opération (programme ou marché hors programme)", "Donneurs d'ordre"), sheet="Opérations"),
        f"Liste des opérations suivies : {operations}", proof=Proof.OPERATIONS_LIST)
    buyers = (format_count(len(proofs.buyers), "donneur d'ordre accompagné", "donneurs d'ordre accompagnés")
              + f" {period}")
    yield DossierPiece("02-liste-des-donneurs-d-ordre-accompagnes.xlsx", build_groups_xlsx(
        proofs.buyers, title=f"Liste des donneurs d'ordre accompagnés — {spec.title}", subtitle=buyers,
        headers=("Donneur d'ordre", "Marchés"), sheet="Donneurs d'ordre"),
        f"Liste des donneurs d'ordre accompagnés : {buyers}", proof=Proof.BUYERS_LIST)


def action_pieces(spec, proofs: Proofs, activity_log: DossierPiece) -> Iterator[DossierPiece]:
    """Yield the list of actions with their proof, the log extract, the clauses and the documents joined."""
    actions = format_count(len(proofs.actions), "action") + f" {spec.period}"
    lists = {
        "05-actions/": DossierPiece("05-actions/liste-des-actions.xlsx", build_actions_xlsx(
            proofs.actions, title=f"Actions menées — {spec.title}",
            subtitle=f"{actions}, avec leur feuille d'émargement ou leur compte rendu"),
            f"Liste des actions : {actions}", proof=Proof.ACTIONS)}
    lists["06-"] = activity_log
    clauses = format_count(len(proofs.clauses), "marché") + f" {spec.period}"
    lists["07-clauses/"] = DossierPiece("07-clauses/liste-des-clauses.xlsx", build_clauses_xlsx(
        proofs.clauses, title=f"Clauses des marchés suivis — {spec.title}",
        subtitle=f"{clauses} : l'article du CCAP, l'annexe à l'acte d'engagement et la mention du RC de chacun"),
        f"Preuve de la clause : {clauses}", proof=Proof.CLAUSE_PACKS)
    # Each folder opens on its list, then the files it names, in the order of the folders' numbers.
    for folder, piece in lists.items():
        yield piece
        for stored in (p for p in proofs.files if p.name.startswith(folder)):
            yield DossierPiece(stored.name, stored_bytes(stored.file_id), stored.proves, proof=stored.proof)
    for stored in sorted((p for p in proofs.files if not p.name.startswith(tuple(lists))), key=lambda p: p.name):
        yield DossierPiece(stored.name, stored_bytes(stored.file_id), stored.proves, proof=stored.proof)
