"""FSE+ operations and their justification dossier (DOMAIN.md §8).

An operation has a year, a territory, tenders (none listed: every tender of the year) and
targets. Its dossier is a ZIP built by one job: bilan de l'action (DOCX + PDF), liste des
marchés clausés, tableau d'impact, active conventions (list and signed scans), attendance
sheets of the year's actions, indicators against targets and a manifest. The same
``write_dossier`` serves the job and ``clausier dossier build``.

Pieces are produced one at a time from a generator and streamed into the ZIP, so memory
holds one piece at a time beside the report rows; every read runs in a short transaction of
its own and nothing is written until the ZIP is complete (SQLite-safe progress reports).
"""

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.access import Scope
from app.db import db
from app.domain.reports.attendance import ActionKind, build_attendance_pdf
from app.domain.reports.dossier_cover import build_dossier_cover_pdf
from app.domain.reports.dossier import DossierPiece, ManifestEntry, Target, TargetKind, write_dossier_zip
from app.domain.reports.bilan import suggest_narrative
from app.domain.reports.narrative import Narrative
from app.domain.documents.typography import plural
from app.domain.formats import file_slug, format_number
from app.domain.reports import Figures, build_impact_xlsx, build_operations_pdf, build_operations_xlsx
from app.domain.liaison.workflow import ConventionStatus, is_active_on
from app.domain.documents.xlsx import autosize_columns, new_workbook, workbook_bytes, write_header, write_rows, write_title
from app.models import (
    ActionAttendee,
    BilanNarrative,
    CollectiveAction,
    Convention,
    Dossier,
    FseOperation,
    FseTarget,
    Organisation,
    StoredFile,
    Tender,
)
from app.services.reports import actions as action_svc
from app.services.reports.bilan import bilan_data, render_bilan
from app.services.reports.narratives import as_narrative, keep_narrative, saved_narrative, subject_key
from app.services.doc_templates import active_template
from app.services.reports.exports import ReportFilter, safe_filename
from app.services.reports.figures import scope_figures
from app.services.files import store_file
from app.services.jobs import JobFailure
from app.services.referential import ServiceError

ZIP_TYPE = "application/zip"
OWNER = "dossier"
# How a target reads in the manifest and the indicators sheet: « 80 000 heures d'insertion ».
TARGET_WORDING = {
    TargetKind.TENDERS: "marchés clausés",
    TargetKind.OPERATIONS: "opérations suivies",
    TargetKind.HOURS: "heures d'insertion",
    TargetKind.CONVENTIONS: "conventions actives",
    TargetKind.AWARENESS_ACTIONS: "actions de sensibilisation",
    TargetKind.PARTICIPANTS: "participants",
}
Progress = Callable[[int, str], None]


def target_label(kind: TargetKind, value: Decimal) -> str:
    """Return « 80 000 heures d'insertion »."""
    digits = 0 if value == value.to_integral_value() else 2
    return f"{format_number(value, digits)} {TARGET_WORDING[kind]}"


def save_operation(session: Session, scope: Scope, data: dict, operation: FseOperation | None = None
                   ) -> FseOperation:
    """Create or update an FSE+ operation, its tender list and its targets."""
    year = data.get("year")
    if year is None or not 2000 <= year <= 2100:
        raise ServiceError("Indiquez l'année de l'opération (entre 2000 et 2100).", "year")
    tenders = []
    for tender_id in data.get("tender_ids") or []:
        tender = session.get(Tender, tender_id)
        if tender is None:
            raise ServiceError("Ce marché est introuvable.", "tender_ids")
        tenders.append(tender)
    if operation is None:
        operation = FseOperation(organisation_id=scope.organisation_id)
        session.add(operation)
    operation.year, operation.title = year, data["title"].strip()[:200]
    operation.operation_number = (data.get("operation_number") or "").strip()[:40]
    operation.territory = (data.get("territory") or "").strip()[:200]
    operation.description = (data.get("description") or "").strip()
    operation.is_fse_funded = bool(data.get("is_fse_funded", True))
    operation.tenders = tenders
    wanted = {TargetKind(kind): value for kind, value in (data.get("targets") or {}).items() if value}
    for target in list(operation.targets):
        if target.kind not in wanted:
            operation.targets.remove(target)
    existing = {target.kind: target for target in operation.targets}
    for kind, value in wanted.items():
        if value <= 0:
            raise ServiceError("Une cible doit être un nombre positif.", f"target_{kind.value}")
        target = existing.get(kind) or FseTarget(organisation_id=operation.organisation_id, kind=kind)
        target.target, target.label = Decimal(value), target_label(kind, Decimal(value))
        if kind not in existing:
            operation.targets.append(target)
    session.flush()
    return operation


@dataclass(frozen=True)
class DossierSpec:
    """What a dossier covers, read once: plain values a job or the CLI can keep outside a session."""

    organisation_id: int
    title: str
    year: int
    territory: str
    is_fse_funded: bool
    operation_id: int | None = None
    tender_ids: tuple[int, ...] | None = None
    targets: tuple[tuple[TargetKind, str, Decimal], ...] = ()
    operation_number: str = ""  # given by the FSE+ managing authority; empty until known

    @property
    def heading(self) -> str:
        """Return « Clauses sociales 2026 (opération n° 202501234) », how the bilan names the operation."""
        return f"{self.title} (opération n° {self.operation_number})" if self.operation_number else self.title

    @property
    def starts_on(self) -> date:
        """Return the first day of the operation's year."""
        return date(self.year, 1, 1)

    @property
    def ends_on(self) -> date:
        """Return the last day of the operation's year."""
        return date(self.year, 12, 31)

    def report_filter(self) -> ReportFilter:
        """Return the filter every report of the dossier reads with."""
        return ReportFilter(self.organisation_id, starts_on=self.starts_on, ends_on=self.ends_on,
                            tender_ids=self.tender_ids)

    def target_for(self, *kinds: TargetKind) -> str | None:
        """Return the labels of the operation's targets a piece supports (None: none set)."""
        labels = [label for kind, label, _value in self.targets if kind in kinds]
        return " ; ".join(labels) or None


def spec_for(operation: FseOperation) -> DossierSpec:
    """Return the dossier spec of a stored operation."""
    return DossierSpec(
        organisation_id=operation.organisation_id, title=operation.title, year=operation.year,
        territory=operation.territory, is_fse_funded=operation.is_fse_funded, operation_id=operation.id,
        tender_ids=tuple(t.id for t in operation.tenders) or None,
        targets=tuple((t.kind, t.label, t.target) for t in operation.targets),
        operation_number=operation.operation_number)


def default_spec(session: Session, organisation_id: int, year: int) -> DossierSpec:
    """Return a spec for a year without a recorded operation: every tender, no target."""
    organisation = session.get(Organisation, organisation_id)
    return DossierSpec(organisation_id=organisation_id, title=f"Clauses sociales d'insertion {year}", year=year,
                       territory=organisation.territory or organisation.name, is_fse_funded=True)


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


def _counts_as_signed(status: ConventionStatus) -> ConventionStatus:
    # An « échue » convention was signed: over its dates it was active (see app.services.liaison.conventions).
    return ConventionStatus.SIGNEE if status is ConventionStatus.ECHUE else status


def active_conventions_in(session: Session, organisation_id: int, starts_on: date, ends_on: date
                          ) -> list[Convention]:
    """Return the conventions active at some day of the period (signed, dates overlapping)."""
    rows = session.scalars(select(Convention).where(
        Convention.organisation_id == organisation_id,
        Convention.status.in_((ConventionStatus.SIGNEE, ConventionStatus.ECHUE)),
        Convention.starts_on <= ends_on, Convention.ends_on >= starts_on)
        .order_by(Convention.starts_on, Convention.id))
    return [row for row in rows if is_active_on(_counts_as_signed(row.status), row.starts_on, row.ends_on,
                                                max(row.starts_on, starts_on))]


def period_actions(session: Session, spec: DossierSpec, data_as_of: date) -> list[CollectiveAction]:
    """Return the actions of the operation's year held by ``data_as_of`` (the operation's or unassigned)."""
    last = min(spec.ends_on, data_as_of)
    statement = (select(CollectiveAction).where(
        CollectiveAction.organisation_id == spec.organisation_id,
        CollectiveAction.starts_at >= datetime.combine(spec.starts_on, datetime.min.time()),
        CollectiveAction.starts_at <= datetime.combine(last, datetime.max.time()))
        .options(selectinload(CollectiveAction.attendees).selectinload(ActionAttendee.participant),
                 selectinload(CollectiveAction.fse_operation))
        .order_by(CollectiveAction.starts_at, CollectiveAction.id))
    if spec.operation_id is not None:
        statement = statement.where(or_(CollectiveAction.fse_operation_id == spec.operation_id,
                                        CollectiveAction.fse_operation_id.is_(None)))
    return list(session.scalars(statement))


def _achieved(figures: Figures, conventions: int, actions: list) -> dict:
    return {
        TargetKind.TENDERS: Decimal(figures.tenders),
        TargetKind.OPERATIONS: Decimal(figures.operations),
        TargetKind.HOURS: figures.hours_done,
        TargetKind.CONVENTIONS: Decimal(conventions),
        TargetKind.AWARENESS_ACTIONS: Decimal(sum(a.kind is ActionKind.AWARENESS_ACTION for a in actions)),
        TargetKind.PARTICIPANTS: Decimal(figures.people.participants),
    }


def achievements(session: Session, spec: DossierSpec, data_as_of: date) -> dict[TargetKind, Decimal]:
    """Return what was achieved for every kind of target, on the dossier's data."""
    flt = spec.report_filter()
    conventions = active_conventions_in(session, spec.organisation_id, spec.starts_on, spec.ends_on)
    return _achieved(scope_figures(session, flt), len(conventions), period_actions(session, spec, data_as_of))


def targets_against(spec: DossierSpec, achieved: dict[TargetKind, Decimal]) -> list[Target]:
    """Return the operation's targets with what was achieved."""
    return [Target(label, kind, value, achieved[kind]) for kind, label, value in spec.targets]


def _conventions_xlsx(items: list[ConventionItem], title: str) -> bytes:
    wb, ws = new_workbook("Conventions actives")
    header_row = write_title(ws, title, [f"{len(items)} {plural(len(items), 'convention active', 'conventions actives')} sur la période"])
    write_header(ws, header_row, ["Référence", "Partenaire", "Type de partenaire", "Début", "Fin", "Statut",
                                  "Signée le", "Scan signé dans le dossier"])
    write_rows(ws, ([i.reference, i.party, i.party_kind, i.starts_on, i.ends_on, i.status, i.signed_on,
                     i.scan_name or "Scan absent"] for i in items), header_row + 1)
    autosize_columns(ws, from_row=header_row)
    return workbook_bytes(wb)


def _stored_bytes(file_id: int) -> bytes:
    # One short read per scan: the ZIP never holds more than the piece being written.
    with db.session_scope() as session:
        stored = session.get(StoredFile, file_id)
        return stored.data if stored is not None else b""


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else "pdf"


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
    achieved: dict[TargetKind, Decimal]


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
            extension = _extension(scans[action.signed_scan_file_id]) if action.signed_scan_file_id in scans else ""
            actions.append(ActionItem(action.id, action.kind, action.starts_at, action.title,
                                      action.signed_scan_file_id if extension else None, extension))
            sheets[action.id] = action_svc.attendance_sheet(session, action)
        achieved = _achieved(data.figures, len(conventions), held)
        return _Snapshot(
            organisation_name=organisation.name, bilan=data,
            template=active_template(session, spec.organisation_id, "bilan"), figures=data.figures,
            rows=list(data.rows), conventions=conventions, actions=actions, sheets=sheets, achieved=achieved)


def _pieces(spec: DossierSpec, snap: _Snapshot, data_as_of: date, with_pdf: bool, progress: Progress,
            notes: list[str]) -> Iterator[DossierPiece]:
    year = spec.year
    hours_target = spec.target_for(TargetKind.HOURS, TargetKind.PARTICIPANTS)
    yield DossierPiece("00-page-de-garde.pdf", build_dossier_cover_pdf(
        operation_title=spec.title, organisation_name=snap.organisation_name, starts_on=spec.starts_on,
        ends_on=spec.ends_on, data_as_of=data_as_of, targets=targets_against(spec, snap.achieved),
        is_fse_funded=spec.is_fse_funded, operation_number=spec.operation_number),
        f"Page de garde du dossier de l'opération {spec.title}")
    progress(25, "Rédaction du bilan de l'action…")
    rendered = render_bilan(snap.template, snap.bilan, with_pdf=with_pdf, base_name="01-bilan-de-l-action")
    yield DossierPiece("01-bilan-de-l-action.docx", rendered.docx,
                       f"Bilan de l'action {year} : heures, participants, publics, contrats et sorties",
                       hours_target)
    if rendered.pdf is not None:
        yield DossierPiece("01-bilan-de-l-action.pdf", rendered.pdf, f"Bilan de l'action {year} (PDF)",
                           hours_target)
    elif with_pdf and rendered.note:
        notes.append(f"Bilan sans PDF : {rendered.note}")
    del rendered
    progress(45, "Liste des marchés clausés…")
    title = f"Liste des marchés clausés — {spec.title}"
    tenders_target = spec.target_for(TargetKind.TENDERS, TargetKind.OPERATIONS)
    figures = snap.figures
    counts = (f"{format_number(figures.tenders)} {plural(figures.tenders, 'marché clausé', 'marchés clausés')}, "
              f"{format_number(figures.lots_count)} {plural(figures.lots_count, 'lot clausé', 'lots clausés')}, "
              f"{format_number(figures.operations)} {plural(figures.operations, 'opération')}")
    yield DossierPiece("02-liste-des-marches-clauses.xlsx", build_operations_xlsx(snap.figures, title),
                       f"{counts} suivis en {year}, heures exigées et réalisées", tenders_target)
    if with_pdf:
        yield DossierPiece("02-liste-des-marches-clauses.pdf",
                           build_operations_pdf(snap.figures, title, issued_on=data_as_of),
                           f"{counts} suivis en {year} (PDF)", tenders_target)
    progress(60, "Tableau d'impact…")
    # The dossier leaves the structure (DOMAIN.md §9): participants appear by their code only.
    yield DossierPiece("03-tableau-d-impact.xlsx",
                       build_impact_xlsx(snap.rows, snap.figures, title=f"Tableau d'impact — {spec.title}",
                                         generated_on=data_as_of, pseudonymise=True),
                       f"Extraction du logiciel de suivi (pseudonymisée) : une ligne par participant et par marché, "
                       f"heures {year}", hours_target)
    progress(75, "Conventions actives…")
    conventions_target = spec.target_for(TargetKind.CONVENTIONS)
    yield DossierPiece("04-conventions/liste-des-conventions-actives.xlsx",
                       _conventions_xlsx(snap.conventions, f"Conventions actives en {year} — {spec.title}"),
                       f"Conventions de partenariat actives en {year}", conventions_target)
    for item in snap.conventions:
        if item.scan_file_id:
            yield DossierPiece(item.scan_name, _stored_bytes(item.scan_file_id),
                               f"Convention {item.reference} signée avec {item.party}", conventions_target)
    progress(85, "Feuilles d'émargement…")
    for item in snap.actions:
        # French file names in the ZIP: the kind's label, not its code (« reunion-d-information »).
        base = f"05-emargements/{item.starts_at:%Y-%m-%d}-{file_slug(item.kind.label)}-{item.action_id}"
        target = spec.target_for(TargetKind.AWARENESS_ACTIONS) if item.kind is ActionKind.AWARENESS_ACTION else None
        what = f"{item.kind.label} du {item.starts_at:%d/%m/%Y} — {item.title}"
        if item.scan_file_id:
            yield DossierPiece(f"{base}-signee.{item.scan_extension}", _stored_bytes(item.scan_file_id),
                               f"Feuille d'émargement signée : {what}", target)
        else:
            yield DossierPiece(f"{base}-non-signee.pdf", build_attendance_pdf(snap.sheets[item.action_id]),
                               f"Feuille d'émargement (scan signé non déposé) : {what}", target)
    progress(95, "Indicateurs et sommaire…")


def write_dossier(spec: DossierSpec, out, *, data_as_of: date, with_pdf: bool,
                  progress: Progress = lambda pct, msg: None) -> DossierResult:
    """Write the dossier ZIP of ``spec`` into ``out`` (a binary file); return its manifest."""
    progress(5, "Lecture des données de l'opération…")
    snap = _snapshot(spec, data_as_of)
    targets = targets_against(spec, snap.achieved)
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
