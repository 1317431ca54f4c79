"""Each role × list/detail/edit × own row / other structure / other organisation: no leak."""

import pytest

from app.domain.enums import Role

URLS = {
    "buyers": "/acheteurs", "companies": "/entreprises", "siaes": "/siae", "tenders": "/marches",
    "participants": "/participants", "placements": "/mises-en-situation",
}
STAFF = {Role.ADMIN, Role.FACILITATEUR, Role.GESTIONNAIRE}
WRITERS = {Role.ADMIN, Role.FACILITATEUR}
STRUCTURE_VISIBLE = {
    Role.SIAE: {"siaes", "placements", "participants", "tenders", "buyers"},
    Role.ENTREPRISE: {"companies", "placements", "participants", "tenders", "buyers"},
}
TARGETS = ("own", "other_structure", "other_org")


def is_visible(role: Role, kind: str, target: str) -> bool:
    """Say what the access rules promise: staff see their organisation, structures their own rows."""
    if target == "other_org":
        return False
    if role in STAFF:
        return True
    return target == "own" and kind in STRUCTURE_VISIBLE[role]


def row_id(world, kind: str, target: str) -> int:
    if target == "other_org":
        return world.b.ids[kind]["own"]
    return world.a.ids[kind]["own" if target == "own" else "other"]


CASES = [(role, kind, target) for role in Role for kind in URLS for target in TARGETS]


@pytest.mark.parametrize(("role", "kind", "target"), CASES, ids=lambda value: str(value))
def test_access_detail_and_list_show_only_allowed_rows(login, world, role, kind, target):
    browser = login(role)
    rid = row_id(world, kind, target)
    allowed = is_visible(role, kind, target)
    detail = browser.get(f"{URLS[kind]}/{rid}")
    assert detail.status_code == (200 if allowed else 404)
    listing = browser.get(f"{URLS[kind]}/")
    assert listing.status_code == 200
    assert (f'href="{URLS[kind]}/{rid}"' in listing.get_data(as_text=True)) is allowed


@pytest.mark.parametrize(("role", "kind", "target"), CASES, ids=lambda value: str(value))
def test_access_edit_needs_write_and_visibility(login, world, role, kind, target):
    browser = login(role)
    response = browser.get(f"{URLS[kind]}/{row_id(world, kind, target)}/modifier")
    if role not in WRITERS:
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if target != "other_org" else 404)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("target", TARGETS)
def test_access_lot_edit_confined(login, world, role, target):
    browser = login(role)
    tender, lot = row_id(world, "tenders", target), row_id(world, "lots", target)
    response = browser.get(f"/marches/{tender}/lots/{lot}/modifier")
    if role not in WRITERS:
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if target != "other_org" else 404)


@pytest.mark.parametrize("role", list(Role))
def test_access_other_org_names_never_appear_anywhere(login, role):
    browser = login(role)
    for url in ["/", *(f"{prefix}/" for prefix in URLS.values())]:
        assert "ORG-B" not in browser.get(url).get_data(as_text=True), url


@pytest.mark.parametrize("role", [Role.SIAE, Role.ENTREPRISE])
def test_access_structure_user_never_sees_other_structures(login, role):
    browser = login(role)
    for url in ["/", *(f"{prefix}/" for prefix in URLS.values())]:
        assert "HORS-STRUCTURE" not in browser.get(url).get_data(as_text=True), url


def test_access_anonymous_is_sent_to_login(browser, world):
    for prefix in URLS.values():
        response = browser.get(f"{prefix}/")
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
