"""Dossier FSE+ pages: operations with targets, achievements, the ZIP built from the page, access."""

import zipfile
from io import BytesIO

from sqlalchemy import select

from app.domain.documents.rendering import docx_text
from app.domain.reports.targets import TargetKind
from app.domain.enums import Role
from app.models import Dossier, FseOperation, StoredFile
from tests.conftest import page_text
from tests.services.reports.followup_helpers import make_site


YEAR = {"starts_on": "01/01/2026", "ends_on": "31/12/2026"}


def target_lines(*lines: tuple) -> dict:
    """Return the form fields of target lines (kind, value[, breakdown, from, to]), blank lines after."""
    fields = {}
    for index, line in enumerate([*lines, *[("", "")] * 2]):
        kind, value, *rest = line
        breakdown, first, last = (*rest, "", "", "")[:3]
        fields |= {f"targets-{index}-kind": kind, f"targets-{index}-target": value,
                   f"targets-{index}-breakdown": breakdown, f"targets-{index}-starts_on": first,
                   f"targets-{index}-ends_on": last}
    return fields


def create_operation(browser, tender_id: int) -> int:
    response = browser.post("/fse/operations/nouvelle", {
        **YEAR, "title": "Clauses 2026 WEB", "territory": "Val-de-Web", "description": "",
        "is_fse_funded": "y", "durable_rule": "six_months_or_more", "tender_ids": [str(tender_id)],
        **target_lines(("tenders", "1"), ("hours", "80 000"), ("awareness_actions", "2"))})
    assert response.status_code == 302, page_text(response)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def test_operation_targets_then_dossier_from_the_page(login, session, world):
    site = make_site(session, world, lots=1, people=2, minutes=600, tag="DOSWEB")
    session.commit()
    operation_id = create_operation(login(Role.FACILITATEUR), site.tender_id)
    operation = session.get(FseOperation, operation_id)
    assert {t.kind: t.label for t in operation.targets}[TargetKind.HOURS] == "80\u202f000 heures d'insertion"
    browser = login(Role.GESTIONNAIRE)
    page = page_text(browser.get(f"/fse/operations/{operation_id}"))
    assert "80\u202f000 heures d'insertion" in page and "Cibles et réalisations" in page
    assert '<progress max="100"' in page
    response = browser.post(f"/fse/operations/{operation_id}/dossiers", {})
    assert response.status_code == 302
    page = page_text(browser.get(response.headers["Location"]))
    dossier = session.scalars(select(Dossier).where(Dossier.fse_operation_id == operation_id)).one()
    stored = session.get(StoredFile, dossier.file_id)
    assert f"Télécharger {stored.name}" in page
    download = browser.get(f"/fichiers/{stored.id}")
    names = zipfile.ZipFile(BytesIO(download.data)).namelist()
    assert "manifest.csv" in names and "03-tableau-d-impact.xlsx" in names
    assert "Clauses 2026 WEB" in page_text(browser.get("/fse/"))


def test_operation_form_errors_in_french(login):
    response = login(Role.FACILITATEUR).post("/fse/operations/nouvelle", {
        "starts_on": "01/09/2026", "ends_on": "31/08/2026", "title": "", "durable_rule": "six_months_or_more",
        **target_lines(("hours", "beaucoup"), ("", "12"), ("participants", "40", "brsa", "01/09/2027", "01/01/2027"))})
    page = page_text(response)
    assert "La fin de l'opération précède son début." in page and "Ce champ est obligatoire." in page
    assert "n'est pas un nombre" in page and "Choisissez l'indicateur de cette cible." in page
    assert "La fin de la période précède son début." in page
    # Everything typed comes back.
    assert 'value="beaucoup"' in page and 'value="01/09/2027"' in page


def test_dossier_access(login, session, world):
    site = make_site(session, world, lots=1, people=1, tag="DOSACC")
    session.commit()
    operation_id = create_operation(login(Role.ADMIN), site.tender_id)
    assert login(Role.GESTIONNAIRE).get(f"/fse/operations/{operation_id}/modifier").status_code == 200
    assert login(Role.SIAE).get("/fse/").status_code == 403
    assert login(Role.ENTREPRISE).get(f"/fse/operations/{operation_id}").status_code == 403
    assert login(Role.ADMIN, "b").get(f"/fse/operations/{operation_id}").status_code == 404


def test_home_card_links_to_the_dossier(login):
    page = page_text(login(Role.GESTIONNAIRE).get("/"))
    assert 'href="/fse/"' in page


def test_operation_number_saved_shown_and_kept_when_refused(login, session, world):
    browser = login(Role.FACILITATEUR)
    response = browser.post("/fse/operations/nouvelle", {
        **YEAR, "title": "", "operation_number": "202501234", "territory": "Val", "is_fse_funded": "y",
        "durable_rule": "six_months_or_more"})
    page = page_text(response)
    assert response.status_code == 200 and "Ce champ est obligatoire." in page
    assert 'value="202501234"' in page and "Numéro d'opération" in page
    response = browser.post("/fse/operations/nouvelle", {
        **YEAR, "title": "Clauses 2026 NUM", "operation_number": "9" * 41, "is_fse_funded": "y",
        "durable_rule": "six_months_or_more"})
    assert "40 caractères au plus." in page_text(response) and f'value="{"9" * 41}"' in page_text(response)
    response = browser.post("/fse/operations/nouvelle", {
        **YEAR, "title": "Clauses 2026 NUM", "operation_number": "202501234", "is_fse_funded": "y",
        "durable_rule": "six_months_or_more"})
    assert response.status_code == 302
    operation = session.scalar(select(FseOperation).where(FseOperation.title == "Clauses 2026 NUM"))
    assert operation.operation_number == "202501234"
    page = page_text(browser.get(response.headers["Location"]))
    assert "Numéro d'opération" in page and "202501234" in page
    edit = page_text(browser.get(f"/fse/operations/{operation.id}/modifier"))
    assert 'value="202501234"' in edit


def test_operation_bilan_texts_kept_and_printed_in_the_dossier(login, session, world):
    site = make_site(session, world, lots=1, people=2, minutes=600, tag="DOSTXT")
    session.commit()
    browser = login(Role.FACILITATEUR)
    operation_id = create_operation(browser, site.tender_id)
    page = page_text(browser.get(f"/fse/operations/{operation_id}"))
    assert "Textes proposés d'après les chiffres de la période" in page and "heures d'insertion réalisées sur la période" in page
    texts = {"highlights": "Deux embauches: un CDI et un CDD.", "actions": "", "difficulties": "",
             "outlook": "Étendre la clause aux marchés de 2027."}
    refused = browser.post(f"/fse/operations/{operation_id}/textes-du-bilan", texts | {"actions": "a" * 4001})
    assert refused.status_code == 400
    page = page_text(refused)
    assert "raccourcissez-le" in page and "Deux embauches: un CDI et un CDD." in page and "a" * 4001 in page
    assert browser.post(f"/fse/operations/{operation_id}/textes-du-bilan", texts).status_code == 302
    assert "Textes enregistrés" in page_text(browser.get(f"/fse/operations/{operation_id}"))
    response = browser.post(f"/fse/operations/{operation_id}/dossiers", {"with_pdf": ""})
    assert response.status_code == 302
    dossier = session.scalars(select(Dossier).where(Dossier.fse_operation_id == operation_id)).one()
    with zipfile.ZipFile(BytesIO(session.get(StoredFile, dossier.file_id).data)) as archive:
        text = docx_text(archive.read("01-bilan-de-l-action.docx"))
    assert "Deux embauches\u202f: un CDI et un CDD." in text and "Étendre la clause aux marchés de 2027." in text
    assert "Actions menées" not in text and "Difficultés rencontrées" not in text


def test_the_gestionnaire_keeps_signed_documents_with_the_operation(login, session, world):
    import io

    from app.models import OperationDocument
    from tests.services.liaison.fiche_helpers import pdf_bytes

    site = make_site(session, world, lots=1, people=2, minutes=600, tag="DOSPIECE")
    session.commit()
    browser = login(Role.GESTIONNAIRE)
    operation_id = create_operation(browser, site.tender_id)
    url = f"/fse/operations/{operation_id}/pieces"
    # A contract document names its tender; a text file is refused; nothing typed is lost.
    refused = browser.post(url, {"kind": "contract_document", "title": "CCAP signé du lot 1", "tender_id": "",
                                 "file": (io.BytesIO(b"Bonjour"), "ccap.txt")}, content_type="multipart/form-data")
    page = page_text(refused)
    assert refused.status_code == 400 and "Choisissez le marché dont c'est une pièce contractuelle." in page
    assert 'value="CCAP signé du lot 1"' in page
    refused = browser.post(url, {"kind": "signed_sheet", "title": "Fiche signée", "tender_id": "",
                                 "file": (io.BytesIO(b"Bonjour"), "fiche.pdf")}, content_type="multipart/form-data")
    assert "n'est pas un document lisible : déposez-le au format PDF, DOCX, ODT, JPEG ou PNG." in page_text(refused)
    for kind, title, tender in (("signed_sheet", "Fiche opération signée le 12/09/2025", ""),
                                ("contract_document", "CCAP signé", str(site.tender_id))):
        response = browser.post(url, {"kind": kind, "title": title, "tender_id": tender,
                                      "file": (io.BytesIO(pdf_bytes()), "scan.pdf")}, content_type="multipart/form-data")
        assert response.status_code == 302, page_text(response)
    page = page_text(browser.get(f"/fse/operations/{operation_id}"))
    assert "Fiche opération signée le 12/09/2025" in page and "T-DOSPIECE" in page
    # The next dossier joins them, the contract document as proof of its tender's clause.
    browser.post(f"/fse/operations/{operation_id}/dossiers", {"with_pdf": ""})
    dossier = session.scalars(select(Dossier).where(Dossier.fse_operation_id == operation_id)).one()
    with zipfile.ZipFile(BytesIO(session.get(StoredFile, dossier.file_id).data)) as archive:
        names = archive.namelist()
        signed = [n for n in names if n.startswith("08-fiche-operation-signee/")]
        contract = [n for n in names if n.startswith("09-pieces-contractuelles-signees/")]
        assert len(signed) == 1 and len(contract) == 1 and archive.read(contract[0]) == pdf_bytes()
        import json
        targets = {t["kind"]: t for t in json.loads(archive.read("manifest.json"))["indicators_vs_targets"]}
    assert contract[0] in targets["tenders"]["pieces"] and contract[0] in targets["hours"]["pieces"]
    document = session.scalars(select(OperationDocument).where(OperationDocument.kind == "signed_sheet")).one()
    # A facilitator of another organisation never reaches it; a company account is refused.
    assert login(Role.ENTREPRISE).post(f"{url}/{document.id}/supprimer", {}).status_code == 403
    assert login(Role.ADMIN, "b").get(f"/fichiers/{document.file_id}").status_code == 404
    document_id = document.id
    assert browser.post(f"{url}/{document_id}/supprimer", {}).status_code == 302
    session.expire_all()
    assert session.get(OperationDocument, document_id) is None


def test_the_gestionnaire_still_cannot_touch_clauses_or_hours(login, session, world):
    site = make_site(session, world, lots=1, people=1, tag="DOSGEST")
    session.commit()
    browser = login(Role.GESTIONNAIRE)
    assert browser.get(f"/marches/{site.tender_id}/modifier").status_code == 403
    assert browser.get("/mises-en-situation/nouveau").status_code == 403


def test_the_edit_form_shows_the_stored_targets_then_blank_lines(login, session, world):
    site = make_site(session, world, lots=1, people=1, tag="DOSEDIT")
    session.commit()
    browser = login(Role.GESTIONNAIRE)
    operation_id = create_operation(browser, site.tender_id)
    page = page_text(browser.get(f"/fse/operations/{operation_id}/modifier"))
    assert 'value="80\u202f000"' in page or 'value="80 000"' in page or 'value="80000"' in page
    assert '<option selected value="hours">' in page and '<option selected value="awareness_actions">' in page
    # Three stored targets and five blank lines.
    assert 'id="targets-7-kind"' in page and 'id="targets-8-kind"' not in page
