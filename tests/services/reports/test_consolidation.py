"""Consolidation: the agreement workflow, the one gate to a partner's rows, figures per territory and their total."""

from datetime import date

import pytest
from sqlalchemy import select

from app.access import Scope
from app.domain.enums import Role
from app.models import AuditEvent, ConsolidationAgreement
from app.services.referential import ServiceError
from app.services.reports import consolidation as svc
from app.services.reports.exports import ReportFilter
from app.services.reports.figures import scope_figures
from tests.services.reports.consolidation_helpers import PERIOD, agreement, bethune, lens


def admin_of(organisation_id: int) -> Scope:
    return Scope(organisation_id=organisation_id, role=Role.ADMIN)


def test_agreement_request_agree_end_opens_then_closes_the_partner(session, world):
    body, partner = admin_of(world.a.organisation_id), lens(session)
    row = svc.request_agreement(session, body, partner.organisation_id)
    as_body, _ = svc.agreements_of(session, body)
    assert [(line.other.name, line.state) for line in as_body] == [("PLIE de Lens-Liévin", "En attente de réponse")]
    with pytest.raises(svc.NotAgreed):
        svc.read_territory(body.organisation_id, partner.organisation_id, *PERIOD)

    _, as_partner = svc.agreements_of(session, admin_of(partner.organisation_id))
    assert [(line.other.name, line.is_pending) for line in as_partner] == [("PLIE A", True)]
    svc.agree(session, admin_of(partner.organisation_id), row.id)
    session.flush()
    territory = svc.read_territory(body.organisation_id, partner.organisation_id, *PERIOD)
    assert territory.figures.people.participants == 3

    svc.end_agreement(session, admin_of(partner.organisation_id), row.id)
    session.flush()
    with pytest.raises(svc.NotAgreed):
        svc.read_territory(body.organisation_id, partner.organisation_id, *PERIOD)
    assert svc.agreements_of(session, body)[0][0].state == "Terminée"
    details = session.scalars(select(AuditEvent.detail).where(AuditEvent.object_type == "consolidation")
                              .order_by(AuditEvent.id)).all()
    assert details == ["demande de consolidation", "consolidation acceptée", "consolidation terminée"]


@pytest.mark.parametrize("state", ["never asked", "pending", "refused", "ended", "other body"])
def test_read_territory_refuses_a_partner_without_an_active_agreement(session, world, state):
    partner = lens(session)
    body_id = world.a.organisation_id
    if state == "pending":
        agreement(session, body_id, partner.organisation_id, agreed=False)
    elif state == "refused":
        agreement(session, body_id, partner.organisation_id, agreed=False, ended=True)
    elif state == "ended":
        agreement(session, body_id, partner.organisation_id, ended=True)
    elif state == "other body":
        agreement(session, world.b.organisation_id, partner.organisation_id)
    session.flush()
    with pytest.raises(svc.NotAgreed):
        svc.read_territory(body_id, partner.organisation_id, *PERIOD)
    assert partner.organisation_id not in svc.partner_ids(session, body_id)


def test_only_the_asked_side_agrees_and_only_a_party_ends(session, world):
    partner = lens(session)
    row = svc.request_agreement(session, admin_of(world.a.organisation_id), partner.organisation_id)
    with pytest.raises(svc.NotAgreed):
        svc.agree(session, admin_of(world.a.organisation_id), row.id)
    with pytest.raises(svc.NotAgreed):
        svc.end_agreement(session, admin_of(world.b.organisation_id), row.id)
    svc.refuse(session, admin_of(partner.organisation_id), row.id)
    with pytest.raises(ServiceError, match="plus en attente"):
        svc.agree(session, admin_of(partner.organisation_id), row.id)


def test_request_refuses_itself_and_a_second_pending_request_but_asks_again_after_a_refusal(session, world):
    body, partner = admin_of(world.a.organisation_id), lens(session)
    with pytest.raises(ServiceError, match="autre organisation"):
        svc.request_agreement(session, body, body.organisation_id)
    row = svc.request_agreement(session, body, partner.organisation_id)
    assert partner.organisation_id not in [org.id for org in svc.organisations_to_ask(session, body)]
    with pytest.raises(ServiceError, match="déjà en cours"):
        svc.request_agreement(session, body, partner.organisation_id)
    svc.refuse(session, admin_of(partner.organisation_id), row.id)
    again = svc.request_agreement(session, body, partner.organisation_id)
    assert again.id == row.id and again.agreed_at is None and again.ended_at is None
    assert session.scalar(select(ConsolidationAgreement).where(ConsolidationAgreement.id == row.id)).partner_id \
        == partner.organisation_id


def test_each_territory_has_the_figures_of_its_own_dashboard(session, world):
    partners = [lens(session), bethune(session)]
    for partner in partners:
        agreement(session, world.a.organisation_id, partner.organisation_id)
    session.flush()
    consolidation = svc.consolidate(session, world.a.organisation_id, *PERIOD)
    by_id = {territory.organisation_id: territory for territory in consolidation.territories}
    # The body (organisation A of the test world) has data of its own: it comes first.
    assert consolidation.territories[0].organisation_id == world.a.organisation_id
    for organisation_id in [world.a.organisation_id] + [p.organisation_id for p in partners]:
        own = scope_figures(session, ReportFilter(organisation_id, starts_on=PERIOD[0], ends_on=PERIOD[1]))
        seen = by_id[organisation_id].figures
        for name in ("hours_done", "hours_required", "tenders", "lots_count", "hours_done_to_date"):
            assert getattr(seen, name) == getattr(own, name), name
        for name in ("participants", "participants_brsa", "participants_under_26", "participants_women", "exits"):
            assert getattr(seen.people, name) == getattr(own.people, name), name


def test_total_line_counts_people_of_two_territories_sharing_a_code_twice(session, world):
    body = admin_of(world.b.organisation_id)
    # A body without data of its own: only its partners appear.
    for partner in (lens(session), bethune(session)):
        agreement(session, body.organisation_id, partner.organisation_id)
    consolidation = svc.consolidate(session, body.organisation_id, *PERIOD)
    names = [t.name for t in consolidation.territories]
    assert "PLIE B" in names  # B has the test world's own rows
    partners = [t for t in consolidation.territories if t.name != "PLIE B"]
    lens_t, bethune_t = sorted(partners, key=lambda t: t.name, reverse=True)
    assert (lens_t.figures.people.participants, bethune_t.figures.people.participants) == (3, 2)
    total = consolidation.total
    everyone = consolidation.territories
    # Same codes (LL-001, LL-002) in both partners: five people, not three.
    assert total.people.participants == sum(t.figures.people.participants for t in everyone)
    assert total.people.participants_brsa == sum(t.figures.people.participants_brsa for t in everyone)
    assert total.people.participants_under_26 == sum(t.figures.people.participants_under_26 for t in everyone)
    assert total.hours_done == sum(t.figures.hours_done for t in everyone)
    assert total.hours_required == sum(t.figures.hours_required for t in everyone)
    assert total.tenders == sum(t.figures.tenders for t in everyone)
    # Lens: (35 + 36 + 37) h × 3 months; Béthune: (35 + 36) h × 3 months.
    assert lens_t.figures.hours_done == 324 and bethune_t.figures.hours_done == 213
    # The completion rate of the total is computed on the total, never a sum of rates.
    assert total.completion == (sum(t.figures.hours_done_to_date for t in everyone)
                                / total.hours_required).quantize(total.completion)


def test_rows_reaching_the_body_carry_no_name_nor_birth_date_but_keep_ages(session, world):
    partner = lens(session)
    agreement(session, world.a.organisation_id, partner.organisation_id)
    territory = svc.read_territory(world.a.organisation_id, partner.organisation_id, *PERIOD)
    assert {(row.last_name, row.first_name) for row in territory.rows} == {("", "")}
    births = {person.birth_on for person in partner.people}
    assert not births & {row.birth_date for row in territory.rows}
    # Yanis, born 14/07/2003, entered on 02/03/2026: 22, under 26. Bérengère (29/02/1984) was 42.
    ages = sorted(row.age_at_entry for row in territory.rows)
    assert ages == [22, 42, 46]
    assert territory.figures.people.participants_under_26 == 1
    assert [row.participant_code for row in sorted(territory.rows, key=lambda r: r.participant_code)] == \
        ["LL-001", "LL-002", "LL-003"]
    assert territory.rows[0].entry_on == date(2026, 3, 2)
