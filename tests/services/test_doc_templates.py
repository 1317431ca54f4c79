"""Templates an admin replaces: refusals store nothing, versions are kept, documents record theirs."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.services.doc_templates import DOC_KINDS
from app.domain.documents.rendering import docx_text
from app.models import DocTemplate, StoredFile
from app.services import doc_templates as svc
from app.services.liaison.fiches import generate_documents
from app.services.referential import ServiceError
from tests.services.liaison.fiche_helpers import docx_with, received_fiche

TODAY = date(2026, 11, 22)
DEFAULT_FICHE = DOC_KINDS["fiche_liaison"].template_path.read_bytes()


def counts(session):
    return (session.scalar(select(func.count(DocTemplate.id))), session.scalar(select(func.count(StoredFile.id))))


@pytest.mark.parametrize("kind", sorted(DOC_KINDS))
def test_active_template_defaults_to_templates_docs(session, world, kind):
    active = svc.active_template(session, world.a.organisation_id, kind)
    assert active == svc.ActiveTemplate(DOC_KINDS[kind].template_path.read_bytes(), None, "modèle par défaut")


def test_active_template_unknown_kind_refused(session, world):
    with pytest.raises(ServiceError, match="Type de document inconnu"):
        svc.active_template(session, world.a.organisation_id, "bilan_secret")


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("perso.docx", docx_with("{{ company_nme }} {{ job_title }}"),
     "Variable inconnue « company_nme » (vouliez-vous dire « company_name » ?)."),
    ("perso.pdf", b"%PDF-1.4\n1 0 obj\n", "n'a pas l'extension .docx"),
    ("perso.docx", b"%PDF-1.4\n1 0 obj\n", "Ce fichier est un PDF : un modèle doit être un document Word (.docx)."),
    ("perso.docx", b"Bonjour {{ company_name }}", "n'est pas un document Word (.docx)"),
    ("perso.docx", docx_with("{{ company_name.__class__.__mro__[1].__subclasses__() }}"),
     "Accès interdit à l'attribut interne « __subclasses__ »."),
    ("perso.docx", docx_with("{{ cycler.__init__.__globals__.os.popen('id').read() }}"),
     "Nom réservé interdit dans un modèle : « cycler »."),
    ("perso.docx", docx_with("{{ company_name|attr('__class__') }}"),
     "Opération interdite dans le modèle (bac à sable)"),
    ("perso.docx", DEFAULT_FICHE[:len(DEFAULT_FICHE) // 2], "n'est pas un document Word (.docx)"),
    ("perso.docx", docx_with("{% for x in %}"), "Erreur de syntaxe dans une balise du modèle"),
])
def test_upload_refused_in_french_and_nothing_stored(session, world, name, data, expected):
    before = counts(session)
    with pytest.raises(svc.TemplateRejected) as caught:
        svc.upload_template(session, world.a.organisation_id, "fiche_liaison", name, data, None)
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems
    assert counts(session) == before


def test_upload_versions_activate_and_revert(session, world):
    org = world.a.organisation_id
    first = svc.upload_template(session, org, "fiche_liaison", "v1.docx", docx_with("V1 {{ company_name }}"), None)
    second = svc.upload_template(session, org, "fiche_liaison", "v2.docx", docx_with("V2 {{ job_title }}"), None)
    assert (first.version, second.version) == (1, 2) and second.is_active and not first.is_active
    active = svc.active_template(session, org, "fiche_liaison")
    assert active.version_id == second.id and active.label.startswith("version 2 du ")
    assert "V2" in docx_text(active.data)
    svc.activate_version(session, first)
    assert svc.active_template(session, org, "fiche_liaison").version_id == first.id
    svc.revert_to_default(session, org, "fiche_liaison")
    assert svc.active_template(session, org, "fiche_liaison").label == "modèle par défaut"
    assert [t.version for t in svc.template_versions(session, org, "fiche_liaison")] == [2, 1]
    stored = session.get(StoredFile, first.file_id)
    assert (stored.owner_kind, stored.owner_id) == ("doc_template", first.id)
    # Another organisation keeps its default.
    assert svc.active_template(session, world.b.organisation_id, "fiche_liaison").version_id is None


def test_version_label_in_paris_time(session, world):
    from datetime import datetime, UTC

    template = DocTemplate(version=3, uploaded_at=datetime(2026, 11, 22, 23, 30, tzinfo=UTC))
    assert svc.version_label(template) == "version 3 du 23/11/2026"


def test_generated_fiche_records_template_version(session, world):
    org = world.a.organisation_id
    template = svc.upload_template(session, org, "fiche_liaison", "perso.docx",
                                   docx_with("MODELE-PERSO {{ company_name }} — {{ weekly_hours }}"), None)
    fiche = received_fiche(session, world, TODAY)
    generate_documents(session, fiche, today=TODAY, with_pdf=False)
    assert fiche.template_version_id == template.id
    assert fiche.template_label == svc.version_label(template)
    text = docx_text(session.get(StoredFile, fiche.docx_file_id).data)
    assert "MODELE-PERSO Bâtir & Rénover — 35\u00a0heures" in text
