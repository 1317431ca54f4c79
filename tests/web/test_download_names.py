"""Download names: generated documents get a human name without personal data; uploads stay opaque."""

import pytest

from app.models import StoredFile
from app.web.files import download_name


@pytest.mark.parametrize(("owner_kind", "name", "expected"), [
    ("fiche", "fiche-de-liaison-7.docx", "fiche-de-liaison-7.docx"),
    ("convention", "convention-DUPONT-7.pdf", "convention-7.pdf"),
    ("bilan", "bilan-ville.docx", "bilan-7.docx"),
    ("clause_pack", "2026-014-ccap_article.docx", "2026-014-ccap_article.docx"),
    ("timesheet_import", "DURAND Camille mars.csv", "clausier-0123456789ab.csv"),
])
def test_download_name_is_human_for_generated_documents_only(owner_kind, name, expected):
    stored = StoredFile(owner_kind=owner_kind, owner_id=7, name=name, sha256="0123456789ab" + "0" * 52)
    assert download_name(stored) == expected
