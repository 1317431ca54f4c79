"""Dependency direction: web → services → domain; domain imports no framework."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = ("flask", "flask_wtf", "flask_login", "sqlalchemy", "rq", "redis", "wtforms", "alembic")


def imported_modules(path: Path) -> set[str]:
    """Return the top-level names of every module a file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", files("app/domain"), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_module_imports_no_framework(path):
    bad = {name for name in imported_modules(path) if name.split(".")[0] in FRAMEWORKS}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", files("app/domain"), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_module_imports_nothing_outside_domain(path):
    ours = {name for name in imported_modules(path) if name.startswith(("app.", "forms", "workers"))}
    assert all(name.startswith("app.domain") for name in ours), ours


@pytest.mark.parametrize("path", files("forms"), ids=lambda p: str(p.relative_to(ROOT)))
def test_forms_import_only_domain(path):
    ours = {name for name in imported_modules(path) if name.startswith(("app", "workers"))}
    assert all(name.startswith("app.domain") for name in ours), ours


@pytest.mark.parametrize("path", files("app/services"), ids=lambda p: str(p.relative_to(ROOT)))
def test_services_do_not_import_web(path):
    assert not {name for name in imported_modules(path) if name.startswith(("app.web", "flask"))}


JOBS = ("clauses", "liaison", "timesheets", "reports", "decp", "reperage", "mail", "dataimport")


def domain_packages_imported(path: Path) -> set[str]:
    """Return the first-level packages of app.domain that a file imports (``clauses``, ``enums``…)."""
    return {name.split(".")[2] for name in imported_modules(path)
            if name.startswith("app.domain.") and name.count(".") >= 2}


@pytest.mark.parametrize("path", files("app/domain/documents"), ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_toolkit_imports_no_job_package(path):
    # Each job declares its document kinds (<job>/kinds.py); the template service assembles the
    # catalogue, so the arrows point one way: jobs → documents, never back.
    assert not domain_packages_imported(path) & set(JOBS)


@pytest.mark.parametrize("path", files("app/domain/sheetmap"), ids=lambda p: str(p.relative_to(ROOT)))
def test_sheet_mapping_toolkit_imports_no_job_package(path):
    # Reading profiles serve every spreadsheet import: like documents, jobs use it, never the reverse.
    assert not domain_packages_imported(path) & set(JOBS)


@pytest.mark.parametrize("path", [p for job in JOBS for p in files(f"app/domain/{job}")],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_job_package_imports_only_itself_documents_and_vocabularies(path):
    job = path.relative_to(ROOT / "app" / "domain").parts[0]
    allowed = {job, "documents", "sheetmap", "enums", "formats", "numbers"}
    assert domain_packages_imported(path) <= allowed, path


def test_domain_top_level_holds_only_packages_and_shared_vocabularies():
    modules = {p.stem for p in (ROOT / "app" / "domain").glob("*.py")}
    assert modules <= {"__init__", "enums", "formats", "numbers"}, modules
