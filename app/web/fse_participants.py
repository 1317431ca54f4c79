"""FSE+ participant records of an operation: completeness first, one line per participant, each
record's form (entry, exit, 6-month survey) and the common-indicator table.

Reading needs « read » (staff only); saving a record needs « manage_fse ». Every page names
participants, so each opening is written to the audit trail (DOMAIN.md §9).
"""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from app.domain.reports import common_indicators, completeness, correction_warning, missing_fields
from app.domain.reports.fse_indicators import RECORDS_HINT
from app.models import FseOperation
from app.services.files import XLSX_TYPE
from app.services.referential import ServiceError
from app.services.reports import fse_records as svc
from app.services.reports.exports import safe_filename
from app.web.context import audit_here, current_scope, get_or_404, get_session, require, send_download
from app.web.crud import attach_error
from forms.fse_participants import FseRecordForm

bp = Blueprint("fse_participants", __name__, url_prefix="/fse/operations")


@bp.route("/<int:operation_id>/participants")
@require("read")
def index(operation_id: int):
    """List the operation's participants with what each record lacks, completeness first."""
    session = get_session()
    operation = get_or_404(FseOperation, operation_id)
    today = date.today()
    people = svc.operation_participants(session, operation.id, today)
    result = completeness(people, today)
    missing = {item.participant_code: item.fields for item in result.missing}
    audit_here("read", "fse_participants", operation.id, "participants FSE+ de l'opération")
    session.commit()
    return render_template("fse_participants/index.html", operation=operation, people=people, result=result,
                           missing=missing, warning=correction_warning(result, hint=RECORDS_HINT),
                           indicators=common_indicators(people, today), today=today)


@bp.route("/<int:operation_id>/indicateurs-communs.xlsx")
@require("read")
def indicators(operation_id: int):
    """Download the common-indicator table of the operation (aggregates only, no name)."""
    session = get_session()
    operation = get_or_404(FseOperation, operation_id)
    today = date.today()
    data = svc.common_indicators_piece(session, operation.id, today)
    audit_here("export", "fse_common_indicators", operation.id, "indicateurs communs FSE+")
    session.commit()
    return send_download(data, XLSX_TYPE, f"indicateurs-communs-fse-{safe_filename(operation.title, 40)}-"
                                          f"{today:%Y-%m-%d}.xlsx")


def _record_page(operation: FseOperation, person, form: FseRecordForm, status: int = 200):
    today = date.today()
    return render_template("fse_participants/record.html", operation=operation, person=person, form=form,
                           missing=missing_fields(person, today), today=today,
                           can_save=current_scope().can("manage_fse")), status


@bp.route("/<int:operation_id>/participants/<int:participant_id>", methods=["GET", "POST"])
@require("read")
def record(operation_id: int, participant_id: int):
    """Show a participant's FSE+ record; save it (« manage_fse »)."""
    session = get_session()
    operation = get_or_404(FseOperation, operation_id)
    person = svc.find_participant(session, operation.id, participant_id, date.today())
    if person is None:
        abort(404)
    form = FseRecordForm()
    if request.method == "GET":
        form.load(svc.stored_records(session, operation.id).get(participant_id))
        audit_here("read", "fse_participant_record", participant_id, f"opération {operation.id}")
        session.commit()
        return _record_page(operation, person, form)
    if not current_scope().can("manage_fse"):
        abort(403)
    if not form.validate_on_submit():
        flash("Le formulaire contient des erreurs : corrigez les champs signalés.", "error")
        return _record_page(operation, person, form, 400)
    try:
        svc.save_record(session, current_scope(), operation, participant_id, form.record_data())
    except ServiceError as exc:
        session.rollback()
        attach_error(form, exc)
        return _record_page(operation, person, form, 400)
    audit_here("update", "fse_participant_record", participant_id, f"opération {operation.id}")
    session.commit()
    flash(f"Fiche FSE+ de {person.participant_code} enregistrée.", "success")
    return redirect(url_for("fse_participants.index", operation_id=operation.id))
