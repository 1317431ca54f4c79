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
