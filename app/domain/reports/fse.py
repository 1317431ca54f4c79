"""Export FSE+ participants and measure how complete their records are (DOMAIN §8)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from app.domain.enums import Criterion, Sex
from app.domain.formats import format_pct
from app.domain.reports.indicators import definitions_note
from app.domain.reports.common import CRITERIA_COLUMNS, has_any, label
from app.domain.documents.typography import plural
from app.domain.documents.xlsx import PCT_FORMAT
from app.domain.documents.xlsx_stream import TITLE_STYLE, StreamBook

# Above this share of incomplete records the managing authority applies a financial
# correction [Seine-et-Marne FSE resources page]; a parameter because authorities differ.
CORRECTION_THRESHOLD = Decimal("0.35")
CONTACT = "Téléphone ou e-mail"


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

    @property
    def is_qpv(self) -> bool:
        """Tell whether the participant lives in a quartier prioritaire."""
        return Criterion.QPV in self.criteria


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


def missing_fields(person: FseParticipant) -> tuple[str, ...]:
    """Return the French labels of the mandatory fields a record lacks."""
    checks = (
        ("Nom", person.last_name.strip()),
        ("Prénom", person.first_name.strip()),
        ("Sexe", person.sex),
        ("Date de naissance", person.birth_date),
        ("Date d'entrée", person.entry_on),
        ("Code postal", person.postcode.strip()),
        # The 6-month survey reaches the person by either channel.
        (CONTACT, person.phone.strip() or person.email.strip()),
    )
    return tuple(label for label, value in checks if not value)


def completeness(participants: Sequence[FseParticipant]) -> Completeness:
    """Return the share of complete records and the missing fields of the others."""
    missing = [
        MissingFields(p.participant_code, fields)
        for p in participants
        if (fields := missing_fields(p))
    ]
    if not participants:
        return Completeness(Decimal(1), [])
    # Unrounded: a rounded rate could hide a share just above the correction threshold.
    complete = Decimal(len(participants) - len(missing))
    return Completeness(complete / len(participants), missing)


def correction_warning(
    result: Completeness, threshold: Decimal = CORRECTION_THRESHOLD
) -> str | None:
    """Return the French warning shown when incomplete records exceed the threshold."""
    if result.incomplete_rate <= threshold:
        return None
    return (
        f"Attention : {format_pct(result.incomplete_rate, 1)} des fiches sont incomplètes. "
        f"Au-delà de {format_pct(threshold)}, l'autorité de gestion applique une correction "
        "financière. Complétez les champs indiqués dans la dernière colonne."
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
    "Champs manquants",
)


def build_fse_participants_xlsx(
    participants: Sequence[FseParticipant], threshold: Decimal = CORRECTION_THRESHOLD
) -> bytes:
    """Return the participants workbook, completeness rate on top, warning when too low."""
    book = StreamBook()
    ws = book.sheet("Participants FSE+")
    result = completeness(participants)
    ws.write(["Participants FSE+ — une fiche par personne et par opération"], styles=[TITLE_STYLE])
    incomplete = len(result.missing)
    ws.write(["Taux de complétude", result.rate,
              f"{incomplete} {plural(incomplete, 'fiche incomplète', 'fiches incomplètes')} sur {len(participants)}"],
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
            ", ".join(missing_fields(p)),
        ))
    ws.size_columns()
    return book.finish()
