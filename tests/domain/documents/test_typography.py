"""French typography: the filter itself, then its application to rendered DOCX and fpdf2 PDFs."""

import io
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from app.domain.documents.pdfdoc import ClausierPdf
from app.domain.documents.rendering import docx_text, render_docx
from app.domain.documents.typography import plural, typeset, typeset_runs

N, S = "\u202f", "\u00a0"  # narrow no-break space, no-break space


@pytest.mark.parametrize(("raw", "expected"), [
    ("Acheteur : Ville de Lens", f"Acheteur{N}: Ville de Lens"),
    ("Attention: voir", f"Attention{N}: voir"),
    ("Pourquoi ? Parce que ; voilà !", f"Pourquoi{N}? Parce que{N}; voilà{N}!"),
    ("le « marché »", f"le «{N}marché{N}»"),
    ("«texte»", f"«{N}texte{N}»"),
    ("l'acheteur d'aujourd'hui", "l’acheteur d’aujourd’hui"),
    ("20 €/h et 5 %", f"20{S}€/h et 5{S}%"),
    ("de 9 h 30 à 12 h", f"de 9{S}h{S}30 à 12{S}h"),
    ("lot n° 3, art. 12 et article L2112-2", f"lot n°{S}3, art.{S}12 et article{S}L2112-2"),
    ("7 marché(s) clausé(s)", "7 marchés clausés"),
    ("1 personne(s)", "1 personne"),
    (f"1{N}792,50 heure(s)", f"1{N}792,50{S}heures"),
    ("1,5 heure(s)", f"1,5{S}heure"),
    ("signée le 03/11/2026", "signée le 3 novembre 2026"),
    ("du 01/01/2027 au 31/12/2027", "du 1er janvier 2027 au 31 décembre 2027"),
    ("Date de démarrage 03/11/2026", "Date de démarrage 03/11/2026"),  # a field, not prose
    ("https://exemple.fr/a?b=1 à 9:30", "https://exemple.fr/a?b=1 à 9:30"),
    ("45262522-6", "45262522-6"),
    ("écrire à o'neil@exemple.fr", "écrire à o'neil@exemple.fr"),
])
def test_typeset_applies_french_rules(raw, expected):
    assert typeset(raw) == expected


@pytest.mark.parametrize("raw", ["Acheteur : « l'ami » 9 h 30 le 03/11/2026", "7 lot(s) n° 3"])
def test_typeset_is_idempotent(raw):
    assert typeset(typeset(raw)) == typeset(raw)


@pytest.mark.parametrize(("count", "expected"), [(0, "heure"), (1, "heure"), (2, "heures"), (1607, "heures")])
def test_plural_agrees_the_french_way(count, expected):
    assert plural(count, "heure") == expected


def test_typeset_runs_sees_the_whole_paragraph_and_keeps_the_runs():
    runs = typeset_runs(["Acheteur", " : ", "Ville", " – lot n° ", "3", " du ", "03/11/2026"])
    assert "".join(runs) == f"Acheteur{N}: Ville – lot n°{S}3 du 3 novembre 2026"
    assert runs[0] == "Acheteur" and runs[2] == "Ville" and len(runs) == 7


def make_docx(*paragraphs) -> bytes:
    document = Document()
    for parts in paragraphs:
        paragraph = document.add_paragraph()
        for part in parts:
            paragraph.add_run(part).bold = part.endswith(":")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_render_docx_typesets_template_wording_and_values():
    template = make_docx(("Acheteur :", " {{ buyer }}"), ("L'avis du {{ day }}", " ; {{ count }} lot(s)"))
    rendered = render_docx(template, {"buyer": "Ville d'Arras", "day": "03/11/2026", "count": 2})
    assert docx_text(rendered) == f"Acheteur{N}: Ville d’Arras\nL’avis du 3 novembre 2026{N}; 2 lots"
    first = Document(io.BytesIO(rendered)).paragraphs[0].runs
    assert first[0].bold and first[0].text == f"Acheteur{N}:"


def test_pdf_prints_typeset_text():
    pdf = ClausierPdf(title="Essai", issued_on=date(2026, 12, 1))
    pdf.field_line("Organisateur", "PLIE de l'Agenais ; 3 participant(s)")
    text = PdfReader(io.BytesIO(pdf.to_bytes())).pages[0].extract_text()
    assert f"Organisateur{N}: PLIE de l’Agenais{N}; 3 participants" in text
