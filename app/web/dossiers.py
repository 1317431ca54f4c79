"""Dossier FSE+: operations with their targets, what is achieved so far, and the justification ZIP
built in the background.

The gestionnaire FSE+ owns the dossier: defining an operation and its targets needs
« manage_fse », which facilitators, administrators and gestionnaires hold.
"""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.reports.targets import CATALOGUE, Group
from app.domain.formats import format_number, format_pct
from app.domain.reports.narrative import MAX_LENGTH
from app.models import Buyer, Dossier, FseOperation, Job, Operation, OperationDocument, StoredFile, Tender
from app.services import audit
from app.services.reports import dossiers as svc
from app.services.reports import fse_operations as operations_svc
from app.services.reports import operation_documents as documents_svc
from app.services import referential
from app.services.jobs import create_job
from app.services.referential import ServiceError
from app.web.background import start_job
from app.web.context import audit_here, current_scope, get_or_404, get_session, require
from app.web.crud import attach_error
from forms.fields import select_choices
from forms.followup import BilanTextsForm, DossierRequestForm, FseOperationForm, OperationDocumentForm
from workers.jobs import build_dossier_job

bp = Blueprint("dossiers", __name__, url_prefix="/fse")
# Empty target lines offered below the stored ones; « Ajouter des lignes » adds as many again.
BLANK_TARGET_LINES = 5


@bp.route("/")
@require("read")
def index():
    """List the FSE+ operations."""
    operations = get_session().scalars(
        select(FseOperation).options(selectinload(FseOperation.targets))
        .order_by(FseOperation.starts_on.desc(), FseOperation.title)).all()
    return render_template("dossiers/index.html", operations=operations)


def _fill_choices(form: FseOperationForm) -> None:
    session = get_session()
    form.tender_ids.choices = select_choices(referential.choices(
        session, Tender, lambda t: f"{t.reference} — {t.object}", (Tender.reference,)))
    form.buyer_ids.choices = select_choices(referential.choices(session, Buyer, lambda b: b.name, (Buyer.name,)))
    form.programme_ids.choices = select_choices(referential.choices(
        session, Operation, lambda o: o.name, (Operation.name,)))


def _load(form: FseOperationForm, operation: FseOperation | None) -> None:
    if operation is None:
        today = date.today()
        form.starts_on.data = date(today.year, 1, 1)
        form.ends_on.data = date(today.year, 12, 31)
        return
    # The operation's own targets would fill the lines as ORM rows: they are written below as the form reads them.
    form.process(obj=operation, targets=[])
    form.durable_rule.data = operation.durable_rule.value
    form.tender_ids.data = [tender.id for tender in operation.tenders]
    form.buyer_ids.data = [buyer.id for buyer in operation.buyers]
    form.programme_ids.data = [programme.id for programme in operation.programmes]
    while len(form.targets.entries):
        form.targets.pop_entry()
    for target in operation.targets:
        form.targets.append_entry({"kind": target.kind.value, "target": target.target,
                                   "breakdown": target.breakdown.value if target.breakdown else "",
                                   "starts_on": target.starts_on, "ends_on": target.ends_on})
    for _ in range(BLANK_TARGET_LINES):
        form.targets.append_entry()


def _blame_target(form: FseOperationForm, exc: ServiceError) -> None:
    """Show a target's refusal beside its line (the service counts used lines only)."""
    used = [entry.form for entry in form.targets if not entry.form.is_blank]
    index = int(exc.field.rsplit("-", 1)[1])
    if index < len(used):
        used[index].target.errors = [*used[index].target.errors, str(exc)]
    flash(str(exc), "error")


def _edit(operation: FseOperation | None):
    session = get_session()
    form = FseOperationForm()
    _fill_choices(form)
    if request.method == "GET":
        _load(form, operation)
    if request.method == "POST" and request.form.get("more_lines"):
        # More target lines asked: nothing is saved, everything typed stays on the page.
        for _ in range(BLANK_TARGET_LINES):
            form.targets.append_entry()
    elif form.validate_on_submit():
        data = {name: value for name, value in form.data.items() if name != "csrf_token"}
        data["targets"] = form.target_data()
        try:
            saved = operations_svc.save_operation(session, current_scope(), data, operation)
        except ServiceError as exc:
            session.rollback()
            if exc.field and exc.field.startswith("targets-"):
                _blame_target(form, exc)
            else:
                attach_error(form, exc)
        else:
            audit_here("create" if operation is None else "update", "fse_operation", saved.id)
            session.commit()
            flash("Opération FSE+ enregistrée.", "success")
            return redirect(url_for("dossiers.operation", operation_id=saved.id))
    elif request.method == "POST":
        flash("Le formulaire contient des erreurs : corrigez les champs signalés.", "error")
    return render_template("dossiers/form.html", form=form, operation=operation, catalogue=CATALOGUE,
                           groups=list(Group))


@bp.route("/operations/nouvelle", methods=["GET", "POST"])
@require("manage_fse")
def new():
    """Create an FSE+ operation."""
    return _edit(None)


@bp.route("/operations/<int:operation_id>/modifier", methods=["GET", "POST"])
@require("manage_fse")
def edit(operation_id: int):
    """Edit an FSE+ operation."""
    return _edit(get_or_404(FseOperation, operation_id))


def _number(value) -> str:
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def _document_form() -> OperationDocumentForm:
    form = OperationDocumentForm()
    form.tender_id.choices = select_choices(referential.choices(
        get_session(), Tender, lambda t: f"{t.reference} — {t.object}", (Tender.reference,), optional="Aucun"))
    return form


def _operation_page(row: FseOperation, texts_form: BilanTextsForm | None = None, status: int = 200,
                    document_form: OperationDocumentForm | None = None):
    session = get_session()
    today = date.today()
    spec = operations_svc.spec_for(row)
    targets = operations_svc.measured_targets(session, spec, today)
    dossiers = session.scalars(select(Dossier).where(Dossier.fse_operation_id == row.id)
                               .order_by(Dossier.id.desc())).all()
    files = {f.id: f for f in session.scalars(select(StoredFile).where(
        StoredFile.id.in_([d.file_id for d in dossiers if d.file_id])))}
    jobs = {j.id: j for j in session.scalars(select(Job).where(Job.id.in_([d.job_id for d in dossiers if d.job_id])))}
    kept = None
    if texts_form is None:
        texts_form = BilanTextsForm(formdata=None)
        narrative, kept = svc.operation_texts(session, spec, today)
        for name, text in narrative.as_dict().items():
            texts_form[name].data = text
    documents = session.scalars(select(OperationDocument).where(OperationDocument.fse_operation_id == row.id)
                                .order_by(OperationDocument.id)).all()
    return render_template("dossiers/operation.html", operation=row, targets=targets, dossiers=dossiers, files=files,
                           jobs=jobs, form=DossierRequestForm(), pct=format_pct, number=_number, today=today,
                           texts_form=texts_form, kept=kept, max_length=MAX_LENGTH, documents=documents,
                           document_form=document_form or _document_form()), status


@bp.route("/operations/<int:operation_id>")
@require("read")
def operation(operation_id: int):
    """Show an operation: targets against what is achieved today, the texts of its bilan, and its dossiers."""
    session = get_session()
    row = get_or_404(FseOperation, operation_id)
    audit_here("read", "fse_operation", row.id)
    session.commit()
    return _operation_page(row)


@bp.route("/operations/<int:operation_id>/textes-du-bilan", methods=["POST"])
@require("manage_fse")
def save_texts(operation_id: int):
    """Keep the texts the operation's next dossiers print in their « bilan de l'action »."""
    session = get_session()
    row = get_or_404(FseOperation, operation_id)
    form = BilanTextsForm()
    if not form.validate_on_submit():
        # Every text comes back as typed: nothing the facilitator wrote is lost.
        flash("Les textes n'ont pas été enregistrés : corrigez les champs signalés.", "error")
        return _operation_page(row, form, status=400)
    svc.keep_operation_texts(session, current_scope(), operations_svc.spec_for(row), form.data)
    session.commit()
    flash("Textes du bilan enregistrés : les prochains dossiers les reprennent.", "success")
    return redirect(url_for("dossiers.operation", operation_id=row.id) + "#textes")


@bp.route("/operations/<int:operation_id>/pieces", methods=["POST"])
@require("manage_fse")
def add_document(operation_id: int):
    """Keep a signed sheet, a signed contract document or a compte rendu with the operation."""
    session = get_session()
    row = get_or_404(FseOperation, operation_id)
    form = _document_form()
    if form.validate_on_submit():
        try:
            document = documents_svc.attach_document(
                session, current_scope(), row, kind=form.kind.data, title=form.title.data,
                tender_id=form.tender_id.data, data=form.file.data.read())
        except ServiceError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            audit_here("create", "operation_document", document.id)
            session.commit()
            flash(f"{document.kind.label} enregistrée : le prochain dossier la joint.", "success")
            return redirect(url_for("dossiers.operation", operation_id=row.id) + "#pieces")
    else:
        flash("La pièce n'a pas été enregistrée : corrigez les champs signalés.", "error")
    # What was typed stays; only the file must be chosen again (a browser never keeps it).
    return _operation_page(row, status=400, document_form=form)


@bp.route("/operations/<int:operation_id>/pieces/<int:document_id>/supprimer", methods=["POST"])
@require("manage_fse")
def remove_document(operation_id: int, document_id: int):
    """Remove a document kept with the operation."""
    session = get_session()
    row = get_or_404(FseOperation, operation_id)
    document = get_or_404(OperationDocument, document_id)
    if document.fse_operation_id != row.id or not DossierRequestForm().validate_on_submit():
        abort(404)
    documents_svc.remove_document(session, document)
    audit_here("delete", "operation_document", document_id)
    session.commit()
    flash("Pièce retirée de l'opération.", "success")
    return redirect(url_for("dossiers.operation", operation_id=row.id) + "#pieces")


@bp.route("/operations/<int:operation_id>/dossiers", methods=["POST"])
@require("read")
def build(operation_id: int):
    """Record a dossier build dated today and run it in the background."""
    session = get_session()
    row = get_or_404(FseOperation, operation_id)
    form = DossierRequestForm()
    if not form.validate_on_submit():
        flash("Le dossier n'a pas pu être lancé : rechargez la page et recommencez.", "error")
        return redirect(url_for("dossiers.operation", operation_id=row.id))
    scope = current_scope()
    dossier = svc.request_dossier(session, scope, row, with_pdf=form.with_pdf.data, today=date.today())
    job = create_job(session, "build_dossier", organisation_id=scope.organisation_id, user_id=scope.user_id,
                     subject_id=dossier.id, message="Dossier FSE+ en attente…")
    dossier.job_id = job.id
    audit.record(session, organisation_id=scope.organisation_id, user_id=scope.user_id, action="export",
                 object_type="dossier_fse", object_id=dossier.id, detail=f"opération {row.id}")
    # Commit before enqueueing: the worker reads the dossier from its own session.
    session.commit()
    return start_job(build_dossier_job, job.id, dossier.id, target=url_for("dossiers.dossier", dossier_id=dossier.id),
                     postponed="Votre demande de dossier est enregistrée ; il sera construit dès que possible.")


@bp.route("/dossiers/<int:dossier_id>")
@require("read")
def dossier(dossier_id: int):
    """Show a dossier: its ZIP, the date of its data, or where its job stands."""
    session = get_session()
    row = get_or_404(Dossier, dossier_id)
    audit_here("read", "dossier_fse", row.id)
    session.commit()
    job = session.get(Job, row.job_id) if row.job_id else None
    stored = session.get(StoredFile, row.file_id) if row.file_id else None
    return render_template("dossiers/dossier.html", dossier=row, job=job, stored=stored)
