"""Fiche de liaison checks: SIRET, phone, e-mail, dates, weekly hours, salary against the SMIC."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.domain.enums import ContractType, Modality
from app.domain.liaison.fiche import (
    EMPTY,
    FicheData,
    build_fiche_context,
    monthly_equivalent,
    normalise_phone,
    smic_hourly_on,
    validate_fiche,
)

TODAY = date(2026, 10, 2)
FICHE = FicheData(
    company_name="Bâtir & Rénover", company_siret="12345678200010", company_address="12 rue des Docks",
    contact_name="Sophie Lefebvre", contact_phone="0612345678", contact_email="sophie@batir.example.fr",
    job_title="Maçon·ne", posts=2, start_on=date(2026, 11, 3), contract_type=ContractType.CDD,
    contract_length="6 mois", weekly_hours=Decimal(35), gross_monthly_salary=Decimal("1850"),
    workplace="Dunkerque", modality=Modality.ETTI,
)


def problems(**changes):
    return [(p.field, p.severity) for p in validate_fiche(replace(FICHE, **changes), TODAY)]


def messages(**changes):
    return {p.field: p.message for p in validate_fiche(replace(FICHE, **changes), TODAY)}


def test_validate_fiche_complete_fiche_has_no_problem():
    assert validate_fiche(FICHE, TODAY) == []


def test_validate_fiche_empty_fiche_lists_required_fields():
    fields = {p.field for p in validate_fiche(FicheData(), TODAY)}
    assert fields == {"company_name", "company_siret", "job_title", "start_on", "contract_type",
                      "weekly_hours", "workplace", "contact_phone"}


@pytest.mark.parametrize(("siret", "message"), [
    ("12345678200011", "Ce SIRET n'existe pas : sa clé de contrôle est fausse (vérifiez la saisie)."),
    ("1234567820001", "Le SIRET doit comporter 14 chiffres."),
    ("1234567820001A", "Le SIRET ne doit contenir que des chiffres."),
])
def test_validate_fiche_bad_siret_is_error(siret, message):
    assert messages(company_siret=siret)["company_siret"] == message
    assert ("company_siret", "error") in problems(company_siret=siret)


@pytest.mark.parametrize("siret", ["123 456 782 00010", "35600000010000"])
def test_validate_fiche_spaced_or_la_poste_siret_is_accepted(siret):
    # La Poste's establishments fail the Luhn key; stdnum knows their own rule.
    assert problems(company_siret=siret) == []


@pytest.mark.parametrize("raw", ["0612345678", "06.12.34.56.78", "+33 6 12 34 56 78", "0033612345678"])
def test_normalise_phone_french_number_is_grouped_by_two(raw):
    assert normalise_phone(raw) == "06 12 34 56 78"


def test_normalise_phone_foreign_number_is_international():
    assert normalise_phone("+32 12345678") == "+32 12 34 56 78"


@pytest.mark.parametrize("raw", ["12345", "06 12 34", "téléphone", ""])
def test_validate_fiche_invalid_phone_is_error(raw):
    if raw:
        assert messages(contact_phone=raw)["contact_phone"] == f"Numéro de téléphone invalide : « {raw} »."
    else:  # no phone is fine while an e-mail is given
        assert problems(contact_phone=raw) == []


def test_validate_fiche_no_contact_at_all_is_error():
    assert messages(contact_phone="", contact_email="")["contact_phone"] == \
        "Indiquez un téléphone ou un courriel de contact."


@pytest.mark.parametrize("email", ["sophie@", "sophie.batir.fr", "sophie @batir.fr", "a@b"])
def test_validate_fiche_invalid_email_is_error(email):
    assert messages(contact_email=email)["contact_email"] == f"Adresse électronique invalide : « {email} »."


def test_validate_fiche_start_date_in_past_is_error_today_is_fine():
    assert messages(start_on=date(2026, 10, 1))["start_on"] == \
        "La date de démarrage (01/10/2026) est déjà passée."
    assert problems(start_on=TODAY) == []


def test_validate_fiche_zero_posts_is_error():
    assert problems(posts=0) == [("posts", "error")]


@pytest.mark.parametrize(("hours", "expected"), [
    (Decimal(35), []),
    (Decimal("35.5"), [("weekly_hours", "warning")]),
    (Decimal(48), [("weekly_hours", "warning")]),
    (Decimal("48.5"), [("weekly_hours", "error")]),
    (Decimal(0), [("weekly_hours", "error")]),
])
def test_validate_fiche_weekly_hours_limits(hours, expected):
    # A salary well above the SMIC, so only the hours speak.
    assert problems(weekly_hours=hours, gross_monthly_salary=Decimal(5000)) == expected


def test_validate_fiche_more_than_48_hours_message_is_french():
    assert messages(weekly_hours=Decimal(50))["weekly_hours"] == \
        "50\u00a0heures par semaine dépassent le maximum légal de 48\u00a0heures."


def test_monthly_equivalent_smic_35_hours_is_1801_80():
    assert monthly_equivalent(Decimal("11.88"), Decimal(35)) == Decimal("1801.80")
    assert monthly_equivalent(Decimal("11.88"), Decimal(24)) == Decimal("1235.52")


def test_validate_fiche_salary_at_smic_threshold_is_fine_one_cent_below_warns():
    assert problems(gross_monthly_salary=Decimal("1801.80")) == []
    found = validate_fiche(replace(FICHE, gross_monthly_salary=Decimal("1801.79")), TODAY)
    assert [(p.field, p.severity) for p in found] == [("gross_monthly_salary", "warning")]
    assert found[0].message == (
        "Le salaire brut mensuel (1\u202f801,79\u00a0€) est inférieur au SMIC pour 35\u00a0heures par "
        "semaine (1\u202f801,80\u00a0€) : à vérifier avec l'entreprise.")


def test_validate_fiche_part_time_salary_compares_with_prorated_smic():
    assert problems(weekly_hours=Decimal(24), gross_monthly_salary=Decimal("1235.52")) == []
    assert problems(weekly_hours=Decimal(24), gross_monthly_salary=Decimal("1235.51")) == \
        [("gross_monthly_salary", "warning")]


def test_validate_fiche_smic_table_is_dated_and_configurable():
    table = ((date(2025, 1, 1), Decimal("11.88")), (date(2026, 11, 1), Decimal("12.50")))
    assert smic_hourly_on(date(2026, 10, 31), table) == Decimal("11.88")
    assert smic_hourly_on(date(2026, 11, 1), table) == Decimal("12.50")
    assert smic_hourly_on(date(2024, 12, 31), table) is None
    # The job starts on 03/11/2026: the newer SMIC (1 895,83 € for 35 h) applies.
    found = validate_fiche(FICHE, TODAY, smic_table=table)
    assert [p.field for p in found] == ["gross_monthly_salary"]
    assert "1\u202f895,83\u00a0€" in found[0].message


def test_build_fiche_context_formats_the_french_way():
    context = build_fiche_context(replace(FICHE, hours_covered=Decimal(600), outdoor_work=True),
                                  organisation_name="PLIE de Lens", generated_on=TODAY)
    assert context["generated_on"] == "02/10/2026"
    assert context["start_on"] == "03/11/2026"
    assert context["company_siret"] == "123 456 782 00010"
    assert context["contact_phone"] == "06 12 34 56 78"
    assert context["weekly_hours"] == "35\u00a0heures"
    assert context["gross_salary"] == "1\u202f850,00\u00a0€"
    assert context["hours_covered"] == "600\u00a0heures"
    assert context["contract_type"] == "CDD"
    assert context["modality"] == "Mise à disposition par une ETTI"
    assert (context["outdoor_work"], context["driving_licence"], context["habilitation"]) == \
        ("Oui", "Non requis", "Aucune")
    assert context["tutor_name"] == context["activities"] == context["tutor"] == EMPTY  # a line to write on


@pytest.mark.parametrize("code", ["F1703", "f1703", "F 1703", "A1101", "N4101"])
def test_validate_fiche_rome_code_letter_and_four_digits_is_accepted(code):
    assert "rome_code" not in messages(rome_code=code)


@pytest.mark.parametrize("code", ["Z1703", "F170", "F17034", "1703F", "maçon"])
def test_validate_fiche_bad_rome_code_is_error_in_french(code):
    assert ("rome_code", "error") in problems(rome_code=code)
    assert messages(rome_code=code)["rome_code"] == (
        f"Le code ROME « {code} » n'a pas la forme attendue : une lettre de A à N suivie de quatre chiffres "
        "(par exemple F1703). Laissez le champ vide si vous ne le connaissez pas.")


def test_validate_fiche_deadline_in_the_past_is_a_warning():
    assert problems(applications_close_on=date(2026, 10, 1)) == [("applications_close_on", "warning")]
    assert messages(applications_close_on=date(2026, 10, 1))["applications_close_on"] == (
        "La date limite de candidature (01/10/2026) est déjà passée.")


def test_validate_fiche_deadline_after_start_is_a_warning():
    assert messages(applications_close_on=date(2026, 11, 4))["applications_close_on"] == (
        "La date limite de candidature (04/11/2026) tombe après la date de démarrage (03/11/2026) : "
        "à vérifier avec l'entreprise.")
    assert problems(applications_close_on=date(2026, 11, 4)) == [("applications_close_on", "warning")]


@pytest.mark.parametrize("deadline", [TODAY, date(2026, 10, 20), date(2026, 11, 3)])
def test_validate_fiche_deadline_between_today_and_start_is_fine(deadline):
    assert problems(applications_close_on=deadline) == []


def test_fiche_context_new_fields_and_written_out_request_date():
    context = build_fiche_context(replace(FICHE, rome_code="f1703", work_schedule="8 h – 16 h",
                                          applications_close_on=date(2026, 10, 20), application_channel="via le PLIE",
                                          requested_on=date(2026, 10, 1)),
                                  organisation_name="PLIE", generated_on=TODAY)
    assert (context["rome_code"], context["work_schedule"], context["applications_close_on"],
            context["application_channel"], context["requested_on"]) == (
        "F1703", "8 h – 16 h", "20/10/2026", "via le PLIE", "1er octobre 2026")
    assert context["hours_estimate"] == "1\u202f820\u00a0heures"  # 2 posts × 35 h × 26 weeks
    empty = build_fiche_context(FicheData(), organisation_name="PLIE", generated_on=TODAY)
    assert {empty[key] for key in ("rome_code", "work_schedule", "applications_close_on", "application_channel",
                                   "requested_on", "hours_estimate")} == {EMPTY}
