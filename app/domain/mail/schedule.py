"""The reminder calendar: which round is due on a day, the digest day, the retry backoff."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")
# Weekly digest on Mondays: the week's work starts with it.
DIGEST_WEEKDAY = 0
# Minutes to wait before each new attempt at an SMTP delivery; after the last one the mail is
# marked failed and shown (an administrator may try it again), never dropped.
RETRY_DELAYS_MINUTES = (1, 5, 30, 120, 360)


class ReminderRound(Enum):
    FIRST = "sheet_reminder"
    SECOND = "sheet_second_reminder"


def previous_month(today: date) -> date:
    """Return the first day of the month before ``today``'s."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_label(month_on: date) -> str:
    """Return « octobre 2026 »."""
    return f"{MONTHS_FR[month_on.month - 1]} {month_on.year}"


def first_reminder_on(today: date, reminder_day: int) -> date:
    """Return the day of ``today``'s month when last month's sheet reminders go out."""
    return today.replace(day=max(1, min(reminder_day, 28)))


def reminder_rounds(today: date, reminder_day: int) -> list[ReminderRound]:
    """Return the rounds that may go out ``today`` for last month's sheet.

    A run that missed the day (server down, cron late) still sends the first round: the
    sent-mail table makes each round go once, so « due from this day on » is safe to repeat.
    The second round also waits for the first to be ``second_after_days`` old (see
    ``second_round_due``), so a late first round is not followed by the second the same day.
    """
    if today < first_reminder_on(today, reminder_day):
        return []
    return [ReminderRound.FIRST, ReminderRound.SECOND]


def second_round_due(first_sent_on: date, today: date, second_after_days: int) -> bool:
    """Tell whether the second reminder follows a first one sent on ``first_sent_on``."""
    return today >= first_sent_on + timedelta(days=max(second_after_days, 1))


def is_digest_day(today: date) -> bool:
    """Tell whether the weekly digest goes out ``today``."""
    return today.weekday() == DIGEST_WEEKDAY


def digest_week(today: date) -> str:
    """Return the ISO week key of ``today`` (``2026-W49``), the period of a weekly digest."""
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def next_attempt_delay(attempts: int) -> timedelta | None:
    """Return how long to wait after ``attempts`` failed tries, or None: give up and show it."""
    if attempts > len(RETRY_DELAYS_MINUTES):
        return None
    return timedelta(minutes=RETRY_DELAYS_MINUTES[attempts - 1])
