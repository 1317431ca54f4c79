"""User-given redirect targets (``next`` at sign-in, ``suite`` on the job page) stay on this site."""

import pytest

from app.domain.enums import JobStatus, Role
from app.services.jobs import create_job
from app.web.redirects import safe_local_path
from tests.world import PASSWORD

HOSTILE = ["//evil.example", "/\\evil.example", "\\\\evil.example", "/%5Cevil.example", "/%5C%5Cevil.example",
           "/%09/evil.example", "/\t/evil.example", "\t//evil.example", "/%0a/evil.example", "/\n/evil.example",
           "/%0d/evil.example", "/%00/evil.example", "https:evil.example", "https://evil.example",
           "http:/evil.example", "javascript:alert(1)", "evil.example", "/%2F/evil.example", "///evil.example",
           " /evil", "/ /evil", "/%20/evil", "/\u2028/evil", "/\u00a0/evil", "/\u200b/evil", "", None,
           "/" + "a" * 3000]
SAFE = ["/", "/releves/12", "/exports/bilans/3?onglet=resume", "/marches/4/lots/2#lot"]


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_local_path_hostile_refused(target):
    assert safe_local_path(target) is None


@pytest.mark.parametrize("target", SAFE)
def test_safe_local_path_local_kept(target):
    assert safe_local_path(target) == target


@pytest.fixture
def job_id(session, world):
    job = create_job(session, "summarise_tender_progress", organisation_id=world.a.organisation_id, user_id=None,
                     subject_id=world.a.ids["tenders"]["own"])
    job.status = JobStatus.DONE
    session.commit()
    return job.id


# The raw query strings an attacker links to (percent-encoding as typed in the address bar).
HOSTILE_QUERIES = ["/%5Cevil.example", "/%09/evil.example", "//evil.example", "https:evil.example",
                   "/%5C%5Cevil.example", "%09//evil.example", "/%0A/evil.example", "https%3A%2F%2Fevil.example"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_job_page_hostile_suite_not_followed(login, job_id, query):
    page = login(Role.FACILITATEUR).get(f"/taches/{job_id}?suite={query}").get_data(as_text=True)
    assert "evil" not in page
    assert "data-next-url" not in page


def test_job_page_local_suite_kept(login, job_id):
    page = login(Role.FACILITATEUR).get(f"/taches/{job_id}?suite=/releves/").get_data(as_text=True)
    assert 'data-next-url="/releves/"' in page


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_login_hostile_next_lands_on_home(browser, world, query):
    browser.refresh_token()
    response = browser.post(f"/connexion?next={query}", {"email": world.a.users[Role.ADMIN], "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_login_local_next_followed(browser, world):
    browser.refresh_token()
    response = browser.post("/connexion?next=/releves/", {"email": world.a.users[Role.ADMIN], "password": PASSWORD})
    assert response.headers["Location"] == "/releves/"
