"""Status machines: every allowed and forbidden transition, and the active-convention rule."""

from datetime import date
from itertools import product

import pytest

from app.domain.liaison.workflow import ConventionStatus as C
from app.domain.liaison.workflow import FicheStatus as F
from app.domain.liaison.workflow import PositioningStatus as P
from app.domain.liaison.workflow import (
    TransitionError,
    allowed_targets,
    is_active_on,
    is_due_to_expire,
    is_terminal,
    transition,
)

# The specification, written out independently of the module's table.
ALLOWED = [  # lists, not sets: equal-comparing members of two machines would merge
    (F.BROUILLON, F.RECUE), (F.RECUE, F.DIFFUSEE), (F.RECUE, F.ANNULEE),
    (F.DIFFUSEE, F.CANDIDATS_POSITIONNES), (F.DIFFUSEE, F.ANNULEE),
    (F.CANDIDATS_POSITIONNES, F.POURVUE), (F.CANDIDATS_POSITIONNES, F.ANNULEE),
    (F.CANDIDATS_POSITIONNES, F.DIFFUSEE),
    (C.BROUILLON, C.ENVOYEE), (C.BROUILLON, C.ANNULEE), (C.ENVOYEE, C.SIGNEE),
    (C.ENVOYEE, C.BROUILLON), (C.ENVOYEE, C.ANNULEE), (C.SIGNEE, C.ECHUE),
    (P.PROPOSE, P.PRESENTE), (P.PROPOSE, P.NON_RETENU), (P.PROPOSE, P.DESISTE),
    (P.PRESENTE, P.RETENU), (P.PRESENTE, P.NON_RETENU), (P.PRESENTE, P.DESISTE),
    (P.RETENU, P.DESISTE),
]
TERMINAL = [F.POURVUE, F.ANNULEE, C.ECHUE, C.ANNULEE, P.NON_RETENU, P.DESISTE]
PAIRS = [(a, b) for machine in (F, C, P) for a, b in product(machine, machine) if a is not b]


def spec(*statuses):
    # Members of different machines compare equal ("annulee"): compare with their machine.
    return (type(statuses[0]),) + tuple(s.value for s in statuses)


ALLOWED_SPEC = {spec(*pair) for pair in ALLOWED}
TERMINAL_SPEC = {spec(status) for status in TERMINAL}


def key(pair):
    return f"{type(pair[0]).__name__}:{pair[0].value}->{pair[1].value}"


@pytest.mark.parametrize("pair", [p for p in PAIRS if spec(*p) in ALLOWED_SPEC], ids=key)
def test_transition_allowed_pair_returns_target(pair):
    current, target = pair
    assert transition(current, target, has_signed_scan=True) is target


@pytest.mark.parametrize("pair", [p for p in PAIRS if spec(*p) not in ALLOWED_SPEC], ids=key)
def test_transition_forbidden_pair_raises(pair):
    current, target = pair
    with pytest.raises(TransitionError):
        transition(current, target, has_signed_scan=True)


@pytest.mark.parametrize("status", [s for machine in (F, C, P) for s in machine],
                         ids=lambda s: f"{type(s).__name__}:{s.value}")
def test_is_terminal_matches_specification(status):
    assert is_terminal(status) is (spec(status) in TERMINAL_SPEC)


def test_transition_from_pourvue_gives_french_message():
    with pytest.raises(TransitionError, match="^Une fiche pourvue ne peut plus changer de statut.$"):
        transition(F.POURVUE, F.DIFFUSEE)


def test_transition_forbidden_lists_possible_statuses():
    with pytest.raises(TransitionError) as error:
        transition(F.RECUE, F.POURVUE)
    assert str(error.value) == ("Passage impossible de « Reçue » à « Pourvue » pour la fiche de liaison ; "
                                "statuts possibles : « Diffusée », « Annulée ».")


def test_transition_same_status_raises():
    with pytest.raises(TransitionError, match="déjà « Envoyée »"):
        transition(C.ENVOYEE, C.ENVOYEE)


def test_transition_signature_without_scan_raises():
    with pytest.raises(TransitionError, match="scan de la convention signée"):
        transition(C.ENVOYEE, C.SIGNEE)
    assert transition(C.ENVOYEE, C.SIGNEE, has_signed_scan=True) is C.SIGNEE


def test_transition_across_machines_is_a_programming_error():
    # "brouillon" == "brouillon": without the type check the tables would mix machines.
    assert F.BROUILLON == C.BROUILLON
    with pytest.raises(TypeError):
        transition(F.BROUILLON, C.ENVOYEE)


def test_next_steps_put_forward_steps_first():
    from app.domain.liaison.workflow import next_steps

    assert next_steps(C.ENVOYEE) == [C.SIGNEE, C.ANNULEE, C.BROUILLON]
    assert next_steps(F.CANDIDATS_POSITIONNES) == [F.POURVUE, F.ANNULEE, F.DIFFUSEE]


def test_allowed_targets_follow_declaration_order():
    assert allowed_targets(F.CANDIDATS_POSITIONNES) == [F.DIFFUSEE, F.POURVUE, F.ANNULEE]
    assert allowed_targets(C.SIGNEE) == [C.ECHUE]
    assert allowed_targets(P.NON_RETENU) == []


def test_statuses_carry_french_labels():
    assert F.CANDIDATS_POSITIONNES.label == "Candidats positionnés"
    assert C.ECHUE.label == "Échue"
    assert P.PRESENTE.label == "Présenté·e à l'entreprise"
    assert ("brouillon", "Brouillon") in F.choices()


START, END = date(2026, 1, 1), date(2026, 12, 31)


@pytest.mark.parametrize(("day", "active"), [
    (date(2025, 12, 31), False), (START, True), (date(2026, 6, 30), True), (END, True),
    (date(2027, 1, 1), False),
])
def test_is_active_on_signed_convention_within_dates_inclusive(day, active):
    assert is_active_on(C.SIGNEE, START, END, day) is active


@pytest.mark.parametrize("status", [C.BROUILLON, C.ENVOYEE, C.ECHUE, C.ANNULEE])
def test_is_active_on_unsigned_or_ended_convention_is_inactive(status):
    assert not is_active_on(status, START, END, date(2026, 6, 30))


def test_is_due_to_expire_only_after_end_date_when_signed():
    assert not is_due_to_expire(C.SIGNEE, END, END)
    assert is_due_to_expire(C.SIGNEE, END, date(2027, 1, 1))
    assert not is_due_to_expire(C.ENVOYEE, END, date(2027, 1, 1))
