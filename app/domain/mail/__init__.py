"""Outgoing mail: the kinds Clausier sends, their templates, the reminder calendar, the message."""

from app.domain.mail.kinds import MAIL_KINDS, MailKind, sample_context
from app.domain.mail.message import build_message
from app.domain.mail.rendering import MailTemplateError, RenderedMail, check_mail_template, render_mail
from app.domain.mail.schedule import (
    ReminderRound,
    digest_week,
    first_reminder_on,
    is_digest_day,
    month_label,
    next_attempt_delay,
    previous_month,
    reminder_rounds,
    second_round_due,
)

__all__ = [
    "MAIL_KINDS",
    "MailKind",
    "MailTemplateError",
    "ReminderRound",
    "RenderedMail",
    "build_message",
    "check_mail_template",
    "digest_week",
    "first_reminder_on",
    "is_digest_day",
    "month_label",
    "next_attempt_delay",
    "previous_month",
    "reminder_rounds",
    "second_round_due",
    "render_mail",
    "sample_context",
]
