"""Demo follow-up data: exits of finished placements, three collective actions and this year's
FSE+ operation with targets, so that dashboards, exports and the dossier have something to show.

Called at the end of seed_demo; one bulk insert for the exits keeps the large scale fast.
"""

import random
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.domain.reports.attendance import ActionKind
from app.domain.reports.exits import ExitSituation, add_months, classify_exit, follow_up_due_on
from app.models import (
    ActionAttendee,
    CollectiveAction,
    Company,
    FseOperation,
    Organisation,
    Participant,
    ParticipantExit,
    Placement,
)

# (situation, months the next contract lasts or None, subsidised, weight): a believable mix.
EXIT_MIX = [
    (ExitSituation.PERMANENT_CONTRACT, None, False, 3),
    (ExitSituation.FIXED_TERM_CONTRACT, 6, False, 3),
    (ExitSituation.FIXED_TERM_CONTRACT, 4, False, 2),
    (ExitSituation.FIXED_TERM_CONTRACT, 2, False, 1),
    (ExitSituation.FIXED_TERM_CONTRACT, 12, True, 1),
    (ExitSituation.TEMPORARY_MISSION, 3, False, 2),
    (ExitSituation.PROFESSIONALISATION_CONTRACT, 12, False, 1),
    (ExitSituation.QUALIFYING_TRAINING, 9, False, 2),
    (ExitSituation.SIAE_HIRE, 4, False, 1),
    (ExitSituation.JOB_SEEKER, None, False, 3),
]
EXIT_SHARE = 0.6


def _seed_exits(session: Session, organisation_id: int, rng: random.Random, today: date) -> int:
    ended = session.execute(
        select(Placement.id, Placement.participant_id, Placement.ends_on, Company.name)
        .outerjoin(Company, Company.id == Placement.company_id)
        .where(Placement.organisation_id == organisation_id, Placement.ends_on.is_not(None),
               Placement.ends_on < today).order_by(Placement.id)).all()
    weights = [weight for *_rest, weight in EXIT_MIX]
    rows = []
    for placement_id, participant_id, ends_on, company in ended:
        if rng.random() > EXIT_SHARE:
            continue
        situation, months, subsidised, _weight = rng.choices(EXIT_MIX, weights=weights)[0]
        starts_on = ends_on + timedelta(days=1)
        situation_ends_on = add_months(starts_on, months) - timedelta(days=1) if months else None
        rows.append({
            "organisation_id": organisation_id, "placement_id": placement_id, "participant_id": participant_id,
            "exit_on": ends_on, "situation": situation, "situation_starts_on": starts_on,
            "situation_ends_on": situation_ends_on, "is_subsidised": subsidised,
            "employer": (company or "") if situation in (ExitSituation.PERMANENT_CONTRACT,
                                                         ExitSituation.FIXED_TERM_CONTRACT) else "",
            "category": classify_exit(situation, starts_on, situation_ends_on, subsidised),
            "follow_up_due_on": follow_up_due_on(ends_on), "follow_up_note": "",
            # A third of the surveys already due were done, the rest wait on the reminders page.
            "follow_up_done_on": follow_up_due_on(ends_on) + timedelta(days=3)
            if follow_up_due_on(ends_on) + timedelta(days=3) < today and rng.random() < 0.33 else None,
        })
    if rows:
        session.execute(insert(ParticipantExit), rows)
    return len(rows)


def _seed_operation(session: Session, organisation: Organisation, today: date) -> FseOperation:
    year = today.year
    # Its targets are set once the whole territory is seeded (app.services.demo.fse_operations).
    operation = FseOperation(organisation_id=organisation.id, starts_on=date(year, 1, 1),
                             ends_on=date(year, 12, 31), is_fse_funded=True,
                             title=f"Clauses sociales d'insertion {year} — {organisation.name}",
                             operation_number=f"{year}01234",  # shaped like the managing authority's numbers
                             territory=organisation.territory,
                             description="Animation et suivi des clauses sociales d'insertion des marchés publics "
                                         "du territoire, accompagnement des participants.")
    session.add(operation)
    session.flush()
    return operation


def _seed_actions(session: Session, organisation: Organisation, operation: FseOperation, rng: random.Random,
                  today: date) -> None:
    people = session.scalars(select(Participant).where(Participant.organisation_id == organisation.id)
                             .order_by(Participant.id).limit(40)).all()
    company = session.scalar(select(Company).where(Company.organisation_id == organisation.id).order_by(Company.id))
    own = {"organisation_id": organisation.id}
    past = today - timedelta(days=20)
    specs = [
        (ActionKind.INFORMATION_MEETING, "Réunion d'information : les métiers du bâtiment recrutent",
         datetime.combine(past - timedelta(days=40), datetime.min.time()).replace(hour=9, minute=30), 8),
        (ActionKind.AWARENESS_ACTION, "Sensibilisation des entreprises aux clauses sociales",
         datetime.combine(past, datetime.min.time()).replace(hour=14), 0),
        (ActionKind.STEERING_COMMITTEE, "Comité de suivi des clauses sociales",
         datetime.combine(today + timedelta(days=15), datetime.min.time()).replace(hour=10), 0),
    ]
    for kind, title, starts_at, invited in specs:
        action = CollectiveAction(**own, kind=kind, title=title, starts_at=starts_at,
                                  ends_at=starts_at + timedelta(hours=2), place="Maison de l'emploi, salle 2, Val-de-Lys",
                                  organiser=organisation.name, fse_operation_id=operation.id)
        is_past = starts_at.date() < today
        for person in rng.sample(people, min(invited, len(people))):
            action.attendees.append(ActionAttendee(**own, participant_id=person.id, structure="Participant",
                                                   attended=rng.random() < 0.8 if is_past else None))
        if company is not None and kind is not ActionKind.INFORMATION_MEETING:
            action.attendees.append(ActionAttendee(**own, name=company.contact_name or "Contact entreprise",
                                                   structure=company.name, role="Responsable des ressources humaines",
                                                   attended=True if is_past else None))
        action.attendees.append(ActionAttendee(**own, name="Karim Facilitateur", structure=organisation.name,
                                               role="Facilitateur des clauses", attended=True if is_past else None))
        session.add(action)
    session.flush()


def seed_followup_demo(session: Session, organisation_id: int, *, today: date) -> int:
    """Add exits, collective actions and this year's FSE+ operation to the demo; return the exits made."""
    rng = random.Random(6)
    organisation = session.get(Organisation, organisation_id)
    exits = _seed_exits(session, organisation_id, rng, today)
    operation = _seed_operation(session, organisation, today)
    _seed_actions(session, organisation, operation, rng, today)
    return exits
