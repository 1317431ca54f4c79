"""Read a template's Jinja trees for what a reviewer would refuse, and say it in French.

The sandbox already blocks these constructs at render time; reporting them up front tells
the administrator uploading a template what to fix, instead of a failed sample render.
"""

from __future__ import annotations

import difflib
import re

from jinja2 import TemplateSyntaxError, nodes

# Names a template has no business reaching: Jinja internals and the globals we removed.
FORBIDDEN_NAMES = frozenset({"self", "cycler", "joiner", "lipsum", "namespace", "config",
                             "request", "session", "g", "url_for", "get_flashed_messages"})


def suggest_name(name: str, known) -> str:
    """Return « (vouliez-vous dire « x » ?) » for the closest known name, or an empty string."""
    match = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (vouliez-vous dire « {match[0]} » ?)" if match else ""


def nested_keys(value, depth: int = 0) -> set[str]:
    """Collect the keys of dicts nested in a sample context, for suggestions on attributes."""
    keys: set[str] = set()
    if depth > 4:
        return keys
    if isinstance(value, dict):
        for key, item in value.items():
            keys.add(str(key))
            keys |= nested_keys(item, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value[:3]:
            keys |= nested_keys(item, depth + 1)
    return keys


def forbidden_constructs(tree: nodes.Template) -> list[str]:
    """Return a French problem for each Jinja construct a template must not use."""
    problems = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name, nodes.Include,
                               nodes.Import, nodes.FromImport, nodes.Extends)):
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            problems.append(f"Accès interdit à l'attribut interne « {node.attr} ».")
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) \
                and str(node.arg.value).startswith("_"):
            problems.append(f"Accès interdit à la clé interne « {node.arg.value} ».")
        elif isinstance(node, nodes.Name) and node.name in FORBIDDEN_NAMES:
            problems.append(f"Nom réservé interdit dans un modèle : « {node.name} ».")
        elif isinstance(node, (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            problems.append("Les balises include, import et extends sont interdites dans un modèle.")
    return problems


def syntax_problem(exc: TemplateSyntaxError) -> str:
    """Describe a Jinja syntax error in French, quoting the paragraph it sits in."""
    line = (exc.source or "").splitlines()[exc.lineno - 1] if exc.source and exc.lineno else ""
    excerpt = re.sub(r"<[^>]+>", "", line).strip()[:120]
    where = f" près de « {excerpt} »" if excerpt else ""
    return f"Erreur de syntaxe dans une balise du modèle{where} : {(exc.message or '').rstrip('.')}."
