"""Template pages: variables with examples, default download, vetted uploads, versions, revert."""

import io

import pytest
from sqlalchemy import func, select

from app.domain.enums import Role
from app.models import DocTemplate, StoredFile
from tests.conftest import page_text
from tests.services.liaison.fiche_helpers import docx_with


def upload(browser, kind: str, data: bytes, name: str = "perso.docx"):
    return browser.post(f"/modeles/{kind}", {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def stored(session):
    return (session.scalar(select(func.count(DocTemplate.id))), session.scalar(select(func.count(StoredFile.id))))


def test_kind_page_lists_variables_with_examples(login):
    page = page_text(login(Role.FACILITATEUR).get("/modeles/fiche_liaison"))
    assert "{{ company_name }}" in page and "Raison sociale de l'entreprise" in page
    assert "Bâtir & Rénover Côte d'Opale" in page and "1\u202f850,00\u00a0€" in page
    assert "Modèle utilisé : <strong>modèle par défaut</strong>." in page
    assert "Déposer un modèle personnalisé" not in page  # upload is for administrators


def test_index_lists_every_kind(login):
    page = page_text(login(Role.ADMIN).get("/modeles/"))
    for label in ("Fiche de liaison", "Convention de partenariat", "Article du CCAP – clause sociale",
                  "Note de calcul des heures"):
        assert label in page


def test_default_template_download(login):
    response = login(Role.FACILITATEUR).get("/modeles/convention/modele-par-defaut.docx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert "convention.docx" in response.headers["Content-Disposition"]


@pytest.mark.parametrize(("data", "name", "message"), [
    (docx_with("{{ company_nme }}"), "perso.docx", "Variable inconnue « company_nme » (vouliez-vous dire « company_name » ?)."),
    (b"%PDF-1.4\n", "perso.pdf", "n'a pas l'extension .docx"),
    (docx_with("{{ job_title.__class__.__mro__ }}"), "perso.docx", "Accès interdit à l'attribut interne « __mro__ »."),
    (b"PK\x03\x04 tronque", "perso.docx", "n'est pas un document Word (.docx)"),
])
def test_upload_refused_with_french_message_nothing_stored(login, session, data, name, message):
    admin = login(Role.ADMIN)
    before = stored(session)
    response = upload(admin, "fiche_liaison", data, name)
    page = page_text(response)
    assert response.status_code == 422
    assert "Modèle refusé, rien n'a été enregistré" in page and message in page
    assert stored(session) == before


def test_upload_then_revert_to_default(login, session):
    admin = login(Role.ADMIN)
    response = upload(admin, "fiche_liaison", docx_with("PERSO {{ company_name }}"))
    assert response.status_code == 302
    page = page_text(admin.get("/modeles/fiche_liaison"))
    assert "Modèle accepté : version 1 du" in page and "Modèle utilisé : <strong>version 1 du" in page
    admin.post("/modeles/fiche_liaison/par-defaut")
    page = page_text(admin.get("/modeles/fiche_liaison"))
    assert "Modèle utilisé : <strong>modèle par défaut</strong>." in page and "perso.docx" in page  # the version is kept
    template = session.scalar(select(DocTemplate))
    admin.post(f"/modeles/fiche_liaison/versions/{template.id}/activer")
    assert "Modèle utilisé : <strong>version 1 du" in page_text(admin.get("/modeles/fiche_liaison"))


def test_facilitator_cannot_upload(login):
    response = upload(login(Role.FACILITATEUR), "fiche_liaison", docx_with("{{ company_name }}"))
    assert response.status_code == 403


def test_unknown_kind_404(login):
    assert login(Role.ADMIN).get("/modeles/inconnu").status_code == 404
