"""« Calculer et rédiger la clause »: calculator defaults, saved calculations, the generated pack."""

import io
import re

import lxml.html
import pytest
from docx import Document
from sqlalchemy import select

from app.domain.documents.rendering import docx_text
from app.domain.enums import JobStatus, Role
from app.models import ClausePack, Job, LabourShareRef, Lot, LotCalculation, StoredFile
from tests.conftest import page_text
from tests.web.test_forms_keep_values import form_values


@pytest.fixture
def tender(world, session):
    """Give organisation A's tender a painting lot of 1 000 000 €."""
    lot = session.get(Lot, world.a.ids["lots"]["own"])
    lot.trade, lot.amount_cents, lot.label = "Peinture intérieure", 100_000_000, "Peinture & <finitions>"
    session.commit()
    return lot.tender_id


def calc_form(lot_id: int, **fields) -> dict:
    base = {"method": "standard", "amount": "1 000 000", "labour_share": "50", "rate": "5", "hourly_cost": "30"}
    return {f"lot-{lot_id}-{name}": value for name, value in {**base, **fields}.items()}


def test_calculator_prefills_reference_defaults_with_sources(login, world, tender):
    page = page_text(login(Role.FACILITATEUR).get(f"/marches/{tender}/clause"))
    assert 'value="70"' in page.replace("\u202f", "")  # painting: 70 % (sourced)
    assert "mefsud77.fr" in page
    # 1 000 000 × 70 % × 5 % ÷ 30 = 1 166,67 → 1 167 h
    assert "1\u202f167\u00a0heures" in page


def test_calculator_preview_saves_nothing(login, world, tender, session):
    lot_id = world.a.ids["lots"]["own"]
    page = page_text(login(Role.FACILITATEUR).post(f"/marches/{tender}/clause", {**calc_form(lot_id), "action": "calculer"}))
    assert "833\u00a0heures" in page and "0,52" in page
    assert session.scalar(select(LotCalculation).where(LotCalculation.lot_id == lot_id)) is None


def test_calculator_save_keeps_inputs_and_sets_lot_hours(login, world, tender, session):
    lot_id = world.a.ids["lots"]["own"]
    browser = login(Role.FACILITATEUR)
    response = browser.post(f"/marches/{tender}/clause", {**calc_form(lot_id), "action": "enregistrer"})
    assert response.status_code == 302
    session.expire_all()
    calc = session.scalar(select(LotCalculation).where(LotCalculation.lot_id == lot_id))
    assert (calc.hours, calc.hours_exact, calc.method) == (833, "833.3333333333333333333333333", "standard")
    assert calc.references["values"] == {"labour_share": "50", "rate": "5", "hourly_cost": "30"}
    assert session.get(Lot, lot_id).hours_required == 833


def test_saved_calculation_survives_reference_change(login, world, tender, session):
    lot_id = world.a.ids["lots"]["own"]
    browser = login(Role.FACILITATEUR)
    browser.get(f"/marches/{tender}/clause")  # copies the reference rows
    fields = calc_form(lot_id, labour_share="70")  # equal to the reference: stored with its source
    browser.post(f"/marches/{tender}/clause", {**fields, "action": "enregistrer"})
    share = session.scalar(select(LabourShareRef).where(LabourShareRef.key == "peinture_interieure"))
    share.share_pct = 10
    session.commit()
    page = page_text(browser.get(f"/marches/{tender}/clause"))
    assert 'value="70"' in page and "Heures exigées enregistrées sur le lot : 1\u202f167\u00a0heures" in page


def test_calculator_bad_input_french_error_nothing_saved(login, world, tender, session):
    lot_id = world.a.ids["lots"]["own"]
    response = login(Role.FACILITATEUR).post(f"/marches/{tender}/clause",
                                             {**calc_form(lot_id, amount="douze"), "action": "enregistrer"})
    page = page_text(response)
    assert "Rien n'a été enregistré." in page and "n'est pas un nombre" in page
    assert session.scalar(select(LotCalculation).where(LotCalculation.lot_id == lot_id)) is None


def test_calculator_gapped_bands_refused(login, world, tender):
    lot_id = world.a.ids["lots"]["own"]
    page = page_text(login(Role.FACILITATEUR).post(f"/marches/{tender}/clause", {
        **calc_form(lot_id, method="bands", amount="150000", bands="0-99999:150,100001-:300"), "action": "calculer"}))
    assert "Trou dans le barème" in page


def pack_form(world, **values) -> dict:
    return {"instrument": "clause_execution", "facilitator_name": "Karim Facilitateur",
            "facilitator_email": "karim@plie-a.fr", "facilitator_phone": "03 20 12 34 56",
            "penalty_per_missing_hour": "200", "penalty_per_day_late": "75", "lot_ids": [world.a.ids["lots"]["own"]],
            "tender_nature": "travaux", "buyer_category": "collectivite", "launch_date": "2026-10-01", **values}


def test_pack_form_proposes_the_2026_check_defaults(login, tender):
    page = login(Role.FACILITATEUR).get(f"/marches/{tender}/clause").get_data(as_text=True)
    assert "Date de lancement de la consultation" in page and "Motif de dérogation" in page
    assert "5\u202f404\u202f000,00\u00a0€ HT" in page and "sauf dérogation motivée" in page
    assert '<option selected value="services">' in page  # no CPV: services


def test_criterion_only_pack_above_the_eu_threshold_needs_a_derogation(login, world, tender, session):
    browser = login(Role.FACILITATEUR)
    lot_id = world.a.ids["lots"]["own"]
    browser.post(f"/marches/{tender}/clause", {**calc_form(lot_id, amount="9 000 000"), "action": "enregistrer"})
    criterion = {"instrument": "critere_attribution", "weighting": "10"}
    refused = browser.post(f"/marches/{tender}/clause/dossier", pack_form(world, **criterion))
    page = page_text(refused)
    assert refused.status_code == 200 and "seuil européen" in page and "motif de dérogation" in page
    assert "« social_condition_derogation »" not in page and "instrument «" not in page  # no JSON keys
    assert 'value="2026-10-01"' in refused.get_data(as_text=True)  # the choices are kept
    assert session.scalar(select(ClausePack)) is None
    # Before the obligation date the same pack goes through.
    early = browser.post(f"/marches/{tender}/clause/dossier", pack_form(world, **criterion, launch_date="2026-06-01"))
    assert early.status_code == 302
    reason = "Marché de prestations intellectuelles sans exécution sur un site"
    granted = browser.post(f"/marches/{tender}/clause/dossier",
                           pack_form(world, **criterion, social_condition_derogation=reason))
    assert granted.status_code == 302, page_text(granted)
    pack = session.scalar(select(ClausePack).order_by(ClausePack.id.desc()))
    note = next(f for f in session.scalars(select(StoredFile).where(StoredFile.owner_kind == "clause_pack",
                                                                    StoredFile.owner_id == pack.id))
                if f.name.endswith(".docx") and f.name.startswith("Note"))
    text = docx_text(note.data)
    assert "au titre de la dérogation suivante" in text and reason in text


def test_pack_generated_with_docx_files_and_history(login, world, tender, session):
    lot_id = world.a.ids["lots"]["own"]
    browser = login(Role.FACILITATEUR)
    browser.post(f"/marches/{tender}/clause", {**calc_form(lot_id), "action": "enregistrer"})
    response = browser.post(f"/marches/{tender}/clause/dossier", pack_form(world))
    assert response.status_code == 302, page_text(response)
    pack = session.scalar(select(ClausePack).order_by(ClausePack.id.desc()))
    assert session.get(Job, pack.job_id).status == JobStatus.DONE
    page = page_text(browser.get(response.headers["Location"]))
    assert "Aperçu de l'article du CCAP" in page and "833\u00a0heures" in page
    assert "Article du CCAP – clause sociale :" in page and "ccap_article :" not in page  # labels, not codes
    files = session.scalars(select(StoredFile).where(StoredFile.owner_kind == "clause_pack",
                                                     StoredFile.owner_id == pack.id)).all()
    docx = {f.name: f for f in files if f.name.endswith(".docx")}
    assert len(docx) == 4
    article = next(f for name, f in docx.items() if name.startswith("Article-CCAP"))
    text = docx_text(article.data)
    assert "Peinture & <finitions>" in text and "{{" not in text and "{%" not in text
    assert "200,00\u00a0€" in text
    Document(io.BytesIO(article.data))  # opens in Word's format
    assert pack.template_versions["ccap_article"]["label"]
    assert f"Dossier n° {pack.id}" in page_text(browser.get(f"/marches/{tender}/clause"))
    download = browser.get(f"/fichiers/{article.id}")
    assert download.status_code == 200 and download.data[:2] == b"PK"


def test_pack_without_saved_calculation_refused(login, world, tender):
    page = page_text(login(Role.FACILITATEUR).post(f"/marches/{tender}/clause/dossier", pack_form(world)))
    assert "Calculez et enregistrez d'abord les heures" in page


def test_pack_bad_phone_listed_in_french(login, world, tender):
    browser = login(Role.FACILITATEUR)
    lot_id = world.a.ids["lots"]["own"]
    browser.post(f"/marches/{tender}/clause", {**calc_form(lot_id), "action": "enregistrer"})
    page = page_text(browser.post(f"/marches/{tender}/clause/dossier", pack_form(world, facilitator_phone="12")))
    assert "téléphone" in page.lower() and "invalide" in page


def test_gestionnaire_sees_calculator_but_cannot_save(login, world, tender, session):
    browser = login(Role.GESTIONNAIRE)
    assert browser.get(f"/marches/{tender}/clause").status_code == 200
    lot_id = world.a.ids["lots"]["own"]
    page = page_text(browser.post(f"/marches/{tender}/clause", {**calc_form(lot_id), "action": "enregistrer"}))
    assert "ne permet pas d'enregistrer" in page
    assert browser.post(f"/marches/{tender}/clause/dossier", pack_form(world)).status_code == 403


def test_other_org_tender_clause_is_404(login, world):
    assert login(Role.FACILITATEUR).get(f"/marches/{world.b.ids['tenders']['own']}/clause").status_code == 404


def test_pack_pdf_has_the_same_text_or_says_why_missing(login, world, tender, session):
    from pypdf import PdfReader

    from app.pdf import pdf_available

    lot_id = world.a.ids["lots"]["own"]
    browser = login(Role.FACILITATEUR)
    browser.post(f"/marches/{tender}/clause", {**calc_form(lot_id), "action": "enregistrer"})
    response = browser.post(f"/marches/{tender}/clause/dossier", pack_form(world, with_pdf="y"))
    pack = session.scalar(select(ClausePack).order_by(ClausePack.id.desc()))
    files = session.scalars(select(StoredFile).where(StoredFile.owner_kind == "clause_pack",
                                                     StoredFile.owner_id == pack.id)).all()
    pdfs = [f for f in files if f.name.endswith(".pdf")]
    available, reason = pdf_available()
    if not available:
        assert pdfs == [] and reason in pack.pdf_note
        assert "PDF non produits" in page_text(browser.get(response.headers["Location"]))
        return
    assert len(pdfs) == 4 and pack.pdf_note == ""
    article = next(f for f in pdfs if f.name.startswith("Article-CCAP"))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(article.data)).pages)
    assert "Peinture & <finitions>" in text and "833" in text


def test_calculator_save_accord_cadre_requires_minimum_keeps_maximum_beside(login, world, tender, session):
    lot_id = world.a.ids["lots"]["own"]
    form = calc_form(lot_id, method="framework", min_amount="300 000", max_amount="1 000 000")
    response = login(Role.FACILITATEUR).post(f"/marches/{tender}/clause", {**form, "action": "enregistrer"})
    assert response.status_code == 302
    session.expire_all()
    lot = session.get(Lot, lot_id)
    # 300 000 × 50 % × 5 % ÷ 30 = 250 h required; 833 h on the maximum, shown beside, never summed.
    assert (lot.hours_required, lot.hours_max) == (250, 833)


def test_calculator_save_tranche_with_threshold_leaves_lot_conditional(login, world, tender, session):
    lot_id = world.a.ids["lots"]["own"]
    form = calc_form(lot_id, method="tranche", invoiced="500 000", euros_per_hour="1 000", threshold="200 000")
    response = login(Role.FACILITATEUR).post(f"/marches/{tender}/clause", {**form, "action": "enregistrer"})
    assert response.status_code == 302
    session.expire_all()
    lot = session.get(Lot, lot_id)
    assert (lot.hours_required, lot.is_conditional) == (500, True)


def test_lot_form_offers_the_referentiel_trades_with_their_cpv(login, world):
    tender_id = world.a.ids["tenders"]["own"]
    page = page_text(login(Role.FACILITATEUR).get(f"/marches/{tender_id}/lots/nouveau"))
    assert 'list="trade-list"' in page and '<datalist id="trade-list">' in page
    assert ('<option value="Maçonnerie – gros œuvre">50 % de main-d\'œuvre — CPV 452625</option>' in page)


@pytest.mark.parametrize(("typed", "stored", "warning"), [
    ("Maçonnerie - gros oeuvre", "Maçonnerie – gros œuvre", None),
    ("peinture_interieure", "Peinture intérieure", None),
    ("maconerie", "maconerie", "Métiers proches : Maçonnerie – gros œuvre."),
])
def test_lot_form_resolves_a_typed_trade_or_proposes_the_nearest(login, world, session, typed, stored, warning):
    tender_id = world.a.ids["tenders"]["own"]
    browser = login(Role.FACILITATEUR)
    response = browser.post(f"/marches/{tender_id}/lots/nouveau",
                            {"number": "42", "label": "Gros œuvre", "trade": typed, "hours_required": "0"})
    assert response.status_code == 302
    lot = session.scalar(select(Lot).where(Lot.tender_id == tender_id, Lot.number == 42))
    assert lot.trade == stored
    page = page_text(browser.get(response.headers["Location"]))
    if warning:
        assert f"Le métier « {typed} » ne figure pas au référentiel" in page and warning in page
    else:
        assert "ne figure pas au référentiel" not in page


def test_calculator_unknown_trade_proposes_nearest_without_internal_key(login, world, session):
    lot = session.get(Lot, world.a.ids["lots"]["own"])
    lot.trade, lot.tender.cpv = "Maconerie gros oeuvre extérieur", ""
    session.commit()
    page = page_text(login(Role.FACILITATEUR).get(f"/marches/{lot.tender_id}/clause"))
    visible = re.sub(r"<[^>]+>", " ", page)  # field names stay in attributes, never in the text
    assert "labour_share" not in visible and "«\u00a0labour" not in visible
    assert ("Part de main-d'œuvre manquante : le métier « Maconerie gros oeuvre extérieur » ne figure pas au "
            "référentiel. Métiers proches : Maçonnerie – gros œuvre (50 %).") in page
    assert f"/marches/{lot.tender_id}/lots/{lot.id}/modifier" in page


def test_calculator_sources_named_in_french(login, world, tender):
    page = page_text(login(Role.FACILITATEUR).get(f"/marches/{tender}/clause"))
    assert "Part de main-d'œuvre (%) : Peinture intérieure — mefsud77.fr" in page
    assert "part main oeuvre" not in page and "cout horaire" not in page


def test_calculator_without_script_shows_every_field_each_tagged_with_its_methods(login, world, tender):
    page = page_text(login(Role.FACILITATEUR).get(f"/marches/{tender}/clause"))
    lot_id = world.a.ids["lots"]["own"]
    assert f'<select id="lot-{lot_id}-method" name="lot-{lot_id}-method" data-method-select>' in page
    assert 'data-methods="standard framework">\n            <label for="lot-%d-labour_share">' % lot_id in page
    assert 'data-methods="standard framework cleaning">\n            <label for="lot-%d-rate">' % lot_id in page
    assert 'data-methods="tranche">\n            <label for="lot-%d-count">' % lot_id in page
    assert " hidden" not in page.split("<main")[1]  # nothing hidden before the script runs


def test_calculate_keeps_the_pack_form_defaults_below(login, world, tender):
    """« Calculer » posts the calculator only: the pack form below keeps its values."""
    browser = login(Role.FACILITATEUR)
    url = f"/marches/{tender}/clause"
    before = _pack_values(browser.get(url))
    after = _pack_values(browser.post(url, {**calc_form(world.a.ids["lots"]["own"]), "action": "calculer"}))
    assert before["facilitator_name"] == ["Facilitateur·rice des clauses A"] and before["penalty_per_missing_hour"]
    assert after == before


def _pack_values(response) -> dict:
    page = lxml.html.fromstring(response.get_data(as_text=True))
    return form_values(next(f for f in page.xpath("//form") if (f.get("action") or "").endswith("/clause/dossier")))
