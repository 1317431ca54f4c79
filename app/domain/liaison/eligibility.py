"""Check a participant's eligibility from dated proofs, and guard proposals of ineligible people.

A criterion counts only with a proof less than N months old (DOMAIN.md §4: usually three;
configurable). A proof dated 02/10/2026 is read as « valide jusqu'au 02/01/2027 » included,
the way facilitators write it on their checklists.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.enums import Criterion, LabelledEnum
from app.domain.formats import format_date_fr

DEFAULT_VALIDITY_MONTHS = 3
MIN_OVERRIDE_REASON = 10  # characters: « exception » alone is not a reason

# Short names facilitators use in checklists (« RSA », « DELD »); labels stay for forms.
SHORT_LABELS = {
    Criterion.BRSA: "RSA", Criterion.ASS: "ASS", Criterion.AAH: "AAH", Criterion.DELD: "DELD",
    Criterion.DETLD: "DETLD", Criterion.JEUNE: "Moins de 26 ans", Criterion.SENIOR: "50 ans et plus",
    Criterion.RQTH: "RQTH", Criterion.PLIE: "PLIE", Criterion.SALARIE_SIAE: "Salarié·e SIAE",
    Criterion.QPV: "QPV", Criterion.PARCOURS: "Parcours d'insertion",
}


class ProofStatus(LabelledEnum):
    VALID = "valid", "Valide"
    EXPIRED = "expired", "Expiré"
    MISSING = "missing", "Manquant"


class EligibilityError(ValueError):
    """An ineligible person was proposed without a reason; the message is French."""


@dataclass(frozen=True)
class CriterionCheck:
    """One criterion with the state of its proof on the reference date."""

    criterion: Criterion
    proof_on: date | None
    status: ProofStatus
    valid_until: date | None
    explanation: str


@dataclass(frozen=True)
class Eligibility:
    """A participant's criteria checked on ``checked_on``."""

    checked_on: date
    validity_months: int
    criteria: tuple[CriterionCheck, ...]

    @property
    def valid_criteria(self) -> list[Criterion]:
        """Return the criteria whose proof is valid."""
        return [check.criterion for check in self.criteria if check.status is ProofStatus.VALID]

    @property
    def is_eligible(self) -> bool:
        """Return True when at least one criterion has a valid proof."""
        return bool(self.valid_criteria)

    @property
    def explanations(self) -> list[str]:
        """Return one French sentence per criterion, or « Aucun justificatif »."""
        return [check.explanation for check in self.criteria] or ["Aucun justificatif"]

    @property
    def summary(self) -> str:
        """Return the French verdict shown beside the candidate."""
        day = format_date_fr(self.checked_on)
        if self.is_eligible:
            names = ", ".join(SHORT_LABELS.get(c, c.label) for c in self.valid_criteria)
            return f"Éligible au {day} : {names}."
        if not self.criteria:
            return f"Non éligible au {day} : aucun critère d'éligibilité renseigné."
        return (f"Non éligible au {day} : aucun justificatif de moins de "
                f"{self.validity_months} mois.")


@dataclass(frozen=True)
class ProposalDecision:
    """What the service records when a candidate is proposed on a fiche."""

    eligibility: Eligibility
    override_used: bool
    override_reason: str | None


def add_months(day: date, months: int) -> date:
    """Return ``day`` plus ``months`` months, kept on the month's last day when too short."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_criterion(criterion: Criterion, proof_on: date | None, on: date,
                    validity_months: int = DEFAULT_VALIDITY_MONTHS) -> CriterionCheck:
    """Return the state of one criterion's proof on ``on``."""
    name = SHORT_LABELS.get(criterion, criterion.label)
    if proof_on is None:
        return CriterionCheck(criterion, None, ProofStatus.MISSING, None, f"{name} : aucun justificatif")
    if proof_on > on:
        # Checking a past proposal: a proof dated later did not exist yet on that day.
        return CriterionCheck(criterion, proof_on, ProofStatus.MISSING, None,
                              f"{name} : justificatif du {format_date_fr(proof_on)}, postérieur "
                              f"au {format_date_fr(on)}")
    until = add_months(proof_on, validity_months)
    proof = format_date_fr(proof_on)
    if on <= until:
        return CriterionCheck(criterion, proof_on, ProofStatus.VALID, until,
                              f"{name} : justificatif du {proof}, valide jusqu'au {format_date_fr(until)}")
    return CriterionCheck(criterion, proof_on, ProofStatus.EXPIRED, until,
                          f"{name} : justificatif du {proof}, expiré depuis le "
                          f"{format_date_fr(until + timedelta(days=1))}")


def check_eligibility(criteria: Iterable[tuple[Criterion, date | None]], on: date, *,
                      validity_months: int = DEFAULT_VALIDITY_MONTHS) -> Eligibility:
    """Return each criterion's proof status on ``on`` and the overall verdict."""
    if validity_months < 1:
        raise ValueError("validity_months must be at least 1")
    checks = tuple(check_criterion(criterion, proof_on, on, validity_months)
                   for criterion, proof_on in criteria)
    return Eligibility(on, validity_months, checks)


def check_proposal(eligibility: Eligibility, override_reason: str | None = None, *,
                   min_reason_length: int = MIN_OVERRIDE_REASON) -> ProposalDecision:
    """Accept a proposal, or raise EligibilityError when an ineligible person has no reason."""
    if eligibility.is_eligible:
        # A reason typed for an eligible person is not an override: nothing to justify.
        return ProposalDecision(eligibility, override_used=False, override_reason=None)
    reason = " ".join((override_reason or "").split())
    if len(reason) < min_reason_length:
        detail = "; ".join(eligibility.explanations)
        raise EligibilityError(
            f"{eligibility.summary} ({detail}). Pour positionner cette personne malgré tout, "
            f"indiquez le motif de la dérogation (au moins {min_reason_length} caractères).")
    return ProposalDecision(eligibility, override_used=True, override_reason=reason)
