"""Status machines of fiches de liaison, conventions and candidate positionings.

Pure rules only: ``transition`` says whether a change is allowed and why not, in French;
the services record who made it and when.
"""

from __future__ import annotations

from datetime import date

from app.domain.enums import ConventionStatus, LabelledEnum


class FicheStatus(LabelledEnum):
    """Life of a company's job need (fiche de liaison)."""

    BROUILLON = "brouillon", "Brouillon"  # saved by a company or facilitator, not yet submitted
    RECUE = "recue", "Reçue"
    DIFFUSEE = "diffusee", "Diffusée"
    CANDIDATS_POSITIONNES = "candidats_positionnes", "Candidats positionnés"
    POURVUE = "pourvue", "Pourvue"
    ANNULEE = "annulee", "Annulée"


class PositioningStatus(LabelledEnum):
    """Where a candidate stands on one fiche de liaison."""

    PROPOSE = "propose", "Proposé·e"
    PRESENTE = "presente", "Présenté·e à l'entreprise"
    RETENU = "retenu", "Retenu·e"
    NON_RETENU = "non_retenu", "Non retenu·e"
    DESISTE = "desiste", "Désisté·e"


F, C, P = FicheStatus, ConventionStatus, PositioningStatus  # short names for the tables

# Members of different machines share values ("brouillon", "annulee") and, being strings,
# compare equal: every table is keyed by machine first.
TRANSITIONS: dict[type, dict[LabelledEnum, frozenset]] = {
    FicheStatus: {
        F.BROUILLON: frozenset({F.RECUE}),
        F.RECUE: frozenset({F.DIFFUSEE, F.ANNULEE}),
        F.DIFFUSEE: frozenset({F.CANDIDATS_POSITIONNES, F.ANNULEE}),
        # Back to « Diffusée » when every positioned candidate was refused or withdrew.
        F.CANDIDATS_POSITIONNES: frozenset({F.POURVUE, F.ANNULEE, F.DIFFUSEE}),
        F.POURVUE: frozenset(),
        F.ANNULEE: frozenset(),
    },
    # A draft or a convention awaiting signature may be abandoned; once signed it is never
    # cancelled but ends (early termination = the service moves ends_on, then « Échue »),
    # so the signed copy stays in the FSE+ file. A partner asking for changes sends the
    # convention back to draft.
    ConventionStatus: {
        C.BROUILLON: frozenset({C.ENVOYEE, C.ANNULEE}),
        C.ENVOYEE: frozenset({C.SIGNEE, C.BROUILLON, C.ANNULEE}),
        C.SIGNEE: frozenset({C.ECHUE}),
        C.ECHUE: frozenset(),
        C.ANNULEE: frozenset(),
    },
    # The company may turn down a CV without an interview; a retained candidate may still
    # withdraw before starting.
    PositioningStatus: {
        P.PROPOSE: frozenset({P.PRESENTE, P.NON_RETENU, P.DESISTE}),
        P.PRESENTE: frozenset({P.RETENU, P.NON_RETENU, P.DESISTE}),
        P.RETENU: frozenset({P.DESISTE}),
        P.NON_RETENU: frozenset(),
        P.DESISTE: frozenset(),
    },
}

# What the subject of each machine is called in messages.
_SUBJECT = {FicheStatus: "la fiche de liaison", ConventionStatus: "la convention",
            PositioningStatus: "le positionnement"}
_TERMINAL_MESSAGES = {
    FicheStatus: {F.POURVUE: "Une fiche pourvue ne peut plus changer de statut.",
                  F.ANNULEE: "Une fiche annulée ne peut plus changer de statut."},
    ConventionStatus: {C.ECHUE: "Une convention échue ne peut plus changer de statut.",
                       C.ANNULEE: "Une convention annulée ne peut plus changer de statut."},
    PositioningStatus: {
        P.NON_RETENU: "Un·e candidat·e non retenu·e ne peut plus changer de statut sur cette fiche.",
        P.DESISTE: "Un·e candidat·e désisté·e ne peut plus changer de statut sur cette fiche."},
}


class TransitionError(ValueError):
    """A status change is not allowed; the message is French and shown as is."""


def allowed_targets(current: LabelledEnum) -> list[LabelledEnum]:
    """Return the statuses reachable from ``current``, in declaration order."""
    targets = TRANSITIONS[type(current)][current]
    return [status for status in type(current) if status in targets]


def next_steps(current: LabelledEnum) -> list[LabelledEnum]:
    """Return the reachable statuses, forward steps first: a menu never offers a step back first."""
    order = list(type(current))
    here = order.index(current)
    return sorted(allowed_targets(current), key=lambda status: (order.index(status) < here, order.index(status)))


def is_terminal(status: LabelledEnum) -> bool:
    """Return True when no status can follow ``status``."""
    return not TRANSITIONS[type(status)][status]


def transition(current: LabelledEnum, target: LabelledEnum, *, has_signed_scan: bool = False) -> LabelledEnum:
    """Return ``target`` when ``current`` may move to it, else raise TransitionError."""
    if type(current) is not type(target):
        raise TypeError(f"{current!r} and {target!r} belong to different status machines")
    subject = _SUBJECT[type(current)]
    if current is target:
        raise TransitionError(f"Le statut de {subject} est déjà « {current.label} ».")
    if is_terminal(current):
        raise TransitionError(_TERMINAL_MESSAGES[type(current)][current])
    if target not in TRANSITIONS[type(current)][current]:
        options = ", ".join(f"« {status.label} »" for status in allowed_targets(current))
        raise TransitionError(
            f"Passage impossible de « {current.label} » à « {target.label} » pour {subject} ; "
            f"statuts possibles : {options}.")
    # The signed scan is the proof the FSE+ file asks for: no scan, no « Signée ».
    if target is C.SIGNEE and not has_signed_scan:
        raise TransitionError("Joignez le scan de la convention signée avant de la passer au statut « Signée ».")
    return target


def is_active_on(status: ConventionStatus, starts_on: date, ends_on: date, day: date) -> bool:
    """Return True when a convention counts as active on ``day`` (signed, within its dates)."""
    return status is C.SIGNEE and starts_on <= day <= ends_on


def is_due_to_expire(status: ConventionStatus, ends_on: date, day: date) -> bool:
    """Return True when a signed convention has passed its end date and should become « Échue »."""
    return status is C.SIGNEE and day > ends_on
