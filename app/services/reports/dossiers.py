"""FSE+ operations and their justification dossier (DOMAIN.md §8).

An operation has its own dates, a scope (buyers, programmes, tenders; none listed: every
tender) and targets from the catalogue (app.domain.reports.targets). Its dossier is a ZIP built by one job: bilan de l'action (DOCX + PDF), liste des
marchés clausés, tableau d'impact, active conventions (list and signed scans), attendance
sheets of the period's actions, indicators against targets and a manifest. The same
``write_dossier`` serves the job and ``clausier dossier build``.

Pieces are produced one at a time from a generator and streamed into the ZIP, so memory
holds one piece at a time beside the report rows; every read runs in a short transaction of
its own and nothing is written until the ZIP is complete (SQLite-safe progress reports).
"""

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.access import Scope
from app.db import db
from app.domain.reports.attendance import ActionKind, build_attendance_pdf
from app.domain.reports.dossier_cover import build_dossier_cover_pdf
from app.domain.reports.dossier import DossierPiece, ManifestEntry, write_dossier_zip
from app.domain.reports.proof_lists import ActionLine
from app.domain.reports.targets import Proof, Target
from app.domain.reports.bilan import suggest_narrative
from app.domain.reports.narrative import Narrative
from app.domain.documents.typography import plural
from app.domain.formats import file_slug, format_number
from app.domain.reports import Figures, build_impact_xlsx, build_operations_pdf, build_operations_xlsx
from app.domain.documents.xlsx import autosize_columns, new_workbook, workbook_bytes, write_header, write_rows, write_title
from app.models import (
    ActionAttendee,
    BilanNarrative,
    CollectiveAction,
    Dossier,
    FseOperation,
    Organisation,
    StoredFile,
)
from app.services.reports import actions as action_svc
from app.services.reports.bilan import bilan_data, render_bilan
from app.services.reports.narratives import as_narrative, keep_narrative, saved_narrative, subject_key
from app.services.doc_templates import active_template
from app.services.reports.exports import safe_filename
from app.services.reports.activity_log import activity_log_piece
from app.services.reports.dossier_proofs import (
    Proofs,
    action_pieces,
    file_extension,
    list_pieces,
    read_proofs,
    stored_bytes,
)
from app.services.reports.fse_operations import DossierSpec, measured_targets, spec_for
from app.services.reports.fse_records import common_indicators_piece
from app.services.reports.targets import active_conventions_in, collective_actions_in
from app.services.files import store_file
from app.services.jobs import JobFailure

ZIP_TYPE = "application/zip"
OWNER = "dossier"
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class ConventionItem:
    """An active convention as the dossier lists it."""

    reference: str
    party: str
    party_kind: str
    starts_on: date
    ends_on: date
    status: str
    signed_on: date | None
    scan_file_id: int | None
    scan_name: str


@dataclass(frozen=True)
class ActionItem:
    """A collective action of the period: its attendance sheet and, once signed, its scan."""

    action_id: int
    kind: ActionKind
    starts_at: datetime
    title: str
    scan_file_id: int | None
    scan_extension: str


@dataclass
class DossierResult:
    """What a build wrote: the manifest, what was achieved and why a PDF is missing."""

    entries: list[ManifestEntry]
    targets: list[Target]
    note: str = ""
    data_as_of: date | None = None
    pieces: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.pieces = len(self.entries)


def period_actions(session: Session, spec: DossierSpec, data_as_of: date) -> list[CollectiveAction]:
    """Return the actions of the operation's dates held by ``data_as_of`` (the operation's or unassigned)."""
    return collective_actions_in(
        session, spec.organisation_id, spec.starts_on, spec.held_until(data_as_of), spec.operation_id,
        selectinload(CollectiveAction.attendees).selectinload(ActionAttendee.participant),
        selectinload(CollectiveAction.fse_operation))


def _conventions_xlsx(items: list[ConventionItem], title: str) -> bytes:
    wb, ws = new_workbook("Conventions actives")
    header_row = write_title(ws, title, [f"{len(items)} {plural(len(items), 'convention active', 'conventions actives')} sur la période"])
    write_header(ws, header_row, ["Référence", "Partenaire", "Type de partenaire", "Début", "Fin", "Statut",
                                  "Signée le", "Scan signé dans le dossier"])
    write_rows(ws, ([i.reference, i.party, i.party_kind, i.starts_on, i.ends_on, i.status, i.signed_on,
                     i.scan_name or "Scan absent"] for i in items), header_row + 1)
    autosize_columns(ws, from_row=header_row)
    return workbook_bytes(wb)


@dataclass
class _Snapshot:
    """Everything read from the database in the first short transaction."""

    organisation_name: str
    bilan: object
    template: object
    figures: Figures
    rows: list
    conventions: list[ConventionItem]
    actions: list[ActionItem]
    sheets: dict[int, object]
    targets: list[Target]
    proofs: Proofs
    # The operation's FSE+ common-indicator table (none for a year without a recorded operation).
    common_indicators: bytes | None = None
    activity_log: bytes = b""


def _kept_texts(session: Session, spec: DossierSpec) -> BilanNarrative | None:
    if spec.operation_id is None:
        return None
    return saved_narrative(session, spec.organisation_id, subject_key("operation", fse_operation_id=spec.operation_id),
                           spec.starts_on, spec.ends_on)


def operation_texts(session: Session, spec: DossierSpec, today: date) -> tuple[Narrative, BilanNarrative | None]:
    """Return the texts of the operation's « bilan de l'action »: the kept ones, else a draft from the figures."""
    kept = _kept_texts(session, spec)
    if kept is not None:
        return as_narrative(kept), kept
    organisation = session.get(Organisation, spec.organisation_id)
    data = bilan_data(session, spec.report_filter(), subject_kind="all",
                      subject_name=spec.territory or organisation.name, today=today, operation_title=spec.title)
    return suggest_narrative(data), None


def keep_operation_texts(session: Session, scope: Scope, spec: DossierSpec, data: dict) -> BilanNarrative:
    """Keep the texts the next dossiers of the operation print in their bilan."""
    return keep_narrative(session, scope.organisation_id, scope.user_id, subject="operation",
                          starts_on=spec.starts_on, ends_on=spec.ends_on, narrative=Narrative.from_mapping(data),
                          fse_operation_id=spec.operation_id)


def _snapshot(spec: DossierSpec, data_as_of: date) -> _Snapshot:
    flt = spec.report_filter()
    with db.session_scope() as session:
        organisation = session.get(Organisation, spec.organisation_id)
        data = bilan_data(session, flt, subject_kind="all", subject_name=spec.territory or organisation.name,
                          today=data_as_of, operation_title=spec.heading, is_fse_funded=spec.is_fse_funded,
                          narrative=as_narrative(_kept_texts(session, spec)))
        conventions = []
        for row in active_conventions_in(session, spec.organisation_id, spec.starts_on, spec.ends_on):
            scan_name = ""
            if row.signed_scan_file_id:
                scan_name = f"04-conventions/convention-{safe_filename(row.reference or str(row.id), 30)}-{row.id}" \
                            "-signee.pdf"
            conventions.append(ConventionItem(
                row.reference or f"n° {row.id}", row.party_name, row.party_kind.label, row.starts_on, row.ends_on,
                row.status.label, row.signed_on, row.signed_scan_file_id, scan_name))
        actions, sheets = [], {}
        held = period_actions(session, spec, data_as_of)
        scans = {f.id: f.name for f in session.scalars(select(StoredFile).where(
            StoredFile.id.in_([a.signed_scan_file_id for a in held if a.signed_scan_file_id])))}
        for action in held:
            extension = file_extension(scans[action.signed_scan_file_id]) if action.signed_scan_file_id in scans else ""
            actions.append(ActionItem(action.id, action.kind, action.starts_at, action.title,
                                      action.signed_scan_file_id if extension else None, extension))
            sheets[action.id] = action_svc.attendance_sheet(session, action)
        # The bilan read the impact rows of the operation's dates: the targets over them reuse them.
        targets = measured_targets(session, spec, data_as_of, list(data.rows))
        proofs = read_proofs(session, spec, data.figures, [
            ActionLine(item.starts_at.date(), item.kind.label, item.title, "", attendance_piece_name(item))
            for item in actions], data_as_of)
        return _Snapshot(
            organisation_name=organisation.name, bilan=data,
            template=active_template(session, spec.organisation_id, "bilan"), figures=data.figures,
            rows=list(data.rows), conventions=conventions, actions=actions, sheets=sheets, targets=targets,
            proofs=proofs, common_indicators=(common_indicators_piece(session, spec.operation_id, data_as_of)
                                              if spec.operation_id is not None else None),
            # The entries the targets count: held by the dossier's date.
            activity_log=activity_log_piece(session, spec.organisation_id, spec.starts_on,
                                            spec.held_until(data_as_of), spec.operation_id, proofs.activities))


def attendance_piece_name(item: ActionItem) -> str:
    """Return the ZIP name of an action's attendance sheet: its signed scan, else the blank sheet."""
    # French file names in the ZIP: the kind's label, not its code (« reunion-d-information »).
    base = f"05-emargements/{item.starts_at:%Y-%m-%d}-{file_slug(item.kind.label)}-{item.action_id}"
    return f"{base}-signee.{item.scan_extension}" if item.scan_file_id else f"{base}-non-signee.pdf"


def _pieces(spec: DossierSpec, snap: _Snapshot, data_as_of: date, with_pdf: bool, progress: Progress,
            notes: list[str]) -> Iterator[DossierPiece]:
    period = spec.period
    yield DossierPiece("00-page-de-garde.pdf", build_dossier_cover_pdf(
        operation_title=spec.title, organisation_name=snap.organisation_name, starts_on=spec.starts_on,
        ends_on=spec.ends_on, data_as_of=data_as_of, targets=snap.targets,
        is_fse_funded=spec.is_fse_funded, operation_number=spec.operation_number),
        f"Page de garde du dossier de l'opération {spec.title}")
    progress(25, "Rédaction du bilan de l'action…")
    rendered = render_bilan(snap.template, snap.bilan, with_pdf=with_pdf, base_name="01-bilan-de-l-action")
    yield DossierPiece("01-bilan-de-l-action.docx", rendered.docx,
                       f"Bilan de l'action {period} : heures, participants, publics, contrats et sorties",
                       proof=Proof.BILAN)
    if rendered.pdf is not None:
        yield DossierPiece("01-bilan-de-l-action.pdf", rendered.pdf, f"Bilan de l'action {period} (PDF)",
                           proof=Proof.BILAN)
    elif with_pdf and rendered.note:
        notes.append(f"Bilan sans PDF : {rendered.note}")
    del rendered
    progress(45, "Listes des marchés, des opérations et des donneurs d'ordre…")
    title = f"Liste des marchés clausés — {spec.title}"
    figures = snap.figures
    counts = (f"{format_number(figures.tenders)} {plural(figures.tenders, 'marché clausé', 'marchés clausés')}, "
              f"{format_number(figures.lots_count)} {plural(figures.lots_count, 'lot clausé', 'lots clausés')}, "
              f"{format_number(figures.operations)} {plural(figures.operations, 'opération')}")
    yield DossierPiece("02-liste-des-marches-clauses.xlsx", build_operations_xlsx(snap.figures, title),
                       f"{counts} suivis {period}, heures exigées et réalisées", proof=Proof.TENDERS_LIST)
    if with_pdf:
        yield DossierPiece("02-liste-des-marches-clauses.pdf",
                           build_operations_pdf(snap.figures, title, issued_on=data_as_of),
                           f"{counts} suivis {period} (PDF)", proof=Proof.TENDERS_LIST)
    yield from list_pieces(spec, snap.proofs)
    progress(60, "Tableau d'impact…")
    # The dossier leaves the structure (DOMAIN.md §9): participants appear by their code only.
    yield DossierPiece("03-tableau-d-impact.xlsx",
                       build_impact_xlsx(snap.rows, snap.figures, title=f"Tableau d'impact — {spec.title}",
                                         generated_on=data_as_of, pseudonymise=True),
                       f"Extraction du logiciel de suivi (pseudonymisée) : une ligne par participant et par marché, "
                       f"heures {period}", proof=Proof.IMPACT)
    if snap.common_indicators is not None:
        yield DossierPiece("03-indicateurs-communs-fse.xlsx", snap.common_indicators,
                           "Indicateurs communs FSE+ des participants (EECO, EECR), sans nom, et taux de complétude",
                           proof=Proof.COMMON_INDICATORS)
    progress(70, "Conventions actives…")
    yield DossierPiece("04-conventions/liste-des-conventions-actives.xlsx",
                       _conventions_xlsx(snap.conventions, f"Conventions actives {period} — {spec.title}"),
                       f"Conventions de partenariat actives {period}", proof=Proof.CONVENTIONS)
    for item in snap.conventions:
        if item.scan_file_id:
            yield DossierPiece(item.scan_name, stored_bytes(item.scan_file_id),
                               f"Convention {item.reference} signée avec {item.party}", proof=Proof.CONVENTIONS)
    progress(80, "Feuilles d'émargement, comptes rendus et clauses…")
    for item in snap.actions:
        what = f"{item.kind.label} du {item.starts_at:%d/%m/%Y} — {item.title}"
        if item.scan_file_id:
            yield DossierPiece(attendance_piece_name(item), stored_bytes(item.scan_file_id),
                               f"Feuille d'émargement signée : {what}", proof=Proof.ACTIONS)
        else:
            yield DossierPiece(attendance_piece_name(item), build_attendance_pdf(snap.sheets[item.action_id]),
                               f"Feuille d'émargement (scan signé non déposé) : {what}", proof=Proof.ACTIONS)
    yield from action_pieces(spec, snap.proofs, DossierPiece(
        "06-extrait-du-journal-d-activite.xlsx", snap.activity_log,
        f"Extrait du journal d'activité {period} : contacts, visites, comités, offres et mises en relation "
        "(sans nom de participant)", proof=Proof.ACTIVITY_LOG))
    progress(95, "Indicateurs et sommaire…")


def write_dossier(spec: DossierSpec, out, *, data_as_of: date, with_pdf: bool,
                  progress: Progress = lambda pct, msg: None) -> DossierResult:
    """Write the dossier ZIP of ``spec`` into ``out`` (a binary file); return its manifest."""
    progress(5, "Lecture des données de l'opération…")
    snap = _snapshot(spec, data_as_of)
    targets = snap.targets
    notes: list[str] = []
    entries = write_dossier_zip(out, _pieces(spec, snap, data_as_of, with_pdf, progress, notes),
                                operation_title=spec.title, data_as_of=data_as_of, indicators_vs_targets=targets)
    return DossierResult(entries, targets, " ".join(notes)[:500], data_as_of)


def request_dossier(session: Session, scope: Scope, operation: FseOperation, *, with_pdf: bool, today: date
                    ) -> Dossier:
    """Record a dossier build of ``operation`` dated ``today``; the caller queues the job."""
    dossier = Dossier(organisation_id=scope.organisation_id, fse_operation_id=operation.id, data_as_of=today,
                      with_pdf=with_pdf, requested_by_id=scope.user_id)
    session.add(dossier)
    session.flush()
    return dossier


def dossier_filename(spec: DossierSpec, data_as_of: date) -> str:
    """Return « dossier-fse-Clauses-sociales-2026-au-2026-11-22.zip »."""
    return f"dossier-fse-{safe_filename(spec.title, 80)}-au-{data_as_of:%Y-%m-%d}.zip"


def run_dossier(dossier_id: int, progress: Progress = lambda pct, msg: None) -> None:
    """Build a requested dossier and store its ZIP (the job)."""
    with db.session_scope() as session:
        dossier = session.get(Dossier, dossier_id)
        if dossier is None:
            raise JobFailure("Ce dossier n'existe plus.")
        operation = session.scalar(select(FseOperation).where(FseOperation.id == dossier.fse_operation_id)
                                   .options(selectinload(FseOperation.tenders), selectinload(FseOperation.targets)))
        spec, data_as_of, with_pdf = spec_for(operation), dossier.data_as_of, dossier.with_pdf
    with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as out:
        result = write_dossier(spec, out, data_as_of=data_as_of, with_pdf=with_pdf, progress=progress)
        out.seek(0)
        data = out.read()
    with db.session_scope() as session:
        dossier = session.get(Dossier, dossier_id)
        previous = session.get(StoredFile, dossier.file_id) if dossier.file_id else None
        stored = store_file(session, spec.organisation_id, OWNER, dossier_id, dossier_filename(spec, data_as_of),
                            ZIP_TYPE, data)
        dossier.file_id, dossier.pieces_count, dossier.note = stored.id, result.pieces, result.note
        # A re-run (the reconciler after an interruption) replaces the ZIP rather than piling them up.
        if previous is not None:
            session.delete(previous)
