"""Importer des données: one page per kind, a mapping grid, a preview, then all or nothing.

The file is read and written by jobs (app/services/dataimport/jobs.py); these views store the
user's choices, queue the job and show what the job kept on the DataImport row. Participants
are personal data: only admins and facilitateurs (« write ») open these pages.
"""

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from sqlalchemy import select

from app.domain.dataimport import ACTION_LABELS, KINDS
from app.domain.timesheets.hidden import column_letter
from app.models import DataImport, DataImportStatus
from app.services.dataimport import export_rows
from app.services.dataimport import imports as svc
from app.services.referential import ServiceError
from app.services.files import XLSX_TYPE
from app.web.background import start_job
from app.web.context import audit_here, commit_or_refuse, current_scope, get_or_404, get_session, require
from app.web.crud import attach_error
from forms.dataimport import DataImportUploadForm
from forms.fields import select_choices
from workers.jobs import analyse_data_import_job, confirm_data_import_job

bp = Blueprint("dataimport", __name__, url_prefix="/donnees")

# Where the records of a kind are listed, once imported (a kind without a list has no link).
LISTS = {"companies": "companies.index", "siae": "siaes.index", "buyers": "buyers.index", "tenders": "tenders.index",
         "participants": "participants.index", "placements": "placements.index",
         "conventions": "conventions.index"}
RECENT = 3


def _kind_or_404(name: str):
    kind = KINDS.get(name)
    if kind is None:
        abort(404)
    return kind


@bp.route("/")
@require("write")
def index():
    """List the kinds one can import, with their columns, saved profiles and last imports."""
    session = get_session()
    recent: dict[str, list[DataImport]] = {}
    for imp in session.scalars(select(DataImport).order_by(DataImport.id.desc()).limit(200)):
        if len(recent.setdefault(imp.kind, [])) < RECENT:
            recent[imp.kind].append(imp)
    profiles = {kind.name: svc.profiles_of(session, kind.name) for kind in KINDS.values()}
    return render_template("dataimport/index.html", kinds=list(KINDS.values()), recent=recent, profiles=profiles,
                           lists=LISTS)


@bp.route("/<kind_name>/importer", methods=["GET", "POST"])
@require("write")
def upload(kind_name: str):
    """Receive a file of one kind, then read it in the background."""
    kind = _kind_or_404(kind_name)
    session = get_session()
    form = DataImportUploadForm()
    form.profile.choices = select_choices([("", "Reconnaître les colonnes automatiquement"),
                                           *((p.name, p.name) for p in svc.profiles_of(session, kind.name))])
    if form.validate_on_submit():
        scope = current_scope()
        upload_file = form.file.data
        try:
            imp = svc.receive_import(session, scope, kind.name, upload_file.filename or "import",
                                     upload_file.read(svc.IMPORT_LIMITS.max_file_bytes + 1), form.profile.data or None)
        except ServiceError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            # Commit before enqueueing: the job reads the rows from its own session.
            session.commit()
            return _start(analyse_data_import_job, imp, "Votre fichier a bien été reçu ; il sera lu dès que possible.")
    elif request.method == "POST":
        flash("Le fichier n'a pas pu être reçu : corrigez les champs signalés.", "error")
    return render_template("dataimport/upload.html", kind=kind, form=form)


def _start(job_function, imp: DataImport, postponed: str):
    return start_job(job_function, imp.job_id, imp.id, target=url_for("dataimport.detail", import_id=imp.id),
                     postponed=postponed)


@bp.route("/imports/<int:import_id>")
@require("write")
def detail(import_id: int):
    """Show the mapping grid, the unknown values and the plan, or the outcome."""
    imp = get_or_404(DataImport, import_id)
    # The sheet's first lines and the plan's keys may name participants: the read is recorded.
    audit_here("read", "data_import", imp.id)
    get_session().commit()
    return _show(imp)


def _show(imp: DataImport, status: int = 200, posted=None):
    """Render the import; ``posted`` is a refused grid's form, whose column choices are kept."""
    kind = _kind_or_404(imp.kind)
    preview = imp.sheet_preview or {}
    mapping = imp.mapping or {}
    columns = {int(index): role for index, role in (mapping.get("columns") or {}).items()}
    if posted:
        columns = {index: posted.get(f"col-{index}", "") for index in range(preview.get("width", 0))}
    report = imp.report or {}
    chosen_maps = imp.value_maps or {}
    # Every coded column's unknown spellings, and those already mapped (still open to change).
    unknown = []
    for field in kind.fields:
        if not field.coded:
            continue
        spellings = [*(report.get("unknown") or {}).get(field.role, []), *chosen_maps.get(field.role, {})]
        if spellings:
            unknown.append((field, list(dict.fromkeys(spellings))))
    labels = {field.role: field.label for field in kind.fields}
    html = render_template(
        "dataimport/detail.html", imp=imp, kind=kind, preview=preview, header=mapping.get("header_row", 0),
        columns=columns, letters=[column_letter(i) for i in range(preview.get("width", 0))], report=report,
        unknown=unknown, labels=labels, ACTION_LABELS=ACTION_LABELS, busy=svc.is_busy(imp),
        can_confirm=(imp.status == DataImportStatus.PREVIEW and not imp.error and report
                     and not report.get("errors") and not svc.is_busy(imp)),
        list_endpoint=LISTS.get(kind.name), chosen_maps=chosen_maps)
    return html, status


@bp.route("/imports/<int:import_id>/relire", methods=["POST"])
@require("write")
def reread(import_id: int):
    """Keep the grid's choices (and the profile, when named) and read the file again with them."""
    session = get_session()
    imp = get_or_404(DataImport, import_id)
    form = request.form
    width = (imp.sheet_preview or {}).get("width", 0)
    columns = {index: form.get(f"col-{index}", "") for index in range(width)}
    value_maps: dict[str, dict[str, str]] = {}
    for key, spelling in form.items():
        if key.startswith("inconnu-") and key[8:].isdigit():
            number = key[8:]
            value_maps.setdefault(form.get(f"champ-{number}", ""), {})[spelling] = form.get(f"code-{number}", "")
    header = form.get("entete", "")
    try:
        svc.apply_choices(session, current_scope(), imp, int(header) if header.strip().isdigit() else 0, columns,
                          value_maps, form.get("profil", ""))
    except ServiceError as exc:
        session.rollback()
        flash(f"Rien n'a été changé : {exc}", "error")
        return _show(get_or_404(DataImport, import_id), 422, form)
    audit_here("update", "data_import", imp.id, "import relu avec les choix de la grille")
    session.commit()
    if imp.profile_name and form.get("profil", "").strip():
        flash(f"Profil d'import « {imp.profile_name} » enregistré : les prochains fichiers avec les mêmes colonnes "
              "seront lus de la même façon.", "success")
    return _start(analyse_data_import_job, imp, "Vos choix sont enregistrés ; le fichier sera relu dès que possible.")


@bp.route("/imports/<int:import_id>/importer", methods=["POST"])
@require("write")
def confirm(import_id: int):
    """Write every line of the import in one transaction, or none (in the background)."""
    session = get_session()
    imp = get_or_404(DataImport, import_id)
    try:
        svc.request_confirmation(session, current_scope(), imp)
    except ServiceError as exc:
        session.rollback()
        flash(f"Rien n'a été enregistré : {exc}", "error")
        return redirect(url_for("dataimport.detail", import_id=import_id))
    audit_here("update", "data_import", imp.id, "import confirmé")
    session.commit()
    return _start(confirm_data_import_job, imp, "Votre demande est enregistrée ; l'import se fera dès que possible.")


@bp.route("/imports/<int:import_id>/abandonner", methods=["POST"])
@require("write")
def cancel(import_id: int):
    """Abandon an import that was not written."""
    session = get_session()
    imp = get_or_404(DataImport, import_id)
    commit_or_refuse(lambda: svc.cancel_import(session, imp), "Import abandonné : rien n'a été enregistré.",
                     category="info")
    return redirect(url_for("dataimport.index"))


@bp.route("/<kind_name>/export.xlsx")
@require("write")
def export(kind_name: str):
    """Download the organisation's records of a kind in the layout the import reads."""
    kind = _kind_or_404(kind_name)
    session = get_session()
    data = export_rows(session, current_scope(), kind)  # audited there
    session.commit()
    return send_file(BytesIO(data), mimetype=XLSX_TYPE, as_attachment=True,
                     download_name=f"clausier-{kind.name}.xlsx", max_age=0)
