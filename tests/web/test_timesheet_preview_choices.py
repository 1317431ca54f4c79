"""Relevé preview at scale: each line lists its own choices, a search finds the others within the
structure, a forged choice is refused beside its line, and the page stays light (issue #22)."""

import re
from datetime import date

from sqlalchemy import func, select

from app.domain.enums import HourSource, Role
from app.models import AuditEvent, HourRecord, Placement
from app.models.timesheets import ImportStatus, TimesheetImport
from app.services import timesheets as svc
from app.services.figure_cache import figure_cache
from tests.conftest import page_text
from tests.services.reports.followup_helpers import QueryCounter
from tests.services.test_timesheet_queries import placed_sheet, received
from tests.web.test_timesheets_pages import post_upload

UNKNOWN = ("Mois;mars 2026\n\nNom;Prénom;Heures travaillées;Dont formation\n"
           "Durand ORG-A;Camille;35,5;7\nMARTINEZ;Lucie;20;0\n").encode()
PAGE_QUERY_BOUND = 20
MAX_PAGE_BYTES = 300 * 1024


def uploaded(browser, world, session, data=UNKNOWN) -> TimesheetImport:
    post_upload(browser, world, data=data)
    return session.scalar(select(TimesheetImport).order_by(TimesheetImport.id.desc()))


def select_html(html: str, index: int) -> str:
    return html.split(f'<select id="person-{index}"')[1].split("</select>")[0]


def test_preview_lines_list_their_own_choices_only(login, world, session):
    browser = login(Role.FACILITATEUR)
    imp = uploaded(browser, world, session)
    html = browser.get(f"/releves/{imp.id}").get_data(as_text=True)
    own = world.a.ids["participants"]["own"]
    matched, unknown = select_html(html, 0), select_html(html, 1)
    assert matched.count("<option") == 2 and f'<option value="{own}" selected>DURAND ORG-A Camille (P-own)' in matched
    assert unknown.count("<option") == 2 and "— Choisir —" in unknown and "Ignorer cette ligne" in unknown
    # The unresolved line shows its search; the matched one a « Corriger » button that asks for it (a namesake).
    assert 'id="search-1"' in html and 'id="search-0"' not in html
    assert html.count('name="fix" value="0"') == 1 and 'name="fix" value="1"' not in html
    # « Corriger » submits the confirmation form: the page comes back with the line's search, nothing written.
    fixing = browser.post(f"/releves/{imp.id}/confirmer", {"person-0": str(own), "person-1": "", "fix": "0"})
    assert fixing.status_code == 200 and session.get(TimesheetImport, imp.id).status is ImportStatus.PREVIEW
    page = fixing.get_data(as_text=True)
    assert 'id="search-0"' in page and 'name="fix" value="0"' not in page
    assert f'<option value="{own}" selected>' in select_html(page, 0)
    assert f'data-participants-url="/releves/{imp.id}/participants"' in html


def test_participant_search_answers_the_structure_only_and_is_audited(login, world, session):
    browser = login(Role.FACILITATEUR)
    imp = uploaded(browser, world, session)
    before = session.scalar(select(func.max(AuditEvent.id)))
    found = browser.get(f"/releves/{imp.id}/participants?q=durand camille").get_json()
    # « Durand ORG-A HORS-STRUCTURE » works for another SIAE, « Durand ORG-B » in another organisation.
    assert found == [{"id": world.a.ids["participants"]["own"], "label": "DURAND ORG-A Camille (P-own)"}]
    assert browser.get(f"/releves/{imp.id}/participants?q=d").get_json() == []
    session.expire_all()
    events = session.scalars(select(AuditEvent).where(AuditEvent.id > before)).all()
    assert [(e.action, e.object_type, e.object_id, e.detail) for e in events] == [
        ("read", "participant", None, f"recherche pour le relevé n° {imp.id}")]
    assert login(Role.ADMIN, "b").get(f"/releves/{imp.id}/participants?q=durand").status_code == 404


def test_search_without_javascript_lists_the_people_found_and_keeps_every_choice(login, world, session):
    browser = login(Role.FACILITATEUR)
    imp = uploaded(browser, world, session)
    own = str(world.a.ids["participants"]["own"])
    # « Rechercher » submits the confirmation form with find=<line>: the page comes back, nothing written.
    response = browser.post(f"/releves/{imp.id}/confirmer", {"person-0": svc.IGNORE, "person-1": "",
                                                             "search-1": "orG-a", "find": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<option value="{own}">DURAND ORG-A Camille (P-own)</option>' in select_html(html, 1)
    assert "HORS-STRUCTURE" not in select_html(html, 1)
    assert '<option value="ignore" selected>' in select_html(html, 0) and 'value="orG-a"' in html
    assert "1 personne de la structure pour « orG-a », dans la liste ci-dessus." in page_text(response)
    none = browser.post(f"/releves/{imp.id}/confirmer", {"person-1": "", "search-1": "personne", "find": "1"})
    assert "Aucune personne de la structure ne correspond à « personne »." in page_text(none)
    assert session.get(TimesheetImport, imp.id).status is ImportStatus.PREVIEW


def test_confirm_refuses_a_person_outside_the_structure_beside_its_line(login, world, session):
    browser = login(Role.FACILITATEUR)
    imp = uploaded(browser, world, session)
    own = str(world.a.ids["participants"]["own"])
    before = session.scalar(select(func.count(HourRecord.id)))
    for stranger in (world.a.ids["participants"]["other"], world.b.ids["participants"]["own"]):
        refused = browser.post(f"/releves/{imp.id}/confirmer", {"person-0": own, "person-1": str(stranger)})
        html = refused.get_data(as_text=True)
        assert refused.status_code == 200
        assert "Rien n'a été enregistré : 1\u00a0ligne à revoir, signalée ci-dessous." in page_text(refused)
        line = page_text(refused).split('id="person-1-err">')[1].split("</p>")[0]
        assert line == ("La personne choisie pour « MARTINEZ Lucie » n'a pas de mise en situation avec cette "
                        "structure : choisissez-en une autre, créez d'abord sa mise en situation, ou ignorez la ligne.")
        assert f'<option value="{own}" selected>' in select_html(html, 0)
        assert f'value="{stranger}"' not in html and "ORG-B" not in html and "HORS-STRUCTURE" not in html
    session.expire_all()
    assert session.scalar(select(func.count(HourRecord.id))) == before
    assert session.get(TimesheetImport, imp.id).status == ImportStatus.PREVIEW
    ok = browser.post(f"/releves/{imp.id}/confirmer", {"person-0": own, "person-1": own})
    assert ok.status_code == 302


def analysed(session, world, people: int, tag: str, unknown: int = 0) -> int:
    """Place ``people`` with a new company, receive and read their first sheet; return the import's id.

    Their January hours were entered by hand; the sheet is February's, nobody declared it yet.
    """
    company_id, data = placed_sheet(session, world, people, tag, unknown=unknown, months=(date(2026, 1, 1),),
                                    period="février 2026")
    imp = received(session, world, company_id, data)
    svc.run_analysis(imp.id)
    return imp.id


def test_preview_page_queries_do_not_grow_with_people(login, session, world, monkeypatch):
    # What the lines cost when they are rendered: the cache would hide it on the second view.
    monkeypatch.setattr(figure_cache, "enabled", False)
    browser = login(Role.FACILITATEUR)
    counts = []
    for people, tag in ((5, "TSP1"), (60, "TSP2")):
        url = f"/releves/{analysed(session, world, people, tag, unknown=3)}"
        browser.get(url)  # warm the session's user and caches
        with QueryCounter() as counter:
            assert browser.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= PAGE_QUERY_BOUND, counts


def test_preview_page_of_a_300_person_sheet_stays_light(login, session, world):
    import_id = analysed(session, world, 300, "TSP3", unknown=20)
    response = login(Role.FACILITATEUR).get(f"/releves/{import_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.count('<select id="person-') == 320
    assert html.count('<input type="search"') == 20 and html.count('name="fix"') == 300
    # 12.7 MB when every line listed the structure's 300 people (issue #22).
    assert len(response.data) <= MAX_PAGE_BYTES, len(response.data)


def test_preview_lines_are_rendered_once_until_the_data_change(login, session, world):
    browser = login(Role.FACILITATEUR)
    import_id = analysed(session, world, 6, "TSPC", unknown=1)
    url = f"/releves/{import_id}"
    first = browser.get(url).get_data(as_text=True)
    with QueryCounter() as counter:
        again = browser.get(url).get_data(as_text=True)
    with QueryCounter() as computed:
        figure_cache.clear()
        browser.get(url)
    assert counter.count < computed.count
    token = re.compile(r'name="csrf_token" value="[^"]+"')
    assert token.sub("", again) == token.sub("", first)
    # Another party declares one of these people's February: the lines show it at once.
    imp = session.get(TimesheetImport, import_id)
    person = next(p for p in imp.preview["people"] if p["participant_id"])
    placement = session.scalar(select(Placement).where(Placement.participant_id == person["participant_id"]))
    session.add(HourRecord(organisation_id=world.a.organisation_id, placement_id=placement.id,
                           month_on=date(2026, 2, 1), minutes=600, source=HourSource.SAISIE))
    session.commit()
    assert "Déjà déclaré" not in first and "Déjà déclaré" in browser.get(url).get_data(as_text=True)
