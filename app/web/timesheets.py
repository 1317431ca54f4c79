"""Relevés d'heures: upload, preview with doubts, confirm (all or nothing), template download."""

import re
import time
from io import BytesIO

from flask import Blueprint, flash, jsonify, redirect, render_template, request, send_file, url_for
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import selectinload

from app.domain.formats import format_count, format_minutes, plural
from app.models.timesheets import ImportStatus, TimesheetImport
from app.services import referential as ref_svc
from app.services import timesheet_people as people_svc
from app.services import timesheets as svc
from app.services.jobs import create_job
from app.services.mail.notifications import notify_sheet_outcome
from app.services.referential import ServiceError
from app.services.figure_cache import figure_cache
from app.web.background import start_job
from app.web.context import audit_here, commit_or_refuse, current_scope, get_or_404, get_session, require
from app.web.crud import attach_error
from app.web.mail import deliver_now, mail_site
from app.web.page_typography import typeset_fragment
from forms.fields import select_choices
from forms.timesheets import TimesheetTemplateForm, TimesheetUploadForm
from workers.jobs import analyse_timesheet_job

bp = Blueprint("timesheets", __name__, url_prefix="/releves")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_REFUSAL = "l'équipe qui suit la clause ne l'a pas retenu ; répondez à ce message pour savoir pourquoi"


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
        except svc.AlreadyReceived as exc:
            session.rollback()
            flash(str(exc), "info")
            return redirect(url_for("timesheets.detail", import_id=exc.import_id))
        except ServiceError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            # Commit before enqueueing: the worker reads both rows from its own session.
            session.commit()
            return start_job(analyse_timesheet_job, job.id, imp.id,
                             target=url_for("timesheets.detail", import_id=imp.id),
                             postponed="Votre fichier a bien été reçu ; il sera lu dès que possible.")
    elif request.method == "POST":
        flash("Le dépôt n'a pas pu être fait : corrigez les champs signalés.", "error")
    return render_template("timesheets/upload.html", form=form)


@bp.route("/<int:import_id>")
@require("read", "read_own")
def detail(import_id: int):
    """Show what was understood and every doubt, or the outcome of the import."""
    imp = get_or_404(TimesheetImport, import_id)
    audit_here("read", "timesheet_import", imp.id)
    get_session().commit()
    return _show(imp)


def _show(imp: TimesheetImport, chosen=None, refused=None):
    """Render the import; ``chosen`` is a refused confirmation's form, whose every choice is kept.

    ``refused`` gives, by person key, why a line could not be written as chosen (shown beside it).
    """
    session = get_session()
    chosen = chosen or {}
    can_confirm = current_scope().can("upload_timesheets")
    rows_html = ""
    if imp.status == ImportStatus.PREVIEW:
        def rows() -> Markup:
            options, found = _line_options(session, imp, chosen)
            html = render_template(
                "timesheets/_preview_rows.html", imp=imp, preview=imp.preview, options=options, found=found,
                IGNORE=svc.IGNORE, ACCEPT=svc.ACCEPT, checks=svc.preview_checks(session, imp), chosen=chosen,
                refused=refused or {}, can_confirm=can_confirm)
            # The template's indentation, 300 times over, is a tenth of the page: one line break is
            # rendered the same (no pre or textarea among the lines).
            return typeset_fragment(_BETWEEN_TAGS.sub(">\n<", html))

        if chosen or refused:
            rows_html = rows()
        else:
            # A 300-person preview is opened again and again while the file is checked: its lines are
            # rendered once per data version (any new hour, placement or import renders them again).
            rows_html = figure_cache.get_or_compute(session, imp.organisation_id,
                                                    ("timesheet-preview", imp.id, can_confirm), rows)
    replacing = svc.replacement_notice(session, imp)
    return render_template("timesheets/detail.html", imp=imp, rows_html=rows_html, replacing=replacing,
                           chosen=chosen, can_confirm=can_confirm)


def _line_options(session, imp: TimesheetImport, chosen) -> tuple[dict[int, list], dict[int, list]]:
    """Return, per line, the choices of its select (value, label), and what its search found.

    A matched line offers its participant; an unresolved one its suggestions, what the user
    searched for and the choice already made — never the structure's whole list (issue #22).
    """
    people = (imp.preview or {}).get("people", [])
    picked = {index: chosen.get(f"person-{index}", str(person["participant_id"] or ""))
              for index, person in enumerate(people)}
    labels = people_svc.candidate_labels(session, imp, [
        *(person["participant_id"] for person in people if person["participant_id"]),
        *(s["id"] for person in people if not person["participant_id"] for s in person["suggestions"]),
        *picked.values()])
    found = {index: people_svc.search_candidates(session, imp, chosen.get(f"search-{index}", ""))
             for index in range(len(people)) if chosen.get(f"search-{index}", "").strip()}
    if any(found.values()):
        _audit_search(imp)
    options = {}
    for index, person in enumerate(people):
        if person["participant_id"]:
            pid = person["participant_id"]
            line = [(str(pid), labels.get(pid, f"{person['last_name']} {person['first_name']}"))]
        else:
            line = [("", "— Choisir —")]
            line += [(str(s["id"]), f"{labels.get(s['id'], s['label'])} — suggestion {s['score']} %")
                     for s in person["suggestions"]]
        line += [(str(item["id"]), item["label"]) for item in found.get(index, [])]
        if picked[index].isdigit() and int(picked[index]) in labels:
            line.append((picked[index], labels[int(picked[index])]))
        # The same person may be a suggestion, a search result and the choice made: listed once.
        unique: dict[str, str] = {}
        for value, label in line:
            unique.setdefault(value, label)
        options[index] = [*unique.items(), (svc.IGNORE, "— Ignorer cette ligne —")]
    return options, found


@bp.route("/<int:import_id>/participants")
@require("read", "read_own")
def participants(import_id: int):
    """Answer the preview's search field: the structure's participants matching ``q`` (JSON)."""
    imp = get_or_404(TimesheetImport, import_id)
    found = people_svc.search_candidates(get_session(), imp, request.args.get("q", ""))
    if found:
        _audit_search(imp)
    return jsonify(found)


def _audit_search(imp: TimesheetImport) -> None:
    # Names of the structure read through a search: recorded, but never what was typed.
    audit_here("read", "participant", None, f"recherche pour le relevé n° {imp.id}")
    get_session().commit()


_BETWEEN_TAGS = re.compile(r">\s+<")

# A confirmation that lost a write race on SQLite is tried again (then it finds the other one's).
CONFIRM_ATTEMPTS = 4


@bp.route("/<int:import_id>/confirmer", methods=["POST"])
@require("upload_timesheets")
def confirm(import_id: int):
    """Write the records of the import in one transaction, or nothing.

    « Corriger » and « Rechercher » buttons submit this form too: the page comes back with their
    line's search, nothing is written.
    """
    if "fix" in request.form or "find" in request.form:
        # The page without JavaScript: shown again with what each line's search found.
        return _show(get_or_404(TimesheetImport, import_id), chosen=request.form)
    session = get_session()
    imp = get_or_404(TimesheetImport, import_id)
    people = (imp.preview or {}).get("people", [])
    decisions = {person["key"]: request.form.get(f"person-{index}", "") for index, person in enumerate(people)}
    for index, person in enumerate(people):
        for kind in ("double", "outside"):
            if request.form.get(f"{kind}-{index}"):
                decisions[f"{kind}:{person['key']}"] = request.form[f"{kind}-{index}"]
    month = request.form.get("month") or None
    for attempt in range(CONFIRM_ATTEMPTS):
        try:
            imp = svc.confirm_import(session, current_scope(), import_id, decisions, month)
            audit_here("update", "timesheet_import", imp.id, "relevé confirmé")
            notified = notify_sheet_outcome(session, mail_site(), imp, by_user_id=current_scope().user_id)
            session.commit()
            break
        except svc.AlreadyConfirmed:
            return _already_confirmed(import_id)
        except svc.LinesRefused as exc:
            session.rollback()
            count = len(exc.reasons)
            flash(f"Rien n'a été enregistré : {format_count(count, 'ligne à revoir', 'lignes à revoir')}, "
                  f"{plural(count, 'signalée')} ci-dessous.", "error")
            return _show(get_or_404(TimesheetImport, import_id), chosen=request.form, refused=exc.reasons)
        except (ServiceError, ValueError) as exc:
            session.rollback()
            flash(f"Rien n'a été enregistré : {exc}", "error")
            # Render the preview again with the posted choices rather than redirecting: with
            # thirty lines, the names already matched must not go back to « — Choisir — ».
            return _show(get_or_404(TimesheetImport, import_id), chosen=request.form)
        except DBAPIError:
            # A concurrent confirmation won the race: the unique index refused our records, or,
            # on SQLite, the other writer held the database (« database is locked ») — possibly
            # before it committed. Rolled back, nothing of ours is written: look again, shortly.
            session.rollback()
            if svc.is_confirmed(session, import_id):
                return _already_confirmed(import_id)
            if attempt == CONFIRM_ATTEMPTS - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    if notified is not None:
        deliver_now()
    flash(f"Relevé enregistré : {format_count(imp.records_count, 'mise en situation', 'mises en situation')}, "
          f"{format_minutes(imp.total_minutes)}.", "success")
    return redirect(url_for("timesheets.detail", import_id=imp.id))


def _already_confirmed(import_id: int):
    get_session().rollback()
    flash(svc.ALREADY_CONFIRMED, "info")
    return redirect(url_for("timesheets.detail", import_id=import_id))


@bp.route("/<int:import_id>/abandonner", methods=["POST"])
@require("upload_timesheets")
def cancel(import_id: int):
    """Abandon a previewed import."""
    session = get_session()
    get_or_404(TimesheetImport, import_id)
    reason = (request.form.get("reason") or "").strip()[:300] or DEFAULT_REFUSAL
    notified = []

    def cancel_and_tell():
        imp = svc.cancel_import(session, import_id)
        notified.append(notify_sheet_outcome(session, mail_site(), imp, reason=reason,
                                             by_user_id=current_scope().user_id))

    if commit_or_refuse(cancel_and_tell, "Relevé abandonné : aucune heure n'a été enregistrée.", category="info") \
            and notified[0] is not None:
        deliver_now()
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
    # The pre-filled sheet lists the structure's people: an export, recorded by ids only.
    audit_here("export", "timesheet_template", None, f"modèle de relevé {form.structure.data} {form.month.data}")
    session.commit()
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
