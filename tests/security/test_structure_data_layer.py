"""SIAE and company sessions never load a participant's criteria, proofs, birth date or contact."""

import pytest
from sqlalchemy import select

from app.access import STAFF_ONLY_PARTICIPANT_COLUMNS, Scope
from app.db import db
from app.domain.enums import Role
from app.models import Participant, ParticipantCriterion, Placement, User


def scoped(session, world, role):
    user = session.scalar(select(User).where(User.email == world.a.users[role]))
    return db.session(scope=Scope.for_user(user))


@pytest.mark.parametrize("role", [Role.SIAE, Role.ENTREPRISE])
def test_structure_session_loads_names_but_no_sensitive_column(session, world, role):
    own = session.get(Participant, world.a.ids["participants"]["own"])
    born = own.birth_on
    assert born is not None
    structure = scoped(session, world, role)
    try:
        person = structure.get(Participant, own.id)
        assert person is not None and person.last_name == own.last_name
        assert [getattr(person, name) for name in STAFF_ONLY_PARTICIPANT_COLUMNS] == [None] * 9
        # Through a relationship and after a refresh too.
        structure.expunge(person)
        placement = structure.scalars(select(Placement).where(Placement.participant_id == own.id)).first()
        assert placement.participant.birth_on is None and placement.participant.phone is None
        structure.expire(placement.participant)
        assert placement.participant.birth_on is None and placement.participant.last_name == own.last_name
        structure.commit()
        session.expire_all()
        assert session.get(Participant, own.id).birth_on == born, "the blank is never written"
        assert structure.scalars(select(ParticipantCriterion)).all() == []
    finally:
        structure.close()


def test_staff_session_still_loads_everything(session, world):
    staff = scoped(session, world, Role.FACILITATEUR)
    try:
        person = staff.get(Participant, world.a.ids["participants"]["own"])
        assert person.birth_on is not None
        assert staff.scalars(select(ParticipantCriterion)).all() != [] or not person.criteria
    finally:
        staff.close()
