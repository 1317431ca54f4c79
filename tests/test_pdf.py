"""DOCX → PDF through LibreOffice: absence reported in French, batch conversion, timeouts."""

import io

import pytest
from docx import Document

from app.pdf import office
from app.pdf import PdfConversionError, convert_to_pdf, pdf_available


def make_docx(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def no_libreoffice(monkeypatch):
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    monkeypatch.setattr(office, "SOFFICE_PATHS", ())


def test_pdf_available_without_libreoffice_gives_french_reason(no_libreoffice):
    available, reason = pdf_available()
    assert available is False
    assert reason.startswith("LibreOffice est introuvable") and "DOCX uniquement" in reason


def test_convert_to_pdf_without_libreoffice_raises_typed_error(no_libreoffice):
    with pytest.raises(PdfConversionError, match="LibreOffice est introuvable"):
        convert_to_pdf({"a.docx": make_docx("a")})


def test_convert_to_pdf_empty_batch_starts_nothing(no_libreoffice):
    assert convert_to_pdf({}) == {}


needs_libreoffice = pytest.mark.skipif(not pdf_available()[0], reason="LibreOffice absent")


@needs_libreoffice
def test_convert_to_pdf_batch_keeps_keys_even_awkward_names(tmp_path):
    files = {"dossier/clause é.docx": make_docx("Premier"), "clause é.docx": make_docx("Second")}
    pdfs = convert_to_pdf(files, profile_dir=tmp_path / "profil")
    assert sorted(pdfs) == sorted(files)
    assert all(data.startswith(b"%PDF") for data in pdfs.values())


@needs_libreoffice
def test_convert_to_pdf_timeout_raises_french_error(tmp_path):
    with pytest.raises(PdfConversionError, match="a dépassé le délai de 0.01 secondes"):
        convert_to_pdf({"a.docx": make_docx("a")}, timeout=0.01, profile_dir=tmp_path / "profil")
