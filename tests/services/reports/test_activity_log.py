"""The activity log service: its rules, the compte rendu check, the XLSX extract read back, and
the FSE+ targets counting exactly what the log, the diffusions and the positionings record."""

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.domain.enums import Criterion
from app.domain.liaison.workflow import FicheStatus
from app.domain.reports.activities import ActivityKind as K
from app.domain.reports.activities import PartnerKind
from app.domain.reports.activity_log import MAX_MINUTES_BYTES, minutes_type
from app.domain.reports.targets import TargetKind, measure
from app.models import Activity, Company, FseOperation, Partner, StoredFile
from app.services.liaison import partners
from app.services.liaison.positionings import propose_candidate
from app.services.referential import ServiceError
from app.services.reports.activity_log import LogFilter, activity_log_piece, list_activities, save_activity
from app.services.reports.exports import ReportFilter
from app.services.reports.targets import target_sources
from tests.services.liaison.fiche_helpers import (
    FACILITATOR,
    add_participant,
    docx_with,
    pdf_bytes,
    received_fiche,
    staff_scope,
)

TODAY = date(2026, 11, 20)


def entry(session, world, kind: K, on: date, *, title: str = "", quantity: int | None = None, minutes=None,
          today: date = TODAY, **links):
    data = {"kind": kind.value, "occurred_on": on, "title": title or kind.label, "quantity": quantity,
            "note": links.pop("note", ""), **{name: None for name in ("buyer_id", "company_id", "siae_id",
                                                                       "participant_id", "partner_id", "tender_id",
                                                                       "fse_operation_id")}}
    data.update(links)
    return save_activity(session, staff_scope(world), data, author=FACILITATOR, today=today, minutes=minutes)


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


@pytest.mark.parametrize(("data", "expected"), [
    (pdf_bytes(), ("application/pdf", "pdf")),
    (docx_with("Compte rendu du comité de pilotage"),
     ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")),
    (odt_bytes(), ("application/vnd.oasis.opendocument.text", "odt")),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, ("image/png", "png")),
    (b"\xff\xd8\xff\xe0" + b"\0" * 64, ("image/jpeg", "jpg")),
])
def test_minutes_type_reads_the_bytes(data, expected):
    assert minutes_type(data) == expected


@pytest.mark.parametrize(("data", "words"), [
    (b"", "vide"),
    (b"Compte rendu tape dans le bloc-notes", "PDF, DOCX, ODT, JPEG ou PNG"),
    (b"\xd0\xcf\x11\xe0" + b"\0" * 64, "Word 97-2003"),
    (b"PK\x03\x04" + b"\0" * 64, "PDF, DOCX, ODT, JPEG ou PNG"),
    (b"%PDF-1.7" + b"\0" * MAX_MINUTES_BYTES, "10 Mo au plus"),
])
def test_minutes_type_refuses_in_french(data, words):
    refusal = minutes_type(data)
    assert isinstance(refusal, str) and words in refusal


def test_save_activity_keeps_quantity_of_counted_kinds_and_author(session, world):
    posts = entry(session, world, K.POSTS_TRANSMITTED, date(2026, 11, 3), title="Postes transmis à France Travail",
                  quantity=4, company_id=world.a.ids["companies"]["own"])
    visit = entry(session, world, K.VISIT, date(2026, 11, 4), company_id=world.a.ids["companies"]["own"])
    assert (posts.quantity, visit.quantity) == (4, 1)
    assert posts.author_name == "Camille Facilitatrice" and posts.organisation_id == world.a.organisation_id


@pytest.mark.parametrize(("kind", "on", "quantity", "field", "words"), [
    (K.CONTACT, TODAY + timedelta(days=366), None, "occurred_on", "plus d'un an"),
    (K.VISIT, TODAY, 3, "quantity", "compte une fois par entrée"),
    (K.MATCHING, TODAY, 10_001, "quantity", "La quantité va de 1 à"),
])
def test_save_activity_refuses_what_breaks_the_rules(session, world, kind, on, quantity, field, words):
    with pytest.raises(ServiceError) as refused:
        entry(session, world, kind, on, quantity=quantity)
    assert refused.value.field == field and words in str(refused.value)


def test_save_activity_refuses_an_unknown_company(session, world):
    with pytest.raises(ServiceError) as refused:
        entry(session, world, K.VISIT, TODAY, company_id=10_000_000)
    assert refused.value.field == "company_id"


def test_new_minutes_replace_the_previous_file(session, world):
    first = entry(session, world, K.STEERING_COMMITTEE, TODAY, minutes=("cr.pdf", pdf_bytes()))
    old_file = first.minutes_file_id
    data = {"kind": K.STEERING_COMMITTEE.value, "occurred_on": TODAY, "title": "Comité de pilotage", "quantity": None}
    save_activity(session, staff_scope(world), data, first, author=FACILITATOR, today=TODAY,
                  minutes=("cr.docx", docx_with("Relevé de décisions")))
    stored = session.get(StoredFile, first.minutes_file_id)
    assert stored.name == f"compte-rendu-{first.id}.docx" and stored.owner_kind == "activity_minutes"
    assert session.get(StoredFile, old_file) is None


def test_activity_log_piece_lists_the_period_with_codes_only(session, world):
    own = {"organisation_id": world.a.organisation_id}
    operation = FseOperation(**own, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), title="Clauses 2026")
    other = FseOperation(**own, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), title="Autre opération")
    session.add_all([operation, other])
    session.flush()
    person = world.a.ids["participants"]["own"]
    entry(session, world, K.PREPARATION, date(2026, 3, 1), title="Préparation à l'entretien", quantity=2,
          participant_id=person, fse_operation_id=operation.id, minutes=("cr.pdf", pdf_bytes()))
    entry(session, world, K.VISIT, date(2026, 3, 31), title="Visite de l'entreprise",
          company_id=world.a.ids["companies"]["own"])
    entry(session, world, K.CONTACT, date(2026, 3, 15), title="Contact d'une autre opération",
          fse_operation_id=other.id)
    entry(session, world, K.CONTACT, date(2026, 4, 1), title="Après la période")
    data = activity_log_piece(session, world.a.organisation_id, date(2026, 3, 1), date(2026, 3, 31), operation.id)
    sheet = load_workbook(io.BytesIO(data))["Journal d'activité"]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Extrait du journal d'activité — PLIE A"
    assert rows[1][0] == "Du 01/03/2026 au 31/03/2026" and "Clauses 2026" in rows[2][0] and rows[3][0] == "2\u00a0entrées"
    header = rows.index(next(row for row in rows if row[0] == "Date"))
    body = rows[header + 1:]
    assert [(row[0].date(), row[1], row[2], row[3]) for row in body] == [
        (date(2026, 3, 1), "Préparation d'un candidat (entretien, prise de poste)", "Préparation à l'entretien", 2),
        (date(2026, 3, 31), "Visite d'entreprise", "Visite de l'entreprise", None)]
    assert body[0][9] == "P-own" and body[0][12] == "Oui" and body[1][4] == "Entreprise ORG-A"
    text = " ".join(str(value) for row in rows for value in row if value is not None)
    assert "Durand" not in text and "Camille" in text  # the author, never the participant's name
    summary = load_workbook(io.BytesIO(data))["Par type"]
    assert list(summary.iter_rows(min_row=2, values_only=True)) == [
        ("Visite d'entreprise", 1, None), ("Préparation d'un candidat (entretien, prise de poste)", 1, 2)]


def test_diffusing_twice_keeps_the_first_date(session, world):
    fiche = received_fiche(session, world, TODAY, FicheStatus.DIFFUSEE)
    own = {"organisation_id": world.a.organisation_id}
    agency = Partner(**own, name="France Travail Dunkerque", kind=PartnerKind.FRANCE_TRAVAIL)
    local = Partner(**own, name="Mission locale du Dunkerquois", kind=PartnerKind.MISSION_LOCALE)
    session.add_all([agency, local])
    session.flush()
    partners.diffuse_fiche(session, fiche, [agency.id], date(2026, 11, 2), FACILITATOR, TODAY)
    again = partners.diffuse_fiche(session, fiche, [agency.id, local.id], date(2026, 11, 9), FACILITATOR, TODAY)
    assert [(d.partner.name, d.diffused_on) for d in partners.recipients(session, fiche)] == [
        ("France Travail Dunkerque", date(2026, 11, 2)), ("Mission locale du Dunkerquois", date(2026, 11, 9))]
    assert again.message() == ("Fiche diffusée à Mission locale du Dunkerquois. Déjà diffusée à France Travail "
                               "Dunkerque (le 02/11/2026, date gardée).")
    with pytest.raises(ServiceError, match="au moins un partenaire"):
        partners.diffuse_fiche(session, fiche, [], TODAY, FACILITATOR, TODAY)


def test_targets_count_what_the_log_diffusions_and_positionings_record(session, world):
    today = date.today()
    first, last = today - timedelta(days=30), today
    before, after = first - timedelta(days=1), last + timedelta(days=1)
    own_company, other_company = world.a.ids["companies"]["own"], world.a.ids["companies"]["other"]
    session.get(Company, own_company).headcount = 6
    session.get(Company, other_company).headcount = 50
    siae = world.a.ids["siaes"]["own"]

    def log(kind, on, quantity=None, **links):
        entry(session, world, kind, on, quantity=quantity, today=today, **links)

    log(K.CONTACT, first, company_id=other_company)
    log(K.VISIT, last, company_id=own_company)
    log(K.VISIT, today - timedelta(days=3), company_id=own_company)
    log(K.VISIT, before, company_id=other_company)
    log(K.SITE_VISIT, first)
    log(K.SITE_VISIT, last)
    log(K.SITE_VISIT, after)
    log(K.STEERING_COMMITTEE, first)
    log(K.CLAUSE_COMMISSION, last)
    log(K.EMPLOYER_CHECK, first, company_id=own_company)
    log(K.EMPLOYER_CHECK, last, company_id=own_company)
    log(K.EMPLOYER_CHECK, last, siae_id=siae)
    log(K.OFFER_DIFFUSED, last, 3)
    log(K.POSTS_TRANSMITTED, first, 4)
    log(K.MATCHING, last, 2)
    log(K.INTERVIEW, first, 5)
    log(K.INTERVIEW, before, 7)
    log(K.SMALL_COMPANY_SUPPORT, last, company_id=own_company)
    log(K.SMALL_COMPANY_SUPPORT, last, company_id=other_company)
    fiche = received_fiche(session, world, today, FicheStatus.DIFFUSEE, posts=2)
    own = {"organisation_id": world.a.organisation_id}
    agency = Partner(**own, name="France Travail Dunkerque", kind=PartnerKind.FRANCE_TRAVAIL)
    local = Partner(**own, name="Mission locale du Dunkerquois", kind=PartnerKind.MISSION_LOCALE)
    session.add_all([agency, local])
    session.flush()
    partners.diffuse_fiche(session, fiche, [agency.id, local.id], first, FACILITATOR, today)
    person = add_participant(session, world, "P-TARGETS", {Criterion.BRSA: today - timedelta(days=10)})
    positioning = propose_candidate(session, fiche, person.id, FACILITATOR, today=today)
    partners.set_prescriber(session, positioning, agency.id)
    session.flush()

    sources = target_sources(session, ReportFilter(world.a.organisation_id, starts_on=first, ends_on=last))
    assert {kind: measure(kind, sources) for kind in (
        TargetKind.COMPANIES_CONTACTED, TargetKind.COMPANIES_VISITED, TargetKind.SITE_VISITS, TargetKind.COMMITTEES,
        TargetKind.EMPLOYERS_CHECKED, TargetKind.OFFERS_DIFFUSED, TargetKind.POSTS_TRANSMITTED,
        TargetKind.MATCHINGS, TargetKind.INTERVIEWS, TargetKind.SMALL_COMPANIES)} == {
        TargetKind.COMPANIES_CONTACTED: Decimal(2),  # other (contact on the first day), own (visits)
        TargetKind.COMPANIES_VISITED: Decimal(1),  # own twice; other's visit was the day before
        TargetKind.SITE_VISITS: Decimal(2),
        TargetKind.COMMITTEES: Decimal(2),
        TargetKind.EMPLOYERS_CHECKED: Decimal(2),  # the company once, the SIAE
        TargetKind.OFFERS_DIFFUSED: Decimal(4),  # the fiche once (two partners) + 3 offers
        TargetKind.POSTS_TRANSMITTED: Decimal(6),  # the fiche's 2 posts + 4
        TargetKind.MATCHINGS: Decimal(3),  # the positioning + 2
        TargetKind.INTERVIEWS: Decimal(5),
        TargetKind.SMALL_COMPANIES: Decimal(1),  # 6 employees; the 50-employee company is no TPE
    }
    assert session.get(type(positioning), positioning.id).prescriber.name == "France Travail Dunkerque"
    assert session.query(Activity).filter_by(organisation_id=world.a.organisation_id).count() == 19


def test_list_pages_newest_first_and_filters(session, world):
    company = world.a.ids["companies"]["own"]
    for day in range(1, 31):
        entry(session, world, K.CONTACT, date(2026, 9, day), title=f"Appel du {day:02d}/09",
              company_id=company if day % 2 else None)
    first = list_activities(session, LogFilter(), 1)
    assert (first.total, first.pages, first.items[0].title) == (30, 2, "Appel du 30/09")
    assert [a.title for a in list_activities(session, LogFilter(), 9).items] == [f"Appel du {d:02d}/09"
                                                                                  for d in range(5, 0, -1)]
    narrowed = list_activities(session, LogFilter(company_id=company, starts_on=date(2026, 9, 10),
                                                  ends_on=date(2026, 9, 15)))
    assert [a.title for a in narrowed.items] == ["Appel du 15/09", "Appel du 13/09", "Appel du 11/09"]
