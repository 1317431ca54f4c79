"""Profils de lecture: point at what each column holds, see the result, save it for next month."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.timesheets import ROLES, suggest_header_row, suggest_roles
from app.domain.timesheets.checks import hours_fr
from app.domain.timesheets.hidden import column_letter
from app.domain.sheetmap.period import month_label
from app.models.timesheets import ReadingProfile, TimesheetImport
from app.services import reading_profiles as svc
from app.services import timesheets as timesheet_svc
from app.services.referential import ServiceError
from app.web.context import audit_here, commit_or_refuse, current_scope, get_or_404, get_session, require

bp = Blueprint("reading_profiles", __name__, url_prefix="/releves")
GRID_ROWS = 40


def _number(text: str | None, default: int) -> int:
    return int(text) if text and text.strip().isdigit() else default


def _chosen(args, sheets) -> dict:
    """Read the mapping from the grid's fields (1-based line numbers, as the grid shows them)."""
    sheet = next((s for s in sheets if s.name == args.get("feuille")), sheets[0])
    header = _number(args.get("entete"), suggest_header_row(sheet.rows) + 1) - 1
    header = min(max(header, 0), max(len(sheet.rows) - 1, 0))
    if any(key.startswith("col-") for key in args):
        roles = {int(key[4:]): value for key, value in args.items()
                 if key.startswith("col-") and key[4:].isdigit() and value in ROLES}
    else:
        roles = suggest_roles(sheet.rows[header]) if sheet.rows else {}
    skip = {_number(value, 0) - 1 for value in args.getlist("sauter")} - {-1}
    return {"sheet": sheet, "header": header, "roles": roles, "skip": skip}


@bp.route("/<int:import_id>/lecture")
@require("upload_timesheets")
def mapping(import_id: int):
    """Show the file as a grid; with columns chosen, show what they give (nothing is saved)."""
    session = get_session()
    imp = get_or_404(TimesheetImport, import_id)
    sheets = _sheets_or_none(imp)
    if sheets is None:
        return redirect(url_for("timesheets.detail", import_id=imp.id))
    chosen = _chosen(request.args, sheets)
    result, error = None, None
    if any(key.startswith("col-") for key in request.args):
        try:
            mapping_ = svc.build_mapping(chosen["sheet"].name, chosen["header"], chosen["roles"], chosen["skip"])
            result = svc.try_mapping(session, imp, mapping_)
        except ServiceError as exc:
            error = str(exc)
    return _render(imp, sheets, chosen, result, error, request.args.get("nom"))


@bp.route("/<int:import_id>/lecture", methods=["POST"])
@require("upload_timesheets")
def save(import_id: int):
    """Save the mapping as the structure's reading profile and read the file with it."""
    session = get_session()
    imp = get_or_404(TimesheetImport, import_id)
    sheets = _sheets_or_none(imp)
    if sheets is None:
        return redirect(url_for("timesheets.detail", import_id=imp.id))
    chosen = _chosen(request.form, sheets)
    try:
        mapping_ = svc.build_mapping(chosen["sheet"].name, chosen["header"], chosen["roles"], chosen["skip"])
        imp = timesheet_svc.learn_layout(session, current_scope(), imp.id, request.form.get("nom", ""), mapping_)
    except ServiceError as exc:
        session.rollback()
        return _render(imp, sheets, chosen, None, f"Rien n'a été enregistré : {exc}", request.form.get("nom"))
    audit_here("update", "timesheet_import", imp.id, "relevé relu avec un profil de lecture")
    session.commit()
    flash(f"Profil de lecture « {imp.preview['profile']} » enregistré : les prochains fichiers de cette "
          "structure avec les mêmes colonnes seront lus de la même façon.", "success")
    return redirect(url_for("timesheets.detail", import_id=imp.id))


def _sheets_or_none(imp: TimesheetImport):
    try:
        sheets = svc.sheets_of(get_session(), imp)
    except ServiceError as exc:
        flash(str(exc), "error")
        return None
    if not any(sheet.rows for sheet in sheets):
        flash("Le fichier ne contient aucune ligne à lire.", "error")
        return None
    return sheets


def _render(imp, sheets, chosen, result, error, name):
    letters = [column_letter(index) for index in range(chosen["sheet"].width)]
    return render_template("timesheets/mapping.html", imp=imp, sheets=sheets, ROLES=ROLES, result=result,
                           error=error, profile_name=name or _default_name(imp), grid_rows=GRID_ROWS,
                           letters=letters, hours_fr=hours_fr, month_label=month_label, **chosen)


def _default_name(imp: TimesheetImport) -> str:
    structure = imp.structure.name if imp.structure else "Structure"
    return f"{structure} — {imp.filename.rsplit('.', 1)[0]}"[:120]


@bp.route("/profils")
@require("manage_reference")
def index():
    """List the reading profiles of every structure."""
    profiles = get_session().scalars(
        select(ReadingProfile).options(selectinload(ReadingProfile.siae), selectinload(ReadingProfile.company))
        .order_by(ReadingProfile.name)).all()
    return render_template("timesheets/profiles.html", profiles=profiles, ROLES=ROLES)


@bp.route("/profils/<int:profile_id>/renommer", methods=["POST"])
@require("manage_reference")
def rename(profile_id: int):
    """Rename a reading profile."""
    session = get_session()
    get_or_404(ReadingProfile, profile_id)
    commit_or_refuse(lambda: svc.rename_profile(session, profile_id, request.form.get("nom", "")),
                     lambda profile: f"Profil renommé : « {profile.name} ».")
    return redirect(url_for("reading_profiles.index"))


@bp.route("/profils/<int:profile_id>/supprimer", methods=["POST"])
@require("manage_reference")
def delete(profile_id: int):
    """Delete a reading profile: the structure's next files are read automatically again."""
    session = get_session()
    get_or_404(ReadingProfile, profile_id)
    commit_or_refuse(lambda: svc.delete_profile(session, profile_id),
                     lambda name: f"Profil « {name} » supprimé : les prochains fichiers seront lus automatiquement.",
                     category="info")
    return redirect(url_for("reading_profiles.index"))
