"""Export FSE+ participants and measure how complete their records are (DOMAIN §8).

A record is complete once identity, contact, entry date, labour status and education level are
given; the exit situation becomes mandatory 4 weeks after the exit (the annex's « within 4
weeks ») and the 6-month survey once 6 months have passed since it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from app.domain.enums import Criterion, Sex
from app.domain.formats import format_pct
from app.domain.reports.indicators import definitions_note
from app.domain.reports.common import CRITERIA_COLUMNS, has_any, label
from app.domain.reports.exits import add_months
from app.domain.reports.fse_common import EducationLevel, LabourStatus
from app.domain.documents.typography import plural
from app.domain.documents.xlsx import PCT_FORMAT
from app.domain.documents.xlsx_stream import TITLE_STYLE, StreamBook

# Above this share of incomplete records the managing authority applies a financial
# correction [Seine-et-Marne FSE resources page]; a parameter because authorities differ.
CORRECTION_THRESHOLD = Decimal("0.35")
CONTACT = "Téléphone ou e-mail"
# Exit data is collected « within 4 weeks » of the exit; the survey 6 months after it.
EXIT_DATA_DAYS = 28
SURVEY_MONTHS = 6
EXIT_SITUATION = "Situation à la sortie"
SURVEY = "Enquête à six mois"


@dataclass(frozen=True, kw_only=True)
class FseParticipant:
    """One record per person per operation: entry = first action, exit = last action."""

    operation: str
    participant_code: str
    last_name: str
    first_name: str
    sex: Sex | None
    birth_date: date | None
    entry_on: date | None
    exit_on: date | None = None
    phone: str = ""
    email: str = ""
    postcode: str = ""
    criteria: frozenset[Criterion] = field(default_factory=frozenset)
    participant_id: int | None = None
    # At entry (EECO02–17); None: not given. Disability and minority are sensitive: None is
    # also « ne souhaite pas répondre », which the annex allows.
    labour_status: LabourStatus | None = None
    education_level: EducationLevel | None = None
    is_disabled: bool | None = None
    is_third_country_national: bool | None = None
    has_foreign_background: bool | None = None
    is_minority: bool | None = None
    is_homeless: bool | None = None
    is_rural: bool | None = None
    # At exit (EECR01–04), then six months after it (EECR05–06).
    exit_job_searching: bool | None = None
    exit_in_education: bool | None = None
    exit_qualification: bool | None = None
    exit_employed: bool | None = None
    six_months_on: date | None = None
    six_months_employed: bool | None = None
    six_months_improved: bool | None = None

    @property
    def is_qpv(self) -> bool:
        """Tell whether the participant lives in a quartier prioritaire."""
        return Criterion.QPV in self.criteria

    def has_exited(self, as_of: date) -> bool:
        """Tell whether the participant has left the operation by ``as_of``."""
        return self.exit_on is not None and self.exit_on <= as_of

    @property
    def exit_answered(self) -> bool:
        """Tell whether the situation at exit was recorded (one of the four answers given)."""
        return any(flag is not None for flag in (self.exit_job_searching, self.exit_in_education,
                                                 self.exit_qualification, self.exit_employed))

    @property
    def survey_answered(self) -> bool:
        """Tell whether the 6-month survey was recorded: its date and at least one answer."""
        return self.six_months_on is not None and (
            self.six_months_employed is not None or self.six_months_improved is not None)

    def exit_data_due(self, as_of: date) -> bool:
        """Tell whether the 4 weeks to record the exit situation are over by ``as_of``."""
        return self.exit_on is not None and as_of > self.exit_on + timedelta(days=EXIT_DATA_DAYS)

    def survey_due(self, as_of: date) -> bool:
        """Tell whether the 6-month survey is due by ``as_of``."""
        return self.exit_on is not None and as_of >= add_months(self.exit_on, SURVEY_MONTHS)


class MissingFields(NamedTuple):
    """The mandatory fields an incomplete record lacks, by French label."""

    participant_code: str
    fields: tuple[str, ...]


class Completeness(NamedTuple):
    """Share of complete records and, for each incomplete one, what it lacks."""

    rate: Decimal
    missing: list[MissingFields]

    @property
    def incomplete_rate(self) -> Decimal:
        """Return the share of incomplete records."""
        return Decimal(1) - self.rate


def missing_fields(person: FseParticipant, as_of: date) -> tuple[str, ...]:
    """Return the French labels of the mandatory fields a record lacks on ``as_of``."""
    checks = (
        ("Nom", person.last_name.strip()),
        ("Prénom", person.first_name.strip()),
        ("Sexe", person.sex),
        ("Date de naissance", person.birth_date),
        ("Date d'entrée", person.entry_on),
        ("Code postal", person.postcode.strip()),
        # The 6-month survey reaches the person by either channel.
        (CONTACT, person.phone.strip() or person.email.strip()),
        ("Situation sur le marché du travail", person.labour_status),
        ("Niveau d'études", person.education_level),
        (EXIT_SITUATION, person.exit_answered or not person.exit_data_due(as_of)),
        (SURVEY, person.survey_answered or not person.survey_due(as_of)),
    )
    return tuple(label for label, value in checks if not value)


def completeness(participants: Sequence[FseParticipant], as_of: date) -> Completeness:
    """Return the share of complete records on ``as_of`` and the missing fields of the others."""
    missing = [
        MissingFields(p.participant_code, fields)
        for p in participants
        if (fields := missing_fields(p, as_of))
    ]
    if not participants:
        return Completeness(Decimal(1), [])
    # Unrounded: a rounded rate could hide a share just above the correction threshold.
    complete = Decimal(len(participants) - len(missing))
    return Completeness(complete / len(participants), missing)


COMPLETE_HINT = "Complétez les champs indiqués dans la dernière colonne."


def correction_warning(
    result: Completeness, threshold: Decimal = CORRECTION_THRESHOLD, hint: str = COMPLETE_HINT
) -> str | None:
    """Return the French warning shown when incomplete records exceed the threshold."""
    if result.incomplete_rate <= threshold:
        return None
    return (
        f"Attention : {format_pct(result.incomplete_rate, 1)} des fiches sont incomplètes. "
        f"Au-delà de {format_pct(threshold)}, l'autorité de gestion applique une correction "
        f"financière. {hint}"
    )


# The record's own answers, after the identity columns: (header, value of a participant).
RECORD_COLUMNS = (
    ("Situation sur le marché du travail", lambda p: label(p.labour_status)),
    ("Niveau d'études", lambda p: label(p.education_level)),
    ("Handicap", lambda p: p.is_disabled),
    ("Ressortissant de pays tiers", lambda p: p.is_third_country_national),
    ("Origine étrangère", lambda p: p.has_foreign_background),
    ("Minorité", lambda p: p.is_minority),
    ("Sans domicile ou exclu du logement", lambda p: p.is_homeless),
    ("Zone rurale", lambda p: p.is_rural),
    ("Sortie : en recherche d'emploi", lambda p: p.exit_job_searching),
    ("Sortie : en études ou formation", lambda p: p.exit_in_education),
    ("Sortie : qualification obtenue", lambda p: p.exit_qualification),
    ("Sortie : en emploi", lambda p: p.exit_employed),
    ("Enquête à six mois", lambda p: p.six_months_on),
    ("Six mois : en emploi", lambda p: p.six_months_employed),
    ("Six mois : situation améliorée", lambda p: p.six_months_improved),
)

HEADERS = (
    "Opération",
    "Code participant",
    "Nom",
    "Prénom",
    "Sexe",
    "Date de naissance",
    "Date d'entrée",
    "Date de sortie",
    "Téléphone",
    "E-mail",
    "Code postal",
    "QPV",
    *(header for header, _ in CRITERIA_COLUMNS),
    *(header for header, _ in RECORD_COLUMNS),
    "Champs manquants",
)


def build_fse_participants_xlsx(
    participants: Sequence[FseParticipant], as_of: date, threshold: Decimal = CORRECTION_THRESHOLD
) -> bytes:
    """Return the participants workbook on ``as_of``, completeness rate on top, warning when too low.

    An answer not given is an empty cell (for disability and minority: « ne souhaite pas répondre »
    is not told apart from a question not yet asked).
    """
    book = StreamBook()
    ws = book.sheet("Participants FSE+")
    result = completeness(participants, as_of)
    ws.write(["Participants FSE+ — une fiche par personne et par opération"], styles=[TITLE_STYLE])
    incomplete = len(result.missing)
    ws.write(["Taux de complétude", result.rate,
              f"{incomplete} {plural(incomplete, 'fiche incomplète', 'fiches incomplètes')} sur {len(participants)}",
              f"au {as_of:%d/%m/%Y}"],
             [None, PCT_FORMAT], [None, {"bold": True}])
    warning = correction_warning(result, threshold)
    if warning:
        ws.write([warning], styles=[{"bold": True, "font_color": "#C00000"}])
    else:
        ws.skip()
    exits = sum(p.exit_on is not None for p in participants)
    ws.write([f"{len(participants)} {plural(len(participants), 'participant')}, dont {exits} {plural(exits, 'sortie')}. "
              + " ".join(definitions_note("participants", "exits"))])
    ws.skip()
    ws.header(HEADERS)
    for p in participants:
        ws.write((
            p.operation,
            p.participant_code,
            p.last_name,
            p.first_name,
            label(p.sex),
            p.birth_date,
            p.entry_on,
            p.exit_on,
            p.phone,
            p.email,
            p.postcode,
            p.is_qpv,
            *(has_any(p.criteria, wanted) for _, wanted in CRITERIA_COLUMNS),
            *(value(p) for _, value in RECORD_COLUMNS),
            ", ".join(missing_fields(p, as_of)),
        ))
    ws.size_columns()
    return book.finish()
