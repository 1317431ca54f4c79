"""Bilans for a buyer, a company or the whole territory: figures read here, DOCX rendered with the
organisation's active « bilan » template, charts inserted, PDF when LibreOffice is there.

``run_bilan`` is the job: it reads in one short transaction, renders outside any, and writes the
files in another (SQLite-safe, see app.services.timesheets.run_analysis).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.access import Scope
from app.db import db
from app.domain.decp.checks import FLAG_LABELS
from app.domain.reports.bilan import BilanData, bilan_charts, build_bilan_context, insert_charts, suggest_narrative
from app.domain.reports.narrative import Narrative
from app.domain.documents.rendering import DocumentError
from app.models import Bilan, BilanNarrative, Buyer, Company, Organisation, StoredFile
from app.models.base import utcnow
from app.pdf import PdfConversionError, convert_to_pdf, pdf_available
from app.services.doc_templates import ActiveTemplate, active_template, render_template
from app.services.reports.exports import ReportFilter, impact_rows, monthly_hours, safe_filename
from app.services.reports.figures import scope_figures
from app.services.reports.narratives import (
    as_narrative,
    check_narrative,
    keep_narrative,
    saved_narrative,
    subject_key,
)
from app.services.reperage.veille import veille
from app.services.files import DOCX_TYPE, PDF_TYPE, store_file
from app.services.jobs import JobFailure
from app.services.referential import ServiceError

OWNER = "bilan"
SUBJECTS = {"all": "L'ensemble du territoire", "buyer": "Un acheteur", "company": "Une entreprise"}


@dataclass(frozen=True)
class RenderedBilan:
    """A bilan's DOCX, its PDF when one could be made, and why not otherwise."""

    docx: bytes
    pdf: bytes | None
    note: str
    template: ActiveTemplate


def bilan_data(session: Session, flt: ReportFilter, *, subject_kind: str, subject_name: str, today: date,
               operation_title: str = "", is_fse_funded: bool = False, narrative: Narrative | None = None
               ) -> BilanData:
    """Read everything a bilan reports for ``flt`` (a fixed number of queries)."""
    organisation = session.get(Organisation, flt.organisation_id)
    rows = impact_rows(session, flt)
    flags = ()
    subject_article = "" if subject_kind == "all" else "aucun"  # a territory takes one; a company is named bare
    if subject_kind == "buyer" and flt.buyer_id is not None:
        buyer = session.get(Buyer, flt.buyer_id)
        subject_article = buyer.name_article if buyer is not None else ""
        flags = tuple((FLAG_LABELS[code], n) for entry in veille(session, flt.organisation_id, flt.buyer_id)
                      for code, n in entry.counts.items())
    return BilanData(
        organisation_name=organisation.name, organisation_article=organisation.name_article,
        subject_kind=subject_kind, subject_name=subject_name, subject_article=subject_article,
        starts_on=flt.starts_on, ends_on=flt.ends_on, generated_on=today, figures=scope_figures(session, flt, rows),
        rows=rows, monthly=monthly_hours(session, flt), is_fse_funded=is_fse_funded,
        operation_title=operation_title, veille=flags, narrative=narrative)


def render_bilan(template: ActiveTemplate, data: BilanData, *, with_pdf: bool, base_name: str = "bilan"
                 ) -> RenderedBilan:
    """Render the bilan DOCX with its charts and, when asked and possible, its PDF."""
    try:
        docx = insert_charts(render_template(template, build_bilan_context(data)), bilan_charts(data))
    except DocumentError as exc:
        raise JobFailure(f"Le bilan n'a pas pu être rédigé avec le {template.label} : {exc}") from None
    pdf, note = None, ""
    if with_pdf:
        available, reason = pdf_available()
        if not available:
            note = reason
        else:
            try:
                pdf = convert_to_pdf({f"{base_name}.docx": docx})[f"{base_name}.docx"]
            except PdfConversionError as exc:
                note = str(exc)
    return RenderedBilan(docx, pdf, note, template)


def subject_of(session: Session, bilan: Bilan) -> str:
    """Return the name of whom the bilan is written for."""
    return subject_name(session, bilan, bilan.organisation_id)


def subject_name(session: Session, request, organisation_id: int) -> str:
    """Return the name of whom a bilan or a bilan request is for."""
    if request.subject == "buyer" and request.buyer_id:
        return session.get(Buyer, request.buyer_id).name
    if request.subject == "company" and request.company_id:
        return session.get(Company, request.company_id).name
    organisation = session.get(Organisation, organisation_id)
    return organisation.territory or organisation.name


def bilan_filter(bilan: Bilan) -> ReportFilter:
    """Return the report filter of a bilan request."""
    return ReportFilter(bilan.organisation_id, starts_on=bilan.starts_on, ends_on=bilan.ends_on,
                        buyer_id=bilan.buyer_id if bilan.subject == "buyer" else None,
                        company_id=bilan.company_id if bilan.subject == "company" else None)


@dataclass(frozen=True)
class BilanRequest:
    """Who a bilan is for and its period, checked."""

    subject: str
    buyer_id: int | None
    company_id: int | None
    starts_on: date
    ends_on: date

    @property
    def key(self) -> str:
        """Return the subject's key of the kept narrative."""
        return subject_key(self.subject, buyer_id=self.buyer_id, company_id=self.company_id)


def check_request(session: Session, data: dict) -> BilanRequest:
    """Check the subject and the period of a bilan request."""
    subject = data.get("subject") or "all"
    if subject not in SUBJECTS:
        raise ServiceError("Choisissez pour qui est le bilan.", "subject")
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on is None or ends_on is None:
        raise ServiceError("Indiquez le début et la fin de la période.", "starts_on")
    if ends_on < starts_on:
        raise ServiceError("La fin de la période précède son début.", "ends_on")
    buyer_id = data.get("buyer_id") if subject == "buyer" else None
    company_id = data.get("company_id") if subject == "company" else None
    if subject == "buyer" and (buyer_id is None or session.get(Buyer, buyer_id) is None):
        raise ServiceError("Choisissez l'acheteur.", "buyer_id")
    if subject == "company" and (company_id is None or session.get(Company, company_id) is None):
        raise ServiceError("Choisissez l'entreprise.", "company_id")
    return BilanRequest(subject, buyer_id, company_id, starts_on, ends_on)


def narrative_draft(session: Session, scope: Scope, request: BilanRequest, today: date | None = None,
                    fresh: bool = False) -> tuple[Narrative, BilanNarrative | None]:
    """Return the texts to offer for a bilan: the ones kept for its subject and period (unless
    ``fresh``), else a draft written from the figures; and the kept row, if any."""
    kept = saved_narrative(session, scope.organisation_id, request.key, request.starts_on, request.ends_on)
    if kept is not None and not fresh:
        return as_narrative(kept), kept
    flt = ReportFilter(scope.organisation_id, starts_on=request.starts_on, ends_on=request.ends_on,
                       buyer_id=request.buyer_id, company_id=request.company_id)
    data = bilan_data(session, flt, subject_kind=request.subject, subject_name=subject_name(session, request,
                                                                                             scope.organisation_id),
                      today=today or date.today())
    return suggest_narrative(data), kept


def request_bilan(session: Session, scope: Scope, data: dict, keep_texts: bool = True) -> Bilan:
    """Record a bilan request and keep its texts (unless ``keep_texts`` is false: the texts kept
    before stay) after checking them; the caller queues the job."""
    request = check_request(session, data)
    narrative = Narrative.from_mapping(data)
    if keep_texts:
        check_narrative(narrative)
    bilan = Bilan(organisation_id=scope.organisation_id, subject=request.subject, buyer_id=request.buyer_id,
                  company_id=request.company_id, starts_on=request.starts_on, ends_on=request.ends_on,
                  with_pdf=bool(data.get("with_pdf")), requested_by_id=scope.user_id)
    session.add(bilan)
    if keep_texts:
        keep_narrative(session, scope.organisation_id, scope.user_id, subject=request.subject,
                       starts_on=request.starts_on, ends_on=request.ends_on, narrative=narrative,
                       buyer_id=request.buyer_id, company_id=request.company_id)
    session.flush()
    return bilan


def run_bilan(bilan_id: int, progress=lambda pct, msg: None, today: date | None = None) -> None:
    """Produce a requested bilan's DOCX (and PDF) and attach them to it."""
    today = today or date.today()
    with db.session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        if bilan is None:
            raise JobFailure("Ce bilan n'existe plus.")
        subject = subject_of(session, bilan)
        # The texts kept for its subject and period at the time the job runs: the job takes the bilan's
        # id only, never the texts (they may be long, and a queue is no place for free text).
        kept = saved_narrative(session, bilan.organisation_id, subject_key(
            bilan.subject, buyer_id=bilan.buyer_id, company_id=bilan.company_id), bilan.starts_on, bilan.ends_on)
        data = bilan_data(session, bilan_filter(bilan), subject_kind=bilan.subject, subject_name=subject,
                          today=today, narrative=as_narrative(kept))
        template = active_template(session, bilan.organisation_id, "bilan")
        with_pdf, organisation_id = bilan.with_pdf, bilan.organisation_id
        base_name = f"bilan-{safe_filename(subject, 40)}-{bilan.starts_on:%Y%m%d}-{bilan.ends_on:%Y%m%d}"
    progress(35, "Rédaction du bilan et des graphiques…")
    rendered = render_bilan(template, data, with_pdf=with_pdf, base_name=base_name)
    progress(85, "Enregistrement du bilan…")
    with db.session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        old = [file_id for file_id in (bilan.docx_file_id, bilan.pdf_file_id) if file_id]
        bilan.docx_file_id = store_file(session, organisation_id, OWNER, bilan_id, f"{base_name}.docx", DOCX_TYPE,
                                        rendered.docx).id
        bilan.pdf_file_id = (store_file(session, organisation_id, OWNER, bilan_id, f"{base_name}.pdf", PDF_TYPE,
                                        rendered.pdf).id if rendered.pdf is not None else None)
        bilan.template_version_id, bilan.template_label = template.version_id, template.label
        bilan.document_generated_at, bilan.pdf_note = utcnow(), rendered.note[:500]
        session.flush()
        for file_id in old:
            stale = session.get(StoredFile, file_id)
            if stale is not None:
                session.delete(stale)
