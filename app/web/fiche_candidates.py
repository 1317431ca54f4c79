"""Candidates on a fiche de liaison: the eligibility panel, proposals (override recorded) and their steps."""

from datetime import date

from flask import Blueprint, flash, redirect, request, url_for

from app.domain.liaison.eligibility import MIN_OVERRIDE_REASON
from app.domain.liaison.workflow import PositioningStatus, allowed_targets
from app.models import Fiche, Participant, Positioning
from app.services.liaison import partners
from app.services.liaison import positionings as pos
from app.services import referential as ref
from app.services.actors import actor_for
from app.web.context import audit_here, commit_or_refuse, current_scope, get_or_404, get_session, require
from forms.fields import select_choices
from forms.fiches import PositioningProposeForm, StatusChangeForm

bp = Blueprint("fiche_candidates", __name__, url_prefix="/fiches")
NEEDS_REASON = ("Cette personne n'est pas éligible à ce jour : pour la positionner malgré tout, indiquez le motif "
                f"de la dérogation (au moins {MIN_OVERRIDE_REASON} caractères). Le détail des justificatifs figure "
                "ci-dessous.")


def candidates_context(session, fiche: Fiche, today: date, *, can_write: bool) -> dict:
    """Return what the fiche page shows of its candidates: eligibility then and now, history, forms."""
    months = pos.proof_validity_months(session, today)
    current = {item.id: pos.participant_eligibility(item.participant, today, months) for item in fiche.positionings}
    history = [(change, item) for item in fiche.positionings for change in item.changes]
    context = {"current_eligibility": current, "validity_months": months, "snapshot_lines": pos.snapshot_lines,
               "positioning_form": positioning_form, "propose_form": None, "candidate": None,
               "candidate_options": [],
               "positioning_history": sorted(history, key=lambda pair: (pair[0].changed_at, pair[0].id))}
    if fiche.positionings:
        audit_here("read", "fiche", fiche.id, "candidats positionnés")
    if can_write and fiche.status in pos.POSITIONING_OPEN:
        options = pos.candidates(session, fiche, today)
        chosen = request.args.get("candidat", type=int)
        context["candidate_options"] = options
        context["candidate"] = next((c for c in options if c.participant.id == chosen), None)
        if context["candidate"] is not None:
            audit_here("read", "participant", chosen, "éligibilité vérifiée pour une fiche de liaison")
            context["propose_form"] = PositioningProposeForm(formdata=None, participant_id=chosen)
            _prescriber_choices(context["propose_form"], session)
    return context


def _prescriber_choices(form: PositioningProposeForm, session) -> None:
    form.prescriber_id.choices = select_choices(
        [("", "Non renseigné"), *((p.id, f"{p.name} ({p.kind.label})") for p in partners.active_partners(session))])


def positioning_form(positioning: Positioning):
    """Return the status form of one candidate, or None once final."""
    targets = allowed_targets(positioning.status)
    if not targets:
        return None
    form = StatusChangeForm(formdata=None, prefix=f"p{positioning.id}")
    form.target.choices = select_choices((status.value, status.label) for status in targets)
    return form


@bp.route("/<int:fiche_id>/positionnements", methods=["POST"])
@require("write")
def propose(fiche_id: int):
    """Propose a participant; an ineligible one needs a recorded reason."""
    session = get_session()
    fiche = get_or_404(Fiche, fiche_id)
    form = PositioningProposeForm()
    form.participant_id.choices = select_choices(
        ref.choices(session, Participant, lambda p: p.code, (Participant.code,)))
    _prescriber_choices(form, session)
    back = url_for("fiches.detail", fiche_id=fiche.id, candidat=form.participant_id.data or None) + "#positionner"
    if not form.validate_on_submit():
        flash("Choisissez un participant.", "error")
        return redirect(back)
    try:
        positioning = pos.propose_candidate(session, fiche, form.participant_id.data,
                                            actor_for(session, current_scope()), today=date.today(),
                                            override_reason=form.override_reason.data)
        partners.set_prescriber(session, positioning, form.prescriber_id.data)
    except ref.ServiceError as exc:
        session.rollback()
        # Flash messages travel in the session cookie: no name and no criterion (RQTH is health data)
        # in them; the page shows the detail of the proofs beside the form.
        flash(NEEDS_REASON if exc.field == "override_reason" else str(exc), "error")
        return redirect(back)
    audit_here("create", "positioning", positioning.id)
    session.commit()
    flash("Candidat·e positionné·e sur la fiche" + (" (dérogation enregistrée)." if positioning.is_override
                                                     else "."), "success")
    return redirect(url_for("fiches.detail", fiche_id=fiche.id) + "#candidats")


@bp.route("/<int:fiche_id>/positionnements/<int:positioning_id>/statut", methods=["POST"])
@require("write")
def change_positioning(fiche_id: int, positioning_id: int):
    """Record that a candidate was presented, retained, not retained or withdrew."""
    session = get_session()
    fiche = get_or_404(Fiche, fiche_id)
    positioning = get_or_404(Positioning, positioning_id)
    if positioning.fiche_id != fiche.id:
        return redirect(url_for("fiches.detail", fiche_id=fiche.id))
    form = StatusChangeForm(prefix=f"p{positioning.id}")
    form.target.choices = select_choices(PositioningStatus.choices())
    if form.validate_on_submit():
        def change() -> None:
            pos.change_positioning(session, positioning, PositioningStatus(form.target.data),
                                   actor_for(session, current_scope()), form.note.data or "")
            audit_here("update", "positioning", positioning.id)

        commit_or_refuse(change, lambda _: f"Statut du candidat ou de la candidate : « {positioning.status.label} ».",
                         refused=ValueError)
    else:
        flash("Choisissez le nouveau statut.", "error")
    return redirect(url_for("fiches.detail", fiche_id=fiche.id) + "#candidats")
