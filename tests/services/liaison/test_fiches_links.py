"""Company links: signed tokens carrying ids only, expiry, revocation, single use, and a session
that sees nothing but the link's company."""

from datetime import date, timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from app.db import db
from app.domain.liaison.workflow import FicheStatus
from app.models import Company, Fiche, Participant, Positioning, Tender
from app.models.base import utcnow
from app.models.fiches import CREATED_BY_LINK, LINK_ACTOR
from app.services.liaison import fiche_links as links
from app.services.liaison.fiches import FicheInvalid
from tests.services.liaison.fiche_helpers import FACILITATOR, complete_data, received_fiche, staff_scope

SECRET = "secret-de-test"
TODAY = date(2026, 11, 22)


@pytest.fixture
def link(session, world):
    return links.create_fiche_with_link(session, staff_scope(world), {
        "company_id": world.a.ids["companies"]["own"], "tender_id": world.a.ids["tenders"]["own"],
        "lot_id": world.a.ids["lots"]["own"], "days": 14}, FACILITATOR, today=TODAY)


def test_create_fiche_with_link_prefills_a_draft(link):
    fiche = link.fiche
    assert fiche.is_draft and fiche.created_via == CREATED_BY_LINK and fiche.company_id == link.company_id
    assert (fiche.company_name, fiche.tender_reference) == ("Entreprise ORG-A", "REF ORG-A")
    assert timedelta(days=13) < link.expires_at - utcnow() <= timedelta(days=14)


def test_token_carries_only_ids_and_nonce(link):
    token = links.link_token(SECRET, link)
    payload = URLSafeTimedSerializer(SECRET, salt=links.LINK_SALT).loads(token)
    assert payload == {"l": link.id, "n": link.nonce}
    assert links.read_link_token(SECRET, token) == (link.id, link.nonce)


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
    lambda token: token[:20],
    lambda token: "n'importe-quoi",
    lambda token: URLSafeTimedSerializer("autre-secret", salt=links.LINK_SALT).dumps({"l": 1, "n": "x"}),
])
def test_tampered_token_is_invalid(link, tamper):
    with pytest.raises(links.LinkInvalid):
        links.read_link_token(SECRET, tamper(links.link_token(SECRET, link)))


def test_token_older_than_the_longest_validity_is_expired(link, monkeypatch):
    import itsdangerous.timed

    old = utcnow().timestamp() - (links.MAX_LINK_DAYS + 1) * 86400
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: old)
    token = links.link_token(SECRET, link)
    monkeypatch.undo()
    with pytest.raises(links.LinkExpired):
        links.read_link_token(SECRET, token)


def test_resolve_link_states(session, link):
    now = utcnow()
    assert links.resolve_link(session, link.id, link.nonce, now) is link
    with pytest.raises(links.LinkInvalid):
        links.resolve_link(session, link.id, "mauvais-nonce", now)
    with pytest.raises(links.LinkExpired):
        links.resolve_link(session, link.id, link.nonce, now + timedelta(days=15))
    links.revoke_link(session, link)
    with pytest.raises(links.LinkRevoked) as caught:
        links.resolve_link(session, link.id, link.nonce, now)
    assert caught.value.link is link


def test_link_refused_on_a_fiche_already_received(session, world):
    fiche = received_fiche(session, world, TODAY)
    with pytest.raises(links.ServiceError, match="déjà été envoyée"):
        links.create_link(session, fiche, FACILITATOR)


@pytest.mark.parametrize("days", [0, 61])
def test_link_validity_bounded(session, link, days):
    with pytest.raises(links.ServiceError, match="de 1 à 60 jours"):
        links.create_link(session, link.fiche, FACILITATOR, days=days)


def _link_session(link):
    company_session = db.session(scope=links.link_scope(link))
    return company_session


def test_company_fills_then_sends_through_its_link(session, world, link):
    company_session = _link_session(link)
    try:
        mine = company_session.get(type(link), link.id, execution_options={"unscoped": True})
        data = complete_data(world, TODAY)
        fiche, problems = links.fill_through_link(company_session, mine, {"job_title": "Coffreur"}, today=TODAY,
                                                  submit=False)
        assert fiche.is_draft and fiche.job_title == "Coffreur" and mine.used_at is None
        with pytest.raises(FicheInvalid):
            links.fill_through_link(company_session, mine, {**data, "contact_phone": "12"}, today=TODAY, submit=True)
        company_session.rollback()
        mine = company_session.get(type(link), link.id, execution_options={"unscoped": True})
        fiche, _ = links.fill_through_link(company_session, mine, data, today=TODAY, submit=True)
        company_session.commit()
    finally:
        company_session.close()
    session.expire_all()
    fiche = session.get(Fiche, link.fiche_id)
    assert fiche.status is FicheStatus.RECUE and not fiche.is_draft
    # The clause context stays the facilitator's: the company's form does not carry it.
    assert fiche.hours_covered == 500 and fiche.tender_reference == "REF ORG-A"
    assert fiche.status_changes[-1].by_label == LINK_ACTOR and fiche.status_changes[-1].by_user_id is None
    assert session.get(type(link), link.id).used_at is not None
    with pytest.raises(links.LinkUsed):
        links.resolve_link(session, link.id, link.nonce, utcnow())


def test_link_session_sees_only_its_company(session, world, link):
    other = links.create_fiche_with_link(session, staff_scope(world), {
        "company_id": world.a.ids["companies"]["other"], "days": 5}, FACILITATOR, today=TODAY)
    session.commit()
    company_session = _link_session(link)
    try:
        assert [fiche.id for fiche in company_session.scalars(select(Fiche))] == [link.fiche_id]
        assert company_session.get(Fiche, other.fiche_id) is None
        assert [company.id for company in company_session.scalars(select(Company))] == [link.company_id]
        # No more than a company account sees: the people placed with that company, never others'.
        ids = [p.id for p in company_session.scalars(select(Participant))]
        assert ids == [world.a.ids["participants"]["own"]]
        assert company_session.scalars(select(Positioning)).all() == []
        assert "ORG-B" not in " ".join(t.reference for t in company_session.scalars(select(Tender)))
    finally:
        company_session.close()
