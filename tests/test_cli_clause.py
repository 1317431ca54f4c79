"""``clausier clause render``: files written, PDF batch or notice, French errors and exit codes."""

import importlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from app.cli.clause import clause
from app.pdf import pdf_available
from tests.domain.clauses.test_clause_documents import TENDER_NAME, tender_input

# app/cli/__init__.py rebinds the name ``app.cli.clause`` to the group: fetch the module itself.
clause_cli = importlib.import_module("app.cli.clause")

DOCX_NAMES = ["ae_annex.docx", "ccap_article.docx", "note_calcul.docx", "rc_mention.docx"]
EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "tender.json"


@pytest.fixture
def tender_file(tmp_path) -> Path:
    path = tmp_path / "tender.json"
    path.write_text(json.dumps(tender_input(), ensure_ascii=False), encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(clause, ["render", *map(str, args)])


def test_clause_render_writes_the_four_docx(tender_file, tmp_path):
    out = tmp_path / "pack"
    result = run("--input", tender_file, "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == DOCX_NAMES
    assert result.stdout.count("Écrit : ") == 4
    title = Document(out / "ccap_article.docx").paragraphs[0].text
    assert title == "Article\u00a07 – Clause sociale d’insertion"
    assert any(TENDER_NAME in p.text for p in Document(out / "ccap_article.docx").paragraphs)


def test_clause_render_documented_example_file_is_valid(tmp_path):
    result = run("--input", EXAMPLE, "--out", tmp_path)
    assert result.exit_code == 0, result.output


def test_clause_render_pdf_without_libreoffice_writes_docx_and_notice(tender_file, tmp_path, monkeypatch):
    monkeypatch.setattr(clause_cli, "pdf_available", lambda: (False, "LibreOffice est introuvable."))
    result = run("--input", tender_file, "--out", tmp_path / "pack", "--pdf")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "pack").iterdir()) == DOCX_NAMES
    assert "PDF non produits : LibreOffice est introuvable." in result.stderr


@pytest.mark.skipif(not pdf_available()[0], reason="LibreOffice absent : PDF non testé")
def test_clause_render_pdf_converts_in_one_batch(tender_file, tmp_path, monkeypatch):
    calls = []
    real = clause_cli.convert_to_pdf
    monkeypatch.setattr(clause_cli, "convert_to_pdf", lambda files, **kw: calls.append(sorted(files)) or real(files, **kw))
    result = run("--input", tender_file, "--out", tmp_path, "--pdf")
    assert result.exit_code == 0, result.output
    assert calls == [DOCX_NAMES]
    pdfs = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert pdfs == [name.replace(".docx", ".pdf") for name in DOCX_NAMES]
    assert all((tmp_path / name).read_bytes().startswith(b"%PDF") for name in pdfs)


def test_clause_render_pdf_failure_exits_1_keeping_docx(tender_file, tmp_path, monkeypatch):
    from app.pdf import PdfConversionError

    def fail(files, **kwargs):
        raise PdfConversionError("La conversion PDF a dépassé le délai de 1 secondes et a été interrompue.")

    monkeypatch.setattr(clause_cli, "pdf_available", lambda: (True, "ok"))
    monkeypatch.setattr(clause_cli, "convert_to_pdf", fail)
    result = run("--input", tender_file, "--out", tmp_path, "--pdf")
    assert result.exit_code == 1
    assert "Erreur : La conversion PDF a dépassé" in result.stderr
    assert "Les fichiers DOCX ont bien été écrits." in result.stderr
    assert len(list(tmp_path.glob("*.docx"))) == 4


@pytest.mark.parametrize(("content", "message"), [
    ('{"lots": [', "JSON invalide dans tender.json, ligne 1, colonne 11 : valeur attendue."),
    ("[1, 2]", "objet JSON"),
    ("{}", "« buyer.name » : champ obligatoire manquant."),
    (json.dumps(tender_input(instrument="inconnu")), "« instrument » : valeur « inconnu » inconnue"),
    (json.dumps(tender_input(penalty_per_missing_hour=-1)), "« penalty_per_missing_hour »"),
    (json.dumps(tender_input(lots=[{"number": "1", "label": "A", "amount": "abc", "labour_share": 50}])),
     "« lots[0] (lot 1) » : Le montant HT « abc » n'est pas un nombre"),
    (json.dumps(tender_input(lots=[{"number": "1", "label": "A", "method": {"type": "bands", "amount": 5,
                                                                            "bands": "0-9:1,11-:2"}}])),
     "Trou dans le barème"),
])
def test_clause_render_bad_input_exits_2_listing_problems(tmp_path, content, message):
    path = tmp_path / "tender.json"
    path.write_text(content, encoding="utf-8")
    result = run("--input", path, "--out", tmp_path / "pack")
    assert result.exit_code == 2
    assert result.stderr.startswith("Erreur : ")
    assert message in result.stderr
    assert not (tmp_path / "pack").exists()
    assert "Traceback" not in result.output


def test_clause_render_missing_options_and_file_exit_2(tmp_path):
    result = run("--out", tmp_path)
    assert result.exit_code == 2 and "option(s) obligatoire(s) manquante(s) : --input" in result.stderr
    result = run("--input", tmp_path / "absent.json", "--out", tmp_path)
    assert result.exit_code == 2 and "fichier introuvable" in result.stderr


def test_clause_render_criterion_only_above_threshold_exits_2_unless_derogation(tmp_path):
    lots = [{"number": "1", "label": "Gros œuvre", "amount": 6_000_000, "labour_share": 50}]
    tender = {"reference": "2026-014", "object": "Groupe scolaire", "cpv": "45262522-6",
              "launch_date": "2026-09-15", "nature": "travaux"}
    data = tender_input(instrument="critere_attribution", criterion={"weighting": 10}, lots=lots, tender=tender)
    path = tmp_path / "tender.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("--input", path, "--out", tmp_path / "refused")
    assert result.exit_code == 2 and "loi Climat et Résilience" in result.stderr
    assert not (tmp_path / "refused").exists()
    path.write_text(json.dumps({**data, "social_condition_derogation": "Motif retenu"}), encoding="utf-8")
    assert run("--input", path, "--out", tmp_path / "pack").exit_code == 0
