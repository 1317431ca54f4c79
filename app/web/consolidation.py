"""Consolidation: a body's view of the partner territories that agreed to it, their pseudonymised tables,
the consolidated dossier, and the agreements themselves (administrators only).
"""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from app.domain.formats import format_date_fr
from app.domain.reports import build_impact_xlsx
from app.services.files import XLSX_TYPE
from app.services.reports import consolidated_dossier as dossier_svc
from app.services.reports import consolidation as svc
from app.services.referential import ServiceError
from app.web.background import start_job
from app.web.context import commit_or_refuse, current_scope, get_session, require, send_download
from app.web.crud import attach_error
from forms.consolidation import ConsolidationPeriodForm, ConsolidationRequestForm
from forms.fields import select_choices
from workers.jobs import build_consolidated_dossier_job

bp = Blueprint("consolidation", __name__, url_prefix="/consolidation")
# Agreements bind the organisation: they are its administrator's, the one who manages its accounts.
MANAGE = "manage_users"


def _period(form: ConsolidationPeriodForm) -> tuple[date, date]:
    """Return the form's period, the current calendar year by default."""
    today = date.today()
    return form.starts_on.data or date(today.year, 1, 1), form.ends_on.data or date(today.year, 12, 31)


@bp.route("/")
@require("read")
def index():
    """Show each territory's indicators for the period, their total, and the consolidated dossiers."""
    session = get_session()
    form = ConsolidationPeriodForm(request.args)
    status = 200
    if not form.validate():
        flash("La période contient des erreurs : corrigez-la. L'année en cours est affichée en attendant.", "error")
        form.starts_on.data = form.ends_on.data = None
        status = 400
    starts_on, ends_on = _period(form)
    form.starts_on.data, form.ends_on.data = starts_on, ends_on
    consolidation = svc.consolidate(session, current_scope().organisation_id, starts_on, ends_on)
    as_body, as_partner = svc.agreements_of(session, current_scope())
    return render_template("consolidation/index.html", form=form, consolidation=consolidation, agreements=as_body,
                           consolidated_by=[line for line in as_partner if line.is_active],
                           dossiers=dossier_svc.recent_dossiers(session), may_manage=current_scope().can(MANAGE),
                           period={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()}), status


@bp.route("/tableau-impact.xlsx")
@require("read")
def impact():
    """Download one territory's pseudonymised tableau d'impact (the organisation's own by default)."""
    form = ConsolidationPeriodForm(request.args)
    if not form.validate():
        flash("La période contient des erreurs : corrigez-la.", "error")
        return redirect(url_for("consolidation.index"))
    starts_on, ends_on = _period(form)
    scope = current_scope()
    organisation_id = request.args.get("territoire", scope.organisation_id, type=int)
    try:
        territory = svc.read_territory(scope.organisation_id, organisation_id, starts_on, ends_on)
    except svc.NotAgreed:
        abort(404)
    data = build_impact_xlsx(territory.rows, territory.figures, title=f"Tableau d'impact — {territory.label}",
                             generated_on=date.today(), pseudonymise=True)
    svc.record_export(get_session(), scope, organisation_id, "tableau d'impact pseudonymisé d'un territoire")
    get_session().commit()
    return send_download(data, XLSX_TYPE, f"tableau-impact-territoire-{organisation_id}-{starts_on:%Y-%m-%d}"
                                          f"-au-{ends_on:%Y-%m-%d}.xlsx")


@bp.route("/dossiers", methods=["POST"])
@require("read")
def request_dossier():
    """Have the consolidated dossier of the period built in the background."""
    form = ConsolidationPeriodForm(request.form)
    if not form.validate():
        flash("La période contient des erreurs : corrigez-la.", "error")
        return redirect(url_for("consolidation.index"))
    starts_on, ends_on = _period(form)
    session = get_session()
    job = dossier_svc.request_consolidated_dossier(session, current_scope())
    # Commit before enqueueing: the worker reads the job row from its own session.
    session.commit()
    back = url_for("consolidation.index", starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())
    return start_job(build_consolidated_dossier_job, job.id, dossier_svc.date_int(starts_on),
                     dossier_svc.date_int(ends_on), target=back,
                     postponed=f"Votre demande de dossier consolidé du {format_date_fr(starts_on)} au "
                               f"{format_date_fr(ends_on)} est enregistrée ; il sera prêt dès que possible.")


def _with_choices(form: ConsolidationRequestForm) -> ConsolidationRequestForm:
    choices = [(org.id, org.label) for org in svc.organisations_to_ask(get_session(), current_scope())]
    form.partner_id.choices = select_choices([("", "Choisir une organisation…"), *choices])
    return form


def _agreements_page(form: ConsolidationRequestForm, status: int = 200):
    _with_choices(form)
    as_body, as_partner = svc.agreements_of(get_session(), current_scope())
    return render_template("consolidation/agreements.html", form=form, as_body=as_body,
                           as_partner=as_partner), status


@bp.route("/accords")
@require(MANAGE)
def agreements():
    """Show the agreements asked by and of the organisation, and the form to ask one."""
    return _agreements_page(ConsolidationRequestForm())


@bp.route("/accords", methods=["POST"])
@require(MANAGE)
def ask():
    """Ask an organisation to agree that this one consolidates its figures."""
    form = _with_choices(ConsolidationRequestForm())
    if not form.validate_on_submit():
        return _agreements_page(form, 400)
    session = get_session()
    try:
        svc.request_agreement(session, current_scope(), form.partner_id.data)
    except ServiceError as exc:
        session.rollback()
        attach_error(form, exc)
        return _agreements_page(form, 400)
    session.commit()
    flash("Demande envoyée : l'administrateur de l'organisation la verra sur sa page « Consolidation ».", "success")
    return redirect(url_for("consolidation.agreements"))


def _answer(change, agreement_id: int, success: str):
    try:
        commit_or_refuse(lambda: change(get_session(), current_scope(), agreement_id), success)
    except svc.NotAgreed:
        abort(404)
    return redirect(url_for("consolidation.agreements"))


@bp.route("/accords/<int:agreement_id>/accepter", methods=["POST"])
@require(MANAGE)
def agree(agreement_id: int):
    """Accept a request: the body will see the organisation's figures and pseudonymised tables."""
    return _answer(svc.agree, agreement_id, "Consolidation acceptée : la structure consolidante voit désormais vos "
                                            "indicateurs et vos tableaux pseudonymisés, jamais de noms.")


@bp.route("/accords/<int:agreement_id>/refuser", methods=["POST"])
@require(MANAGE)
def refuse(agreement_id: int):
    """Refuse a request."""
    return _answer(svc.refuse, agreement_id, "Demande refusée : rien de votre organisation n'est partagé.")


@bp.route("/accords/<int:agreement_id>/terminer", methods=["POST"])
@require(MANAGE)
def end(agreement_id: int):
    """End an agreement, or withdraw a request: nothing more is read from then on."""
    return _answer(svc.end_agreement, agreement_id, "Accord terminé : plus aucun chiffre n'est partagé à partir "
                                                    "d'aujourd'hui.")
