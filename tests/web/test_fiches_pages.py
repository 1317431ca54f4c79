"""Fiche pages: French form errors linked to fields, status, positioning with eligibility, access."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.enums import Criterion, Role
from app.domain.liaison.workflow import FicheStatus
from app.models import Fiche, Positioning
from tests.conftest import page_text
from tests.services.liaison.fiche_helpers import add_participant, received_fiche, staff_scope

IN_A_MONTH = date.today() + timedelta(days=30)


def form(world, **overrides) -> dict:
    data = {
        "company_id": world.a.ids["companies"]["own"], "tender_id": world.a.ids["tenders"]["own"],
        "lot_id": world.a.ids["lots"]["own"], "hours_covered": "350",
        "company_name": "Bâtir & Rénover <Nord>", "company_siret": "732 829 320 00074",
        "company_address": "12 rue des Docks", "contact_name": "Sophie Lefebvre", "contact_phone": "06 12 34 56 78",
        "contact_email": "sophie@batir.example.fr", "job_title": "Maçon·ne VRD", "posts": "2",
        "start_on": IN_A_MONTH.strftime("%d/%m/%Y"), "contract_type": "cdd", "contract_length": "6 mois",
        "weekly_hours": "35", "gross_monthly_salary": "1 850,00", "workplace": "Dunkerque", "modality": "geiq",
        "tutor_name": "Karim", "tutor_role": "Chef d'équipe", "action": "submit",
    }
    data.update(overrides)
    return data


def test_facilitator_fills_and_submits_a_fiche(login, world, session):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/fiches/nouvelle", form(world))
    assert response.status_code == 302, page_text(response)
    fiche = session.scalar(select(Fiche).where(Fiche.job_title == "Maçon·ne VRD"))
    assert fiche.status is FicheStatus.RECUE and fiche.created_via == "facilitateur"
    page = page_text(browser.get(response.headers["Location"]))
    assert "Fiche enregistrée et marquée « Reçue »." in page
    assert "Bâtir & Rénover <Nord>" in page and "1\u202f850,00\u00a0€" in page and "350\u00a0heures" in page
    assert IN_A_MONTH.strftime("%d/%m/%Y") in page and "Mise à disposition par un GEIQ" in page
    assert "Facilitateur·rice des clauses A" in page  # who made the change


def test_submit_with_bad_siret_shows_french_error_linked_to_field(login, world, session):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/fiches/nouvelle", form(world, company_siret="732 829 320 00075",
                                                     weekly_hours="50", contact_phone="12"))
    page = page_text(response)
    assert response.status_code == 200
    assert "Ce SIRET n'existe pas : sa clé de contrôle est fausse (vérifiez la saisie)." in page
    assert 'aria-describedby="company_siret-err"' in page and 'id="company_siret-err"' in page
    assert "50\u00a0heures par semaine dépassent le maximum légal de 48\u00a0heures." in page
    assert "Numéro de téléphone invalide : « 12 »." in page
    assert session.scalar(select(Fiche).where(Fiche.job_title == "Maçon·ne VRD")) is None


def test_draft_saved_incomplete_lists_what_is_missing(login, world, session):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/fiches/nouvelle", {"job_title": "Peintre brouillon", "action": "draft",
                                                 "posts": "1", "company_id": "", "tender_id": "", "lot_id": ""})
    assert response.status_code == 302
    page = page_text(browser.get(response.headers["Location"]))
    assert "Brouillon enregistré. À compléter avant l'envoi" in page and "Indiquez la raison sociale." in page


def test_salary_below_smic_flagged_on_the_fiche(login, world, session):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/fiches/nouvelle", form(world, gross_monthly_salary="1 000"))
    page = page_text(browser.get(response.headers["Location"]))
    assert "Points à vérifier avec l'entreprise" in page and "est inférieur au SMIC" in page


def test_status_change_from_the_page(login, world, session):
    fiche = received_fiche(session, world, date.today())
    session.commit()
    browser = login(Role.FACILITATEUR)
    browser.post(f"/fiches/{fiche.id}/statut", {"target": "diffusee", "note": "Envoyée à France Travail"})
    page = page_text(browser.get(f"/fiches/{fiche.id}"))
    assert "Statut de la fiche : « Diffusée »." in page and "Envoyée à France Travail" in page
    response = browser.post(f"/fiches/{fiche.id}/statut", {"target": "pourvue"})
    assert "Passage impossible de « Diffusée » à « Pourvue »" in page_text(browser.get(response.headers["Location"]))


def test_positioning_shows_eligibility_and_requires_override(login, world, session):
    today = date.today()
    fiche = received_fiche(session, world, today, FicheStatus.DIFFUSEE)
    expired = add_participant(session, world, "W-1", {Criterion.BRSA: today - timedelta(days=200)})
    valid = add_participant(session, world, "W-2", {Criterion.DELD: today - timedelta(days=10)})
    session.commit()
    browser = login(Role.FACILITATEUR)
    page = page_text(browser.get(f"/fiches/{fiche.id}?candidat={expired.id}"))
    assert "NOM-W-1 Alex — Non éligible au" in page and "RSA : justificatif du" in page and "expiré depuis le" in page
    assert "Motif de dérogation" in page
    response = browser.post(f"/fiches/{fiche.id}/positionnements", {"participant_id": expired.id,
                                                                   "override_reason": ""})
    page = page_text(browser.get(response.headers["Location"]))
    assert "indiquez le motif de la dérogation (au moins 10 caractères)" in page
    assert session.scalar(select(Positioning).where(Positioning.participant_id == expired.id)) is None
    browser.post(f"/fiches/{fiche.id}/positionnements", {"participant_id": expired.id,
                                                        "override_reason": "Validé en commission du 18/11"})
    browser.post(f"/fiches/{fiche.id}/positionnements", {"participant_id": valid.id})
    kept = session.scalar(select(Positioning).where(Positioning.participant_id == valid.id))
    browser.post(f"/fiches/{fiche.id}/positionnements/{kept.id}/statut", {f"p{kept.id}-target": "presente"})
    browser.post(f"/fiches/{fiche.id}/positionnements/{kept.id}/statut", {f"p{kept.id}-target": "retenu"})
    page = page_text(browser.get(f"/fiches/{fiche.id}"))
    assert "Candidats positionnés" in page and "Dérogation" in page and "Validé en commission du 18/11" in page
    history = page[page.index("Historique des positionnements"):]
    assert "Proposé·e → Présenté·e à l'entreprise" in history and "Présenté·e à l'entreprise → Retenu·e" in history
    assert history.count("NOM-W-2 Alex") == 3 and "NOM-W-1 Alex" in history


def test_open_needs_download(login, world, session):
    received_fiche(session, world, date.today(), job_title="Plaquiste")
    session.commit()
    response = login(Role.GESTIONNAIRE).get("/fiches/besoins-ouverts.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert "Plaquiste" in [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def test_document_generation_and_download(login, world, session):
    fiche = received_fiche(session, world, date.today())
    session.commit()
    browser = login(Role.FACILITATEUR)
    browser.post(f"/fiches/{fiche.id}/document")
    session.expire_all()
    fiche = session.get(Fiche, fiche.id)
    page = page_text(browser.get(f"/fiches/{fiche.id}"))
    assert "avec le modèle par défaut" in page
    response = browser.get(f"/fichiers/{fiche.docx_file_id}")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    # Files that may hold personal data leave with an opaque name (app/web/files.py).
    assert response.headers["Content-Disposition"].endswith(".docx")
    assert login(Role.ENTREPRISE, "b").get(f"/fichiers/{fiche.docx_file_id}").status_code == 404


@pytest.mark.parametrize(("role", "own", "other_company", "other_org"), [
    (Role.ADMIN, 200, 200, 404), (Role.FACILITATEUR, 200, 200, 404), (Role.GESTIONNAIRE, 200, 200, 404),
    (Role.ENTREPRISE, 200, 404, 404), (Role.SIAE, 404, 404, 404),
])
def test_fiche_access_by_role(login, world, session, role, own, other_company, other_org):
    fiches = {}
    for key, org, company in (("own", "a", "own"), ("other_company", "a", "other"), ("other_org", "b", "own")):
        rows = getattr(world, org)
        from app.services.liaison.fiches import new_fiche, save_fiche
        from tests.services.liaison.fiche_helpers import FACILITATOR

        fiche = new_fiche(staff_scope(world, org))
        save_fiche(session, fiche, {"job_title": f"Poste {key}", "company_id": rows.ids["companies"][company]},
                   FACILITATOR, today=date.today())
        fiches[key] = fiche.id
    session.commit()
    browser = login(role)
    for key, expected in (("own", own), ("other_company", other_company), ("other_org", other_org)):
        assert browser.get(f"/fiches/{fiches[key]}").status_code == expected, key
    listing = page_text(browser.get("/fiches/"))
    assert ("Poste own" in listing) is (own == 200)
    assert "Poste other_org" not in listing
    visible = [own, other_company].count(200)
    assert f"Brouillon ({visible})" in listing  # the counts are confined too
    if role in (Role.ENTREPRISE, Role.SIAE, Role.GESTIONNAIRE):
        assert browser.post(f"/fiches/{fiches['own']}/statut", {"target": "diffusee"}).status_code == 403
        assert browser.get("/fiches/nouvelle").status_code == 403
    if role is Role.ENTREPRISE:
        page = page_text(browser.get(f"/fiches/{fiches['own']}"))
        assert "Candidats positionnés" not in page and "Liens envoyés" not in page


def test_anonymous_sent_to_login(browser):
    response = browser.get("/fiches/")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_edit_form_shows_stored_values_the_french_way(login, world, session):
    fiche = received_fiche(session, world, date.today(), gross_monthly_salary=Decimal("1850.5"))
    session.commit()
    browser = login(Role.FACILITATEUR)
    page = page_text(browser.get(f"/fiches/{fiche.id}/modifier"))
    assert 'value="1 850,50"' in page and 'value="35"' in page and 'value="Maçon·ne VRD"' in page
    assert '<option selected value="cdd">' in page or 'value="cdd" selected' in page
    response = browser.post(f"/fiches/{fiche.id}/modifier", form(world, job_title="Maçon·ne confirmé·e",
                                                                 action="save"))
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Fiche, fiche.id).job_title == "Maçon·ne confirmé·e"
