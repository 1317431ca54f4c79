"""Fiches de liaison pages: list, create and edit, detail, status, documents and the open-needs list.

Candidates live in app/web/fiche_candidates.py, company links in app/web/fiche_links.py.
"""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.domain.liaison.workflow import FicheStatus, allowed_targets, next_steps
from app.models import Fiche, Organisation, User
from app.services.liaison import fiches as svc
from app.services import referential as ref
from app.services.actors import actor_for
from app.services.doc_templates import generated_on_label
from app.services.files import XLSX_TYPE
from app.web.context import commit_or_refuse, current_scope, get_or_404, get_session, require, send_download
from app.web.crud import attach_error
from app.web.fiche_candidates import candidates_context
from app.web.fiche_diffusions import diffusion_context, diffusion_form, record_recipients_on_status
from app.web.fiche_forms import attach_problems, form_data, referential_choices
from app.web.fiche_links import links_context
from forms.fields import select_choices, status_choices
from forms.fiches import FicheEditForm, FicheLinkForm, StatusChangeForm

bp = Blueprint("fiches", __name__, url_prefix="/fiches")
READ = ("read", "read_own")


@bp.app_template_filter("datetime_fr")
def datetime_fr(value) -> str:
    """Format a stored timestamp as « 22/11/2026 à 14:05 », Paris time."""
    return generated_on_label(value)


@bp.route("/")
@require(*READ)
def index():
    """List the fiches, by status."""
    session = get_session()
    wanted = request.args.get("statut", "")
    statement = select(Fiche).options(selectinload(Fiche.tender)).order_by(Fiche.updated_at.desc(), Fiche.id.desc())
    if wanted in FicheStatus._value2member_map_:
        statement = statement.where(Fiche.status == FicheStatus(wanted))
    fiches = session.scalars(statement.limit(200)).all()
    counts = dict(session.execute(select(Fiche.status, func.count(Fiche.id)).group_by(Fiche.status)).all())
    link_form = None
    if current_scope().can("write"):
        link_form = FicheLinkForm(formdata=None)
        referential_choices(link_form, session)
    return render_template("fiches/index.html", fiches=fiches, counts=counts, wanted=wanted,
                           statuses=list(FicheStatus), link_form=link_form)


@bp.route("/nouvelle", methods=["GET", "POST"])
@require("write")
def new():
    """Fill a fiche on the company's behalf."""
    return _edit(None)


@bp.route("/<int:fiche_id>/modifier", methods=["GET", "POST"])
@require("write")
def edit(fiche_id: int):
    """Edit a fiche (a received one stays valid)."""
    fiche = get_or_404(Fiche, fiche_id)
    if fiche.status in (FicheStatus.POURVUE, FicheStatus.ANNULEE):
        flash(f"Une fiche « {fiche.status.label} » ne se modifie plus.", "error")
        return redirect(url_for("fiches.detail", fiche_id=fiche.id))
    return _edit(fiche)


def _edit(fiche: Fiche | None):
    session, scope = get_session(), current_scope()
    form = FicheEditForm(obj=fiche if request.method == "GET" else None)
    referential_choices(form, session)
    if fiche is None and request.method == "GET":
        form.requested_on.data = date.today()  # the day the facilitator takes the need down
    notes = []
    if form.validate_on_submit():
        submit = request.form.get("action") == "submit"
        actor = actor_for(session, scope)
        target = fiche or svc.new_fiche(scope, created_by_id=actor.user_id)
        try:
            problems = svc.save_fiche(session, target, form_data(form), actor, today=date.today(), submit=submit)
        except svc.FicheInvalid as exc:
            session.rollback()
            notes = attach_problems(form, exc.problems)
            flash(str(exc), "error")
        except ref.ServiceError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            session.commit()
            _flash_saved(target, problems, submit)
            return redirect(url_for("fiches.detail", fiche_id=target.id))
    elif request.method == "POST":
        flash("Le formulaire contient des erreurs : corrigez les champs signalés.", "error")
    return render_template("fiches/form.html", form=form, fiche=fiche, notes=notes)


def _flash_saved(fiche: Fiche, problems, submit: bool) -> None:
    if fiche.is_draft:
        missing = [problem.message for problem in problems if problem.severity == "error"]
        tail = f" À compléter avant l'envoi : {' '.join(missing)}" if missing else ""
        flash(f"Brouillon enregistré.{tail}", "success")
    else:
        flash("Fiche enregistrée et marquée « Reçue »." if submit else "Fiche enregistrée.", "success")


@bp.route("/<int:fiche_id>")
@require(*READ)
def detail(fiche_id: int):
    """Show a fiche: its fields, status, candidates and their history, links and documents."""
    session, scope = get_session(), current_scope()
    fiche = get_or_404(Fiche, fiche_id)
    today = date.today()
    context = {"fiche": fiche, "problems": svc.fiche_problems(fiche, today), "today": today,
               "hours_estimate": svc.hours_estimate(fiche)}
    if scope.can("read"):
        context.update(_staff_context(session, fiche, today))
        session.commit()  # the audit events of what the page shows
    return render_template("fiches/detail.html", **context)


def _staff_context(session, fiche: Fiche, today: date) -> dict:
    can_write = current_scope().can("write")
    organisation = session.get(Organisation, fiche.organisation_id)
    context = {"status_form": None, **candidates_context(session, fiche, today, can_write=can_write),
               **links_context(fiche, organisation.name, can_write=can_write),
               **diffusion_context(session, fiche, can_write=can_write)}
    if can_write and not fiche.is_draft and allowed_targets(fiche.status):
        form = StatusChangeForm(formdata=None)
        form.target.choices = status_choices(fiche.status, next_steps(fiche.status))
        context["status_form"] = form
        if FicheStatus.DIFFUSEE in next_steps(fiche.status):
            # Moving to « Diffusée » says to whom: the same checklist as « Diffuser aux partenaires ».
            context["status_diffusion_form"] = diffusion_form(session, posted=False)
    return context


@bp.route("/<int:fiche_id>/statut", methods=["POST"])
@require("write")
def change_status(fiche_id: int):
    """Move a fiche to another status."""
    session = get_session()
    fiche = get_or_404(Fiche, fiche_id)
    form = StatusChangeForm()
    form.target.choices = select_choices((status.value, status.label) for status in FicheStatus)
    if form.validate_on_submit():
        # TransitionError and ServiceError are French ValueErrors.
        def change() -> None:
            target = FicheStatus(form.target.data)
            svc.change_status(session, fiche, target, actor_for(session, current_scope()), form.note.data or "")
            record_recipients_on_status(session, fiche, target)

        commit_or_refuse(
            change,
            lambda _: f"Statut de la fiche : « {fiche.status.label} ».", refused=ValueError)
    else:
        flash("Choisissez le nouveau statut.", "error")
    return redirect(url_for("fiches.detail", fiche_id=fiche.id))


@bp.route("/<int:fiche_id>/document", methods=["POST"])
@require("write")
def document(fiche_id: int):
    """Produce the fiche as DOCX and PDF with the organisation's template."""
    session = get_session()
    fiche = get_or_404(Fiche, fiche_id)
    commit_or_refuse(lambda: svc.generate_documents(session, fiche, today=date.today()),
                     lambda _: f"Fiche de liaison produite ({fiche.template_label}).")
    return redirect(url_for("fiches.detail", fiche_id=fiche.id) + "#documents")


@bp.route("/besoins-ouverts.xlsx")
@require("read")
def open_needs():
    """Download the open needs to send to partners."""
    session, scope = get_session(), current_scope()
    user = session.get(User, scope.user_id)
    organisation = session.get(Organisation, scope.organisation_id)
    contact = " — ".join(part for part in (user.full_name, user.email) if part)
    data = svc.open_needs_xlsx(session, organisation_name=organisation.name, facilitator_contact=contact,
                               today=date.today())
    return send_download(data, XLSX_TYPE, f"besoins-ouverts-{date.today():%Y-%m-%d}.xlsx")
