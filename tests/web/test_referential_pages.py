"""Create and edit through the pages, with French errors and nothing half-saved."""

from decimal import Decimal

from sqlalchemy import select

from app.domain.enums import Criterion, Role
from app.models import Buyer, Lot, Participant, Placement, Tender
from tests.conftest import page_text


def test_tender_create_with_french_amount_then_lot(login, world, session):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/marches/nouveau", {
        "reference": "2026-NEW-001", "object": "Crèche & halte-garderie <Les Lilas>", "buyer_id": world.a.ids["buyers"]["own"],
        "operation_id": "", "cpv": "45214100-1", "procedure": "mapa", "legal_instrument": "clause_execution",
        "amount": "1 234 567,89", "starts_on": "2026-03-01", "ends_on": "31/12/2027",
    })
    assert response.status_code == 302
    tender = session.scalar(select(Tender).where(Tender.reference == "2026-NEW-001"))
    assert tender.amount == Decimal("1234567.89") and tender.organisation_id == world.a.organisation_id
    page = page_text(browser.get(response.headers["Location"]))
    assert "Crèche & halte-garderie <Les Lilas>" in page and "1\u202f234\u202f567,89\u00a0€" in page
    response = browser.post(f"/marches/{tender.id}/lots/nouveau", {
        "number": "2", "label": "Peinture", "trade": "Peinture intérieure", "amount": "180 000", "hours_required": "420",
        "company_id": world.a.ids["companies"]["own"]})
    assert response.status_code == 302
    lot = session.scalar(select(Lot).where(Lot.tender_id == tender.id))
    assert (lot.number, lot.hours_required, lot.amount_cents) == (2, 420, 18_000_000)
    assert "420\u00a0heures" in page_text(browser.get(f"/marches/{tender.id}"))


def test_tender_duplicate_reference_refused_in_french(login, world):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/marches/nouveau", {
        "reference": "REF ORG-A", "object": "Doublon", "buyer_id": world.a.ids["buyers"]["own"], "operation_id": "",
        "procedure": "mapa", "legal_instrument": "clause_execution"})
    assert response.status_code == 200
    assert "Un marché porte déjà cette référence." in page_text(response)


def test_tender_with_other_org_buyer_refused(login, world, session):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/marches/nouveau", {
        "reference": "2026-X", "object": "Tentative", "buyer_id": world.b.ids["buyers"]["own"], "operation_id": "",
        "procedure": "mapa", "legal_instrument": "clause_execution"})
    assert response.status_code == 200
    assert "N'est pas un choix valide." in page_text(response)
    assert session.scalar(select(Tender).where(Tender.reference == "2026-X")) is None


def test_lot_duplicate_number_refused(login, world):
    browser = login(Role.FACILITATEUR)
    tender_id = world.a.ids["tenders"]["own"]
    response = browser.post(f"/marches/{tender_id}/lots/nouveau", {"number": "1", "label": "Doublon", "hours_required": "0"})
    assert "Le lot n° 1 existe déjà dans ce marché." in page_text(response)


def test_participant_create_with_criteria_and_proofs(login, session):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/participants/nouveau", {
        "last_name": "De Sousa", "first_name": "João", "birth_on": "12/04/1999", "sex": "M", "postcode": "59280",
        "is_qpv": "y", "criteria": ["brsa", "jeune"], "proof_brsa": "2026-10-02", "phone": "06 12 34 56 78"})
    assert response.status_code == 302, page_text(response)
    person = session.scalar(select(Participant).where(Participant.last_name == "De Sousa"))
    assert person.code.startswith("P-") and person.is_qpv
    assert {item.criterion: item.proof_on.isoformat() if item.proof_on else None for item in person.criteria} == {
        Criterion.BRSA: "2026-10-02", Criterion.JEUNE: None}
    page = page_text(browser.get(response.headers["Location"]))
    assert "DE SOUSA João" in page and "Justificatif manquant" in page


def test_participant_missing_names_lists_french_errors(login, session):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/participants/nouveau", {"last_name": "", "first_name": "", "postcode": "123"})
    page = page_text(response)
    assert "Ce champ est obligatoire." in page and "Le code postal doit compter 5 chiffres" in page
    assert "Le formulaire contient des erreurs" in page


def test_placement_needs_an_employer(login, world, session):
    browser = login(Role.FACILITATEUR)
    before = session.scalars(select(Placement)).all()
    response = browser.post("/mises-en-situation/nouveau", {
        "participant_id": world.a.ids["participants"]["own"], "lot_id": world.a.ids["lots"]["own"], "company_id": "",
        "siae_id": "", "modality": "embauche_directe", "contract_type": "cdi", "starts_on": "2026-02-01"})
    assert "Indiquez l'entreprise, la structure d'insertion, ou les deux." in page_text(response)
    assert len(session.scalars(select(Placement)).all()) == len(before)


def test_placement_create_and_show_on_participant(login, world, session):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/mises-en-situation/nouveau", {
        "participant_id": world.a.ids["participants"]["own"], "lot_id": world.a.ids["lots"]["other"],
        "company_id": world.a.ids["companies"]["other"], "siae_id": "", "modality": "embauche_directe",
        "contract_type": "cdi", "starts_on": "2026-02-01"})
    assert response.status_code == 302
    page = page_text(browser.get(f"/participants/{world.a.ids['participants']['own']}"))
    assert "REF ORG-A HORS-STRUCTURE — lot 1" in page


def test_buyer_edit_roundtrip(login, world, session):
    browser = login(Role.ADMIN)
    buyer_id = world.a.ids["buyers"]["own"]
    form = page_text(browser.get(f"/acheteurs/{buyer_id}/modifier"))
    assert 'value="Acheteur ORG-A"' in form
    response = browser.post(f"/acheteurs/{buyer_id}/modifier", {"name": "Ville renommée", "kind": "commune"})
    assert response.status_code == 302
    assert session.get(Buyer, buyer_id).name == "Ville renommée"
    assert "Commune ou intercommunalité" in page_text(browser.get(f"/acheteurs/{buyer_id}"))
    assert session.get(Buyer, buyer_id).name_article == ""  # not posted: automatic
    browser.post(f"/acheteurs/{buyer_id}/modifier", {"name": "Lens Agglomération", "kind": "commune",
                                                    "name_article": "aucun"})
    session.expire_all()
    assert session.get(Buyer, buyer_id).name_article == "aucun"
    browser.post(f"/acheteurs/{buyer_id}/modifier", {"name": "Lens Agglomération", "kind": "commune",
                                                    "name_article": "<script>"})
    session.expire_all()
    assert session.get(Buyer, buyer_id).name_article == ""  # unknown key: automatic


def test_search_finds_by_words_case_insensitive(login):
    browser = login(Role.FACILITATEUR)
    page = page_text(browser.get("/marches/?q=ref+org-a"))
    assert "2 résultats" in page
    assert "0 résultat" in page_text(browser.get("/marches/?q=%25"))
