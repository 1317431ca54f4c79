"""Positioning candidates: eligibility shown, ineligible proposals need a recorded override,
every step kept, and the proof validity is configurable."""

import json
from datetime import date
from decimal import Decimal

import pytest

from app.domain.enums import Criterion
from app.domain.liaison.workflow import FicheStatus, PositioningStatus, TransitionError
from app.models import ReferenceParam
from app.services.liaison import positionings as pos
from app.services.referential import ServiceError
from tests.services.liaison.fiche_helpers import FACILITATOR, add_participant, received_fiche

TODAY = date(2026, 11, 22)


@pytest.fixture
def fiche(session, world):
    return received_fiche(session, world, TODAY, FicheStatus.DIFFUSEE)


def test_propose_eligible_candidate_records_snapshot_and_moves_fiche(session, world, fiche):
    person = add_participant(session, world, "T-1", {Criterion.BRSA: date(2026, 10, 2), Criterion.QPV: None})
    positioning = pos.propose_candidate(session, fiche, person.id, FACILITATOR, today=TODAY)
    assert positioning.status is PositioningStatus.PROPOSE and not positioning.is_override
    assert positioning.eligibility == {
        "checked_on": "2026-11-22", "validity_months": 3, "is_eligible": True,
        "criteria": [{"criterion": "brsa", "status": "valid", "proof_on": "2026-10-02", "valid_until": "2027-01-02"},
                     {"criterion": "qpv", "status": "missing", "proof_on": None, "valid_until": None}]}
    assert fiche.status is FicheStatus.CANDIDATS_POSITIONNES
    assert fiche.status_changes[-1].note == "Premier candidat positionné"
    [change] = positioning.changes
    assert change.note == "Éligible au 22/11/2026 : RSA."


def test_eligibility_snapshot_holds_no_personal_data(session, world, fiche):
    person = add_participant(session, world, "T-2", {Criterion.DELD: date(2026, 9, 30)})
    positioning = pos.propose_candidate(session, fiche, person.id, FACILITATOR, today=TODAY)
    stored = json.dumps(positioning.eligibility)
    for personal in (person.last_name, person.first_name, "1990", person.code):
        assert personal not in stored


def test_propose_ineligible_refused_without_reason(session, world, fiche):
    person = add_participant(session, world, "T-3", {Criterion.BRSA: date(2026, 1, 10)})
    with pytest.raises(ServiceError) as caught:
        pos.propose_candidate(session, fiche, person.id, FACILITATOR, today=TODAY, override_reason="vu")
    message = str(caught.value)
    assert caught.value.field == "override_reason"
    assert "Non éligible au 22/11/2026" in message
    assert "RSA : justificatif du 10/01/2026, expiré depuis le 11/04/2026" in message
    assert "indiquez le motif de la dérogation" in message
    assert fiche.positionings == []


def test_propose_ineligible_with_reason_records_override(session, world, fiche):
    person = add_participant(session, world, "T-4", {})
    reason = "Orientation validée en commission PLIE du 18/11/2026"
    positioning = pos.propose_candidate(session, fiche, person.id, FACILITATOR, today=TODAY,
                                        override_reason=f"  {reason} ")
    assert positioning.is_override and positioning.override_reason == reason
    assert positioning.eligibility["is_eligible"] is False
    assert positioning.changes[0].note == f"Dérogation à l'éligibilité : {reason}"


def test_positioning_history_keeps_presented_and_retained(session, world, fiche):
    first = add_participant(session, world, "T-5", {Criterion.PLIE: date(2026, 11, 1)})
    second = add_participant(session, world, "T-6", {Criterion.DELD: date(2026, 11, 1)})
    kept = pos.propose_candidate(session, fiche, first.id, FACILITATOR, today=TODAY)
    other = pos.propose_candidate(session, fiche, second.id, FACILITATOR, today=TODAY)
    pos.change_positioning(session, kept, PositioningStatus.PRESENTE, FACILITATOR, "Entretien le 25/11")
    pos.change_positioning(session, other, PositioningStatus.PRESENTE, FACILITATOR)
    pos.change_positioning(session, kept, PositioningStatus.RETENU, FACILITATOR)
    pos.change_positioning(session, other, PositioningStatus.NON_RETENU, FACILITATOR)
    assert [(c.from_status, c.to_status) for c in kept.changes] == [
        (None, PositioningStatus.PROPOSE), (PositioningStatus.PROPOSE, PositioningStatus.PRESENTE),
        (PositioningStatus.PRESENTE, PositioningStatus.RETENU)]
    assert kept.changes[1].note == "Entretien le 25/11"
    with pytest.raises(TransitionError, match="non retenu·e ne peut plus changer"):
        pos.change_positioning(session, other, PositioningStatus.RETENU, FACILITATOR)
    with pytest.raises(TransitionError, match="Passage impossible"):
        pos.change_positioning(session, kept, PositioningStatus.PRESENTE, FACILITATOR)


def test_propose_same_person_twice_refused(session, world, fiche):
    person = add_participant(session, world, "T-7", {Criterion.PLIE: date(2026, 11, 1)})
    pos.propose_candidate(session, fiche, person.id, FACILITATOR, today=TODAY)
    with pytest.raises(ServiceError, match="déjà positionné·e"):
        pos.propose_candidate(session, fiche, person.id, FACILITATOR, today=TODAY)


def test_propose_on_fiche_not_yet_diffused_refused(session, world):
    fiche = received_fiche(session, world, TODAY)
    person = add_participant(session, world, "T-8", {Criterion.PLIE: date(2026, 11, 1)})
    with pytest.raises(ServiceError, match="« Reçue » : on ne positionne des candidats que sur une fiche diffusée"):
        pos.propose_candidate(session, fiche, person.id, FACILITATOR, today=TODAY)


def test_proof_validity_is_configurable(session, world, fiche):
    person = add_participant(session, world, "T-9", {Criterion.BRSA: date(2026, 6, 1)})
    assert pos.proof_validity_months(session, TODAY) == 3
    with pytest.raises(ServiceError):
        pos.propose_candidate(session, fiche, person.id, FACILITATOR, today=TODAY)
    session.add(ReferenceParam(organisation_id=world.a.organisation_id, key=pos.VALIDITY_PARAM,
                               label="Validité des justificatifs", value=Decimal(6), unit="mois"))
    session.flush()
    # The test session is unscoped: confine it to organisation A as a request would.
    from app.access import Scope

    session.info["scope"] = Scope(organisation_id=world.a.organisation_id)
    assert pos.proof_validity_months(session, TODAY) == 6
    positioning = pos.propose_candidate(session, fiche, person.id, FACILITATOR, today=TODAY)
    assert positioning.eligibility["validity_months"] == 6 and positioning.eligibility["is_eligible"]


def test_candidates_list_eligible_first_with_verdict(session, world, fiche):
    add_participant(session, world, "T-10", {})
    add_participant(session, world, "T-11", {Criterion.PLIE: date(2026, 11, 1)})
    from app.access import Scope

    session.info["scope"] = Scope(organisation_id=world.a.organisation_id)
    options = pos.candidates(session, fiche, TODAY)
    labels = [option.label for option in options]
    assert labels.index("NOM-T-11 Alex (T-11) — éligible : PLIE") < labels.index("NOM-T-10 Alex (T-10) — non éligible")
    assert "ORG-B" not in " ".join(labels)
