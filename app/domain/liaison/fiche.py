"""The fiche de liaison: a company's job need, its checks and its document context.

Fields follow the Pôle emploi Amiens practice sheet (DOMAIN.md §5). ``validate_fiche`` lists
problems without refusing anything itself: a draft may be saved incomplete, the service
refuses submission while an ``error`` remains; ``warning`` only flags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum import exceptions as stdnum_errors
from stdnum.fr import siret as stdnum_siret

from app.domain.enums import ContractType, Modality
from app.domain.formats import format_date_fr, format_hours, format_money, with_article
from app.domain.liaison.need_hours import WEEKS_PER_MONTH, estimate_need_hours

# Gross hourly SMIC by date of effect (DOMAIN.md §2: 11,88 € on 1 January 2025). Later
# revaluations are added by an administrator; the service passes its table as ``smic_table``.
SMIC_HOURLY: tuple[tuple[date, Decimal], ...] = ((date(2025, 1, 1), Decimal("11.88")),)
LEGAL_WEEKLY_HOURS = Decimal(35)
MAX_WEEKLY_HOURS = Decimal(48)  # Code du travail, absolute weekly maximum
# An empty field leaves a line to write on, not a dash (the company fills the printed sheet in).
EMPTY = "……………………………………"
# A ROME code (répertoire des métiers de France Travail): one letter A–N, four digits, « F1703 ».
ROME_CODE = re.compile(r"^[A-N]\d{4}$")


@dataclass(frozen=True)
class FicheData:
    """Everything a company states about one job need, plus the clause it serves."""

    company_name: str = ""
    company_siret: str = ""
    company_address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    job_title: str = ""
    rome_code: str = ""  # « F1703 », optional
    posts: int = 1
    start_on: date | None = None
    activities: str = ""
    skills: str = ""
    experience: str = ""
    training: str = ""
    driving_licence: str = ""  # « Permis B », empty when not required
    habilitation: str = ""  # « CACES R489 cat. 3 », « habilitation électrique B0 »…
    outdoor_work: bool = False
    other_requirements: str = ""
    contract_type: ContractType | None = None
    contract_length: str = ""  # « 6 mois », empty for a CDI
    weekly_hours: Decimal | None = None
    work_schedule: str = ""  # « du lundi au vendredi, 8 h – 12 h et 13 h – 16 h »
    gross_monthly_salary: Decimal | None = None
    workplace: str = ""
    applications_close_on: date | None = None
    application_channel: str = ""  # « CV par courriel à … », « via le facilitateur »
    requested_on: date | None = None  # the company's request; the service defaults it to the submission day
    tender_reference: str = ""
    tender_object: str = ""
    lot: str = ""
    hours_covered: Decimal | None = None  # the lot's whole obligation, not this need's share
    modality: Modality | None = None
    tutor_name: str = ""
    tutor_role: str = ""


@dataclass(frozen=True)
class FieldProblem:
    """One problem on one field; ``severity`` is ``error`` (blocks submission) or ``warning``."""

    field: str
    message: str
    severity: str = "error"  # or "warning"


def smic_hourly_on(day: date, table=SMIC_HOURLY) -> Decimal | None:
    """Return the gross hourly SMIC in force on ``day`` (None before the first known value)."""
    known = [value for since, value in sorted(table) if since <= day]
    return known[-1] if known else None


def monthly_equivalent(hourly: Decimal, weekly_hours: Decimal) -> Decimal:
    """Return ``hourly × weekly hours × 52/12`` rounded to the cent."""
    return (hourly * weekly_hours * WEEKS_PER_MONTH).quantize(Decimal("0.01"), ROUND_HALF_UP)


def normalise_phone(text: str) -> str | None:
    """Return a French number as ``06 12 34 56 78`` (foreign ones internationally), None if invalid."""
    try:
        number = phonenumbers.parse(text or "", "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    fmt = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 33
           else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, fmt)


def _siret_problem(value: str) -> str | None:
    try:
        stdnum_siret.validate(value)  # knows La Poste's establishments, whose key differs
    except stdnum_errors.InvalidLength:
        return "Le SIRET doit comporter 14 chiffres."
    except stdnum_errors.InvalidFormat:
        return "Le SIRET ne doit contenir que des chiffres."
    except stdnum_errors.InvalidChecksum:
        return "Ce SIRET n'existe pas : sa clé de contrôle est fausse (vérifiez la saisie)."
    return None


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


REQUIRED = {"company_name": "la raison sociale", "company_siret": "le SIRET",
            "job_title": "l'intitulé du poste", "start_on": "la date de démarrage",
            "contract_type": "le type de contrat", "weekly_hours": "la durée hebdomadaire",
            "workplace": "le lieu de travail"}


def missing_fields(data: FicheData) -> list[str]:
    """Return the labels of the mandatory fields left empty (the document is refused while any is)."""
    missing = [label for name, label in REQUIRED.items() if _is_blank(getattr(data, name))]
    if not data.contact_phone.strip() and not data.contact_email.strip():
        missing.append("un téléphone ou un courriel de contact")
    return missing


def validate_fiche(data: FicheData, today: date, smic_table=SMIC_HOURLY) -> list[FieldProblem]:
    """Return the problems of a fiche de liaison (empty: it may be submitted)."""
    problems = [FieldProblem(name, f"Indiquez {label}.") for name, label in REQUIRED.items()
                if _is_blank(getattr(data, name))]
    if not _is_blank(data.company_siret) and (message := _siret_problem(data.company_siret)):
        problems.append(FieldProblem("company_siret", message))
    if not data.contact_phone.strip() and not data.contact_email.strip():
        problems.append(FieldProblem("contact_phone", "Indiquez un téléphone ou un courriel de contact."))
    if data.contact_phone.strip() and normalise_phone(data.contact_phone) is None:
        problems.append(FieldProblem("contact_phone", f"Numéro de téléphone invalide : « {data.contact_phone} »."))
    if data.contact_email.strip():
        try:
            validate_email(data.contact_email.strip(), check_deliverability=False)
        except EmailNotValidError:
            problems.append(FieldProblem("contact_email", f"Adresse électronique invalide : « {data.contact_email} »."))
    if data.posts < 1:
        problems.append(FieldProblem("posts", "Le nombre de postes doit être au moins 1."))
    if data.start_on is not None and data.start_on < today:
        problems.append(FieldProblem(
            "start_on", f"La date de démarrage ({format_date_fr(data.start_on)}) est déjà passée."))
    if data.rome_code.strip() and not ROME_CODE.match(normalise_rome_code(data.rome_code)):
        problems.append(FieldProblem(
            "rome_code", f"Le code ROME « {data.rome_code.strip()} » n'a pas la forme attendue : une lettre "
            "de A à N suivie de quatre chiffres (par exemple F1703). Laissez le champ vide si vous ne le "
            "connaissez pas."))
    problems += _deadline_problems(data, today)
    problems += _hours_and_salary_problems(data, today, smic_table)
    return problems


def normalise_rome_code(text: str) -> str:
    """Return « f 1703 » as « F1703 » (validate_fiche says whether it is a ROME code)."""
    return re.sub(r"[\s.\-]", "", text or "").upper()


def _deadline_problems(data: FicheData, today: date) -> list[FieldProblem]:
    deadline = data.applications_close_on
    if deadline is None:
        return []
    if deadline < today:
        return [FieldProblem("applications_close_on", f"La date limite de candidature "
                             f"({format_date_fr(deadline)}) est déjà passée.", "warning")]
    if data.start_on is not None and deadline > data.start_on:
        return [FieldProblem("applications_close_on", f"La date limite de candidature ({format_date_fr(deadline)}) "
                             f"tombe après la date de démarrage ({format_date_fr(data.start_on)}) : "
                             "à vérifier avec l'entreprise.", "warning")]
    return []


def _hours_and_salary_problems(data: FicheData, today: date, smic_table) -> list[FieldProblem]:
    weekly = data.weekly_hours
    if weekly is None:
        return []
    if weekly <= 0:
        return [FieldProblem("weekly_hours", "La durée hebdomadaire doit être positive.")]
    if weekly > MAX_WEEKLY_HOURS:
        return [FieldProblem("weekly_hours", f"{format_hours(weekly)} par semaine dépassent le maximum "
                             f"légal de {format_hours(MAX_WEEKLY_HOURS)}.")]
    problems = []
    if weekly > LEGAL_WEEKLY_HOURS:
        problems.append(FieldProblem(
            "weekly_hours", f"{format_hours(weekly)} par semaine : au-delà de 35 heures, les heures "
            "supplémentaires doivent être majorées.", "warning"))
    # The salary applies from the start date: compare with the SMIC in force then.
    smic = smic_hourly_on(data.start_on or today, smic_table)
    salary = data.gross_monthly_salary
    if salary is not None and smic is not None:
        floor = monthly_equivalent(smic, weekly)
        if salary < floor:
            problems.append(FieldProblem(
                "gross_monthly_salary",
                f"Le salaire brut mensuel ({format_money(salary)}) est inférieur au SMIC pour "
                f"{format_hours(weekly)} par semaine ({format_money(floor)}) : à vérifier avec "
                "l'entreprise.", "warning"))
    return problems


def _text(value: str) -> str:
    return value.strip() or EMPTY


def build_fiche_context(data: FicheData, *, organisation_name: str, generated_on: date,
                        organisation_article: str = "") -> dict:
    """Return the DOCX context of a fiche de liaison (French formatting, a line to fill when empty)."""
    siret = data.company_siret.strip()
    estimate = estimate_need_hours(data.posts, data.weekly_hours, data.contract_length, data.contract_type)
    return {
        "organisation_name": organisation_name,
        "organisation_the": with_article(organisation_name, organisation_article),
        "generated_on": format_date_fr(generated_on),
        "company_name": _text(data.company_name),
        "company_siret": stdnum_siret.format(siret) if _siret_problem(siret) is None else _text(siret),
        "company_address": _text(data.company_address),
        "contact_name": _text(data.contact_name),
        "contact_phone": normalise_phone(data.contact_phone) or _text(data.contact_phone),
        "contact_email": _text(data.contact_email),
        "job_title": _text(data.job_title),
        "rome_code": normalise_rome_code(data.rome_code) or EMPTY,
        "posts": str(data.posts),
        "start_on": format_date_fr(data.start_on) or EMPTY,
        "activities": _text(data.activities),
        "skills": _text(data.skills),
        "experience": _text(data.experience),
        "training": _text(data.training),
        "driving_licence": data.driving_licence.strip() or "Non requis",
        "habilitation": data.habilitation.strip() or "Aucune",
        "outdoor_work": "Oui" if data.outdoor_work else "Non",
        "other_requirements": _text(data.other_requirements),
        "contract_type": data.contract_type.label if data.contract_type else EMPTY,
        "contract_length": _text(data.contract_length),
        "weekly_hours": format_hours(data.weekly_hours) if data.weekly_hours is not None else EMPTY,
        "work_schedule": _text(data.work_schedule),
        "gross_salary": format_money(data.gross_monthly_salary) if data.gross_monthly_salary is not None else EMPTY,
        "workplace": _text(data.workplace),
        "applications_close_on": format_date_fr(data.applications_close_on) or EMPTY,
        "application_channel": _text(data.application_channel),
        # Written out: « Demande du 15 septembre 2026 » reads as a sentence.
        "requested_on": format_date_fr(data.requested_on, "long") or EMPTY,
        "tender_reference": _text(data.tender_reference),
        "tender_object": _text(data.tender_object),
        "lot": _text(data.lot),
        "hours_covered": format_hours(data.hours_covered) if data.hours_covered is not None else EMPTY,
        "hours_estimate": format_hours(estimate) if estimate is not None else EMPTY,
        "modality": data.modality.label if data.modality else EMPTY,
        "tutor_name": _text(data.tutor_name),
        "tutor_role": _text(data.tutor_role),
        "tutor": " – ".join(part for part in (data.tutor_name.strip(), data.tutor_role.strip()) if part)
                 or EMPTY,
    }
