"""Exports: tableau d'impact (XLSX), liste des opérations (XLSX, PDF), FSE+ participants (XLSX, with
the completeness rate shown first), and bilans generated in the background.

Files that carry names are for the organisation's own staff: every route here needs « read »,
which structure users do not hold, and each download is written to the audit trail.
"""

from datetime import date
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.domain.formats import format_pct
from app.domain.reports.narrative import MAX_LENGTH, SECTION_TITLES
from app.domain.enums import JobStatus
from app.domain.reports import (
    build_fse_participants_xlsx,
    build_operations_pdf,
    build_operations_xlsx,
    completeness,
    correction_warning,
)
from app.domain.reports.statistics import build_statistics_xlsx
from app.models import Bilan, Buyer, Company, FseOperation, Job, StoredFile
from app.services import audit
from app.services.reports import bilan as bilan_svc
from app.services.reports import exports as svc
from app.services.reports import fse_records
from app.services.reports import impact_export
from app.services import referential
from app.services.reports.figures import list_figures
from app.services.files import PDF_TYPE, XLSX_TYPE
from app.services.jobs import create_job
from app.services.referential import ServiceError
from app.web.background import start_job
from app.web.context import current_scope, get_or_404, get_session, require, send_download
from app.web.crud import attach_error
from app.web.export_links import bilan_query
from forms.fields import select_choices
from forms.followup import BilanRequestForm, FseExportForm, ReportFilterForm
from workers.jobs import export_impact_job, generate_bilan_job

bp = Blueprint("exports", __name__, url_prefix="/exports")


def _audit(kind: str, detail: str) -> None:
    # DOMAIN.md §9: who exported a participant file is kept (kind of export only, never a name).
    scope = current_scope()
    audit.record(get_session(), organisation_id=scope.organisation_id, user_id=scope.user_id, action="export",
                 object_type=kind, detail=detail)


def _filter_form(session) -> ReportFilterForm:
    form = ReportFilterForm(request.args)
    form.buyer_id.choices = select_choices(referential.choices(session, Buyer, lambda b: b.name, (Buyer.name,),
                                                               optional="Tous"))
    form.company_id.choices = select_choices(referential.choices(session, Company, lambda c: c.name,
                                                                 (Company.name,), optional="Toutes"))
    return form


def _report_filter(form: ReportFilterForm) -> svc.ReportFilter:
    return svc.ReportFilter(current_scope().organisation_id, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                            buyer_id=form.buyer_id.data, company_id=form.company_id.data)


def _fse_form(session) -> FseExportForm:
    form = FseExportForm(request.args)
    rows = session.scalars(select(FseOperation).order_by(FseOperation.starts_on.desc(), FseOperation.title))
    form.fse_operation_id.choices = select_choices([("", "Choisir…"), *((op.id, f"{op.title} ({op.period_label})")
                                                                        for op in rows)])
    return form


def _bilan_form(session, **kwargs) -> BilanRequestForm:
    # Prefixed: the filter form on the same page has fields of the same names (ids must be unique).
    form = BilanRequestForm(prefix="bilan", **kwargs)
    form.buyer_id.choices = select_choices(referential.choices(session, Buyer, lambda b: b.name, (Buyer.name,),
                                                               optional="Choisir…"))
    form.company_id.choices = select_choices(referential.choices(session, Company, lambda c: c.name,
                                                                 (Company.name,), optional="Choisir…"))
    if request.method == "GET" and kwargs.get("formdata") is None:
        today = date.today()
        form.starts_on.data, form.ends_on.data = date(today.year, 1, 1), today
    return form


def _page(filter_form=None, fse_form=None, bilan_form=None, fse_check=None, status: int = 200):
    session = get_session()
    bilans = session.scalars(select(Bilan).order_by(Bilan.id.desc()).limit(20)).all()
    return render_template("exports/index.html", filter_form=filter_form or _filter_form(session),
                           fse_form=fse_form or _fse_form(session), bilan_form=bilan_form or _bilan_form(session),
                           fse_check=fse_check, bilans=bilans, pct=format_pct,
                           subjects=bilan_svc.SUBJECTS), status


@bp.route("/")
@require("read")
def index():
    """Show the exports with their filters."""
    session = get_session()
    fse_form = _fse_form(session)
    fse_check = None
    if request.args.get("fse_operation_id") and fse_form.validate():
        fse_check = _fse_check(session, fse_form.fse_operation_id.data)
    return _page(fse_form=fse_form, fse_check=fse_check)


def _title(session, form: ReportFilterForm, what: str) -> str:
    return svc.report_title(session, _report_filter(form), what)


def _with_valid_filter(view):
    """Read the export filters; on an error show them again (400) instead of exporting."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        session = get_session()
        form = _filter_form(session)
        if not form.validate():
            flash("Les filtres de l'export contiennent des erreurs : corrigez-les.", "error")
            return _page(filter_form=form, status=400)
        return view(session, form, *args, **kwargs)

    return wrapped


@bp.route("/tableau-impact.xlsx")
@require("read")
@_with_valid_filter
def impact(session, form):
    """Download the tableau d'impact, or have it written in the background when the scope is large."""
    export = impact_export.ImpactExport(_report_filter(form), bool(form.pseudonymise.data))
    scope = current_scope()
    if impact_export.runs_as_job(session, export):
        job = impact_export.request_impact_export(session, scope.organisation_id, scope.user_id)
        # Commit before enqueueing: the worker reads the job row from its own session.
        session.commit()
        return start_job(export_impact_job, job.id, *export.arguments(),
                         target=url_for("exports.impact_file", job_id=job.id),
                         postponed="Votre demande de tableau d'impact est enregistrée ; "
                                   "il sera prêt dès que possible.")
    data = impact_export.build_impact_export(session, export, today=date.today())
    impact_export.record_export(session, scope.organisation_id, scope.user_id, export)
    session.commit()
    return send_download(data, XLSX_TYPE, f"tableau-impact-{date.today():%Y-%m-%d}.xlsx")


@bp.route("/tableau-impact/<int:job_id>")
@require("read")
def impact_file(job_id: int):
    """Send the tableau d'impact an export job wrote, to the user who asked for it only."""
    session = get_session()
    job = get_or_404(Job, job_id)
    if job.kind != impact_export.JOB_KIND or job.user_id != current_scope().user_id:
        abort(404)
    if job.status == JobStatus.FAILED:
        flash(job.message, "error")
        return redirect(url_for("exports.index"))
    stored = impact_export.export_file(session, job) if job.status == JobStatus.DONE else None
    if stored is None:
        return redirect(url_for("main.job_status", job_id=job.id, suite=url_for("exports.impact_file", job_id=job.id)))
    return send_download(stored.data, XLSX_TYPE, stored.name)


@bp.route("/statistiques.xlsx")
@require("read")
@_with_valid_filter
def statistics(session, form):
    """Download aggregated statistics for partners: no names, small cells masked."""
    rows = svc.impact_rows(session, _report_filter(form))
    data = build_statistics_xlsx(rows, title=_title(session, form, "Statistiques agrégées"), generated_on=date.today())
    _audit("statistiques", "agrégées, petits effectifs masqués")
    session.commit()
    return send_download(data, XLSX_TYPE, f"statistiques-{date.today():%Y-%m-%d}.xlsx")


@bp.route("/operations.<any(xlsx, pdf):extension>")
@require("read")
@_with_valid_filter
def operations(session, form, extension: str):
    """Download the list of operations / tenders with a clause."""
    figures = list_figures(session, _report_filter(form))
    title = _title(session, form, "Liste des marchés clausés")
    name = f"liste-des-marches-clauses-{date.today():%Y-%m-%d}.{extension}"
    if extension == "pdf":
        return send_download(build_operations_pdf(figures, title, issued_on=date.today()), PDF_TYPE, name)
    return send_download(build_operations_xlsx(figures, title), XLSX_TYPE, name)


def _fse_check(session, operation_id: int):
    operation = get_or_404(FseOperation, operation_id)
    today = date.today()
    records = fse_records.operation_participants(session, operation.id, today)
    result = completeness(records, today)
    return {"operation": operation, "records": records, "result": result, "warning": correction_warning(result),
            "as_of": today}


@bp.route("/participants-fse.xlsx")
@require("read")
def fse_participants():
    """Download the FSE+ participants of an operation (the page showed the completeness first)."""
    session = get_session()
    form = _fse_form(session)
    if not form.validate():
        flash("Choisissez l'opération FSE+.", "error")
        return _page(fse_form=form, status=400)
    check = _fse_check(session, form.fse_operation_id.data)
    _audit("participants_fse", f"opération {check['operation'].id}")
    session.commit()
    return send_download(build_fse_participants_xlsx(check["records"], check["as_of"]), XLSX_TYPE,
                 f"participants-fse-{svc.safe_filename(check['operation'].title, 40)}.xlsx")


NARRATIVE_FIELDS = tuple(SECTION_TITLES)
SCOPE_FIELDS = ("subject", "buyer_id", "company_id", "starts_on", "ends_on")


def _narrative_page(form: BilanRequestForm, request_: bilan_svc.BilanRequest, kept=None, drafted: bool = False,
                    status: int = 200):
    session = get_session()
    return render_template("exports/bilan_new.html", form=form, kept=kept, drafted=drafted,
                           subject=bilan_svc.subject_name(session, request_, current_scope().organisation_id),
                           subject_label=bilan_svc.SUBJECTS[request_.subject], request_=request_,
                           max_length=MAX_LENGTH), status


def _checked(session, form: BilanRequestForm) -> bilan_svc.BilanRequest | None:
    """Return the checked subject and period of the form, or None with the refusal shown beside its field."""
    try:
        return bilan_svc.check_request(session, form.data)
    except ServiceError as exc:
        attach_error(form, exc)
        return None


@bp.route("/bilans/nouveau")
@require("read")
def prepare_bilan():
    """Offer the bilan's four texts for its subject and period: the ones kept, else a draft from the figures."""
    session = get_session()
    # A GET that only carries the subject and the period: no CSRF token to check, nothing is written.
    # Without them: the whole territory, from the 1st of January to today.
    form = _bilan_form(session, formdata=request.args or None, meta={"csrf": False})
    if request.args and not form.validate():
        flash("Le bilan n'a pas pu être préparé : corrigez les champs signalés.", "error")
        return _page(bilan_form=form, status=400)
    request_ = _checked(session, form)
    if request_ is None:
        return _page(bilan_form=form, status=400)
    fresh = bool(request.args.get("propositions"))
    narrative, kept = bilan_svc.narrative_draft(session, current_scope(), request_, fresh=fresh)
    for name, text in narrative.as_dict().items():
        form[name].data = text
    return _narrative_page(form, request_, None if fresh else kept, drafted=fresh or kept is None)


@bp.route("/bilans", methods=["POST"])
@require("read")
def request_bilan():
    """Record a bilan request and its texts, and write it in the background (read-only roles may ask)."""
    session = get_session()
    form = _bilan_form(session)
    if not form.validate_on_submit():
        if any(form[name].errors for name in SCOPE_FIELDS) or form.csrf_token.errors:
            flash("Le bilan n'a pas pu être lancé : corrigez les champs signalés.", "error")
            return _page(bilan_form=form, status=400)
        # Only a text is refused: the page comes back with every text as typed, nothing is lost.
        flash("Le bilan n'a pas pu être lancé : un texte est trop long, raccourcissez-le.", "error")
        request_ = _checked(session, form)
        return _page(bilan_form=form, status=400) if request_ is None else _narrative_page(form, request_, status=400)
    scope = current_scope()
    data = {name: value for name, value in form.data.items() if name != "csrf_token"}
    # A request sent without the text fields (another client, an old page) leaves the kept texts as they are.
    with_texts = any(f"{form._prefix}{name}" in request.form for name in NARRATIVE_FIELDS)
    try:
        bilan = bilan_svc.request_bilan(session, scope, data, keep_texts=with_texts)
        job = create_job(session, "generate_bilan", organisation_id=scope.organisation_id, user_id=scope.user_id,
                         subject_id=bilan.id, message="Bilan en attente…")
        bilan.job_id = job.id
    except ServiceError as exc:
        session.rollback()
        attach_error(form, exc)
        request_ = _checked(session, form) if exc.field in NARRATIVE_FIELDS else None
        return _page(bilan_form=form, status=400) if request_ is None else _narrative_page(form, request_, status=400)
    # Commit before enqueueing: the worker reads the bilan (and its texts) from its own session.
    session.commit()
    return start_job(generate_bilan_job, job.id, bilan.id, target=url_for("exports.bilan", bilan_id=bilan.id),
                     postponed="Votre demande de bilan est enregistrée ; il sera rédigé dès que possible.")


@bp.route("/bilans/<int:bilan_id>")
@require("read")
def bilan(bilan_id: int):
    """Show a bilan: its files, or where its job stands."""
    session = get_session()
    row = get_or_404(Bilan, bilan_id)
    job = session.get(Job, row.job_id) if row.job_id else None
    files = [session.get(StoredFile, file_id) for file_id in (row.docx_file_id, row.pdf_file_id) if file_id]
    return render_template("exports/bilan.html", bilan=row, job=job, files=[f for f in files if f],
                           subject=bilan_svc.subject_of(session, row), subjects=bilan_svc.SUBJECTS,
                           again=_again_args(row))


def _again_args(row: Bilan) -> dict:
    """Return the query of the page that prepares the same bilan again (its kept texts offered)."""
    return bilan_query(row.subject, row.starts_on, row.ends_on, buyer_id=row.buyer_id, company_id=row.company_id,
                       with_pdf=row.with_pdf)
