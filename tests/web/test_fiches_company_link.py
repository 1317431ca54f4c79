"""The company link through the test client: fill, send, and clear pages for bad links."""

import re
from datetime import date, timedelta

from sqlalchemy import select, update

from app.domain.enums import Role
from app.domain.liaison.workflow import FicheStatus
from app.models import Fiche, FicheLink
from app.models.base import utcnow
from tests.conftest import Browser, page_text

LINK_RE = re.compile(r'value="(http://localhost/lien/[^"]+)"')


def start_link(login, world) -> tuple[Browser, str, int]:
    staff = login(Role.FACILITATEUR)
    response = staff.post("/fiches/lien", {"company_id": world.a.ids["companies"]["own"],
                                           "tender_id": world.a.ids["tenders"]["own"], "lot_id": "", "days": "7"})
    assert response.status_code == 302
    page = page_text(staff.get(response.headers["Location"]))
    assert "copiez le lien ci-dessous" in page and "Envoyer par courriel" not in page  # no contact e-mail yet
    fiche_id = int(re.search(r"/fiches/(\d+)", response.headers["Location"]).group(1))
    return staff, LINK_RE.search(page).group(1).replace("http://localhost", ""), fiche_id


def company_form(**overrides) -> dict:
    data = {"company_name": "Entreprise ORG-A", "company_siret": "55203253400646", "contact_name": "Léa Martin",
            "contact_phone": "03 21 00 00 00", "contact_email": "lea@entreprise.example.fr",
            "job_title": "Canalisateur·rice", "posts": "1",
            "start_on": (date.today() + timedelta(days=15)).isoformat(), "contract_type": "cdi",
            "weekly_hours": "35", "gross_monthly_salary": "2 100", "workplace": "Lens", "modality": "embauche_directe",
            "action": "submit"}
    data.update(overrides)
    return data


def test_company_fills_and_sends_through_the_link(app, login, world, session):
    staff, url, fiche_id = start_link(login, world)
    company = Browser(app.test_client())
    page = page_text(company.get(url))
    assert "Fiche de liaison : votre besoin de recrutement" in page and "REF ORG-A" in page
    assert "Se déconnecter" not in page and "Participants" not in page
    company.refresh_token(url)
    response = company.post(url, company_form(action="draft", job_title="Canalisateur·rice", contact_phone=""))
    assert response.status_code == 302
    assert "Brouillon enregistré" in page_text(company.get(url))
    response = company.post(url, company_form(company_siret="123"))
    assert response.status_code == 200 and "Le SIRET doit comporter 14 chiffres." in page_text(response)
    response = company.post(url, company_form())
    assert response.status_code == 302
    thanks = company.get(url)
    assert thanks.status_code == 200 and "Merci, votre fiche a bien été envoyée" in page_text(thanks)
    assert thanks.headers["Cache-Control"] == "no-store"
    fiche = session.get(Fiche, fiche_id)
    assert fiche.status is FicheStatus.RECUE and fiche.job_title == "Canalisateur·rice"
    page = page_text(staff.get(f"/fiches/{fiche_id}"))
    assert "Reçue" in page and "entreprise (lien)" in page and "Fiche envoyée le" in page
    # A used link cannot write any more.
    assert company.post(url, company_form(job_title="Autre")).status_code == 200
    assert session.get(Fiche, fiche_id).job_title == "Canalisateur·rice"


def test_tampered_link_gets_a_clear_page(app, login, world):
    _, url, _ = start_link(login, world)
    client = app.test_client()
    for bad in (url[:-4] + ("abcd" if not url.endswith("abcd") else "wxyz"), url[:25], "/lien/rien"):
        response = client.get(bad)
        assert response.status_code == 404
        page = page_text(response)
        assert "Ce lien n'est pas valable" in page and "Traceback" not in page and "PLIE A" not in page


def test_expired_link_gets_a_clear_page(app, login, world, session):
    _, url, fiche_id = start_link(login, world)
    session.execute(update(FicheLink).where(FicheLink.fiche_id == fiche_id)
                    .values(expires_at=utcnow() - timedelta(hours=1)))
    session.commit()
    response = app.test_client().get(url)
    assert response.status_code == 410
    page = page_text(response)
    assert "Ce lien a expiré" in page and "Demandez un nouveau lien à PLIE A" in page
    company = Browser(app.test_client())
    company.refresh_token("/connexion")
    assert company.post(url, company_form()).status_code == 410


def test_revoked_link_stops_at_once(app, login, world, session):
    staff, url, fiche_id = start_link(login, world)
    link = session.scalar(select(FicheLink).where(FicheLink.fiche_id == fiche_id))
    staff.post(f"/fiches/{fiche_id}/liens/{link.id}/revoquer")
    response = app.test_client().get(url)
    assert response.status_code == 410 and "Ce lien a été désactivé" in page_text(response)


def test_link_opened_by_a_signed_in_user_stays_confined(login, world):
    staff, url, _ = start_link(login, world)
    other = login(Role.ADMIN, "b")  # another organisation's admin opens A's link
    page = page_text(other.get(url))
    assert "Entreprise ORG-A" in page and "ORG-B" not in page and "Se déconnecter" not in page
    # The sign-in itself is untouched.
    assert "ORG-B" in page_text(other.get("/entreprises/"))
