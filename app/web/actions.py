"""Collective actions: list, create, invite, print the attendance sheet, upload the signed scan,
mark who came.
"""

from datetime import date, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.domain.formats import format_count
from app.models import CollectiveAction, FseOperation, Participant, StoredFile
from app.services.reports import actions as svc
from app.services import referential
from app.services.referential import ServiceError
from app.web.context import audit_here, commit_or_refuse, current_scope, get_or_404, get_session, require, send_download
from app.web.crud import attach_error
from forms.fields import select_choices
from forms.followup import ActionEditForm, AttendeeParticipantForm, AttendeePersonForm, ScanUploadForm

bp = Blueprint("actions", __name__, url_prefix="/actions")


def _operation_choices(session) -> list:
    rows = session.scalars(select(FseOperation).order_by(FseOperation.starts_on.desc(), FseOperation.title))
    return select_choices([("", "Aucune"), *((op.id, f"{op.title} ({op.year})") for op in rows)])


@bp.route("/")
@require("read")
def index():
    """List the actions, latest first."""
    return render_template("actions/index.html", actions=svc.list_actions(get_session()))


def _edit(action: CollectiveAction | None):
    session = get_session()
    form = ActionEditForm()
    form.fse_operation_id.choices = _operation_choices(session)
    if request.method == "GET" and action is not None:
        form.process(obj=action)
        form.kind.data = action.kind.value
        form.day.data, form.start_time.data = action.starts_at.date(), action.starts_at.time()
        form.end_time.data = action.ends_at.time() if action.ends_at else None
    if form.validate_on_submit():
        data = {name: value for name, value in form.data.items() if name != "csrf_token"}
        data["starts_at"] = datetime.combine(form.day.data, form.start_time.data)
        data["ends_at"] = datetime.combine(form.day.data, form.end_time.data) if form.end_time.data else None
        try:
            saved = svc.save_action(session, current_scope(), data, action)
        except ServiceError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            session.commit()
            flash("Action enregistrée.", "success")
            return redirect(url_for("actions.detail", action_id=saved.id))
    elif request.method == "POST":
        flash("Le formulaire contient des erreurs : corrigez les champs signalés.", "error")
    return render_template("actions/form.html", form=form, action=action)


@bp.route("/nouvelle", methods=["GET", "POST"])
@require("write")
def new():
    """Create an action."""
    return _edit(None)


@bp.route("/<int:action_id>/modifier", methods=["GET", "POST"])
@require("write")
def edit(action_id: int):
    """Edit an action."""
    return _edit(get_or_404(CollectiveAction, action_id))


def _participant_form(session) -> AttendeeParticipantForm:
    form = AttendeeParticipantForm(prefix="p")
    form.participant_id.choices = select_choices([("", "Choisir…"), *referential.choices(
        session, Participant, lambda p: f"{p.display_name} ({p.code})", (Participant.last_name, Participant.first_name))])
    return form


@bp.route("/<int:action_id>")
@require("read")
def detail(action_id: int):
    """Show an action, its invitees and its attendance."""
    session = get_session()
    action = get_or_404(CollectiveAction, action_id)
    audit_here("read", "collective_action", action.id)
    session.commit()
    scan = session.get(StoredFile, action.signed_scan_file_id) if action.signed_scan_file_id else None
    return render_template("actions/detail.html", action=action, scan=scan, today=date.today(),
                           participant_form=_participant_form(session), person_form=AttendeePersonForm(prefix="x"),
                           scan_form=ScanUploadForm(), label=svc.attendee_label)


@bp.route("/<int:action_id>/participants", methods=["POST"])
@require("write")
def add_participant(action_id: int):
    """Invite a participant."""
    session = get_session()
    action = get_or_404(CollectiveAction, action_id)
    form = _participant_form(session)
    if not form.validate_on_submit():
        flash("Choisissez un participant dans la liste.", "error")
        return redirect(url_for("actions.detail", action_id=action.id))
    commit_or_refuse(lambda: svc.add_participant(session, action, form.participant_id.data),
                     "Participant ajouté à la liste.")
    return redirect(url_for("actions.detail", action_id=action.id))


@bp.route("/<int:action_id>/personnes", methods=["POST"])
@require("write")
def add_person(action_id: int):
    """Invite company or partner staff."""
    session = get_session()
    action = get_or_404(CollectiveAction, action_id)
    form = AttendeePersonForm(prefix="x")
    if not form.validate_on_submit():
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
        return redirect(url_for("actions.detail", action_id=action.id))
    commit_or_refuse(lambda: svc.add_person(session, action, form.name.data, form.structure.data, form.role.data),
                     "Personne ajoutée à la liste.")
    return redirect(url_for("actions.detail", action_id=action.id))


@bp.route("/<int:action_id>/invites/<int:attendee_id>/retirer", methods=["POST"])
@require("write")
def remove_attendee(action_id: int, attendee_id: int):
    """Take someone off the list."""
    session = get_session()
    action = get_or_404(CollectiveAction, action_id)
    commit_or_refuse(lambda: svc.remove_attendee(session, action, attendee_id), "Personne retirée de la liste.")
    return redirect(url_for("actions.detail", action_id=action.id))


@bp.route("/<int:action_id>/presences", methods=["POST"])
@require("write")
def mark_attendance(action_id: int):
    """Record who came, from the ticked boxes."""
    session = get_session()
    action = get_or_404(CollectiveAction, action_id)
    present = {int(value) for value in request.form.getlist("present") if value.isdigit()}
    commit_or_refuse(lambda: svc.mark_attendance(session, action, present, date.today()),
                     lambda count: f"Présences enregistrées : {format_count(count, 'personne présente', 'personnes présentes')} "
                                   f"sur {len(action.attendees)}.")
    return redirect(url_for("actions.detail", action_id=action.id))


@bp.route("/<int:action_id>/emargement.pdf")
@require("read")
def attendance_sheet(action_id: int):
    """Download the attendance sheet to print and sign."""
    session = get_session()
    action = get_or_404(CollectiveAction, action_id)
    pdf = svc.attendance_pdf(session, action)
    audit_here("export", "collective_action", action.id, "feuille d'émargement")
    session.commit()
    return send_download(pdf, "application/pdf", f"emargement-{action.starts_at:%Y-%m-%d}-{action.id}.pdf")


@bp.route("/<int:action_id>/scan", methods=["POST"])
@require("write")
def upload_scan(action_id: int):
    """Keep the signed attendance sheet."""
    session = get_session()
    action = get_or_404(CollectiveAction, action_id)
    form = ScanUploadForm()
    if not form.validate_on_submit():
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
        return redirect(url_for("actions.detail", action_id=action.id))
    commit_or_refuse(lambda: svc.attach_signed_scan(session, action, form.file.data.read()),
                     "Feuille d'émargement signée enregistrée : cochez maintenant les présents.")
    return redirect(url_for("actions.detail", action_id=action.id))
