"""Tableaux de bord: per tender, lot, company, SIAE, buyer and the whole territory; participant
follow-up with exits and the 6-month survey reminders.
"""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain.documents.charts import month_label
from app.domain.reports.bilan import monthly_alt, progress_alt
from app.domain.formats import format_pct
from app.domain.reports import definitions_note, indicator_lines
from app.domain.reports.breakdowns import DIMENSIONS, TRADE_NOTE, compute_breakdowns
from app.models import Buyer, Company, Lot, Participant, ParticipantExit, Placement, Siae, Tender
from app.services.reports import exits as exit_svc
from app.services.reports.dashboards import build_dashboard, participant_followup
from app.services.reports.exports import ReportFilter
from app.services.referential import PAGE_SIZE, Page, ServiceError
from app.services.figure_cache import figure_cache
from app.web.charts import monthly_chart, progress_chart
from app.web.page_typography import typeset_fragment
from app.web.export_links import exports_page_link, report_links
from app.web.context import audit_here, commit_or_refuse, current_scope, get_or_404, get_session, require
from app.web.crud import attach_error
from forms.followup import ExitRecordForm, FollowUpForm

bp = Blueprint("dashboards", __name__, url_prefix="/tableaux-de-bord")
LOTS_PER_PAGE = PAGE_SIZE


def _render(title: str, flt: ReportFilter, back: tuple[str, str] | None = None, exports=None, body_extra=None):
    """Show a dashboard; its body (figures, alerts, charts, tables) comes from the figures' cache.

    The body is rendered and typeset once per data version, scope, day and page of lots: a page
    under load only renders its frame (menu, title, export links). ``body_extra`` returns what
    else the body shows (the territory's surveys due and SIAE), read only when it is rendered.
    """
    session = get_session()
    today = date.today()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    key = ("dashboard-page", request.endpoint, flt, today, page)
    body = figure_cache.get_or_compute(session, flt.organisation_id, key,
                                       lambda: _body(session, flt, today, page, body_extra() if body_extra else {}))
    return render_template("dashboards/show.html", title=title, today=today, body=body, back=back, exports=exports)


def _body(session, flt: ReportFilter, today: date, page: int, extra: dict) -> Markup:
    dashboard = build_dashboard(session, flt, title="", today=today)
    if extra.get("with_breakdowns"):
        # The territory's lots by commune, EPCI, CPV division and trade: the same lots as its totals.
        extra = {**extra, "breakdowns": compute_breakdowns(dashboard.figures.lots)}
    charts = {}
    if dashboard.months:
        charts["monthly"] = monthly_chart(dashboard.months, "Heures réalisées par mois", monthly_alt(dashboard.months))
    if dashboard.has_requirement:
        charts["progress"] = progress_chart(dashboard.done, dashboard.required,
                                            progress_alt(dashboard.required, dashboard.done))
    # A territory follows hundreds of lots: the table shows them a page at a time (the figures and
    # alerts above cover them all).
    lots_page = Page.of(dashboard.lots, page, LOTS_PER_PAGE)
    html = render_template("dashboards/_body.html", dashboard=dashboard, charts=charts, lots_page=lots_page,
                           lots_per_page=LOTS_PER_PAGE,
                           lots_url=lambda number: url_for(request.endpoint, **request.view_args, page=number),
                           lines=indicator_lines(dashboard.figures), definitions=definitions_note(), pct=format_pct,
                           month_label=month_label, dimensions=DIMENSIONS, trade_note=TRADE_NOTE, **extra)
    return typeset_fragment(html)


def _filter(**kwargs) -> ReportFilter:
    return ReportFilter(current_scope().organisation_id, **kwargs)


@bp.route("/")
@require("read")
def index():
    """Show the whole territory: hours, alerts, surveys due."""
    session = get_session()
    organisation_id = current_scope().organisation_id

    def territory() -> dict:
        return {"follow_ups": exit_svc.follow_ups_due(session, organisation_id, date.today(), limit=10),
                "siaes": session.scalars(select(Siae).order_by(Siae.name)).all(), "with_breakdowns": True}

    return _render("Tableau de bord du territoire", _filter(), exports=report_links(current_scope()),
                   body_extra=territory)


@bp.route("/marches/<int:tender_id>")
@require("read")
def tender(tender_id: int):
    """Show one tender's lots."""
    row = get_or_404(Tender, tender_id)
    return _render(f"Marché {row.reference} — {row.object}", _filter(tender_ids=(row.id,)),
                   back=(url_for("tenders.detail", row_id=row.id), "Retour au marché"),
                   exports=exports_page_link(current_scope()))


@bp.route("/lots/<int:lot_id>")
@require("read")
def lot(lot_id: int):
    """Show one lot."""
    row = get_or_404(Lot, lot_id, options=(joinedload(Lot.tender),))
    return _render(f"Marché {row.tender.reference} — lot {row.number} : {row.label}", _filter(lot_id=row.id),
                   back=(url_for("dashboards.tender", tender_id=row.tender_id), "Tableau de bord du marché"),
                   exports=exports_page_link(current_scope()))


@bp.route("/entreprises/<int:company_id>")
@require("read")
def company(company_id: int):
    """Show the lots a company holds."""
    row = get_or_404(Company, company_id)
    return _render(f"Entreprise {row.name}", _filter(company_id=row.id),
                   back=(url_for("companies.detail", row_id=row.id), "Fiche de l'entreprise"),
                   exports=report_links(current_scope(), company_id=row.id))


@bp.route("/siae/<int:siae_id>")
@require("read")
def siae(siae_id: int):
    """Show the hours an SIAE's employees worked, by lot."""
    row = get_or_404(Siae, siae_id)
    return _render(f"Structure d'insertion {row.name}", _filter(siae_id=row.id),
                   back=(url_for("siaes.detail", row_id=row.id), "Fiche de la structure"),
                   exports=exports_page_link(current_scope()))


@bp.route("/acheteurs/<int:buyer_id>")
@require("read")
def buyer(buyer_id: int):
    """Show a buyer's tenders."""
    row = get_or_404(Buyer, buyer_id)
    return _render(f"Acheteur {row.name}", _filter(buyer_id=row.id),
                   back=(url_for("buyers.detail", row_id=row.id), "Fiche de l'acheteur"),
                   exports=report_links(current_scope(), buyer_id=row.id))


@bp.route("/participants/<int:participant_id>")
@require("read")
def participant(participant_id: int):
    """Show a participant's placements, hours, criteria and exits."""
    person = get_or_404(Participant, participant_id)
    audit_here("read", "participant", person.id, "suivi du participant")
    get_session().commit()
    items = participant_followup(get_session(), person)
    return render_template("dashboards/participant.html", person=person, items=items, today=date.today())


def _exit_form(placement: Placement, row: ParticipantExit | None) -> ExitRecordForm:
    form = ExitRecordForm()
    if request.method == "GET":
        if row is not None:
            form.process(obj=row)
            form.situation.data = row.situation.value
        else:
            form.exit_on.data = placement.ends_on
    return form


@bp.route("/mises-en-situation/<int:placement_id>/sortie", methods=["GET", "POST"])
@require("write")
def record_exit(placement_id: int):
    """Record or correct the exit of a placement."""
    session = get_session()
    placement = get_or_404(Placement, placement_id)
    row = exit_svc.exit_of(session, placement)
    form = _exit_form(placement, row)
    if form.validate_on_submit():
        data = {name: value for name, value in form.data.items() if name != "csrf_token"}
        try:
            saved = exit_svc.record_exit(session, current_scope(), placement, data)
        except ServiceError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            session.commit()
            flash(f"Sortie enregistrée : {saved.category.label}. Relance à 6 mois prévue le "
                  f"{saved.follow_up_due_on:%d/%m/%Y}.", "success")
            return redirect(url_for("dashboards.participant", participant_id=placement.participant_id))
    elif request.method == "POST":
        flash("Le formulaire contient des erreurs : corrigez les champs signalés.", "error")
    return render_template("dashboards/exit_form.html", form=form, placement=placement, row=row)


@bp.route("/sorties/<int:exit_id>/supprimer", methods=["POST"])
@require("write")
def delete_exit(exit_id: int):
    """Forget an exit recorded by mistake."""
    session = get_session()
    row = get_or_404(ParticipantExit, exit_id)
    participant_id = row.participant_id
    exit_svc.delete_exit(session, row)
    session.commit()
    flash("Sortie supprimée.", "success")
    return redirect(url_for("dashboards.participant", participant_id=participant_id))


@bp.route("/sorties")
@require("read")
def follow_ups():
    """List the 6-month surveys due and to come."""
    session = get_session()
    today = date.today()
    organisation_id = current_scope().organisation_id
    return render_template("dashboards/follow_ups.html", today=today, form=FollowUpForm(),
                           due=exit_svc.follow_ups_due(session, organisation_id, today),
                           upcoming=exit_svc.upcoming_follow_ups(session, organisation_id, today))


@bp.route("/sorties/<int:exit_id>/relance", methods=["POST"])
@require("write")
def record_follow_up(exit_id: int):
    """Mark the 6-month survey of an exit done."""
    session = get_session()
    row = get_or_404(ParticipantExit, exit_id)
    form = FollowUpForm()
    if not form.validate_on_submit():
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
        return redirect(url_for("dashboards.follow_ups"))
    commit_or_refuse(lambda: exit_svc.record_follow_up(session, row, form.done_on.data, form.note.data or "",
                                                       date.today()),
                     "Relance à 6 mois enregistrée.")
    return redirect(url_for("dashboards.follow_ups"))
