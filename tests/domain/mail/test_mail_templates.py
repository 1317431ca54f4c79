"""Mail templates: defaults render clean French, checks refuse what a reviewer would, the calendar."""

from datetime import date, timedelta

import pytest

from app.domain.mail import (
    MAIL_KINDS,
    ReminderRound,
    check_mail_template,
    next_attempt_delay,
    reminder_rounds,
    render_mail,
    sample_context,
    second_round_due,
)

TAGS = ("{{", "}}", "{%", "%}")


@pytest.mark.parametrize("kind", list(MAIL_KINDS.values()), ids=lambda kind: kind.key)
def test_default_template_passes_checks_and_renders_without_tags(kind):
    assert check_mail_template(kind, kind.subject, kind.text, kind.html) == []
    mail = render_mail(kind.subject, kind.text, kind.html, sample_context(kind))
    for part in (mail.subject, mail.text, mail.html):
        assert not any(tag in part for tag in TAGS), part
    assert "Bien cordialement" in mail.text and "\n" not in mail.subject


@pytest.mark.parametrize("kind", list(MAIL_KINDS.values()), ids=lambda kind: kind.key)
def test_default_template_names_no_social_or_health_criterion(kind):
    text = f"{kind.subject} {kind.text} {kind.html}".lower()
    assert not any(word in text for word in ("rqth", "rsa", "handicap", "santé", "critère", "aah", "deld"))


def test_html_body_escapes_what_the_text_body_keeps():
    kind = MAIL_KINDS["sheet_reminder"]
    context = {**sample_context(kind), "structure": "Bâtir <b>&</b> Co"}
    mail = render_mail(kind.subject, kind.text, kind.html, context)
    assert "Bâtir <b>&</b> Co" in mail.text
    assert "Bâtir &lt;b&gt;&amp;&lt;/b&gt; Co" in mail.html


@pytest.mark.parametrize(("subject", "text", "expected"), [
    ("Relevé de {{ mois }}", "Bonjour", "variable inconnue « mois »"),
    ("Relevé de {{ month_labl }}", "Bonjour", "vouliez-vous dire « month_label » ?"),
    ("Relevé", "{{ structure.__class__ }}", "attribut interne « __class__ »"),
    ("Relevé", "{% include 'x' %}", "include, import et extends sont interdites"),
    ("Relevé", "{% if structure %}sans fin", "Erreur de syntaxe"),
    ("", "Bonjour", "Écrivez l'objet"),
    ("Relevé", "{{ '{{' }} structure }}", "contient encore une balise"),
])
def test_template_problems_are_said_in_french(subject, text, expected):
    problems = check_mail_template(MAIL_KINDS["sheet_reminder"], subject, text, "<p>Bonjour</p>")
    assert any(expected in problem for problem in problems), problems


def test_reminder_rounds_start_on_the_organisations_day():
    assert reminder_rounds(date(2026, 12, 4), 5) == []
    assert reminder_rounds(date(2026, 12, 5), 5) == [ReminderRound.FIRST, ReminderRound.SECOND]
    assert reminder_rounds(date(2026, 2, 28), 31) == [ReminderRound.FIRST, ReminderRound.SECOND]  # day capped at 28
    assert not second_round_due(date(2026, 12, 5), date(2026, 12, 11), 7)
    assert second_round_due(date(2026, 12, 5), date(2026, 12, 12), 7)


def test_retry_delays_grow_then_give_up():
    assert [next_attempt_delay(n) for n in range(1, 7)] == [
        timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6), None]
