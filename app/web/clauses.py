"""« Calculer et rédiger la clause » on a tender: lot calculator, clause pack, pack history."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.domain.enums import JobStatus
from app.domain.clauses.kinds import CLAUSE_LABELS
from app.domain.clauses.pack import CLAUSE_PACK_DOCUMENTS
from app.models import ClausePack, Job, Tender
from app.services.clauses import packs as clause_packs
from app.services.clauses import calculations as svc
from app.services.jobs import create_job
from app.services.referential import ServiceError
from app.web.background import start_job
from app.web.context import current_scope, get_or_404, get_session, require
from app.web.crud import attach_error
from forms.clauses import ClausePackForm, parse_subcriteria
from forms.fields import select_choices
from workers.jobs import generate_clause_pack_job

bp = Blueprint("clauses", __name__, url_prefix="/marches")
ALL_FIELDS = sorted({name for names in svc.METHOD_FIELDS.values() for name in names} | {"method"})


def _typed_fields(tender: Tender) -> dict[int, dict]:
    return {lot.id: {name: request.form.get(f"lot-{lot.id}-{name}", "").strip()[:2000] for name in ALL_FIELDS}
            for lot in tender.lots}


def _pack_form(session, tender: Tender, *, submitted: bool = False) -> ClausePackForm:
    """Return the pack form: as posted (``submitted``), else with its defaults.

    « Calculer » posts the calculator form, not this one: reading that request would empty
    every pack field (facilitator, penalties, instrument) below the calculator.
    """
    form = ClausePackForm()
    form.lot_ids.choices = select_choices((lot.id, f"Lot {lot.number} — {lot.label}") for lot in tender.lots)
    if not submitted:
        form.process(data={"instrument": tender.legal_instrument.value, "lot_ids": [lot.id for lot in tender.lots],
                           "with_pdf": True, **svc.facilitator_defaults(session, current_scope(), date.today()),
                           **svc.social_condition_defaults(tender, date.today())})
    return form


def _page(tender: Tender, outcomes, form, status: int = 200):
    session = get_session()
    packs = session.scalars(select(ClausePack).where(ClausePack.tender_id == tender.id)
                            .order_by(ClausePack.id.desc())).all()
    return render_template("clauses/calculator.html", tender=tender, outcomes=outcomes, form=form, packs=packs,
                           methods=svc.METHOD_LABELS, fields=svc.METHOD_FIELDS,
                           social_condition_hint=svc.social_condition_hint(date.today())), status


@bp.route("/<int:tender_id>/clause", methods=["GET", "POST"])
@require("read")
def calculator(tender_id: int):
    """Show each lot's inputs and hours; « Calculer » previews, « Enregistrer » keeps them."""
    session = get_session()
    tender = get_or_404(Tender, tender_id)
    typed = _typed_fields(tender) if request.method == "POST" else {}
    outcomes = svc.calculate(session, tender, typed, date.today())
    if request.method == "POST" and request.form.get("action") == "enregistrer":
        if not current_scope().can("write"):
            flash("Votre compte ne permet pas d'enregistrer les calculs.", "error")
        else:
            try:
                svc.save_calculations(session, current_scope(), tender, outcomes)
            except ServiceError as exc:
                session.rollback()
                flash(str(exc), "error")
            else:
                session.commit()
                flash("Heures enregistrées : elles figurent désormais sur les lots du marché.", "success")
                return redirect(url_for("clauses.calculator", tender_id=tender.id))
    session.commit()  # reference rows copied on first use
    return _page(tender, outcomes, _pack_form(session, tender))


@bp.route("/<int:tender_id>/clause/dossier", methods=["POST"])
@require("write")
def request_pack(tender_id: int):
    """Record the pack's input and generate its documents in the background."""
    session = get_session()
    tender = get_or_404(Tender, tender_id)
    form = _pack_form(session, tender, submitted=True)
    if not form.validate_on_submit():
        flash("Le dossier n'a pas pu être lancé : corrigez les champs signalés.", "error")
        return _page(tender, svc.calculate(session, tender, {}, date.today()), form, 200)
    options = svc.PackOptions(
        instrument=form.instrument.data, lot_ids=tuple(form.lot_ids.data or ()),
        facilitator_name=form.facilitator_name.data, facilitator_email=form.facilitator_email.data,
        facilitator_phone=form.facilitator_phone.data, penalty_per_missing_hour=form.penalty_per_missing_hour.data,
        penalty_per_day_late=form.penalty_per_day_late.data, globalisation_allowed=form.globalisation_allowed.data,
        weighting=form.weighting.data or "", subcriteria=tuple(parse_subcriteria(form.subcriteria.data)),
        article_number=form.article_number.data or "", with_pdf=form.with_pdf.data,
        tender_nature=form.tender_nature.data, buyer_category=form.buyer_category.data,
        launch_date=form.launch_date.data, social_condition_derogation=form.social_condition_derogation.data or "")
    scope = current_scope()
    try:
        pack = svc.request_clause_pack(session, scope, tender, options)
        job = create_job(session, "generate_clause_pack", organisation_id=scope.organisation_id,
                         user_id=scope.user_id, subject_id=pack.id, message="Dossier de clause en attente…")
        pack.job_id = job.id
    except ServiceError as exc:
        session.rollback()
        attach_error(form, exc)
        return _page(tender, svc.calculate(session, tender, {}, date.today()), form, 200)
    # Commit before enqueueing: the worker reads the pack from its own session.
    session.commit()
    return start_job(generate_clause_pack_job, job.id, pack.id,
                     target=url_for("clauses.pack", tender_id=tender.id, pack_id=pack.id),
                     postponed="Votre demande de dossier de clause est enregistrée ; il sera rédigé dès que possible.")


@bp.route("/<int:tender_id>/clause/dossiers/<int:pack_id>")
@require("read")
def pack(tender_id: int, pack_id: int):
    """Show a generated pack: its files, the article's text, its inputs and template versions."""
    session = get_session()
    tender = get_or_404(Tender, tender_id)
    pack = get_or_404(ClausePack, pack_id)
    if pack.tender_id != tender.id:
        return redirect(url_for("clauses.calculator", tender_id=tender.id))
    job = session.get(Job, pack.job_id) if pack.job_id else None
    return render_template("clauses/pack.html", tender=tender, pack=pack, job=job,
                           files=clause_packs.pack_files(session, pack.id),
                           article=clause_packs.article_preview(session, pack.id), kinds=CLAUSE_PACK_DOCUMENTS,
                           kind_labels=CLAUSE_LABELS)
