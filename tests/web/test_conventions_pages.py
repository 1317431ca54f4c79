"""Convention pages: write, send, sign with the scan, count the active ones, produce the document."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.domain.enums import Role
from app.domain.liaison.workflow import ConventionStatus
from app.models import Convention, StoredFile
from tests.conftest import page_text
from tests.services.liaison.fiche_helpers import pdf_bytes

TODAY = date.today()


def convention_form(world, **overrides) -> dict:
    data = {
        "reference": "CONV-2026-01", "party_id": world.a.ids["companies"]["own"],
        "party_signatory_name": "Paul Leroy", "party_signatory_role": "Gérant",
        "facilitator_signatory_name": "Marie Dubois", "facilitator_signatory_role": "Présidente",
        "facilitator_address": "5 place Jean Jaurès", "object": "Mise en œuvre de la clause sociale.",
        "tender_ids": [world.a.ids["tenders"]["own"]],
        "starts_on": (TODAY - timedelta(days=30)).strftime("%d/%m/%Y"),
        "ends_on": (TODAY + timedelta(days=335)).strftime("%d/%m/%Y"),
        "facilitator_commitments": "Informer les entreprises.\n\nPrésenter des candidats.",
        "party_commitments": "Accueillir les personnes\nrecrutées.\n\nDéclarer les heures.",
        "reporting": "Relevé mensuel | le 10 de chaque mois", "committee_members": "Ville de Lens\nPLIE A",
        "committee_frequency": "deux fois par an", "annexes": "Fiche de liaison", "signed_at_place": "Lens",
    }
    data.update(overrides)
    return data


def create(browser, world, **overrides) -> Convention:
    response = browser.post("/conventions/nouvelle/entreprise", convention_form(world, **overrides))
    assert response.status_code == 302, page_text(response)
    return response.headers["Location"]


def test_new_convention_form_prefills_standard_clauses(login):
    page = page_text(login(Role.FACILITATEUR).get("/conventions/nouvelle/siae"))
    assert "Nouvelle convention — Structure d'insertion" in page
    assert "Transmettre chaque mois au facilitateur la fiche de suivi" in page
    assert "Informer les entreprises et les structures d'insertion" in page


def test_convention_lifecycle_through_pages(login, world, session):
    browser = login(Role.FACILITATEUR)
    location = create(browser, world)
    convention = session.scalar(select(Convention).where(Convention.reference == "CONV-2026-01"))
    assert convention.party_commitments == ["Accueillir les personnes recrutées.", "Déclarer les heures."]
    assert convention.reporting == [["Relevé mensuel", "le 10 de chaque mois"]]
    page = page_text(browser.get(location))
    assert "Entreprise ORG-A" in page and "Accueillir les personnes recrutées." in page
    browser.post(f"/conventions/{convention.id}/statut", {"target": "envoyee"})
    response = browser.post(f"/conventions/{convention.id}/scan", {
        "file": (io.BytesIO(b"pas un pdf"), "scan.pdf"), "signed_on": TODAY.strftime("%d/%m/%Y")},
        content_type="multipart/form-data")
    assert "Ce fichier n'est pas un PDF" in page_text(browser.get(response.headers["Location"]))
    response = browser.post(f"/conventions/{convention.id}/scan", {
        "file": (io.BytesIO(pdf_bytes()), "scan signé.pdf"), "signed_on": TODAY.strftime("%d/%m/%Y")},
        content_type="multipart/form-data")
    page = page_text(browser.get(response.headers["Location"]))
    assert "la convention est « Signée »" in page and "scan signé (PDF)" in page
    session.expire_all()
    convention = session.get(Convention, convention.id)
    assert convention.status is ConventionStatus.SIGNEE
    assert browser.get(f"/fichiers/{convention.signed_scan_file_id}").data.startswith(b"%PDF")
    index = page_text(browser.get("/conventions/"))
    assert f"1 convention active au {TODAY:%d/%m/%Y}" in index
    past = (TODAY - timedelta(days=60)).strftime("%d/%m/%Y")
    assert f"0 conventions actives au {past}" in page_text(browser.get(f"/conventions/?au={past}"))
    assert "n'est pas une date valide" in page_text(browser.get("/conventions/?au=31/02/2026"))


def test_convention_document_from_the_page(login, world, session):
    browser = login(Role.FACILITATEUR)
    create(browser, world)
    convention = session.scalar(select(Convention).where(Convention.reference == "CONV-2026-01"))
    browser.post(f"/conventions/{convention.id}/document")
    session.expire_all()
    convention = session.get(Convention, convention.id)
    assert "avec le modèle par défaut" in page_text(browser.get(f"/conventions/{convention.id}"))
    stored = session.get(StoredFile, convention.docx_file_id)
    assert stored.owner_kind == "convention" and stored.data[:2] == b"PK"


def test_edit_refused_once_sent(login, world, session):
    browser = login(Role.FACILITATEUR)
    create(browser, world)
    convention = session.scalar(select(Convention).where(Convention.reference == "CONV-2026-01"))
    browser.post(f"/conventions/{convention.id}/statut", {"target": "envoyee"})
    response = browser.get(f"/conventions/{convention.id}/modifier")
    assert response.status_code == 302
    assert "Seule une convention en brouillon se modifie" in page_text(browser.get(response.headers["Location"]))


def test_standard_clauses_page_for_admin_only(login):
    admin = login(Role.ADMIN)
    response = admin.post("/conventions/engagements-types/entreprise", {"text": "Engagement maison.\n\nDeuxième."})
    assert response.status_code == 302
    assert "Engagement maison." in page_text(admin.get("/conventions/nouvelle/entreprise"))
    assert login(Role.FACILITATEUR).get("/conventions/engagements-types").status_code == 403


@pytest.mark.parametrize(("role", "status"), [(Role.ADMIN, 200), (Role.FACILITATEUR, 200), (Role.GESTIONNAIRE, 200),
                                              (Role.SIAE, 403), (Role.ENTREPRISE, 403)])
def test_conventions_reserved_to_staff(login, role, status):
    assert login(role).get("/conventions/").status_code == status


def test_other_organisation_convention_is_404(login, world, session):
    create(login(Role.FACILITATEUR, "b"), world, party_id=world.b.ids["companies"]["own"],
           tender_ids=[world.b.ids["tenders"]["own"]])
    convention = session.scalar(select(Convention).where(Convention.reference == "CONV-2026-01"))
    browser = login(Role.ADMIN)
    assert browser.get(f"/conventions/{convention.id}").status_code == 404
    assert "ORG-B" not in page_text(browser.get("/conventions/"))


def test_edit_draft_keeps_text_and_updates(login, world, session):
    browser = login(Role.FACILITATEUR)
    location = create(browser, world)
    convention = session.scalar(select(Convention).where(Convention.reference == "CONV-2026-01"))
    page = page_text(browser.get(f"/conventions/{convention.id}/modifier"))
    assert "Accueillir les personnes recrutées.\n\nDéclarer les heures." in page
    assert "Relevé mensuel | le 10 de chaque mois" in page
    response = browser.post(f"/conventions/{convention.id}/modifier", convention_form(world, reference="CONV-B"))
    assert response.status_code == 302 and response.headers["Location"].endswith(location)
    session.expire_all()
    assert session.get(Convention, convention.id).reference == "CONV-B"
