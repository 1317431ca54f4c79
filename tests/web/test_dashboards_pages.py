"""Dashboard pages: figures and charts with their numbers in text, alerts, exits, access, and a
number of SQL queries per page that does not grow with the data."""

from datetime import date

import pytest

from app.domain.enums import HourSource, Role
from app.domain.reports.exits import ExitCategory
from app.models import HourRecord, ParticipantExit
from app.services.figure_cache import figure_cache
from tests.conftest import page_text
from tests.services.reports.followup_helpers import QueryCounter, make_site

PAGE_QUERY_BOUND = 20


def test_tender_dashboard_shows_figures_charts_and_alerts(login, session, world):
    site = make_site(session, world, lots=2, people=4, minutes=50 * 60, tag="PAGE")
    session.commit()
    page = page_text(login(Role.FACILITATEUR).get(f"/tableaux-de-bord/marches/{site.tender_id}"))
    assert "Marché T-PAGE — Travaux PAGE" in page
    assert "2\u202f000\u00a0heures</strong> exigées" in page and "600\u00a0heures</strong> réalisées (30\u00a0%, 2\u00a0lots en deçà de leurs heures)" in page
    # Inline SVG charts, each titled with its figures for screen readers; no image drawn per view.
    assert ('<title id="chart-progress-title">Heures réalisées : 600\u00a0heures pour 2\u202f000\u00a0heures '
            'exigées (30\u00a0%).</title>') in page
    assert '<svg role="img" aria-labelledby="chart-monthly-title"' in page and "Heures réalisées par mois : " in page
    assert "data:image/png" not in page and "mars 2026" in page
    assert "lots en retard" in page and "En retard" in page
    assert "Participants (personnes distinctes)" in page


@pytest.mark.parametrize("path", ["", "/acheteurs/{buyer}", "/entreprises/{company}", "/siae/{siae}",
                                  "/lots/{lot}", "/participants/{person}", "/sorties"])
def test_every_dashboard_page_renders(login, session, world, path):
    site = make_site(session, world, lots=1, people=2, tag="ALL")
    session.commit()
    url = "/tableaux-de-bord" + path.format(buyer=site.buyer_id, company=site.company_id, siae=site.siae_id,
                                             lot=site.lot_ids[0], person=site.participant_ids[0]) + ("/" if not path else "")
    response = login(Role.GESTIONNAIRE).get(url)
    assert response.status_code == 200, url


@pytest.mark.parametrize("role", [Role.SIAE, Role.ENTREPRISE])
def test_structure_users_have_no_dashboard(login, world, role):
    browser = login(role)
    assert browser.get("/tableaux-de-bord/").status_code == 403
    assert browser.get(f"/tableaux-de-bord/marches/{world.a.ids['tenders']['own']}").status_code == 403


def test_other_organisation_dashboards_are_not_found(login, world):
    browser = login(Role.ADMIN)
    assert browser.get(f"/tableaux-de-bord/marches/{world.b.ids['tenders']['own']}").status_code == 404
    assert browser.get(f"/tableaux-de-bord/participants/{world.b.ids['participants']['own']}").status_code == 404
    assert "ORG-B" not in page_text(browser.get("/tableaux-de-bord/"))


def test_record_exit_from_the_participant_page(login, session, world):
    site = make_site(session, world, lots=1, people=1, tag="EXITPAGE")
    session.commit()
    browser = login(Role.FACILITATEUR)
    placement_id = site.placement_ids[0]
    page = page_text(browser.get(f"/tableaux-de-bord/participants/{site.participant_ids[0]}"))
    assert "Enregistrer la sortie" in page
    response = browser.post(f"/tableaux-de-bord/mises-en-situation/{placement_id}/sortie", {
        "exit_on": "2026-05-31", "situation": "fixed_term_contract", "situation_starts_on": "01/06/2026",
        "situation_ends_on": "30/11/2026", "employer": "Bâtiment EXITPAGE"})
    assert response.status_code == 302
    page = page_text(browser.get(response.headers["Location"]))
    assert "Sortie enregistrée : Emploi durable. Relance à 6 mois prévue le 30/11/2026." in page
    row = session.query(ParticipantExit).filter_by(placement_id=placement_id).one()
    assert row.category is ExitCategory.EMPLOI_DURABLE
    refused = browser.post(f"/tableaux-de-bord/mises-en-situation/{placement_id}/sortie", {
        "exit_on": "2026-05-31", "situation": "fixed_term_contract", "situation_ends_on": ""})
    assert "La date de fin est nécessaire" in page_text(refused)


def test_gestionnaire_cannot_record_exits(login, world):
    response = login(Role.GESTIONNAIRE).get(
        f"/tableaux-de-bord/mises-en-situation/{world.a.ids['placements']['own']}/sortie")
    assert response.status_code == 403


def test_dashboard_page_reads_cached_figures_until_the_data_change(login, session, world):
    browser = login(Role.FACILITATEUR)
    site = make_site(session, world, lots=2, people=5, tag="CACHEPAGE")
    session.commit()
    url = f"/tableaux-de-bord/marches/{site.tender_id}"
    computed = _page_queries(browser, url)
    cached = _page_queries(browser, url)
    assert cached < computed, (cached, computed)
    before = page_text(browser.get(url))
    session.add(HourRecord(organisation_id=world.a.organisation_id, placement_id=site.placement_ids[0],
                           month_on=date(2026, 2, 1), minutes=1234 * 60, source=HourSource.SAISIE))
    session.commit()
    assert _page_queries(browser, url) == computed
    after = page_text(browser.get(url))
    assert after != before and "1 234" in after.replace("\u202f", " ").replace("\xa0", " ")


def _page_queries(browser, url: str) -> int:
    with QueryCounter() as counter:
        assert browser.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("kind", ["marches", "acheteurs", "entreprises", "siae", "index"])
def test_dashboard_page_queries_do_not_grow_with_data(login, session, world, kind, monkeypatch):
    # What a page costs when it computes its figures: the cache would hide it on the second view.
    monkeypatch.setattr(figure_cache, "enabled", False)
    browser = login(Role.FACILITATEUR)

    def url(site):
        ids = {"marches": site.tender_id, "acheteurs": site.buyer_id, "entreprises": site.company_id,
               "siae": site.siae_id}
        return "/tableaux-de-bord/" if kind == "index" else f"/tableaux-de-bord/{kind}/{ids[kind]}"

    small = make_site(session, world, lots=1, people=2, tag=f"P1{kind}")
    session.commit()
    browser.get(url(small))  # warm the session's user and caches
    small_count = _page_queries(browser, url(small))
    big = make_site(session, world, lots=10, people=50, tag=f"P2{kind}",
                    months=tuple(date(2026, m, 1) for m in range(1, 11)))
    for placement_id in big.placement_ids[:5]:
        session.add(HourRecord(organisation_id=world.a.organisation_id, placement_id=placement_id,
                               month_on=date(2025, 12, 1), minutes=60, source=HourSource.SAISIE))
    # Implausible months (300 h in November) and settled second declarations: more alerts, same queries.
    for placement_id in big.placement_ids[:3]:
        session.add(HourRecord(organisation_id=world.a.organisation_id, placement_id=placement_id,
                               month_on=date(2026, 11, 1), minutes=300 * 60, source=HourSource.SAISIE))
        session.add(HourRecord(organisation_id=world.a.organisation_id, placement_id=placement_id,
                               month_on=date(2026, 11, 1), minutes=120 * 60, source=HourSource.SAISIE,
                               is_counted=False, count_note="Compté une seule fois"))
    session.commit()
    big_count = _page_queries(browser, url(big))
    assert small_count == big_count <= PAGE_QUERY_BOUND, (small_count, big_count)


def test_dashboard_lots_table_pages_through_many_lots(login, session, world):
    site = make_site(session, world, lots=30, people=2, tag="MANYLOTS")
    session.commit()
    browser = login(Role.FACILITATEUR)
    url = f"/tableaux-de-bord/marches/{site.tender_id}"
    first = page_text(browser.get(url))
    assert "30\u00a0lots, 25 par page" in first and "Page 1 sur 2" in first
    assert f'href="{url}?page=2#lots"' in first and "Lot 25 MANYLOTS" in first and "Lot 26 MANYLOTS" not in first
    second = page_text(browser.get(url + "?page=2"))
    assert "Lot 26 MANYLOTS" in second and "Lot 30 MANYLOTS" in second and "Lot 1 MANYLOTS<" not in second
    assert f'href="{url}?page=1#lots"' in second
    # The figures above the table cover every lot, whatever the page.
    assert first.split("<h2 id=\"lots\">")[0].split("Heures d'insertion")[1] == \
        second.split("<h2 id=\"lots\">")[0].split("Heures d'insertion")[1]
    assert "Page 2 sur 2" in page_text(browser.get(url + "?page=99"))
    assert "Page 1 sur 2" in page_text(browser.get(url + "?page=abc"))
