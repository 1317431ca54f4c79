"""Journal d'activité, Partenaires and Opérations et chantiers pages; diffusing a fiche and
naming a candidate's prescriber from the fiche page."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.enums import Role
from app.domain.liaison.workflow import FicheStatus
from app.domain.reports.activities import PartnerKind
from app.models import Activity, AuditEvent, Company, FicheDiffusion, Operation, Partner, Tender, User
from tests.conftest import page_text
from tests.services.liaison.fiche_helpers import pdf_bytes, received_fiche

FORM = {"kind": "site_visit", "occurred_on": "12/11/2026", "title": "Visite de chantier — lot gros œuvre",
        "quantity": "", "note": "Deux personnes en poste, port des EPI vérifié.", "buyer_id": "", "company_id": "",
        "siae_id": "", "participant_id": "", "partner_id": "", "tender_id": "", "fse_operation_id": ""}


def events(session, after_id: int) -> list[tuple]:
    session.expire_all()
    return [(e.action, e.object_type, e.detail) for e in
            session.scalars(select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id))]


def last_event(session) -> int:
    return session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


def create(browser, **changes) -> int:
    response = browser.post("/journal/nouvelle", {**FORM, **changes}, content_type="multipart/form-data")
    assert response.status_code == 302, page_text(response)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_entry_with_minutes_is_recorded_shown_and_audited(login, world, session):
    browser = login(Role.FACILITATEUR)
    mark = last_event(session)
    activity_id = create(browser, company_id=str(world.a.ids["companies"]["own"]),
                         participant_id=str(world.a.ids["participants"]["own"]),
                         minutes=(io.BytesIO(pdf_bytes()), "CR visite Durand.pdf"))
    page = page_text(browser.get(f"/journal/{activity_id}"))
    assert "Entrée du journal enregistrée avec son compte rendu." in page
    assert "Visite de chantier — lot gros œuvre" in page and "Entreprise ORG-A" in page and "P-own" in page
    assert f"compte-rendu-{activity_id}.pdf" in page and "Deux personnes en poste" in page
    activity = session.get(Activity, activity_id)
    author = session.get(User, activity.author_id)
    assert author.email == world.a.users[Role.FACILITATEUR] and activity.author_name == author.full_name
    download = browser.get(f"/fichiers/{activity.minutes_file_id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert download.headers["Content-Disposition"].endswith(f"compte-rendu-{activity_id}.pdf")
    assert events(session, mark) == [("create", "activity", ""), ("read", "activity", ""),
                                     ("export", "activity_minutes", "téléchargement d'un fichier")]
    listing = page_text(browser.get("/journal/"))
    assert "Visite de chantier — lot gros œuvre" in listing and "12/11/2026" in listing and "Télécharger" in listing
    assert events(session, mark)[-1] == ("read", "activity", "journal, page 1")


def test_refused_minutes_keep_what_was_typed(login, world, session):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/journal/nouvelle", {**FORM, "company_id": str(world.a.ids["companies"]["own"]),
                                                  "minutes": (io.BytesIO(b"notes du comite"), "compte-rendu.pdf")},
                            content_type="multipart/form-data")
    page = page_text(response)
    assert response.status_code == 200
    assert "n'est pas un document lisible : déposez-le au format PDF, DOCX, ODT, JPEG ou PNG" in page
    assert 'value="Visite de chantier — lot gros œuvre"' in page and "port des EPI vérifié" in page
    assert f'<option selected value="{world.a.ids["companies"]["own"]}">Entreprise ORG-A</option>' in page
    assert session.scalar(select(Activity.id).where(Activity.title == FORM["title"])) is None


def test_entry_form_rules_in_french(login):
    browser = login(Role.GESTIONNAIRE)
    far = (date.today() + timedelta(days=400)).strftime("%d/%m/%Y")
    page = page_text(browser.post("/journal/nouvelle", {**FORM, "occurred_on": far, "quantity": "3"},
                                  content_type="multipart/form-data"))
    assert "Cette date est à plus d'un an : vérifiez l'année." in page
    page = page_text(browser.post("/journal/nouvelle", {**FORM, "quantity": "3"}, content_type="multipart/form-data"))
    assert "« Visite de chantier » compte une fois par entrée" in page


def test_gestionnaire_records_posts_and_filters_then_downloads(login, world, session):
    browser = login(Role.GESTIONNAIRE)
    company = str(world.a.ids["companies"]["own"])
    create(browser, kind="posts_transmitted", title="Postes transmis à France Travail", quantity="4",
           company_id=company, occurred_on="03/11/2026")
    create(browser, kind="contact", title="Appel du conducteur de travaux", occurred_on="05/11/2026")
    page = page_text(browser.get(f"/journal/?company_id={company}"))
    assert "Postes transmis à France Travail" in page and "Appel du conducteur" not in page and "1\u00a0entrée" in page
    page = page_text(browser.get("/journal/?kind=contact&starts_on=2026-11-01&ends_on=2026-11-30"))
    assert "Appel du conducteur" in page and "Postes transmis à France Travail" not in page
    mark = last_event(session)
    response = browser.get(f"/journal/export.xlsx?company_id={company}")
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(load_workbook(io.BytesIO(response.data))["Journal d'activité"].iter_rows(values_only=True))
    body = rows[rows.index(next(row for row in rows if row[0] == "Date")) + 1:]
    assert [(row[1], row[2], row[3], row[4]) for row in body] == [
        ("Postes transmis", "Postes transmis à France Travail", 4, "Entreprise ORG-A")]
    assert events(session, mark) == [("export", "activity", "extrait du journal d'activité")]


@pytest.mark.parametrize("role", [Role.SIAE, Role.ENTREPRISE])
def test_structures_never_see_the_log_nor_the_directory(login, world, session, role):
    facilitator = login(Role.FACILITATEUR)
    activity_id = create(facilitator, company_id=str(world.a.ids["companies"]["own"]),
                         minutes=(io.BytesIO(pdf_bytes()), "cr.pdf"))
    file_id = session.get(Activity, activity_id).minutes_file_id
    browser = login(role)
    for url in ("/journal/", f"/journal/{activity_id}", "/journal/nouvelle", "/journal/export.xlsx",
                "/partenaires/", "/operations-chantiers/"):
        assert browser.get(url).status_code == 403, url
    assert browser.get(f"/fichiers/{file_id}").status_code == 404


def test_company_and_buyer_pages_show_their_last_entries(login, world):
    browser = login(Role.FACILITATEUR)
    company = world.a.ids["companies"]["own"]
    create(browser, kind="visit", title="Visite de l'atelier de préfabrication", company_id=str(company))
    page = page_text(browser.get(f"/entreprises/{company}"))
    assert "Journal d'activité" in page and "Visite de l'atelier de préfabrication" in page
    assert f"/journal/?company_id={company}" in page
    page = page_text(browser.get(f"/acheteurs/{world.a.ids['buyers']['own']}"))
    assert "Aucune entrée au journal d'activité." in page


def test_partner_and_programme_pages(login, world, session):
    browser = login(Role.FACILITATEUR)
    siae = world.a.ids["siaes"]["own"]
    response = browser.post("/partenaires/nouveau", {"name": "ETTI Bâtir Ensemble", "kind": "siae", "siae_id": str(siae),
                                                     "contact_name": "Nadia Haddad", "email": "contact@batir.example.fr",
                                                     "phone": "03 28 00 00 00", "city": "Dunkerque", "is_active": "y"})
    assert response.status_code == 302, page_text(response)
    partner = session.scalar(select(Partner).where(Partner.name == "ETTI Bâtir Ensemble"))
    assert (partner.kind, partner.siae_id, partner.is_active) == (PartnerKind.SIAE, siae, True)
    assert "Partenaire enregistré." in page_text(browser.get(response.headers["Location"]))
    response = browser.post("/operations-chantiers/nouveau", {
        "name": "ZAC du Grand Large", "buyer_id": str(world.a.ids["buyers"]["own"]), "description": "Logements",
        "starts_on": "01/01/2026", "ends_on": "31/12/2028", "is_fse_funded": "y"})
    assert response.status_code == 302, page_text(response)
    programme = session.scalar(select(Operation).where(Operation.name == "ZAC du Grand Large"))
    session.get(Tender, world.a.ids["tenders"]["own"]).operation_id = programme.id
    session.commit()
    page = page_text(browser.get(f"/operations-chantiers/{programme.id}"))
    assert "Opération enregistrée." in page and "Marchés de l'opération" in page
    assert "REF ORG-A" in page and "Travaux ORG-A" in page
    page = page_text(browser.post("/operations-chantiers/nouveau", {"name": "Groupe scolaire", "buyer_id": "",
                                                                    "starts_on": "01/06/2027", "ends_on": "01/01/2027"}))
    assert "La fin ne peut pas précéder le début." in page


def test_gestionnaire_keeps_the_directory_but_not_programmes(login):
    browser = login(Role.GESTIONNAIRE)
    assert browser.get("/partenaires/nouveau").status_code == 200
    assert browser.get("/operations-chantiers/nouveau").status_code == 403


def test_company_headcount_and_tender_site_saved_from_their_forms(login, world, session):
    browser = login(Role.FACILITATEUR)
    company = world.a.ids["companies"]["own"]
    response = browser.post(f"/entreprises/{company}/modifier", {
        "name": "Entreprise ORG-A", "siret": "73282932000074", "address": "", "postcode": "", "city": "Dunkerque",
        "contact_name": "", "contact_email": "", "contact_phone": "", "headcount": "8"})
    assert response.status_code == 302, page_text(response)
    page = page_text(browser.get(f"/entreprises/{company}"))
    assert "Effectif (salariés)" in page
    tender = session.get(Tender, world.a.ids["tenders"]["own"])
    form = page_text(browser.get(f"/marches/{tender.id}/modifier"))
    assert "Commune du chantier" in form and "EPCI" in form
    response = browser.post(f"/marches/{tender.id}/modifier", {
        "reference": tender.reference, "object": tender.object, "buyer_id": str(tender.buyer_id), "operation_id": "",
        "procedure": tender.procedure.value, "legal_instrument": tender.legal_instrument.value, "status": "repere",
        "site_city": "Grande-Synthe", "site_epci": "Communauté urbaine de Dunkerque"})
    assert response.status_code == 302, page_text(response)
    session.expire_all()
    assert session.get(Company, company).headcount == 8
    tender = session.get(Tender, tender.id)
    assert (tender.site_city, tender.site_epci) == ("Grande-Synthe", "Communauté urbaine de Dunkerque")
    assert "Grande-Synthe (Communauté urbaine de Dunkerque)" in page_text(browser.get(f"/marches/{tender.id}"))


def _partners(session, world) -> tuple[int, int]:
    own = {"organisation_id": world.a.organisation_id}
    agency = Partner(**own, name="France Travail Dunkerque", kind=PartnerKind.FRANCE_TRAVAIL)
    local = Partner(**own, name="Mission locale du Dunkerquois", kind=PartnerKind.MISSION_LOCALE)
    session.add_all([agency, local])
    session.flush()
    return agency.id, local.id


def test_fiche_diffused_to_partners_from_its_page(login, world, session):
    agency, local = _partners(session, world)
    fiche = received_fiche(session, world, date.today(), FicheStatus.DIFFUSEE)
    session.commit()
    browser = login(Role.FACILITATEUR)
    browser.refresh_token(f"/fiches/{fiche.id}")
    response = browser.post(f"/fiches/{fiche.id}/diffusion", {"d-partner_ids": [str(agency)],
                                                              "d-diffused_on": "02/11/2026",
                                                              "d-csrf_token": browser.token})
    page = page_text(browser.get(response.headers["Location"]))
    assert "Fiche diffusée à France Travail Dunkerque." in page
    response = browser.post(f"/fiches/{fiche.id}/diffusion", {"d-partner_ids": [str(agency), str(local)],
                                                              "d-diffused_on": "09/11/2026",
                                                              "d-csrf_token": browser.token})
    page = page_text(browser.get(response.headers["Location"]))
    assert "Déjà diffusée à France Travail Dunkerque (le 02/11/2026, date gardée)." in page
    assert "France Travail Dunkerque (France Travail) — le 02/11/2026" in page
    assert "Mission locale du Dunkerquois (Mission locale) — le 09/11/2026" in page


def test_moving_to_diffusee_asks_for_recipients(login, world, session):
    agency, _local = _partners(session, world)
    fiche = received_fiche(session, world, date.today())
    session.commit()
    browser = login(Role.FACILITATEUR)
    assert "Pour « Diffusée » : partenaires destinataires" in page_text(browser.get(f"/fiches/{fiche.id}"))
    response = browser.post(f"/fiches/{fiche.id}/statut", {"target": "diffusee", "note": ""})
    assert "Cochez les partenaires à qui la fiche est diffusée" in page_text(browser.get(response.headers["Location"]))
    session.expire_all()
    assert session.get(type(fiche), fiche.id).status is FicheStatus.RECUE
    today = date.today().strftime("%d/%m/%Y")
    response = browser.post(f"/fiches/{fiche.id}/statut", {"target": "diffusee", "note": "",
                                                           "d-partner_ids": [str(agency)], "d-diffused_on": today})
    assert "Statut de la fiche : « Diffusée »." in page_text(browser.get(response.headers["Location"]))
    session.expire_all()
    assert [(d.partner_id, d.diffused_on) for d in session.scalars(
        select(FicheDiffusion).where(FicheDiffusion.fiche_id == fiche.id))] == [(agency, date.today())]


def test_prescriber_named_when_positioning(login, world, session):
    agency, _local = _partners(session, world)
    fiche = received_fiche(session, world, date.today(), FicheStatus.DIFFUSEE)
    session.commit()
    browser = login(Role.FACILITATEUR)
    person = world.a.ids["participants"]["own"]
    page = page_text(browser.get(f"/fiches/{fiche.id}?candidat={person}"))
    assert "Prescripteur (facultatif : qui a adressé la personne)" in page
    response = browser.post(f"/fiches/{fiche.id}/positionnements", {
        "participant_id": str(person), "prescriber_id": str(agency),
        "override_reason": "Justificatif RSA en cours de renouvellement auprès de la CAF"})
    assert response.status_code == 302
    page = page_text(browser.get(f"/fiches/{fiche.id}"))
    assert "Prescripteur : France Travail Dunkerque" in page
