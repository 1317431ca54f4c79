"""Every variable a clause template uses is produced by its context builder."""

import pytest

from app.domain.clauses.pack import CLAUSE_PACK_DOCUMENTS
from app.domain.clauses.request import parse_clause_input
from app.domain.documents.rendering import TEMPLATES_DIR, template_variables
from tests.domain.clauses.test_clause_documents import tender_input


@pytest.fixture(scope="module")
def request_():
    return parse_clause_input(tender_input())


@pytest.mark.parametrize(("name", "build"), list(CLAUSE_PACK_DOCUMENTS.items()))
def test_template_variables_subset_of_context_keys(name, build, request_):
    used = template_variables(TEMPLATES_DIR / f"{name}.docx")
    assert used, f"{name}.docx uses no variable: is it the right file?"
    assert used <= set(build(request_)), sorted(used - set(build(request_)))


@pytest.mark.parametrize("name", list(CLAUSE_PACK_DOCUMENTS))
def test_template_readme_lists_every_variable(name):
    readme = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"## {name}.docx")[1].split("\n## ")[0]
    missing = [v for v in template_variables(TEMPLATES_DIR / f"{name}.docx") if f"`{v}`" not in section]
    assert not missing, f"templates_docs/README.md, section {name}.docx, misses {missing}"
