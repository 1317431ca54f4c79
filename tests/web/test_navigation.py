"""Each role's menu and home cards link only to pages it may open (issue 17, « The first hour »)."""

import re
import tomllib
from pathlib import Path

import pytest

from app.domain.enums import Role
from app.web.navigation import SECTIONS

MATRIX = tomllib.loads((Path(__file__).parents[1] / "data" / "authz.toml").read_text())["endpoints"]
NAV_RE = re.compile(r'<nav aria-label="Navigation principale">(.*?)</nav>', re.S)
CARDS_RE = re.compile(r'<ul class="cards"[^>]*>(.*)</ul>\s*<h2>En chiffres', re.S)
HREF_RE = re.compile(r'href="([^"]+)"')
SUMMARY_RE = re.compile(r"<summary>([^<]+)</summary>")


def allowed_by_matrix(role: Role, endpoint: str) -> bool:
    roles = MATRIX[endpoint]["roles"]
    return "*" in roles or role.value in roles


def links(pattern: re.Pattern, page: str) -> list[str]:
    match = pattern.search(page)
    return HREF_RE.findall(match.group(1)) if match else []


@pytest.mark.parametrize("endpoint", [entry.endpoint for section in SECTIONS for entry in section.entries]
                         + [section.card_endpoint for section in SECTIONS if section.card_endpoint])
def test_navigation_entry_is_a_page_of_the_authorisation_matrix(endpoint):
    assert endpoint in MATRIX


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_navigation_menu_and_cards_follow_the_authorisation_matrix(app, login, role):
    browser = login(role)
    page = browser.get("/").get_data(as_text=True)
    with app.test_request_context():
        from flask import url_for

        urls = {url_for(entry.endpoint): entry.endpoint for section in SECTIONS for entry in section.entries}
    menu, cards = links(NAV_RE, page), links(CARDS_RE, page)
    assert menu, "no menu"
    for url in set(menu) | set(cards):
        assert allowed_by_matrix(role, urls[url]), f"{role}: {url} is not open to this role in authz.toml"
        assert browser.get(url).status_code == 200, url
    # Whatever the matrix opens to the role appears in the menu, unless the table hides it on purpose.
    for section in SECTIONS:
        for entry in section.entries:
            if allowed_by_matrix(role, entry.endpoint) and role not in entry.hidden_for:
                assert url_for_entry(urls, entry.endpoint) in menu, f"{role}: {entry.label} missing"


def url_for_entry(urls: dict[str, str], endpoint: str) -> str:
    return next(url for url, name in urls.items() if name == endpoint)


@pytest.mark.parametrize(("role", "cards", "absent"), [
    (Role.ADMIN, ["clauses", "fiches", "releves", "suivi"], []),
    (Role.FACILITATEUR, ["clauses", "fiches", "releves", "suivi"], ["/comptes"]),
    (Role.GESTIONNAIRE, ["clauses", "fiches", "releves", "suivi"], ["/releves/deposer", "/comptes"]),
    (Role.SIAE, ["releves"], ["/conventions/", "/fiches/", "/tableaux-de-bord/"]),
    (Role.ENTREPRISE, ["fiches", "releves"], ["/conventions/", "/tableaux-de-bord/"]),
], ids=str)
def test_navigation_home_cards_list_only_what_the_role_does(login, role, cards, absent):
    page = login(role).get("/").get_data(as_text=True)
    assert re.findall(r'<li class="card" id="job-(\w+)">', page) == cards
    for url in absent:
        assert f'href="{url}"' not in page


def test_navigation_marks_the_current_page_and_its_group(login):
    page = login(Role.FACILITATEUR).get("/releves/").get_data(as_text=True)
    assert re.findall(r'<details class="menu current">\s*<summary>([^<]+)', page) == ["Relevés d’heures"]
    assert 'href="/releves/" aria-current="page"' in page


def test_navigation_groups_are_the_four_jobs_then_reference_and_administration(login):
    page = login(Role.ADMIN).get("/").get_data(as_text=True)
    nav = NAV_RE.search(page).group(1)
    assert SUMMARY_RE.findall(nav) == ["Clauses", "Fiches &amp; conventions", "Relevés d’heures",
                                       "Suivi &amp; FSE+", "Référentiel", "Administration"]


EXPORT_PAGES = ["/tableaux-de-bord/", "/marches/", "/participants/"]


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_navigation_exports_linked_from_data_pages_open_for_the_role(login, role):
    browser = login(role)
    seen = 0
    for url in EXPORT_PAGES:
        response = browser.get(url)
        if response.status_code != 200:
            continue
        block = re.search(r'<nav class="export-links"[^>]*>(.*?)</nav>', response.get_data(as_text=True), re.S)
        if role in (Role.SIAE, Role.ENTREPRISE):
            assert block is None, url  # exports carry everyone's names: staff only
            continue
        assert block, url
        for href in HREF_RE.findall(block.group(1)):
            href = href.replace("&amp;", "&")
            assert browser.get(href).status_code == 200, href
            seen += 1
    assert seen or role in (Role.SIAE, Role.ENTREPRISE)


def test_navigation_buyer_dashboard_exports_are_filtered_on_the_buyer(login, world):
    buyer = world.a.ids["buyers"]["own"]
    browser = login(Role.GESTIONNAIRE)
    page = browser.get(f"/tableaux-de-bord/acheteurs/{buyer}").get_data(as_text=True)
    assert f'href="/exports/tableau-impact.xlsx?buyer_id={buyer}"' in page
    assert f"bilan-subject=buyer&amp;bilan-buyer_id={buyer}&amp;" in page
    block = re.search(r'<nav class="export-links"[^>]*>(.*?)</nav>', page, re.S).group(1)
    for href in HREF_RE.findall(block):
        assert browser.get(href.replace("&amp;", "&")).status_code == 200, href


@pytest.mark.parametrize(("role", "shown"), [(Role.FACILITATEUR, True), (Role.GESTIONNAIRE, True),
                                             (Role.ENTREPRISE, False)], ids=str)
def test_navigation_fiches_link_to_the_conventions(login, role, shown):
    page = login(role).get("/fiches/").get_data(as_text=True)
    assert ('href="/conventions/"' in page) is shown
