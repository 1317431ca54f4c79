"""Convention pages: list and active count on a date, create and edit, status, signed scan, documents."""

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.domain.formats import format_count
from app.domain.liaison.convention import FACILITATOR, PartyKind, default_reporting
from app.domain.liaison.workflow import ConventionStatus, next_steps
from app.models import Buyer, Company, Convention, Operation, Siae, Tender
from app.services.liaison import conventions as svc
from app.services import referential as ref
from app.services.actors import actor_for
from app.web.context import audit_here, commit_or_refuse, current_scope, get_or_404, get_session, require
from app.web.crud import attach_error
from forms.conventions import (
    ActiveOnForm,
    ClauseSetForm,
    ConventionEditForm,
    SignedScanForm,
    lines,
    paragraphs,
    reporting_steps,
)
from forms.fiches import StatusChangeForm
from forms.fields import select_choices, status_choices

bp = Blueprint("conventions", __name__, url_prefix="/conventions")


@bp.app_template_global("convention_number")
def convention_number(convention) -> str:
    """« n° 2026-01 », the number printed on the signed convention; never the row id."""
    return f"n°\u00a0{convention.reference}" if convention.reference else "sans numéro"
PARTY_CHOICES = {PartyKind.ACHETEUR: (Buyer, lambda b: b.name, (Buyer.name,)),
                 PartyKind.ENTREPRISE: (Company, lambda c: c.name, (Company.name,)),
                 PartyKind.SIAE: (Siae, lambda s: f"{s.name} ({s.kind.value})", (Siae.name,))}
DEFAULT_OBJECT = ("La présente convention organise la mise en œuvre de la clause sociale d'insertion des "
                  "marchés et opérations listés à l'article 2, et la coopération des parties pour l'accès à "
                  "l'emploi des personnes qui en sont éloignées.")
CLAUSE_KEY_LABELS = {FACILITATOR: "Votre structure (facilitateur)",
                     **{kind.value: kind.label for kind in PartyKind}}


@bp.route("/")
@require("read")
def index():
    """List the conventions and count those active on a day (the FSE+ target)."""
    session = get_session()
    form = ActiveOnForm(formdata=request.args)
    form.validate()
    day = form.au.data or date.today()
    if not form.au.data and not form.au.errors:
        form.au.data = day
    active = svc.active_conventions(session, day)
    conventions = session.scalars(select(Convention).order_by(Convention.starts_on.desc(), Convention.id.desc())).all()
    audit_here("read", "convention", None, "liste des conventions")
    session.commit()
    due = svc.due_to_expire(session, date.today()) if current_scope().can("write") else []
    return render_template("conventions/index.html", form=form, day=day, active=active, conventions=conventions,
                           due=due, party_kinds=list(PartyKind))


def _prepare(form: ConventionEditForm, session, kind: PartyKind) -> None:
    model, label, order = PARTY_CHOICES[kind]
    form.party_id.choices = select_choices(ref.choices(session, model, label, order, optional="Choisir…"))
    form.tender_ids.choices = select_choices(
        (t.id, f"{t.reference} — {t.object}"[:140]) for t in session.scalars(select(Tender).order_by(Tender.reference)))
    form.operation_ids.choices = select_choices(
        (o.id, o.name) for o in session.scalars(select(Operation).order_by(Operation.name)))


def _defaults(form: ConventionEditForm, session, kind: PartyKind) -> None:
    clauses = svc.standard_clauses(session, current_scope().organisation_id)
    form.object.data = DEFAULT_OBJECT
    form.facilitator_commitments.data = "\n\n".join(clauses[FACILITATOR])
    form.party_commitments.data = "\n\n".join(clauses[kind.value])
    form.reporting.data = "\n".join(f"{what} | {when}" for what, when in default_reporting(kind))
    form.committee_frequency.data = "au moins deux fois par an"
    form.starts_on.data = date.today()
    form.ends_on.data = date(date.today().year + 1, date.today().month, 1) - timedelta(days=1)


def _fill(form: ConventionEditForm, session, convention: Convention) -> None:
    form.process(obj=convention)
    clauses = svc.standard_clauses(session, convention.organisation_id)
    form.party_id.data = convention.buyer_id or convention.company_id or convention.siae_id
    form.tender_ids.data = [tender.id for tender in convention.tenders]
    form.operation_ids.data = [operation.id for operation in convention.operations]
    form.facilitator_commitments.data = "\n\n".join(convention.facilitator_commitments or clauses[FACILITATOR])
    form.party_commitments.data = "\n\n".join(convention.party_commitments or clauses[convention.party_kind.value])
    steps = convention.reporting or default_reporting(convention.party_kind)
    form.reporting.data = "\n".join(f"{what} | {when}" for what, when in steps)
    form.committee_members.data = "\n".join(convention.committee_members or [])
    form.annexes.data = "\n".join(convention.annexes or [])


def _data(form: ConventionEditForm, kind: PartyKind) -> dict:
    data = {name: value for name, value in form.data.items() if name != "csrf_token"}
    data.update(party_kind=kind.value, facilitator_commitments=paragraphs(form.facilitator_commitments.data),
                party_commitments=paragraphs(form.party_commitments.data),
                reporting=reporting_steps(form.reporting.data), committee_members=lines(form.committee_members.data),
                annexes=lines(form.annexes.data))
    return data


@bp.route("/nouvelle/<kind>", methods=["GET", "POST"])
@require("write")
def new(kind: str):
    """Write a convention with a buyer, a company or an SIAE."""
    if kind not in PartyKind._value2member_map_:
        return redirect(url_for("conventions.index"))
    return _edit(PartyKind(kind), None)


@bp.route("/<int:convention_id>/modifier", methods=["GET", "POST"])
@require("write")
def edit(convention_id: int):
    """Edit a draft convention."""
    convention = get_or_404(Convention, convention_id)
    if convention.status is not ConventionStatus.BROUILLON:
        flash("Seule une convention en brouillon se modifie : repassez-la en brouillon si elle a été envoyée.", "error")
        return redirect(url_for("conventions.detail", convention_id=convention.id))
    return _edit(convention.party_kind, convention)


def _edit(kind: PartyKind, convention: Convention | None):
    session, scope = get_session(), current_scope()
    form = ConventionEditForm()
    _prepare(form, session, kind)
    if request.method == "GET" and convention is None:
        _defaults(form, session, kind)
    elif request.method == "GET":
        _fill(form, session, convention)
    if form.validate_on_submit():
        try:
            saved = svc.save_convention(session, scope, _data(form, kind), actor_for(session, scope), convention)
        except ref.ServiceError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            session.commit()
            flash("Convention enregistrée (brouillon).", "success")
            return redirect(url_for("conventions.detail", convention_id=saved.id))
    elif request.method == "POST":
        flash("Le formulaire contient des erreurs : corrigez les champs signalés.", "error")
    return render_template("conventions/form.html", form=form, convention=convention, kind=kind)


@bp.route("/<int:convention_id>")
@require("read")
def detail(convention_id: int):
    """Show a convention, its status history, scan and documents."""
    session = get_session()
    convention = get_or_404(Convention, convention_id)
    audit_here("read", "convention", convention.id)
    session.commit()
    data = svc.convention_data(session, convention)
    status_form = scan_form = None
    # Signing goes through the signed scan below; the menu opens on the current status, never a step back.
    targets = [status for status in next_steps(convention.status) if status is not ConventionStatus.SIGNEE]
    if current_scope().can("write") and targets:
        status_form = StatusChangeForm(formdata=None)
        status_form.target.choices = status_choices(convention.status, targets)
    if current_scope().can("write") and convention.status is ConventionStatus.ENVOYEE:
        scan_form = SignedScanForm(formdata=None)
    return render_template("conventions/detail.html", convention=convention, data=data,
                           problems=svc.convention_problems(session, convention), status_form=status_form,
                           scan_form=scan_form, today=date.today())


@bp.route("/<int:convention_id>/statut", methods=["POST"])
@require("write")
def change_status(convention_id: int):
    """Move a convention to another status."""
    session = get_session()
    convention = get_or_404(Convention, convention_id)
    form = StatusChangeForm()
    form.target.choices = select_choices(ConventionStatus.choices())
    if form.validate_on_submit():
        commit_or_refuse(
            lambda: svc.change_status(session, convention, ConventionStatus(form.target.data),
                                      actor_for(session, current_scope()), today=date.today(),
                                      note=form.note.data or ""),
            lambda _: f"Statut de la convention : « {convention.status.label} ».", refused=ValueError)
    else:
        flash("Choisissez le nouveau statut.", "error")
    return redirect(url_for("conventions.detail", convention_id=convention.id))


@bp.route("/<int:convention_id>/scan", methods=["POST"])
@require("write")
def upload_scan(convention_id: int):
    """Attach the signed scan (PDF) and mark the convention « Signée »."""
    session = get_session()
    convention = get_or_404(Convention, convention_id)
    form = SignedScanForm()
    if form.validate_on_submit():
        upload = form.file.data
        commit_or_refuse(
            lambda: svc.attach_signed_scan(session, convention, upload.filename, upload.read(),
                                           actor_for(session, current_scope()), signed_on=form.signed_on.data,
                                           today=date.today()),
            "Scan signé enregistré : la convention est « Signée ».")
    else:
        flash(" ".join(error for field in form for error in field.errors) or "Formulaire incomplet.", "error")
    return redirect(url_for("conventions.detail", convention_id=convention.id))


@bp.route("/<int:convention_id>/document", methods=["POST"])
@require("write")
def document(convention_id: int):
    """Produce the convention as DOCX and PDF with the organisation's template."""
    session = get_session()
    convention = get_or_404(Convention, convention_id)
    commit_or_refuse(lambda: svc.generate_documents(session, convention, today=date.today()),
                     lambda _: f"Convention produite ({convention.template_label}).")
    return redirect(url_for("conventions.detail", convention_id=convention.id) + "#documents")


@bp.route("/echeances", methods=["POST"])
@require("write")
def expire():
    """Mark « Échue » the signed conventions past their end date."""
    session = get_session()
    count = svc.expire_due(session, actor_for(session, current_scope()), date.today())
    session.commit()
    flash(f"{format_count(count, 'convention passée', 'conventions passées')} au statut « Échue ».", "success")
    return redirect(url_for("conventions.index"))


@bp.route("/engagements-types")
@require("manage_reference")
def clauses():
    """Show the standard commitments each new convention starts from."""
    current = svc.standard_clauses(get_session(), current_scope().organisation_id)
    return render_template("conventions/clauses.html", current=current, labels=CLAUSE_KEY_LABELS)


@bp.route("/engagements-types/<key>", methods=["GET", "POST"])
@require("manage_reference")
def edit_clauses(key: str):
    """Let an administrator edit one party's standard commitments."""
    if key not in CLAUSE_KEY_LABELS:
        return redirect(url_for("conventions.clauses"))
    session, scope = get_session(), current_scope()
    form = ClauseSetForm()
    if request.method == "GET":
        form.text.data = "\n\n".join(svc.standard_clauses(session, scope.organisation_id)[key])
    if form.validate_on_submit():
        svc.save_clause_set(session, scope.organisation_id, key, paragraphs(form.text.data), scope.user_id)
        session.commit()
        flash(f"Engagements types enregistrés : {CLAUSE_KEY_LABELS[key]}.", "success")
        return redirect(url_for("conventions.clauses"))
    return render_template("conventions/clauses_form.html", form=form, key=key, label=CLAUSE_KEY_LABELS[key])
