"""The bilan's narrative sections and breakdown tables, read back from the generated DOCX and PDF."""

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pdfplumber
import pytest
from docx import Document

from app.domain.documents.rendering import TEMPLATES_DIR, docx_text, render_docx
from app.domain.enums import Modality, Sex
from app.domain.reports.bilan import BilanData, build_bilan_context, suggest_narrative
from app.domain.reports.indicators import compute_figures, compute_indicators
from app.domain.reports.kinds import SAMPLE_BILAN
from app.domain.reports.narrative import MAX_LENGTH, Narrative, clean_text, narrative_problems
from app.pdf import convert_to_pdf, pdf_available
from tests.domain.documents.readback import french_problems

NNBSP = "\u202f"
HAS_PDF = pdf_available()[0]
BASE_ROW = SAMPLE_BILAN.rows[0]


def people(count: int, *, sex=Sex.HOMME, born=date(1980, 5, 1), modality=Modality.ETTI, hours="35", start=0):
    return tuple(replace(BASE_ROW, participant_code=f"P{start + i:03d}", sex=sex, birth_date=born,
                         modality=modality, hours_done=Decimal(hours), criteria=frozenset(), exit_on=None,
                         exit_category=None) for i in range(count))


# 9 men born in 1980 (ETTI), 2 young women (direct hiring), 1 senior woman with no modality recorded,
# and one man who worked under two modalities on two tenders (counted under both, hours split): 13 people.
ROWS = (people(9) + people(2, sex=Sex.FEMME, born=date(2004, 1, 1), modality=Modality.EMBAUCHE_DIRECTE, start=20)
        + people(1, sex=Sex.FEMME, born=date(1960, 1, 1), modality=None, hours="12.5", start=30)
        + people(1, modality=Modality.AI, hours="10", start=40)
        + (replace(people(1, modality=Modality.ETTI, hours="5", start=40)[0], tender_reference="2026-099"),))


def bilan(subject_kind="all", rows=ROWS, narrative=None) -> BilanData:
    return replace(SAMPLE_BILAN, subject_kind=subject_kind, rows=rows,
                   figures=compute_figures(SAMPLE_BILAN.figures.lots, rows),
                   narrative=SAMPLE_BILAN.narrative if narrative is None else narrative)


def rendered(data: BilanData) -> bytes:
    return render_docx(TEMPLATES_DIR / "bilan.docx", build_bilan_context(data))


def headings(docx: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(docx)).paragraphs if p.style.name.startswith("Heading")]


def table(docx: bytes, first_header: str) -> list[list[str]]:
    for grid in Document(io.BytesIO(docx)).tables:
        rows = [[cell.text.replace("\u00a0", " ").replace(NNBSP, " ") for cell in row.cells] for row in grid.rows]
        if rows[0][0] == first_header:
            return rows
    raise AssertionError(f"no table « {first_header} »")


def number(text: str) -> Decimal:
    return Decimal(text.removesuffix(" heures").removesuffix(" heure").replace(" ", "").replace(",", "."))


def test_narrative_printed_with_french_typography_and_empty_sections_left_out():
    narrative = Narrative(highlights="Premier chantier: 412,5 h dès l'été.\n\nUne embauche en CDI !",
                          actions="Réunion de lancement; visite.", difficulties="", outlook="  ")
    docx = rendered(bilan(narrative=narrative))
    text = docx_text(docx)
    assert f"Premier chantier{NNBSP}: 412,5\u00a0h dès l’été." in text
    assert f"Une embauche en CDI{NNBSP}!" in text and f"Réunion de lancement{NNBSP}; visite." in text
    titles = headings(docx)
    assert "Faits marquants" in titles and "Actions menées" in titles
    assert "Difficultés rencontrées" not in titles and "Perspectives" not in titles
    assert titles.index("Actions menées") == titles.index("Faits marquants") + 1
    assert french_problems(text) == []


def test_no_narrative_no_heading():
    titles = headings(rendered(bilan(narrative=Narrative())))
    assert not {"Faits marquants", "Actions menées", "Difficultés rencontrées", "Perspectives"} & set(titles)


@pytest.mark.parametrize("hostile", ["{{ organisation_name }}", "{% for x in summary %}boucle{% endfor %}",
                                     "<w:p>balise</w:p> & R&D", "{{ self.__init__.__globals__ }}"])
def test_narrative_text_is_data_not_template(hostile):
    text = docx_text(rendered(bilan(narrative=Narrative(outlook=hostile))))
    assert hostile in text


def test_breakdown_tables_add_up_to_the_indicators():
    indicators = compute_indicators(ROWS)
    docx = rendered(bilan())
    for header, expected_people in (("Sexe", True), ("Tranche d’âge", True), ("Modalité", False)):
        rows = table(docx, header)
        lines, total = rows[1:-1], rows[-1]
        hours = sum(number(line[2]) for line in lines)
        assert hours == indicators.hours_done == number(total[2]), header
        assert number(total[1]) == indicators.participants == 13, header
        people_sum = sum(int(line[1]) for line in lines)
        # By modality one person is counted under both modalities they worked in.
        assert people_sum == indicators.participants if expected_people else people_sum == indicators.participants + 1
    assert [line[:2] for line in table(docx, "Sexe")[1:-1]] == [["Femme", "3"], ["Homme", "10"]]
    assert [line[:2] for line in table(docx, "Tranche d’âge")[1:-1]] == [
        ["Moins de 26 ans", "2"], ["26 à 49 ans", "10"], ["50 ans et plus", "1"]]
    modalities = table(docx, "Modalité")
    assert ["Non renseignée", "1", "12,5 heures"] in modalities
    assert ["Mise à disposition par une AI", "1", "10 heures"] in modalities


def test_under_26_line_is_the_indicator_of_young_participants():
    indicators = compute_indicators(ROWS)
    assert indicators.by_age_band["Moins de 26 ans"].participants == indicators.participants_under_26
    assert indicators.by_sex["Femme"].participants == indicators.participants_women


@pytest.mark.parametrize("subject_kind", ["buyer", "company"])
def test_external_bilan_masks_small_groups_and_their_hours(subject_kind):
    docx = rendered(bilan(subject_kind))
    sex = {line[0]: line[1:] for line in table(docx, "Sexe")[1:-1]}
    # 3 women: « moins de 5 »; the men are masked too, or the total would give the women away.
    assert sex == {"Femme": ["moins de 5", "—"], "Homme": ["masqué", "—"]}
    ages = {line[0]: line[1:] for line in table(docx, "Tranche d’âge")[1:-1]}
    assert ages["Moins de 26 ans"] == ["moins de 5", "—"] and ages["50 ans et plus"] == ["moins de 5", "—"]
    assert ages["26 à 49 ans"] == ["10", "330 heures"]
    text = docx_text(docx)
    assert "« moins de 5 » : un groupe de moins de 5 personnes" in text.replace(NNBSP, " ")
    assert "RQTH" not in text and "AAH" not in text


def test_internal_bilan_shows_exact_small_groups():
    sex = {line[0]: line[1] for line in table(rendered(bilan("all")), "Sexe")[1:-1]}
    assert sex == {"Femme": "3", "Homme": "10"}


def test_suggested_narrative_is_written_from_the_figures():
    data = bilan("all")
    draft = suggest_narrative(data)
    figures = data.figures
    assert draft.highlights.startswith("412,5\u00a0heures d'insertion réalisées sur la période par 13 personnes")
    assert "dont 3 femmes et 2 jeunes de moins de 26 ans" in draft.highlights
    assert "1 lot n'a pas encore atteint ses heures exigées" in draft.difficulties
    assert "2026-014 lot 2 Gros œuvre (Ville de Lens) : 412,5\u00a0heures réalisées sur 833\u00a0heures" \
        in draft.difficulties
    assert "Réaliser les 420,5\u00a0heures restant à faire" in draft.outlook
    assert figures.hours_remaining == Decimal("420.5")
    external = suggest_narrative(bilan("company"))
    assert "moins de 5 femmes" in external.highlights


def test_long_text_refused_in_french_and_text_cleaned():
    assert narrative_problems(Narrative(actions="a" * MAX_LENGTH)) == {}
    problems = narrative_problems(Narrative(actions="a" * (MAX_LENGTH + 1)))
    assert problems == {"actions": f"« Actions menées » compte 4{NNBSP}001 caractères ; raccourcissez-le à "
                                   f"4{NNBSP}000 au plus."}
    assert clean_text("  Ligne\x00 un\r\nligne\x0b deux  \r\n") == "Ligne un\nligne deux"


@pytest.mark.skipif(not HAS_PDF, reason="LibreOffice absent")
def test_pdf_reads_back_the_narrative_and_the_masked_breakdowns():
    narrative = Narrative(highlights="Premier chantier: une embauche en CDI.", outlook="Préparer 2027.")
    pdf = convert_to_pdf({"bilan.docx": rendered(bilan("company", narrative=narrative))})["bilan.docx"]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
        tables = [row for page in document.pages for grid in page.extract_tables() for row in grid]
    assert "Faits marquants" in text and "Premier chantier" in text and "Préparer 2027." in text
    assert "Difficultés rencontrées" not in text and "Actions menées" not in text
    flat = [[(cell or "").replace("\n", " ") for cell in row] for row in tables]
    assert ["Femme", "moins de 5", "—"] in flat and ["Homme", "masqué", "—"] in flat
    assert ["26 à 49 ans", "10", "330 heures"] in [[c.replace("\u00a0", " ") for c in row] for row in flat]
