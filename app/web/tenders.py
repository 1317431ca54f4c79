"""Tenders with their lots, and the recount of hours done as a background job."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload

from app.domain.formats import format_money
from app.domain.numbers import cents_to_euros
from app.models import Buyer, Company, Lot, Operation, Tender
from app.services import referential as svc
from app.services.clauses import reference
from app.web.export_links import tender_list_links
from app.services.jobs import create_job
from app.services.reports.progress import lot_progress
from app.web.background import start_job
from app.web.context import current_scope, get_or_404, get_session, require
from forms.fields import select_choices
from app.web.crud import Column, CrudSpec, attach_error, make_blueprint
from forms.referential import LotEditForm, TenderEditForm
from workers.jobs import summarise_tender_progress_job


def _tender_choices(form, session) -> None:
    form.buyer_id.choices = select_choices(svc.choices(session, Buyer, lambda b: b.name, (Buyer.name,)))
    form.operation_id.choices = select_choices(svc.choices(session, Operation, lambda o: o.name, (Operation.name,), optional="Aucune"))


def _tender_fill(form, tender: Tender) -> None:
    form.process(obj=tender)
    form.amount.data = tender.amount


def _tender_detail(tender: Tender, session) -> dict:
    progress = {item.lot_id: item for item in lot_progress(session, tender.id)}
    return {"progress": progress}


TENDERS = CrudSpec(
    name="tenders", url="/marches", model=Tender, form=TenderEditForm, title="Marchés",
    singular="marché", new_label="Nouveau marché",
    columns=[Column("Référence", lambda t: t.reference), Column("Objet", lambda t: t.object),
             Column("Acheteur", lambda t: t.buyer.name), Column("Montant HT", lambda t: format_money(t.amount)),
             Column("Dispositif", lambda t: t.legal_instrument.label)],
    search=(Tender.reference, Tender.object, Tender.cpv), order_by=(Tender.reference,), save=svc.save_tender,
    prepare_form=_tender_choices, fill_form=_tender_fill, detail_template="tenders/detail.html",
    detail_context=_tender_detail, list_options=(selectinload(Tender.buyer),), list_links=tender_list_links,
)

bp = make_blueprint(TENDERS)


def _lot_form(session, lot: Lot | None):
    form = LotEditForm()
    form.company_id.choices = select_choices(svc.choices(session, Company, lambda c: c.name, (Company.name,), optional="Aucune"))
    if request.method == "GET" and lot is not None:
        form.process(obj=lot)
        form.amount.data = cents_to_euros(lot.amount_cents)
    # A searchable list of the référentiel's trades (no script needed); free text stays allowed.
    form.trade.render_kw = {"list": "trade-list", "autocomplete": "off"}
    return form


@bp.route("/<int:tender_id>/lots/nouveau", methods=["GET", "POST"], endpoint="new_lot")
@bp.route("/<int:tender_id>/lots/<int:lot_id>/modifier", methods=["GET", "POST"], endpoint="edit_lot")
@require("write")
def edit_lot(tender_id: int, lot_id: int | None = None):
    """Create or edit a lot of a tender."""
    session = get_session()
    tender = get_or_404(Tender, tender_id)
    lot = get_or_404(Lot, lot_id) if lot_id is not None else None
    if lot is not None and lot.tender_id != tender.id:
        return redirect(url_for("tenders.detail", row_id=tender.id))
    form = _lot_form(session, lot)
    trades = reference.trade_choices(session, date.today())
    if form.validate_on_submit():
        data = {name: value for name, value in form.data.items() if name != "csrf_token"}
        data["trade"], nearest = reference.resolve_trade(session, data.get("trade"), date.today())
        try:
            svc.save_lot(session, current_scope(), tender, data, lot)
        except svc.ServiceError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            session.commit()
            flash("Lot enregistré.", "success")
            if data["trade"] and data["trade"] not in {share.label for share in trades}:
                flash(_unknown_trade(data["trade"], nearest), "warning")
            return redirect(url_for("tenders.detail", row_id=tender.id))
    elif request.method == "POST":
        flash("Le formulaire contient des erreurs : corrigez les champs signalés.", "error")
    return render_template("tenders/lot_form.html", form=form, tender=tender, lot=lot, trades=trades)


def _unknown_trade(trade: str, nearest) -> str:
    proposal = (" Métiers proches : " + " ; ".join(share.label for share in nearest) + "." if nearest else "")
    return (f"Le métier « {trade} » ne figure pas au référentiel : sa part de main-d'œuvre sera à saisir dans "
            f"le calcul de la clause.{proposal} Pour en choisir un, modifiez le lot.")


@bp.route("/<int:row_id>/recompter", methods=["POST"])
@require("read")
def recount(row_id: int):
    """Recount the hours done on the tender in the background."""
    session = get_session()
    tender = get_or_404(Tender, row_id)
    scope = current_scope()
    job = create_job(session, "summarise_tender_progress", organisation_id=scope.organisation_id,
                     user_id=scope.user_id, subject_id=tender.id)
    # Commit before enqueueing: the worker reads the job row from its own session.
    session.commit()
    return start_job(summarise_tender_progress_job, job.id, tender.id, target=None,
                     back=url_for("tenders.detail", row_id=tender.id),
                     postponed="Votre demande de recomptage est enregistrée ; il sera fait dès que possible.")
