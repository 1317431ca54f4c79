"""Render a mail's subject and bodies in a Jinja sandbox, and vet an administrator's template.

The plain-text body is rendered without escaping, the HTML body with autoescape, both with
StrictUndefined: a misspelt variable fails the check instead of leaving a blank in a mail.
"""

import re
from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.domain.documents.template_lint import forbidden_constructs, suggest_name, syntax_problem
from app.domain.mail.kinds import MailKind, sample_context

MAX_SUBJECT = 250
MAX_SOURCE = 20_000
# What a Jinja tag looks like once rendered by mistake (a tag written with spaces inside braces).
LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


class MailTemplateError(ValueError):
    """A mail template that cannot be rendered; the message is French."""


class _Sandbox(ImmutableSandboxedEnvironment):
    def __init__(self, autoescape: bool) -> None:
        super().__init__(autoescape=autoescape, undefined=StrictUndefined, keep_trailing_newline=True)
        for name in ("self", "cycler", "joiner", "lipsum", "namespace", "range", "dict"):
            self.globals.pop(name, None)


TEXT_ENV = _Sandbox(autoescape=False)
HTML_ENV = _Sandbox(autoescape=True)


@dataclass(frozen=True)
class RenderedMail:
    """A mail ready to send: one-line subject, plain-text and HTML bodies."""

    subject: str
    text: str
    html: str


def _render(env, source: str, context: dict) -> str:
    try:
        return env.from_string(source).render(context)
    except TemplateSyntaxError as exc:
        raise MailTemplateError(syntax_problem(exc)) from None
    except TemplateError as exc:
        raise MailTemplateError(f"Le modèle de message n'a pas pu être rendu : {exc}.") from None


def render_mail(subject: str, text: str, html: str, context: dict) -> RenderedMail:
    """Render a mail's three parts with ``context``; raise MailTemplateError in French."""
    rendered_subject = " ".join(_render(TEXT_ENV, subject, context).split())[:MAX_SUBJECT]
    body = _render(TEXT_ENV, text, context)
    page = _render(HTML_ENV, html, context)
    return RenderedMail(rendered_subject, body, f'<!DOCTYPE html>\n<html lang="fr"><body>{page}</body></html>\n')


def check_mail_template(kind: MailKind, subject: str, text: str, html: str) -> list[str]:
    """Return the French problems of a template written for ``kind`` (empty: accept it)."""
    problems = []
    known = set(kind.variables)
    for label, env, source in (("l'objet", TEXT_ENV, subject), ("le texte", TEXT_ENV, text),
                               ("la version HTML", HTML_ENV, html)):
        if not source.strip():
            problems.append(f"Écrivez {label} du message.")
            continue
        if len(source) > MAX_SOURCE:
            problems.append(f"{label[0].upper()}{label[1:]} dépasse {MAX_SOURCE} caractères.")
            continue
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as exc:
            problems.append(f"Dans {label} : {syntax_problem(exc)}")
            continue
        problems.extend(f"Dans {label} : {problem}" for problem in forbidden_constructs(tree))
        for name in sorted(meta.find_undeclared_variables(tree) - known):
            problems.append(f"Dans {label} : variable inconnue « {name} »{suggest_name(name, known)}.")
    if problems:
        return problems
    try:
        sample = render_mail(subject, text, html, sample_context(kind))
    except MailTemplateError as exc:
        return [f"Le rendu d'essai a échoué : {exc}"]
    for label, output in (("l'objet", sample.subject), ("le texte", sample.text), ("la version HTML", sample.html)):
        if LEFTOVER.search(output):
            problems.append(f"Le rendu d'essai de {label} contient encore une balise : vérifiez les accolades.")
    return problems
