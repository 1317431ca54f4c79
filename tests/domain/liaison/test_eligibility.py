"""Eligibility from dated proofs, and the override a facilitator must give for an ineligible person."""

from datetime import date

import pytest

from app.domain.liaison.eligibility import (
    SHORT_LABELS,
    EligibilityError,
    ProofStatus,
    add_months,
    check_eligibility,
    check_proposal,
)
from app.domain.enums import Criterion

PROOF = date(2026, 10, 2)


def one(criterion, proof_on, on, **kwargs):
    return check_eligibility([(criterion, proof_on)], on, **kwargs).criteria[0]


def test_check_eligibility_recent_proof_is_valid_with_its_end_date():
    result = check_eligibility([(Criterion.BRSA, PROOF)], date(2026, 11, 15))
    check = result.criteria[0]
    assert check.status is ProofStatus.VALID
    assert check.valid_until == date(2027, 1, 2)
    assert check.explanation == "RSA : justificatif du 02/10/2026, valide jusqu'au 02/01/2027"
    assert result.is_eligible
    assert result.summary == "Éligible au 15/11/2026 : RSA."


@pytest.mark.parametrize(("on", "status"), [
    (date(2027, 1, 1), ProofStatus.VALID),
    (date(2027, 1, 2), ProofStatus.VALID),  # exactly three months: « valide jusqu'au » includes the day
    (date(2027, 1, 3), ProofStatus.EXPIRED),
])
def test_check_eligibility_three_month_boundary_includes_last_day(on, status):
    assert one(Criterion.DELD, PROOF, on).status is status


def test_check_eligibility_old_proof_is_expired_since_the_next_day():
    check = one(Criterion.DELD, date(2026, 6, 1), date(2026, 11, 15))
    assert check.status is ProofStatus.EXPIRED
    assert check.explanation == "DELD : justificatif du 01/06/2026, expiré depuis le 02/09/2026"


def test_check_eligibility_missing_proof_is_missing_and_not_eligible():
    result = check_eligibility([(Criterion.RQTH, None)], date(2026, 11, 15))
    assert result.criteria[0].status is ProofStatus.MISSING
    assert result.explanations == ["RQTH : aucun justificatif"]
    assert not result.is_eligible
    assert result.summary == "Non éligible au 15/11/2026 : aucun justificatif de moins de 3 mois."


def test_check_eligibility_no_criterion_says_aucun_justificatif():
    result = check_eligibility([], date(2026, 11, 15))
    assert not result.is_eligible
    assert result.explanations == ["Aucun justificatif"]
    assert "aucun critère d'éligibilité renseigné" in result.summary


def test_check_eligibility_one_valid_among_expired_makes_eligible():
    result = check_eligibility([(Criterion.DELD, date(2025, 1, 1)), (Criterion.QPV, PROOF),
                                (Criterion.AAH, None)], date(2026, 10, 20))
    assert [c.status for c in result.criteria] == [ProofStatus.EXPIRED, ProofStatus.VALID, ProofStatus.MISSING]
    assert result.valid_criteria == [Criterion.QPV]
    assert result.is_eligible


def test_check_eligibility_validity_months_is_configurable():
    on = date(2027, 2, 1)
    assert one(Criterion.BRSA, PROOF, on).status is ProofStatus.EXPIRED
    six = check_eligibility([(Criterion.BRSA, PROOF)], on, validity_months=6)
    assert six.criteria[0].status is ProofStatus.VALID
    assert six.criteria[0].valid_until == date(2027, 4, 2)
    assert "6 mois" not in six.summary and six.validity_months == 6


def test_check_eligibility_zero_months_is_refused():
    with pytest.raises(ValueError):
        check_eligibility([(Criterion.BRSA, PROOF)], PROOF, validity_months=0)


def test_check_eligibility_proof_dated_after_reference_day_does_not_count():
    check = one(Criterion.BRSA, date(2026, 12, 1), date(2026, 11, 15))
    assert check.status is ProofStatus.MISSING
    assert check.explanation == "RSA : justificatif du 01/12/2026, postérieur au 15/11/2026"


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 11, 30), 3, date(2027, 2, 28)),  # February is shorter: keep its last day
    (date(2027, 11, 30), 3, date(2028, 2, 29)),  # leap year
    (date(2026, 10, 31), 2, date(2026, 12, 31)),
    (date(2026, 12, 15), 1, date(2027, 1, 15)),
])
def test_add_months_short_month_keeps_last_day(day, months, expected):
    assert add_months(day, months) == expected


def test_short_labels_cover_every_criterion():
    assert set(SHORT_LABELS) == set(Criterion)


def ineligible():
    return check_eligibility([(Criterion.DELD, date(2025, 1, 1))], date(2026, 11, 15))


def test_check_proposal_eligible_needs_no_override():
    decision = check_proposal(check_eligibility([(Criterion.BRSA, PROOF)], date(2026, 11, 15)),
                              "motif inutile ici")
    assert decision.override_used is False
    assert decision.override_reason is None


@pytest.mark.parametrize("reason", [None, "", "   ", "exception"])
def test_check_proposal_ineligible_without_reason_raises(reason):
    with pytest.raises(EligibilityError) as error:
        check_proposal(ineligible(), reason)
    message = str(error.value)
    assert message.startswith("Non éligible au 15/11/2026")
    assert "DELD : justificatif du 01/01/2025, expiré depuis le 02/04/2025" in message
    assert "motif de la dérogation (au moins 10 caractères)" in message


def test_check_proposal_ineligible_with_reason_records_override():
    decision = check_proposal(ineligible(), "  Justificatif  en cours de renouvellement ")
    assert decision.override_used is True
    assert decision.override_reason == "Justificatif en cours de renouvellement"
    assert not decision.eligibility.is_eligible


def test_check_proposal_reason_length_threshold_is_exact_and_configurable():
    assert check_proposal(ineligible(), "0123456789").override_used  # exactly 10 characters
    with pytest.raises(EligibilityError, match="au moins 20 caractères"):
        check_proposal(ineligible(), "0123456789", min_reason_length=20)
