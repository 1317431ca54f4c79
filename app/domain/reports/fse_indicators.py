"""The FSE+ common indicators of Reg. (EU) 2021/1057, Annex I, counted from participant records.

Output indicators EECO01–17 read the situation at entry; result indicators EECR01–04 the
situation at exit, EECR05–06 the survey six months after it (DOMAIN.md §8). Every figure is
split by sex and comes with the number of records that do not give the data it needs, so a
reader sees how far the table can be trusted. The workbook names no one.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.documents.typography import plural
from app.domain.documents.xlsx import PCT_FORMAT
from app.domain.documents.xlsx_stream import TITLE_STYLE, StreamBook
from app.domain.enums import Sex
from app.domain.reports.common import age_on
from app.domain.reports.fse import CORRECTION_THRESHOLD, Completeness, FseParticipant, correction_warning
from app.domain.reports.fse_common import EducationLevel, LabourStatus

UNEMPLOYED = frozenset({LabourStatus.UNEMPLOYED, LabourStatus.LONG_TERM_UNEMPLOYED})


@dataclass(frozen=True)
class CommonIndicator:
    """One line of the table: participants counted, of whom women and men, and records lacking the data."""

    code: str
    label: str
    total: int
    women: int
    men: int
    not_given: int


@dataclass(frozen=True)
class _Rule:
    code: str
    label: str
    # Who the indicator is read among (every participant, the exited, those due for the survey).
    among: Callable[[FseParticipant, date], bool]
    # None: the record does not give the data; else whether the participant counts.
    counts: Callable[[FseParticipant], bool | None]


def _everyone(_p: FseParticipant, _as_of: date) -> bool:
    return True


def _exited(p: FseParticipant, as_of: date) -> bool:
    return p.has_exited(as_of)


def _surveyed(p: FseParticipant, as_of: date) -> bool:
    # A survey recorded early still counts; one not yet due is not « not given ».
    return p.has_exited(as_of) and (p.survey_answered or p.survey_due(as_of))


def _age(p: FseParticipant) -> int | None:
    return age_on(p.birth_date, p.entry_on)


def _status(*wanted: LabourStatus) -> Callable[[FseParticipant], bool | None]:
    return lambda p: None if p.labour_status is None else p.labour_status in wanted


def _education(wanted: EducationLevel) -> Callable[[FseParticipant], bool | None]:
    return lambda p: None if p.education_level is None else p.education_level is wanted


def _aged(low: int, high: int | None) -> Callable[[FseParticipant], bool | None]:
    def counts(p: FseParticipant) -> bool | None:
        age = _age(p)
        return None if age is None else age >= low and (high is None or age <= high)
    return counts


def _flag(name: str) -> Callable[[FseParticipant], bool | None]:
    return lambda p: getattr(p, name)


def _at_exit(name: str) -> Callable[[FseParticipant], bool | None]:
    # Once the exit situation is recorded, an answer left empty is a « no »: the four are
    # ticked on one question (« que fait la personne à la sortie ? »).
    return lambda p: bool(getattr(p, name)) if p.exit_answered else None


def _at_six_months(name: str) -> Callable[[FseParticipant], bool | None]:
    return lambda p: bool(getattr(p, name)) if p.survey_answered else None


RULES = (
    _Rule("EECO01", "Nombre total de participants", _everyone, lambda p: True),
    _Rule("EECO02", "Chômeurs, y compris chômeurs de longue durée", _everyone, _status(*UNEMPLOYED)),
    _Rule("EECO03", "Chômeurs de longue durée", _everyone, _status(LabourStatus.LONG_TERM_UNEMPLOYED)),
    _Rule("EECO04", "Personnes inactives", _everyone, _status(LabourStatus.INACTIVE)),
    _Rule("EECO05", "Personnes exerçant un emploi, y compris les indépendants", _everyone,
          _status(LabourStatus.EMPLOYED)),
    _Rule("EECO06", "Enfants de moins de 18 ans", _everyone, _aged(0, 17)),
    _Rule("EECO07", "Jeunes de 18 à 29 ans", _everyone, _aged(18, 29)),
    _Rule("EECO08", "Participants de 55 ans et plus", _everyone, _aged(55, None)),
    _Rule("EECO09", "Niveau d'études : premier cycle du secondaire ou moins (CITE 0 à 2)", _everyone,
          _education(EducationLevel.ISCED_0_2)),
    _Rule("EECO10", "Niveau d'études : deuxième cycle du secondaire ou post-secondaire (CITE 3 et 4)", _everyone,
          _education(EducationLevel.ISCED_3_4)),
    _Rule("EECO11", "Niveau d'études : enseignement supérieur (CITE 5 à 8)", _everyone,
          _education(EducationLevel.ISCED_5_8)),
    _Rule("EECO12", "Participants handicapés", _everyone, _flag("is_disabled")),
    _Rule("EECO13", "Ressortissants de pays tiers", _everyone, _flag("is_third_country_national")),
    _Rule("EECO14", "Participants d'origine étrangère", _everyone, _flag("has_foreign_background")),
    _Rule("EECO15", "Minorités (y compris les communautés marginalisées telles que les Roms)", _everyone,
          _flag("is_minority")),
    _Rule("EECO16", "Personnes sans domicile fixe ou confrontées à l'exclusion du logement", _everyone,
          _flag("is_homeless")),
    _Rule("EECO17", "Participants issus de zones rurales", _everyone, _flag("is_rural")),
    _Rule("EECR01", "Participants à la recherche d'un emploi au terme de leur participation", _exited,
          _at_exit("exit_job_searching")),
    _Rule("EECR02", "Participants suivant un enseignement ou une formation au terme de leur participation", _exited,
          _at_exit("exit_in_education")),
    _Rule("EECR03", "Participants obtenant une qualification au terme de leur participation", _exited,
          _at_exit("exit_qualification")),
    _Rule("EECR04", "Participants exerçant un emploi, y compris indépendant, au terme de leur participation",
          _exited, _at_exit("exit_employed")),
    _Rule("EECR05", "Participants exerçant un emploi six mois après la fin de leur participation", _surveyed,
          _at_six_months("six_months_employed")),
    _Rule("EECR06", "Participants dont la situation sur le marché du travail s'est améliorée six mois après "
                    "la fin de leur participation", _surveyed, _at_six_months("six_months_improved")),
)

NOTES = (
    "Indicateurs communs du FSE+ (règlement (UE) 2021/1057, annexe I) : une fiche par personne et par opération.",
    "EECO01 à EECO17 : situation à l'entrée ; l'âge est calculé à la date d'entrée.",
    "EECR01 à EECR04 : situation des participants sortis, recueillie dans les 4 semaines suivant la sortie.",
    "EECR05 et EECR06 : enquête à six mois, parmi les participants sortis depuis six mois au moins.",
    "Handicap (EECO12) et minorité (EECO15) sont des données sensibles : la personne peut ne pas répondre ; "
    "elle n'est alors pas comptée.",
    "« Non renseigné » : fiches concernées qui ne donnent pas l'information nécessaire à l'indicateur.",
)


def common_indicators(participants: Sequence[FseParticipant], as_of: date) -> list[CommonIndicator]:
    """Return EECO01–17 and EECR01–06 over the participants, as known on ``as_of``."""
    lines = []
    for rule in RULES:
        total = women = men = not_given = 0
        for person in participants:
            if not rule.among(person, as_of):
                continue
            answer = rule.counts(person)
            if answer is None:
                not_given += 1
            elif answer:
                total += 1
                women += person.sex is Sex.FEMME
                men += person.sex is Sex.HOMME
        lines.append(CommonIndicator(rule.code, rule.label, total, women, men, not_given))
    return lines


RECORDS_HINT = "Complétez les fiches des participants de l'opération avant de transmettre ce tableau."
HEADERS = ("Code", "Indicateur", "Total", "Femmes", "Hommes", "Non renseigné")


def build_common_indicators_xlsx(indicators: Sequence[CommonIndicator], title: str, period_line: str,
                                 completeness: Completeness, threshold: Decimal = CORRECTION_THRESHOLD) -> bytes:
    """Return the common-indicator table: title, definitions, completeness (and warning), one line each."""
    book = StreamBook()
    ws = book.sheet("Indicateurs communs FSE+")
    ws.write([title], styles=[TITLE_STYLE])
    ws.write([period_line])
    incomplete = len(completeness.missing)
    ws.write(["Taux de complétude des fiches", completeness.rate,
              f"{incomplete} {plural(incomplete, 'fiche incomplète', 'fiches incomplètes')}"],
             [None, PCT_FORMAT], [None, {"bold": True}])
    warning = correction_warning(completeness, threshold, RECORDS_HINT)
    if warning:
        ws.write([warning], styles=[{"bold": True, "font_color": "#C00000"}])
    for note in NOTES:
        ws.write([note])
    ws.skip()
    ws.header(HEADERS)
    for line in indicators:
        ws.write((line.code, line.label, line.total, line.women, line.men, line.not_given))
    ws.size_columns(maximum=90)
    return book.finish()
