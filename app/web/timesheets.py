"""Relevés d'heures: upload, preview with doubts, confirm (all or nothing), template download."""

from io import BytesIO

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.enums import JobStatus
from app.models import Job, Participant
from app.models.timesheets import ImportStatus, TimesheetImport
from app.queue import enqueue
from app.services import referential as ref_svc
from app.services import timesheets as svc
from app.services.jobs import create_job
from app.services.referential import ServiceError
from app.web.context import audit_here, commit_or_refuse, current_scope, get_or_404, get_session, require
from app.web.crud import attach_error
from forms.fields import select_choices
from forms.timesheets import TimesheetTemplateForm, TimesheetUploadForm
from workers.jobs import analyse_timesheet_job

bp = Blueprint("timesheets", __name__, url_prefix="/releves")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _structure_field(form, session) -> None:
    own = svc.own_structure(current_scope())
    choices = svc.structure_choices(session)
    if own is not None:
        choices = [choice for choice in choices if choice[0] == own.key]
        if request.method == "GET":
            form.structure.data = own.key
    form.structure.choices = select_choices(choices if own else [("", "Choisir…"), *choices])


@bp.route("/")
@require("read", "read_own")
def index():
    """List the imports, newest first."""
    imports = get_session().scalars(
        select(TimesheetImport).options(selectinload(TimesheetImport.siae), selectinload(TimesheetImport.company))
        .order_by(TimesheetImport.created_at.desc()).limit(200)).all()
    template_form = TimesheetTemplateForm(request.args)
    _structure_field(template_form, get_session())
    return render_template("timesheets/index.html", imports=imports, template_form=template_form)


@bp.route("/deposer", methods=["GET", "POST"])
@require("upload_timesheets")
def upload():
    """Receive a file, then read it in the background."""
    session = get_session()
    form = TimesheetUploadForm()
    _structure_field(form, session)
    form.lot_id.choices = select_choices([("", "Lire dans le fichier"), *ref_svc.lot_choices(session)])
    if form.validate_on_submit():
        scope = current_scope()
        upload_file = form.file.data
        try:
            imp = svc.receive_timesheet(session, scope, structure_key=form.structure.data, month=form.month.data,
                                        lot_id=form.lot_id.data, filename=upload_file.filename or "releve",
                                        data=upload_file.read(svc.MAX_UPLOAD_BYTES + 1))
            job = create_job(session, "analyse_timesheet", organisation_id=scope.organisation_id,
                             user_id=scope.user_id, subject_id=imp.id, message="Relevé reçu, lecture à venir…")
            imp.job_id = job.id
        except ServiceError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            # Commit before enqueueing: the worker reads both rows from its own session.
            session.commit()
            enqueue(analyse_timesheet_job, job.id, imp.id)
            session.expire_all()
            if session.get(Job, job.id).status in (JobStatus.DONE, JobStatus.FAILED):
                return redirect(url_for("timesheets.detail", import_id=imp.id))
            return redirect(url_for("main.job_status", job_id=job.id,
                                    suite=url_for("timesheets.detail", import_id=imp.id)))
    elif request.method == "POST":
        flash("Le dépôt n'a pas pu être fait : corrigez les champs signalés.", "error")
    return render_template("timesheets/upload.html", form=form)


@bp.route("/<int:import_id>")
@require("read", "read_own")
def detail(import_id: int):
    """Show what was understood and every doubt, or the outcome of the import."""
    session = get_session()
    imp = get_or_404(TimesheetImport, import_id)
    audit_here("read", "timesheet_import", imp.id)
    session.commit()
    candidates = []
    if imp.status == ImportStatus.PREVIEW:
        candidates = session.scalars(
            select(Participant).where(Participant.id.in_(select(svc.structure_placements(imp).subquery().c.participant_id)))
            .order_by(Participant.last_name, Participant.first_name)).all()
    checks = svc.preview_checks(session, imp) if imp.status == ImportStatus.PREVIEW else {}
    return render_template("timesheets/detail.html", imp=imp, candidates=candidates, IGNORE=svc.IGNORE,
                           ACCEPT=svc.ACCEPT, checks=checks, can_confirm=current_scope().can("upload_timesheets"))


@bp.route("/<int:import_id>/confirmer", methods=["POST"])
@require("upload_timesheets")
def confirm(import_id: int):
    """Write the records of the import in one transaction, or nothing."""
    session = get_session()
    imp = get_or_404(TimesheetImport, import_id)
    people = (imp.preview or {}).get("people", [])
    decisions = {person["key"]: request.form.get(f"person-{index}", "") for index, person in enumerate(people)}
    for index, person in enumerate(people):
        for kind in ("double", "outside"):
            if request.form.get(f"{kind}-{index}"):
                decisions[f"{kind}:{person['key']}"] = request.form[f"{kind}-{index}"]
    try:
        imp = svc.confirm_import(session, current_scope(), imp.id, decisions, request.form.get("month") or None)
    except (ServiceError, ValueError) as exc:
        session.rollback()
        flash(f"Rien n'a été enregistré : {exc}", "error")
        return redirect(url_for("timesheets.detail", import_id=import_id))
    audit_here("update", "timesheet_import", imp.id, "relevé confirmé")
    session.commit()
    flash(f"Relevé enregistré : {imp.records_count} mise(s) en situation, "
          f"{imp.total_minutes // 60} h {imp.total_minutes % 60:02d}.", "success")
    return redirect(url_for("timesheets.detail", import_id=imp.id))


@bp.route("/<int:import_id>/abandonner", methods=["POST"])
@require("upload_timesheets")
def cancel(import_id: int):
    """Abandon a previewed import."""
    session = get_session()
    get_or_404(TimesheetImport, import_id)
    commit_or_refuse(lambda: svc.cancel_import(session, import_id),
                     "Relevé abandonné : aucune heure n'a été enregistrée.", category="info")
    return redirect(url_for("timesheets.index"))


@bp.route("/modele")
@require("read", "read_own")
def template():
    """Download a pre-filled XLSX timesheet for a structure and a month."""
    session = get_session()
    form = TimesheetTemplateForm(request.args)
    _structure_field(form, session)
    if not form.validate():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
        return redirect(url_for("timesheets.index"))
    try:
        data, name = svc.build_template(session, form.structure.data, form.month.data)
    except ServiceError as exc:
        flash(str(exc), "error")
        return redirect(url_for("timesheets.index"))
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
