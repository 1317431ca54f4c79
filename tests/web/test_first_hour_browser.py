"""In a real browser, for each demo account: menu and cards open, busy state, axe-core, 390 px (issue 17)."""

import time

import pytest

from app.domain.enums import Role
from app.services.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Links of the menu (hidden until opened) and of the home cards.
LINKS_JS = """() => Array.from(document.querySelectorAll('nav[aria-label="Navigation principale"] a, .cards a'))
                 .map(a => a.getAttribute('href'))"""


def signed_in_state(chromium, live_server, role: Role) -> dict:
    """Sign in once and return the context's cookies, to open as many pages as needed."""
    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    for _ in range(3):
        page.goto(f"{live_server}/connexion")
        page.get_by_label("Adresse e-mail").fill(DEMO_ACCOUNTS[role])
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
        if page.url == f"{live_server}/":
            break
        # The login form allows ten attempts a minute from one address, and every browser test
        # signs in from 127.0.0.1: wait for the next window rather than fail.
        time.sleep(61)
    assert page.url == f"{live_server}/", page.content()[:2000]
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="module")
def states(chromium, live_server):
    """Return a function giving each role's signed-in browser state, signing in once per role."""
    cache: dict[Role, dict] = {}

    def state(role: Role) -> dict:
        if role not in cache:
            cache[role] = signed_in_state(chromium, live_server, role)
        return cache[role]

    return state


@pytest.fixture
def open_as(chromium, states):
    """Open a page signed in as ``role`` at ``viewport``; closed after the test."""
    contexts = []

    def _open(role: Role, viewport: dict = DESKTOP):
        context = chromium.new_context(locale="fr-FR", storage_state=states(role), viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def menu_and_card_links(page) -> list[str]:
    return sorted(set(page.evaluate(LINKS_JS)))


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_browser_every_menu_and_card_link_opens_for_the_role(open_as, live_server, role):
    page = open_as(role)
    page.goto(f"{live_server}/")
    links = menu_and_card_links(page)
    assert links
    for href in links:
        assert page.request.get(f"{live_server}{href}").status == 200, href
    # The menu opens with the keyboard: focus the first group, Enter, its first link is shown.
    page.locator("nav summary").first.focus()
    page.keyboard.press("Enter")
    assert page.locator("nav details").first.locator("a").first.is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("nav details").first.locator("a").first.is_visible()


def test_browser_menu_fits_one_line_on_desktop(open_as, live_server):
    page = open_as(Role.ADMIN)  # the longest menu
    page.goto(f"{live_server}/")
    tops = page.evaluate("""() => Array.from(document.querySelectorAll('.site-header summary, .brand'))
                             .map(e => Math.round(e.getBoundingClientRect().top))""")
    assert max(tops) - min(tops) < 12, tops


def busy_state_appears(page, url_part: str, button: str, label: str) -> None:
    """Hold the submission (a 204 keeps the page) and check the form says it is working."""
    page.route(f"**{url_part}", lambda route: route.fulfill(status=204))
    page.get_by_role("button", name=button).click()
    busy = page.locator("form[aria-busy=true]")
    busy.wait_for()
    assert busy.get_by_role("button", name=label).is_disabled()
    assert page.locator(".busy-note").get_by_text(label).is_visible()


def test_browser_busy_state_on_clause_pack(open_as, live_server):
    page = open_as(Role.FACILITATEUR)
    page.goto(f"{live_server}/marches/")
    page.get_by_role("link", name="2026-VDL-001").click()
    page.get_by_role("link", name="Calculer et rédiger la clause").click()
    busy_state_appears(page, "/clause/dossier", "Rédiger le dossier de clause", "Rédaction en cours…")


def test_browser_busy_state_on_bilan(open_as, live_server):
    page = open_as(Role.FACILITATEUR)
    page.goto(f"{live_server}/exports/")
    page.get_by_role("button", name="Continuer : textes du bilan").click()
    page.wait_for_url("**/exports/bilans/nouveau**")
    busy_state_appears(page, "/exports/bilans", "Rédiger le bilan", "Rédaction en cours…")


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in results.response["violations"]]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "390px"])
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_browser_main_pages_have_no_axe_violation(open_as, live_server, role, viewport):
    page = open_as(role, viewport)
    page.goto(f"{live_server}/")
    pages = ["/", *(href for href in menu_and_card_links(page) if not href.endswith((".xlsx", ".pdf")))]
    if "/tableaux-de-bord/" in pages:
        # Dashboards of a lot, a person and a buyer: the widest pages, with charts and tables.
        page.goto(f"{live_server}/tableaux-de-bord/")
        pages += [page.locator(f"main a[href^='/tableaux-de-bord/{kind}/']").first.get_attribute("href")
                  for kind in ("lots", "participants", "acheteurs")]
    # The first record of each list too: detail pages carry the forms, tables and status menus.
    for href in list(pages):
        if href.endswith("/") and href != "/":
            page.goto(f"{live_server}{href}")
            first = page.locator("main table tbody a[href^='/']").first
            if first.count():
                pages.append(first.get_attribute("href"))
    # A download link may carry a query string (« tableau-impact.xlsx?territoire=1 »).
    pages = list(dict.fromkeys(href for href in pages
                               if not href.split("?")[0].endswith((".xlsx", ".pdf", ".docx", ".zip"))))
    found = {}
    for href in pages:
        page.goto(f"{live_server}{href}")
        violations = axe_violations(page)
        if href == "/":
            # The menu open too: its lists are hidden, so unchecked, until a group opens.
            page.locator("nav summary").first.click()
            violations += axe_violations(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            violations.append(f"the page scrolls sideways: {width} px wide")
        if violations:
            found[href] = violations
    assert not found, found
