"""Match the names read in a timesheet to the participants already known."""

import calendar
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from app.domain.formats import format_period
from app.domain.timesheets.model import ParsedRow, ParseWarning
from app.domain.timesheets.names import person_key

EXACT, SWAPPED, SUGGESTED, AMBIGUOUS, UNKNOWN = "exact", "swapped", "suggested", "ambiguous", "unknown"
MIN_SCORE = 0.75


@dataclass(frozen=True)
class KnownParticipant:
    """A participant on the roster of a structure or a tender."""

    id: int | str
    last_name: str
    first_name: str
    birth_date: date | None = None
    entry_on: date | None = None
    exit_on: date | None = None

    @property
    def label(self) -> str:
        """Return ``DUPONT Marie (née le 02/05/1990)`` for messages."""
        born = f" (né·e le {self.birth_date:%d/%m/%Y})" if self.birth_date else ""
        return f"{self.last_name} {self.first_name}{born}"


@dataclass(frozen=True)
class Suggestion:
    """A known participant close to a name read, with a similarity score from 0 to 1."""

    participant_id: int | str
    label: str
    score: float


@dataclass
class PersonMatch:
    """How one parsed row matched the roster; ``participant_id`` is set only when sure."""

    row_index: int
    status: str
    participant_id: int | str | None = None
    suggestions: list[Suggestion] = field(default_factory=list)


@dataclass
class MatchResult:
    """One match per parsed row, plus the warnings to show."""

    matches: list[PersonMatch]
    warnings: list[ParseWarning]


def _index(roster: list[KnownParticipant]) -> tuple[dict, dict]:
    by_name: dict[str, list[KnownParticipant]] = {}
    by_swapped: dict[str, list[KnownParticipant]] = {}
    for person in roster:
        by_name.setdefault(person_key(person.last_name, person.first_name), []).append(person)
        by_swapped.setdefault(person_key(person.first_name, person.last_name), []).append(person)
    return by_name, by_swapped


def suggest(last_name: str, first_name: str, roster: list[KnownParticipant], limit: int = 3) -> list[Suggestion]:
    """Return the closest known participants, best first, above a minimum score."""
    key = person_key(last_name, first_name)
    scored = []
    for person in roster:
        score = max(
            SequenceMatcher(None, key, person_key(person.last_name, person.first_name)).ratio(),
            SequenceMatcher(None, key, person_key(person.first_name, person.last_name)).ratio(),
        )
        if score >= MIN_SCORE:
            scored.append(Suggestion(person.id, person.label, round(score, 3)))
    scored.sort(key=lambda s: (-s.score, s.label))
    return scored[:limit]


def match_participants(rows: list[ParsedRow], roster: list[KnownParticipant], *,
                       period: str | None = None) -> MatchResult:
    """Match each row to the roster (case and accents ignored) and warn about the rest."""
    by_name, by_swapped = _index(roster)
    matches, warnings = [], []
    for index, row in enumerate(rows):
        key = person_key(row.last_name, row.first_name)
        found, status = by_name.get(key, []), EXACT
        if not found:
            found, status = by_swapped.get(key, []), SWAPPED
        if len(found) == 1:
            matches.append(PersonMatch(index, status, found[0].id))
            outside = _outside_placement(row, found[0], period)
            if outside:
                warnings.append(outside)
        elif len(found) > 1:
            options = [Suggestion(p.id, p.label, 1.0) for p in found]
            matches.append(PersonMatch(index, AMBIGUOUS, None, options))
            warnings.append(ParseWarning(
                "ambiguous_person",
                f"{row.person} : plusieurs participants portent ce nom "
                f"({', '.join(o.label for o in options)}) ; choisissez le bon.",
                row.person,
            ))
        else:
            options = suggest(row.last_name, row.first_name, roster)
            matches.append(PersonMatch(index, SUGGESTED if options else UNKNOWN, None, options))
            hint = ""
            if options:
                hint = " Vouliez-vous dire " + " ou ".join(
                    f"{o.label} ({round(o.score * 100)} %)" for o in options) + " ?"
            warnings.append(ParseWarning(
                "unknown_person", f"{row.person} n'est pas dans la liste des participants.{hint}",
                row.person,
            ))
    return MatchResult(matches, warnings)


def _outside_placement(row: ParsedRow, person: KnownParticipant, period: str | None) -> ParseWarning | None:
    if not (row.hours or row.training_hours) or not (person.entry_on or person.exit_on):
        return None
    days = _worked_days(row, period)
    if days is None:
        # Monthly total only: warn when the whole month lies outside the contract.
        year, month = map(int, period.split("-"))
        first, last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        days = [first, last] if (person.entry_on and last < person.entry_on) or (
            person.exit_on and first > person.exit_on) else []
    late = [d for d in days if person.exit_on and d > person.exit_on]
    early = [d for d in days if person.entry_on and d < person.entry_on]
    if not late and not early:
        return None
    dates = sorted(early + late)
    span = dates[0].strftime("%d/%m/%Y") + (f" au {dates[-1]:%d/%m/%Y}" if len(dates) > 1 else "")
    return ParseWarning(
        "outside_placement",
        f"{row.person} : des heures sont déclarées ({span}) en dehors de la période du contrat, "
        f"{format_period(person.entry_on, person.exit_on)}.",
        row.person,
    )


def _worked_days(row: ParsedRow, period: str | None) -> list[date] | None:
    """Return the dated days with hours, or None when only a monthly total is known."""
    if row.day is not None:
        return [row.day]
    if not period:
        return []
    year, month = map(int, period.split("-"))
    if row.day_cells:
        last = calendar.monthrange(year, month)[1]
        return [date(year, month, d) for d in row.day_hours() if d <= last]
    return None
