"""Repérage pages: the pipeline with filters and its XLSX, the DECP import preview, veille and pre-fill."""

import io
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.domain.enums import Role, TenderStatus
from app.models import DecpRecord, Tender
from tests.conftest import page_text

DATA = Path(__file__).resolve().parents[1] / "data" / "decp"


def _upload(browser, name: str):
    browser.refresh_token("/veille/importer")
    return browser.post("/veille/importer", {"file": (io.BytesIO((DATA / name).read_bytes()), name)},
                        content_type="multipart/form-data")


def test_tender_form_records_the_pipeline_step_and_refuses_abandon_without_reason(login, world, session):
    browser = login(Role.FACILITATEUR)
    data = {"reference": "REP-1", "object": "Réhabilitation du gymnase", "buyer_id": world.a.ids["buyers"]["own"],
            "operation_id": "", "cpv": "45212222", "procedure": "mapa", "legal_instrument": "clause_execution",
            "amount": "800 000", "status": "abandonne", "planned_publication_on": "15/03/2027"}
    response = browser.post("/marches/nouveau", data)
    assert response.status_code == 200 and "Indiquez pourquoi le marché est abandonné." in page_text(response)
    response = browser.post("/marches/nouveau", {**data, "status": "etude", "next_step": "Rencontrer le maître d'œuvre"})
    assert response.status_code == 302
    tender = session.scalar(select(Tender).where(Tender.reference == "REP-1"))
    assert tender.status == TenderStatus.A_L_ETUDE and tender.planned_publication_on.isoformat() == "2027-03-15"
    page = page_text(browser.get("/reperage/?status=a_venir"))
    assert "REP-1" in page and "Rencontrer le maître d'œuvre" in page and "REF ORG-A" not in page
    board = page_text(browser.get("/reperage/?view=board&cpv=4521"))
    assert "À l'étude" in board and "REP-1" in board


def test_pipeline_filters_by_amount_and_date_and_reports_bad_filters(login, world, session):
    browser = login(Role.GESTIONNAIRE)
    own = world.a.ids["tenders"]["own"]
    tender = session.get(Tender, own)
    tender.status, tender.amount_cents = TenderStatus.PUBLIE, 50_000_000
    session.commit()
    assert "REF ORG-A" in page_text(browser.get("/reperage/?amount_min=400 000&amount_max=600000"))
    assert "REF ORG-A" not in page_text(browser.get("/reperage/?amount_min=600 001"))
    page = page_text(browser.get("/reperage/?from_on=pas-une-date"))
    assert "Certains filtres sont invalides" in page and "REF ORG-A" in page


def test_upcoming_xlsx_lists_only_tenders_not_yet_awarded(login, world, session):
    browser = login(Role.FACILITATEUR)
    tender = session.get(Tender, world.a.ids["tenders"]["own"])
    tender.status, tender.next_step = TenderStatus.REPERE, "=HYPERLINK(\"http://x\")"
    session.commit()
    response = browser.get(f"/reperage/marches-a-venir.xlsx?buyer_id={tender.buyer_id}")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.data)).active
    assert ws["A1"].value == f"Marchés à venir — {tender.buyer.name}"
    values = [cell.value for row in ws.iter_rows() for cell in row]
    assert "REF ORG-A" in values and "REF ORG-A HORS-STRUCTURE" not in values
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "=HYPERLINK(\"http://x\")")
    assert cell.data_type == "s"  # text, never a formula


def test_decp_upload_previews_then_confirm_imports_once(login, world, session):
    browser = login(Role.FACILITATEUR)
    response = _upload(browser, "consolidated.csv")
    assert response.status_code == 200
    page = page_text(response)
    assert "3\u00a0marchés distincts, 6\u202f210\u202f000,00\u00a0€ HT" in page and "à créer" in page
    assert "Au-dessus du seuil européen sans condition sociale" in page and "a deux montants" in page
    assert session.scalar(select(func.count(DecpRecord.id))) == 0
    file_id = int(page.split("/veille/importer/")[1].split("/")[0])
    response = browser.post(f"/veille/importer/{file_id}/confirmer")
    assert response.status_code == 302
    assert "3\u00a0marchés créés" in page_text(browser.get("/veille/"))
    assert session.scalar(select(func.count(DecpRecord.id))) == 3
    again = page_text(_upload(browser, "consolidated.csv"))
    assert again.count("déjà connu") >= 3


def test_decp_upload_unreadable_file_is_refused_in_french(login):
    browser = login(Role.ADMIN)
    browser.refresh_token("/veille/importer")
    response = browser.post("/veille/importer", {"file": (io.BytesIO(b"nom;prenom\n"), "x.csv")},
                            content_type="multipart/form-data")
    assert response.status_code == 200 and "Ce fichier ne peut pas être lu : format non reconnu" in page_text(response)


def test_veille_buyer_page_counts_flags_and_prefills_a_tender(login, world, session):
    browser = login(Role.FACILITATEUR)
    page = page_text(_upload(browser, "v2_valid.json"))
    file_id = int(page.split("/veille/importer/")[1].split("/")[0])
    browser.post(f"/veille/importer/{file_id}/confirmer")
    record = session.scalar(select(DecpRecord).where(DecpRecord.decp_id == "2026-001"))
    index = page_text(browser.get("/veille/"))
    assert f"Acheteur SIRET {record.buyer_siret}" in index  # the 2024 format names no buyer
    page = page_text(browser.get(f"/veille/acheteurs/{record.buyer_id}"))
    assert "Au-dessus du seuil européen sans condition sociale : <strong>1</strong>" in page
    response = browser.post(f"/veille/publications/{record.id}/preremplir")
    assert response.status_code == 302
    tender = session.scalar(select(Tender).where(Tender.reference == "2026-001"))
    assert tender.amount_cents == 540_400_000 and tender.lots[0].amount_cents == 540_400_000
    assert tender.ends_on.isoformat() == "2028-09-01" and tender.lots[0].company.siret == "44100000700019"
    assert "Calculer et rédiger la clause" in page_text(browser.get(response.headers["Location"]))
    # A followed tender without hours: the médiathèque is no longer « clausable non suivi ».
    page = page_text(browser.get(f"/veille/acheteurs/{record.buyer_id}"))
    assert "Clausable mais non suivi : <strong>0</strong>" in page and "Marché suivi" in page


def test_veille_rules_admin_edits_gestionnaire_reads(login):
    admin = login(Role.ADMIN)
    admin.refresh_token("/veille/regles")
    response = admin.post("/veille/regles", {"cpv_prefix": "4531", "min_amount": "300 000", "label": "Électricité"})
    assert response.status_code == 302
    assert "300\u202f000,00\u00a0€" in page_text(admin.get("/veille/regles"))
    reader = login(Role.GESTIONNAIRE)
    page = page_text(reader.get("/veille/regles"))
    assert "Électricité" in page and "Enregistrer la règle" not in page


def test_buyer_bilan_states_its_veille_flags(login, world, session):
    """The buyer's bilan carries the veille's counts, read back from the DOCX (issue #16)."""
    from datetime import date

    from app.domain.documents.rendering import docx_text
    from app.services.doc_templates import active_template
    from app.services.reports.bilan import bilan_data, render_bilan
    from app.services.reports.exports import ReportFilter

    browser = login(Role.FACILITATEUR)
    page = page_text(_upload(browser, "v2_valid.json"))
    file_id = int(page.split("/veille/importer/")[1].split("/")[0])
    browser.post(f"/veille/importer/{file_id}/confirmer")
    record = session.scalar(select(DecpRecord).where(DecpRecord.decp_id == "2026-001"))
    flt = ReportFilter(record.organisation_id, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                       buyer_id=record.buyer_id)
    data = bilan_data(session, flt, subject_kind="buyer", subject_name="Ville test", today=date(2026, 12, 7))
    assert ("Au-dessus du seuil européen sans condition sociale", 1) in data.veille
    template = active_template(session, record.organisation_id, "bilan")
    text = docx_text(render_bilan(template, data, with_pdf=False).docx)
    assert "Veille des données essentielles de la commande publique (DECP)" in text
    assert "1 marché — au-dessus du seuil européen sans condition sociale" in text
    # A territory bilan has no veille paragraph.
    everyone = bilan_data(session, ReportFilter(record.organisation_id, starts_on=date(2026, 1, 1),
                                                ends_on=date(2026, 12, 31)),
                          subject_kind="all", subject_name="Territoire", today=date(2026, 12, 7))
    assert everyone.veille == ()
