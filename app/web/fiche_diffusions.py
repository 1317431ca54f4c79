"""Send a fiche de liaison to partners (« Diffuser aux partenaires ») and show its recipients."""

from datetime import date

from flask import Blueprint, flash, redirect, url_for

from app.domain.liaison.workflow import FicheStatus
from app.models import Fiche
from app.services.actors import actor_for
from app.services.liaison import partners
from app.services.liaison.fiches import OPEN_STATUSES
from app.services.referential import ServiceError
from app.web.context import commit_or_refuse, current_scope, get_or_404, get_session, require
from forms.activities import FicheDiffusionForm
from forms.fields import select_choices

bp = Blueprint("fiche_diffusions", __name__, url_prefix="/fiches")
PREFIX = "d"


def diffusion_form(session, *, posted: bool = True) -> FicheDiffusionForm:
    """Return the partners checklist, dated today unless posted otherwise."""
    form = FicheDiffusionForm(prefix=PREFIX) if posted else FicheDiffusionForm(formdata=None, prefix=PREFIX)
    form.partner_ids.choices = select_choices((p.id, f"{p.name} ({p.kind.label})")
                                              for p in partners.active_partners(session))
    if form.diffused_on.data is None and not form.diffused_on.raw_data:
        form.diffused_on.data = date.today()
    return form


def diffusion_context(session, fiche: Fiche, *, can_write: bool) -> dict:
    """Return what the fiche page shows of its recipients, and the form to add some."""
    context = {"diffusions": partners.recipients(session, fiche), "diffusion_form": None}
    if can_write and not fiche.is_draft and fiche.status in OPEN_STATUSES:
        context["diffusion_form"] = diffusion_form(session, posted=False)
    return context


def record_recipients_on_status(session, fiche: Fiche, target: FicheStatus) -> None:
    """Record the recipients ticked with a move to « Diffusée » (run inside the status change).

    Moving to « Diffusée » asks for the recipients while the directory has partners and the
    fiche has none yet: ticking none then refuses the change (French message).
    """
    if target is not FicheStatus.DIFFUSEE:
        return
    form = diffusion_form(session)
    offered = {choice.value for choice in form.partner_ids.choices}
    ticked = [value for value in (form.partner_ids.data or []) if value in offered]
    if ticked:
        partners.diffuse_fiche(session, fiche, ticked, form.diffused_on.data or date.today(),
                               actor_for(session, current_scope()), date.today())
    elif form.partner_ids.choices and not partners.recipients(session, fiche):
        raise ServiceError("Cochez les partenaires à qui la fiche est diffusée (annuaire « Partenaires »).",
                           "partner_ids")


@bp.route("/<int:fiche_id>/diffusion", methods=["POST"])
@require("write")
def diffuse(fiche_id: int):
    """Record the partners a fiche was sent to."""
    session = get_session()
    fiche = get_or_404(Fiche, fiche_id)
    form = diffusion_form(session)
    if not form.validate_on_submit():
        flash(" ".join(error for errors in form.errors.values() for error in errors) or
              "Cochez au moins un partenaire destinataire.", "error")
        return redirect(url_for("fiches.detail", fiche_id=fiche.id) + "#diffusion")
    commit_or_refuse(lambda: partners.diffuse_fiche(session, fiche, form.partner_ids.data, form.diffused_on.data,
                                                    actor_for(session, current_scope()), date.today()),
                     lambda result: result.message())
    return redirect(url_for("fiches.detail", fiche_id=fiche.id) + "#diffusion")
