"""Exits: every case of the Pas-de-Calais definition through the service, 3 and 6 months to the day,
the 6-month survey reminder, and French refusals."""

from datetime import date

import pytest

from app.domain.reports.exits import ExitCategory, ExitSituation
from app.models import Placement
from app.services.reports import exits as svc
from app.services.referential import ServiceError
from tests.services.reports.followup_helpers import TODAY, make_site, staff_scope

S, C = ExitSituation, ExitCategory
EXIT_ON = date(2026, 5, 31)
START = date(2026, 6, 1)

CASES = [
    # (situation, end of the next contract, subsidised, expected category)
    (S.PERMANENT_CONTRACT, None, False, C.EMPLOI_DURABLE),
    (S.PERMANENT_CONTRACT, None, True, C.EMPLOI_DURABLE),  # CUI-CIE in a CDI is durable
    (S.FIXED_TERM_CONTRACT, date(2026, 11, 30), False, C.EMPLOI_DURABLE),  # exactly 6 months
    (S.FIXED_TERM_CONTRACT, date(2026, 11, 29), False, C.EMPLOI_TRANSITION),  # one day short of 6
    (S.FIXED_TERM_CONTRACT, date(2026, 8, 31), False, C.EMPLOI_TRANSITION),  # exactly 3 months
    (S.FIXED_TERM_CONTRACT, date(2026, 8, 30), False, C.AUTRE),  # one day short of 3
    (S.FIXED_TERM_CONTRACT, date(2027, 5, 31), True, C.EMPLOI_TRANSITION),  # subsidised: never durable
    (S.FIXED_TERM_CONTRACT, date(2026, 8, 31), True, C.EMPLOI_TRANSITION),  # subsidised, exactly 3 months
    (S.FIXED_TERM_CONTRACT, date(2026, 8, 30), True, C.AUTRE),
    (S.TEMPORARY_MISSION, date(2026, 11, 30), False, C.EMPLOI_DURABLE),
    (S.TEMPORARY_MISSION, date(2026, 11, 29), False, C.EMPLOI_TRANSITION),
    (S.TEMPORARY_MISSION, date(2026, 8, 31), False, C.EMPLOI_TRANSITION),
    (S.TEMPORARY_MISSION, date(2026, 8, 30), False, C.AUTRE),
    (S.PROFESSIONALISATION_CONTRACT, date(2026, 9, 30), False, C.EMPLOI_DURABLE),
    (S.APPRENTICESHIP, None, False, C.EMPLOI_DURABLE),
    (S.CIVIL_SERVICE, None, False, C.EMPLOI_DURABLE),
    (S.QUALIFYING_TRAINING, date(2026, 7, 31), False, C.SORTIE_POSITIVE),
    (S.SIAE_HIRE, date(2026, 7, 31), False, C.SORTIE_POSITIVE),
    (S.NON_MARKET_SUBSIDISED_CONTRACT, date(2027, 5, 31), True, C.AUTRE),
    (S.NON_QUALIFYING_TRAINING, None, False, C.AUTRE),
    (S.JOB_SEEKER, None, False, C.AUTRE),
    (S.OTHER, None, False, C.AUTRE),
]


@pytest.fixture
def placement(session, world):
    site = make_site(session, world, lots=1, people=1, tag="EXIT")
    return session.get(Placement, site.placement_ids[0])


def data(situation, ends_on, subsidised, **extra):
    return {"exit_on": EXIT_ON, "situation": situation.value, "situation_starts_on": START,
            "situation_ends_on": ends_on, "is_subsidised": subsidised, "employer": "", **extra}


@pytest.mark.parametrize(("situation", "ends_on", "subsidised", "expected"), CASES)
def test_record_exit_classifies_every_case_of_the_definition(session, world, placement, situation, ends_on,
                                                            subsidised, expected):
    row = svc.record_exit(session, staff_scope(world), placement, data(situation, ends_on, subsidised))
    assert row.category is expected
    assert row.follow_up_due_on == date(2026, 11, 30)


def test_record_exit_closes_open_placement_and_is_one_per_placement(session, world, placement):
    assert placement.ends_on is None
    first = svc.record_exit(session, staff_scope(world), placement, data(S.JOB_SEEKER, None, False))
    assert placement.ends_on == EXIT_ON
    again = svc.record_exit(session, staff_scope(world), placement, data(S.PERMANENT_CONTRACT, None, False,
                                                                         employer="Bâtiment EXIT"))
    assert again.id == first.id and again.category is C.EMPLOI_DURABLE and again.employer == "Bâtiment EXIT"


def test_record_exit_start_defaults_to_exit_date(session, world, placement):
    row = svc.record_exit(session, staff_scope(world), placement,
                          data(S.FIXED_TERM_CONTRACT, date(2026, 8, 30), False, situation_starts_on=None))
    # From 31 May, a contract to 30 August reaches 3 months (31 May + 3 months − 1 day = 30 August).
    assert row.situation_starts_on == EXIT_ON and row.category is C.EMPLOI_TRANSITION


@pytest.mark.parametrize(("changes", "message"), [
    ({"situation_ends_on": None, "situation": S.FIXED_TERM_CONTRACT.value}, "La date de fin est nécessaire"),
    ({"situation_ends_on": date(2026, 5, 1), "situation": S.TEMPORARY_MISSION.value}, "antérieure à sa date de début"),
    ({"exit_on": date(2025, 1, 1)}, "précède le début de la mise en situation"),
    ({"exit_on": None}, "Indiquez la date de sortie"),
])
def test_record_exit_refuses_in_french(session, world, placement, changes, message):
    with pytest.raises(ServiceError, match=message):
        svc.record_exit(session, staff_scope(world), placement, {**data(S.JOB_SEEKER, None, False), **changes})


def test_follow_ups_due_then_done(session, world, placement):
    row = svc.record_exit(session, staff_scope(world), placement, data(S.JOB_SEEKER, None, False))
    organisation_id = world.a.organisation_id
    assert row in svc.upcoming_follow_ups(session, organisation_id, TODAY)
    assert row not in svc.follow_ups_due(session, organisation_id, TODAY)
    later = date(2026, 12, 2)
    assert row in svc.follow_ups_due(session, organisation_id, later)
    assert row not in svc.follow_ups_due(session, world.b.organisation_id, later)
    with pytest.raises(ServiceError, match="futur"):
        svc.record_follow_up(session, row, date(2026, 12, 3), "", later)
    svc.record_follow_up(session, row, later, "En CDI chez Bâtiment EXIT", later)
    assert row not in svc.follow_ups_due(session, organisation_id, later)
    assert row.follow_up_note == "En CDI chez Bâtiment EXIT"
