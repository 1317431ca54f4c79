"""The veille: import DECP files with a preview, the flagged contracts per buyer, tenders pre-filled."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from app.domain.decp import DecpError, parse_decp
from app.domain.decp.checks import FLAG_LABELS
from app.db import refresh_statistics
from app.domain.formats import format_count, plural
from app.models import Buyer, ClausableRuleRef, StoredFile
from app.services.files import store_file
from app.services.referential import ServiceError
from app.services.reperage import imports as import_svc
from app.services.reperage.rules import ensure_clausable_rules, save_clausable_rule
from app.services.reperage.veille import prefill_tender, veille
from app.web.context import audit_here, current_scope, get_or_404, get_session, require
from app.web.crud import attach_error
from forms.reperage import ClausableRuleForm, DecpUploadForm

# From this many new records the planner's statistics are refreshed at once (ANALYZE).
LARGE_IMPORT = 1000
bp = Blueprint("veille", __name__, url_prefix="/veille")
OWNER_KIND = "decp_import"


@bp.route("/")
@require("read")
def index():
    """List the buyers with imported contracts and the count of each flag."""
    entries = veille(get_session(), current_scope().organisation_id)
    return render_template("veille/index.html", entries=entries, labels=FLAG_LABELS)


@bp.route("/acheteurs/<int:buyer_id>")
@require("read")
def buyer(buyer_id: int):
    """Show one buyer's imported contracts with their flags."""
    found = get_or_404(Buyer, buyer_id)
    entries = veille(get_session(), current_scope().organisation_id, found.id)
    return render_template("veille/buyer.html", buyer=found, entry=entries[0] if entries else None,
                           labels=FLAG_LABELS)


@bp.route("/importer", methods=["GET", "POST"])
@require("write")
def upload():
    """Receive a DECP file and show what importing it would do."""
    session = get_session()
    form = DecpUploadForm()
    if form.validate_on_submit():
        # Flask refuses bodies above MAX_CONTENT_LENGTH (20 Mo) before this view runs.
        data = form.file.data.read()
        name = form.file.data.filename or "decp"
        try:
            decp_file = parse_decp(data)
        except DecpError as exc:
            form.file.errors.append(f"Ce fichier ne peut pas être lu : {exc.message_fr}")
        else:
            scope = current_scope()
            stored = store_file(session, scope.organisation_id, OWNER_KIND, scope.user_id or 0, name,
                                "application/octet-stream", data)
            plan = import_svc.plan_decp_import(session, scope.organisation_id, decp_file, date.today())
            session.commit()
            return render_template("veille/preview.html", plan=plan, stored=stored, labels=FLAG_LABELS,
                                   import_svc=import_svc)
    return render_template("veille/upload.html", form=form)


@bp.route("/importer/<int:file_id>/confirmer", methods=["POST"])
@require("write")
def confirm(file_id: int):
    """Import the previewed file: buyers, companies and contracts, in one transaction."""
    session = get_session()
    stored = session.get(StoredFile, file_id)
    if stored is None or stored.owner_kind != OWNER_KIND:
        abort(404)
    scope = current_scope()
    try:
        decp_file = parse_decp(stored.data)
    except DecpError as exc:
        flash(f"Rien n'a été importé : {exc.message_fr}", "error")
        return redirect(url_for("veille.upload"))
    plan = import_svc.plan_decp_import(session, scope.organisation_id, decp_file, date.today())
    import_svc.apply_decp_import(session, scope.organisation_id, plan, stored.name)
    audit_here("create", "decp_import", stored.id, stored.name)
    session.delete(stored)  # the records keep what matters; the raw file is public data anyway
    session.commit()
    if plan.count(import_svc.CREATE) >= LARGE_IMPORT:
        refresh_statistics(session.get_bind())
    created, known = plan.count(import_svc.CREATE), plan.count(import_svc.KNOWN)
    flash(f"Import enregistré : {format_count(created, 'marché créé', 'marchés créés')}, "
          f"{plan.count(import_svc.UPDATE)} mis à jour, {known} déjà {plural(known, 'connu')} ; "
          f"{format_count(len(plan.flags), 'signalement')}.", "success")
    return redirect(url_for("veille.index"))


@bp.route("/publications/<int:record_id>/preremplir", methods=["POST"])
@require("write")
def prefill(record_id: int):
    """Create a tender and its lot from an imported contract, then open it."""
    session = get_session()
    try:
        tender = prefill_tender(session, current_scope().organisation_id, record_id)
    except ServiceError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("veille.index"))
    audit_here("create", "tender", tender.id, "pré-rempli depuis la DECP")
    session.commit()
    flash("Marché pré-rempli depuis la DECP : vérifiez-le, puis calculez la clause.", "success")
    return redirect(url_for("tenders.detail", row_id=tender.id))


@bp.route("/regles", methods=["GET", "POST"])
@require("read")
def rules():
    """List the clausable rules; an administrator adds or changes one."""
    session = get_session()
    scope = current_scope()
    form = ClausableRuleForm()
    if form.validate_on_submit():
        if not scope.can("manage_reference"):
            abort(403)
        try:
            save_clausable_rule(session, scope.organisation_id, form.cpv_prefix.data, form.min_amount.data,
                                form.label.data or "", form.source.data)
        except ServiceError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            session.commit()
            flash("Règle enregistrée.", "success")
            return redirect(url_for("veille.rules"))
    ensure_clausable_rules(session, scope.organisation_id)
    session.commit()
    rows = session.scalars(select(ClausableRuleRef).order_by(ClausableRuleRef.cpv_prefix)).all()
    return render_template("veille/rules.html", rows=rows, form=form, can_edit=scope.can("manage_reference"))

