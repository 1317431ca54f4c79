"""Document kinds an admin may customise: catalogued variables, sample render, upload checks."""

import io

import pytest
from docx import Document

from app.domain.documents.kinds import check_kind_template, sample_context
from app.domain.documents.rendering import TEMPLATES_DIR, docx_text, render_docx, template_variables
from app.services.doc_templates import DOC_KINDS

KINDS = ["fiche_liaison", "convention", "ccap_article", "rc_mention", "ae_annex", "note_calcul", "bilan"]


def docx_with(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph().add_run(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_doc_kinds_catalogue_lists_the_seven_kinds():
    assert list(DOC_KINDS) == KINDS
    assert DOC_KINDS["fiche_liaison"].label_fr == "Fiche de liaison"
    assert DOC_KINDS["convention"].default_template == "convention.docx"


@pytest.mark.parametrize("key", KINDS)
def test_doc_kind_template_variables_are_catalogued(key):
    kind = DOC_KINDS[key]
    assert kind.template_path.is_file()
    used = template_variables(kind.template_path)
    assert used, f"{key}: the default template uses no variable"
    assert used <= set(kind.variables), sorted(used - set(kind.variables))


@pytest.mark.parametrize("key", KINDS)
def test_doc_kind_every_variable_has_a_french_description(key):
    for name, (description, _example) in DOC_KINDS[key].variables.items():
        assert description and description[0].isupper(), name


@pytest.mark.parametrize("key", KINDS)
def test_sample_context_renders_default_template(key):
    rendered = render_docx(DOC_KINDS[key].template_path, sample_context(DOC_KINDS[key]))
    text = docx_text(rendered)
    assert "{{" not in text and "{%" not in text
    assert len(text) > 200


def test_sample_context_examples_are_formatted_values():
    fiche = sample_context(DOC_KINDS["fiche_liaison"])
    assert fiche["gross_salary"] == "1\u202f850,00\u00a0€"
    assert fiche["start_on"] == "03/11/2026"
    convention = sample_context(DOC_KINDS["convention"])
    assert convention["is_fse_funded"] is True and convention["annexes_article_number"] == "11"
    assert sample_context(DOC_KINDS["ccap_article"])["lots"][0]["hours"] == "833\u00a0heures"


@pytest.mark.parametrize("key", KINDS)
def test_check_kind_template_accepts_default_template(key):
    assert check_kind_template(DOC_KINDS[key], DOC_KINDS[key].template_path.read_bytes()) == []


def test_check_kind_template_unknown_variable_suggests_closest_name():
    problems = check_kind_template(DOC_KINDS["fiche_liaison"], docx_with("Entreprise : {{ company_nme }}"))
    assert problems == ["Variable inconnue « company_nme » (vouliez-vous dire « company_name » ?)."]


def test_check_kind_template_variable_of_another_kind_is_refused():
    problems = check_kind_template(DOC_KINDS["fiche_liaison"], docx_with("{{ party_name }}", "{{ job_title }}"))
    assert len(problems) == 1 and problems[0].startswith("Variable inconnue « party_name »")


def test_check_kind_template_custom_template_with_loop_is_accepted():
    template = docx_with("Convention {{ reference }}", "{%p for item in scope %}",
                         "{{ item.reference }} – {{ item.label }}", "{%p endfor %}")
    assert check_kind_template(DOC_KINDS["convention"], template) == []


@pytest.mark.parametrize("key", ["fiche_liaison", "convention"])
def test_readme_lists_every_variable_of_fiche_and_convention(key):
    readme = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"## {key}.docx")[1].split("\n## ")[0]
    missing = [name for name in DOC_KINDS[key].variables if f"`{name}`" not in section]
    assert not missing, f"templates_docs/README.md, section {key}.docx, misses {missing}"
