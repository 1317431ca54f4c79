"""Candidates positioned on a fiche de liaison: eligibility shown, ineligible proposals refused
without a recorded override, and every step kept for partners. Callers commit.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.liaison.eligibility import (
    DEFAULT_VALIDITY_MONTHS,
    SHORT_LABELS,
    Eligibility,
    EligibilityError,
    ProofStatus,
    check_eligibility,
    check_proposal,
)
from app.domain.enums import Criterion
from app.domain.formats import format_date_fr
from app.domain.liaison.workflow import FicheStatus, PositioningStatus, transition
from app.models import Fiche, Participant, Positioning, PositioningChange
from app.models.base import utcnow
from app.services.actors import Actor
from app.services.liaison.fiches import record_status
from app.services.clauses.reference import param_on
from app.services.referential import ServiceError

# An administrator may set this dated parameter; without it proofs are valid 3 months (DOMAIN.md §4).
VALIDITY_PARAM = "validite_justificatifs"
POSITIONING_OPEN = (FicheStatus.DIFFUSEE, FicheStatus.CANDIDATS_POSITIONNES)


def proof_validity_months(session: Session, on: date) -> int:
    """Return how many months a proof stays valid on ``on`` (configurable, default 3)."""
    value = param_on(session, VALIDITY_PARAM, on)
    if value is None or value.value < 1:
        return DEFAULT_VALIDITY_MONTHS
    return int(value.value)


def participant_eligibility(participant: Participant, on: date, validity_months: int) -> Eligibility:
    """Check a participant's criteria and the age of each proof on ``on``."""
    return check_eligibility(((item.criterion, item.proof_on) for item in participant.criteria), on,
                             validity_months=validity_months)


def eligibility_snapshot(eligibility: Eligibility) -> dict:
    """Return what a positioning keeps of the check: dates and criterion codes, no personal data."""
    return {
        "checked_on": eligibility.checked_on.isoformat(),
        "validity_months": eligibility.validity_months,
        "is_eligible": eligibility.is_eligible,
        "criteria": [{"criterion": check.criterion.value, "status": check.status.value,
                      "proof_on": check.proof_on.isoformat() if check.proof_on else None,
                      "valid_until": check.valid_until.isoformat() if check.valid_until else None}
                     for check in eligibility.criteria],
    }


@dataclass(frozen=True)
class Candidate:
    """A participant who could be proposed, with today's eligibility."""

    participant: Participant
    eligibility: Eligibility

    @property
    def label(self) -> str:
        """Return « DUPONT Marie (P-00012) — éligible : RSA, PLIE » for a select option."""
        verdict = self.eligibility.summary.split(" : ", 1)
        detail = verdict[1].rstrip(".") if self.eligibility.is_eligible and len(verdict) > 1 else ""
        state = f"éligible : {detail}" if detail else "non éligible"
        return f"{self.participant.display_name} ({self.participant.code}) — {state}"


def candidates(session: Session, fiche: Fiche, on: date) -> list[Candidate]:
    """Return the visible participants not yet positioned on ``fiche``, eligible ones first."""
    months = proof_validity_months(session, on)
    taken = {positioning.participant_id for positioning in fiche.positionings}
    people = session.scalars(select(Participant).options(selectinload(Participant.criteria))
                             .order_by(Participant.last_name, Participant.first_name)).all()
    found = [Candidate(person, participant_eligibility(person, on, months)) for person in people
             if person.id not in taken]
    return sorted(found, key=lambda candidate: not candidate.eligibility.is_eligible)


def _record(session: Session, positioning: Positioning, target: PositioningStatus, actor: Actor, note: str,
            initial: bool = False) -> None:
    session.add(PositioningChange(organisation_id=positioning.organisation_id, positioning=positioning,
                                  from_status=None if initial else positioning.status, to_status=target,
                                  changed_at=utcnow(), by_user_id=actor.user_id, by_label=actor.label[:200],
                                  note=note[:500]))
    positioning.status = target


def propose_candidate(session: Session, fiche: Fiche, participant_id: int, actor: Actor, *, today: date,
                      override_reason: str | None = None) -> Positioning:
    """Propose a participant on a fiche; an ineligible one needs an override reason, recorded."""
    if fiche.status not in POSITIONING_OPEN:
        raise ServiceError(f"La fiche est « {fiche.status.label} » : on ne positionne des candidats que sur une "
                           "fiche diffusée.", "participant_id")
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise ServiceError("Ce participant est introuvable.", "participant_id")
    if any(item.participant_id == participant_id for item in fiche.positionings):
        raise ServiceError("Ce·tte candidat·e est déjà positionné·e sur cette fiche.", "participant_id")
    eligibility = participant_eligibility(participant, today, proof_validity_months(session, today))
    try:
        decision = check_proposal(eligibility, override_reason)
    except EligibilityError as exc:
        raise ServiceError(str(exc), "override_reason") from None
    positioning = Positioning(organisation_id=fiche.organisation_id, fiche=fiche, participant_id=participant.id,
                              status=PositioningStatus.PROPOSE, is_override=decision.override_used,
                              override_reason=decision.override_reason,
                              eligibility=eligibility_snapshot(eligibility), proposed_by_id=actor.user_id,
                              proposed_at=utcnow())
    session.add(positioning)
    note = f"Dérogation à l'éligibilité : {decision.override_reason}" if decision.override_used else eligibility.summary
    _record(session, positioning, PositioningStatus.PROPOSE, actor, note, initial=True)
    if fiche.status is FicheStatus.DIFFUSEE:
        record_status(session, fiche, transition(fiche.status, FicheStatus.CANDIDATS_POSITIONNES), actor,
                      "Premier candidat positionné")
    session.flush()
    return positioning


def change_positioning(session: Session, positioning: Positioning, target: PositioningStatus, actor: Actor,
                       note: str = "") -> None:
    """Move a candidate to « présenté·e », « retenu·e », « non retenu·e » or « désisté·e »."""
    _record(session, positioning, transition(positioning.status, target), actor, note.strip())
    session.flush()


def snapshot_lines(snapshot: dict) -> list[str]:
    """Return the stored check as French lines (« RSA : justificatif du 02/10/2026 — Valide »)."""
    lines = []
    for item in snapshot.get("criteria", []):
        criterion = Criterion(item["criterion"])
        proof = item.get("proof_on")
        proof_text = f"justificatif du {format_date_fr(date.fromisoformat(proof))}" if proof else "aucun justificatif"
        lines.append(f"{SHORT_LABELS.get(criterion, criterion.label)} : {proof_text} — "
                     f"{ProofStatus(item['status']).label}")
    return lines or ["Aucun critère renseigné"]
