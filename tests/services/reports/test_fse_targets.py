"""Every target of the catalogue, entered on a September–August operation and measured on a
territory built day by day around its boundaries (DOMAIN.md §8, issue 14).

The territory: two sites (one inside a programme), hours on both sides of 1 September 2025 and
31 August 2026, collective actions and activity-log entries on the boundary days, fiches
diffused and candidates positioned, two conventions, one exit.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest

from app.domain.enums import Criterion, PartyKind, Role
from app.domain.liaison.workflow import ConventionStatus
from app.domain.reports.activities import ActivityKind, PartnerKind
from app.domain.reports.attendance import ActionKind
from app.domain.reports.exits import ExitSituation, classify_exit
from app.domain.reports.targets import CATALOGUE, Breakdown, DurableRule, TargetKind
from app.models import (
    Activity,
    CollectiveAction,
    Company,
    Convention,
    Fiche,
    FicheDiffusion,
    Operation,
    Participant,
    ParticipantCriterion,
    ParticipantExit,
    Partner,
    Placement,
    Positioning,
    Tender,
)
from app.services.reports import dossiers as svc
from app.services.reports import fse_operations as operations
from tests.services.reports.followup_helpers import make_site, staff_scope

FIRST, LAST = date(2025, 9, 1), date(2026, 8, 31)
AS_OF = date(2026, 11, 22)

# What the territory below achieves from 1 September 2025 to 31 August 2026, target by target.
EXPECTED = {
    TargetKind.HOURS: Decimal(90),  # site A: 4 people × (Sept 2025 + Aug 2026) × 10 h; site B: 10 h
    TargetKind.TENDERS: 2,
    TargetKind.LOTS: 3,
    TargetKind.OPERATIONS: 2,  # the programme « Quartier Gare » (tender A) and tender B alone
    TargetKind.BUYERS: 2,
    TargetKind.COMPANIES: 3,  # two lot holders, one SIAE with a participant of the period
    TargetKind.BODIES_INVOLVED: 5,
    TargetKind.EMPLOYERS_CHECKED: 2,  # company A twice, SIAE A once
    TargetKind.SITE_VISITS: 2,  # the one on 1 September 2026 is after the operation
    TargetKind.COMMITTEES: 3,  # a comité de pilotage, a commission clauses, a comité de suivi
    TargetKind.CONVENTIONS: 1,  # the other one ended on 31 August 2025
    TargetKind.AWARENESS_ACTIONS: 1,  # the one on 31 August 2025 is before the operation
    TargetKind.PARTICIPANTS: 5,
    TargetKind.EXITS_DURABLE: 1,  # a CDD of exactly 6 months: « 6 mois et plus »
    TargetKind.EXITS_DYNAMIC: 1,
    TargetKind.COMPANIES_CONTACTED: 3,  # A (contacted twice), B (visited), C (met)
    TargetKind.COMPANIES_VISITED: 1,
    TargetKind.PARTNER_COMPANIES: 2,  # C (partnership) and A (convention)
    TargetKind.SMALL_COMPANIES: 1,  # C has 5 employees, B 50
    TargetKind.OFFERS_COLLECTED: 4,  # one fiche received in the period + 3 noted in the log
    TargetKind.OFFERS_DIFFUSED: 3,  # one fiche diffused (to two partners) + 2 noted
    TargetKind.POSTS_TRANSMITTED: 7,  # the fiche's 3 posts + 4 noted
    TargetKind.MATCHINGS: 4,  # two candidates positioned + 2 noted
    TargetKind.PREPARATIONS: 5,
    TargetKind.COLLECTIVE_ACTIONS: 3,  # awareness, job dating, information meeting (not the comité)
    TargetKind.JOB_EVENTS: 2,  # the job dating + a forum noted in the log
    TargetKind.INTERVIEWS: 6,
}
BREAKDOWNS = {
    (TargetKind.PARTICIPANTS, Breakdown.BRSA): 3,
    (TargetKind.PARTICIPANTS, Breakdown.UNDER_26): 3,
    (TargetKind.PARTICIPANTS, Breakdown.WOMEN): 2,
    (TargetKind.PARTICIPANTS, Breakdown.QPV): 1,
    (TargetKind.PARTICIPANTS, Breakdown.RQTH): 1,
    (TargetKind.PARTICIPANTS, Breakdown.SENIOR): 1,
    (TargetKind.PARTICIPANTS, Breakdown.LONG_TERM_UNEMPLOYED): 2,
    (TargetKind.HOURS, Breakdown.WOMEN): Decimal(40),
    (TargetKind.EXITS_DYNAMIC, Breakdown.BRSA): 1,
}


def test_the_table_covers_the_whole_catalogue():
    assert set(EXPECTED) == set(TargetKind) == set(CATALOGUE)
    assert all(CATALOGUE[kind].breakdowns for kind, _ in BREAKDOWNS)


def _activity(session, own, kind, on, *, quantity=1, **links):
    session.add(Activity(**own, kind=kind, occurred_on=on, quantity=quantity, author_name="Claire Facilitatrice",
                         title=kind.label, **links))


@pytest.fixture
def territory(session, world):
    own = {"organisation_id": world.a.organisation_id}
    site_a = make_site(session, world, lots=2, people=4, minutes=600, tag="TGA",
                       months=(date(2025, 8, 1), FIRST, date(2026, 8, 1), date(2026, 9, 1)),
                       tender_dates=(date(2025, 1, 1), date(2027, 12, 31)))
    site_b = make_site(session, world, lots=1, people=1, minutes=600, tag="TGB", months=(date(2026, 1, 1),),
                       tender_dates=(date(2025, 6, 1), date(2026, 6, 30)))
    programme = Operation(**own, name="Quartier Gare")
    session.add(programme)
    session.flush()
    session.get(Tender, site_a.tender_id).operation_id = programme.id
    people = [session.get(Participant, pid) for pid in site_a.participant_ids]
    people[1].is_qpv = True
    people[2].birth_on = date(1965, 3, 2)  # 60 at entry
    people[3].criteria.append(ParticipantCriterion(**own, criterion=Criterion.RQTH))
    # Site B's participant left on 30 June 2026 for a CDD of exactly six months.
    placement = session.get(Placement, site_b.placement_ids[0])
    placement.ends_on = date(2026, 6, 30)
    situation = dict(situation=ExitSituation.FIXED_TERM_CONTRACT, situation_starts_on=date(2026, 7, 1),
                     situation_ends_on=date(2026, 12, 31))
    session.add(ParticipantExit(**own, participant_id=placement.participant_id, placement_id=placement.id,
                                exit_on=date(2026, 6, 30), **situation,
                                category=classify_exit(ExitSituation.FIXED_TERM_CONTRACT, date(2026, 7, 1),
                                                       date(2026, 12, 31)),
                                follow_up_due_on=date(2026, 12, 30)))
    company_a = session.get(Company, site_a.company_id)
    company_b = session.get(Company, site_b.company_id)
    company_b.headcount = 50
    company_c = Company(**own, name="Menuiserie C", siret="90000000999990", headcount=5)
    session.add(company_c)
    session.flush()
    for reference, starts, ends in (("CONV-A", date(2025, 1, 1), date(2026, 12, 31)),
                                    ("CONV-OLD", date(2024, 9, 1), date(2025, 8, 31))):
        session.add(Convention(**own, reference=reference, status=ConventionStatus.SIGNEE,
                               party_kind=PartyKind.ENTREPRISE, company_id=company_a.id, party_name=company_a.name,
                               starts_on=starts, ends_on=ends, signed_on=starts))
    for kind, when in ((ActionKind.AWARENESS_ACTION, datetime(2025, 8, 31, 14)),
                       (ActionKind.AWARENESS_ACTION, datetime(2025, 9, 1, 9)),
                       (ActionKind.JOB_DATING, datetime(2026, 3, 10, 9)),
                       (ActionKind.STEERING_COMMITTEE, datetime(2026, 6, 1, 10)),
                       (ActionKind.INFORMATION_MEETING, datetime(2026, 8, 31, 17)),
                       (ActionKind.INFORMATION_MEETING, datetime(2026, 9, 1, 9))):
        session.add(CollectiveAction(**own, kind=kind, title=kind.label, starts_at=when, place="Mairie",
                                     organiser="PLIE A"))
    a, b, c = company_a.id, company_b.id, company_c.id
    log = [
        (ActivityKind.CONTACT, FIRST, 1, {"company_id": a}), (ActivityKind.CONTACT, date(2025, 10, 1), 1, {"company_id": a}),
        (ActivityKind.CONTACT, date(2025, 8, 31), 1, {"company_id": c}),
        (ActivityKind.VISIT, date(2026, 2, 2), 1, {"company_id": b}),
        (ActivityKind.MEETING, date(2026, 3, 3), 1, {"company_id": c}),
        (ActivityKind.SITE_VISIT, FIRST, 1, {"tender_id": site_a.tender_id}),
        (ActivityKind.SITE_VISIT, LAST, 1, {"tender_id": site_a.tender_id}),
        (ActivityKind.SITE_VISIT, date(2026, 9, 1), 1, {"tender_id": site_a.tender_id}),
        (ActivityKind.STEERING_COMMITTEE, date(2025, 11, 5), 1, {}),
        (ActivityKind.CLAUSE_COMMISSION, date(2026, 4, 7), 1, {}),
        (ActivityKind.EMPLOYER_CHECK, date(2025, 12, 1), 1, {"company_id": a}),
        (ActivityKind.EMPLOYER_CHECK, date(2026, 5, 1), 1, {"company_id": a}),
        (ActivityKind.EMPLOYER_CHECK, date(2026, 5, 2), 1, {"siae_id": site_a.siae_id}),
        (ActivityKind.PARTNERSHIP, date(2026, 1, 15), 1, {"company_id": c}),
        (ActivityKind.SMALL_COMPANY_SUPPORT, date(2026, 1, 20), 1, {"company_id": c}),
        (ActivityKind.SMALL_COMPANY_SUPPORT, date(2026, 1, 21), 1, {"company_id": b}),
        (ActivityKind.OFFER_COLLECTED, date(2026, 2, 1), 3, {}),
        (ActivityKind.OFFER_DIFFUSED, date(2026, 2, 1), 2, {}),
        (ActivityKind.POSTS_TRANSMITTED, date(2026, 2, 1), 4, {}),
        (ActivityKind.MATCHING, date(2026, 2, 1), 2, {}),
        (ActivityKind.PREPARATION, date(2026, 2, 1), 5, {}),
        (ActivityKind.JOB_EVENT, date(2026, 4, 1), 1, {}),
        (ActivityKind.INTERVIEW, date(2026, 2, 1), 6, {}),
        (ActivityKind.INTERVIEW, date(2025, 8, 29), 9, {}),
    ]
    for kind, on, quantity, links in log:
        _activity(session, own, kind, on, quantity=quantity, **links)
    partners = [Partner(**own, name="France Travail Lens", kind=PartnerKind.FRANCE_TRAVAIL),
                Partner(**own, name="Mission locale de Lens", kind=PartnerKind.MISSION_LOCALE)]
    session.add_all(partners)
    fiches = []
    for submitted, posts in ((datetime(2025, 10, 1, 10), 3), (datetime(2025, 8, 1, 10), 2)):
        fiche = Fiche(**own, tender_id=site_a.tender_id, company_id=a, is_draft=False, submitted_at=submitted,
                      posts=posts, job_title="Maçon VRD")
        session.add(fiche)
        fiches.append(fiche)
    session.flush()
    for partner in partners:
        session.add(FicheDiffusion(**own, fiche_id=fiches[0].id, partner_id=partner.id, diffused_on=date(2025, 10, 5)))
    for person in people[:2]:
        session.add(Positioning(**own, fiche_id=fiches[0].id, participant_id=person.id, eligibility={},
                                proposed_at=datetime(2025, 10, 10, 11), prescriber_id=partners[0].id))
    session.add(Positioning(**own, fiche_id=fiches[1].id, participant_id=people[2].id, eligibility={},
                            proposed_at=datetime(2025, 8, 10, 11)))
    session.flush()
    return site_a, site_b


def _operation(session, world, territory, rule=DurableRule.SIX_MONTHS_OR_MORE, lines=None):
    site_a, site_b = territory
    targets = lines or [{"kind": kind.value, "target": Decimal(10)} for kind in TargetKind] + [
        {"kind": kind.value, "target": Decimal(1), "breakdown": breakdown.value} for kind, breakdown in BREAKDOWNS]
    return operations.save_operation(session, staff_scope(world, Role.GESTIONNAIRE), {
        "title": "Clauses sociales et relations entreprises 2025-2026", "starts_on": FIRST, "ends_on": LAST,
        "durable_rule": rule.value, "tender_ids": [site_a.tender_id, site_b.tender_id], "targets": targets})


def test_every_target_of_the_catalogue_is_entered_and_measured(session, world, territory):
    operation = _operation(session, world, territory)
    assert len(operation.targets) == len(TargetKind) + len(BREAKDOWNS)
    measured = operations.measured_targets(session, operations.spec_for(operation), AS_OF)
    plain = {t.kind: t.achieved for t in measured if t.breakdown is None}
    assert plain == {kind: Decimal(value) for kind, value in EXPECTED.items()}
    split = {(t.kind, t.breakdown): t.achieved for t in measured if t.breakdown is not None}
    assert split == {key: Decimal(value) for key, value in BREAKDOWNS.items()}
    labels = {t.label for t in measured}
    assert "10 visites de chantier" in labels and "1 participant, dont bénéficiaires du RSA" in labels


def test_the_operations_own_definition_of_durable_employment(session, world, territory):
    operation = _operation(session, world, territory, DurableRule.MORE_THAN_SIX_MONTHS)
    achieved = {t.kind: t.achieved for t in operations.measured_targets(session, operations.spec_for(operation), AS_OF)
                if t.breakdown is None}
    # « CDD de plus de 6 mois »: a CDD of exactly six months is transition employment, still dynamic.
    assert (achieved[TargetKind.EXITS_DURABLE], achieved[TargetKind.EXITS_DYNAMIC]) == (0, 1)
    # The exit keeps the category recorded at the time.
    assert {e.category.value for e in session.query(ParticipantExit)} == {"emploi_durable"}


def test_a_target_over_part_of_the_operation_counts_its_own_dates(session, world, territory):
    operation = _operation(session, world, territory, lines=[
        {"kind": "hours", "target": Decimal(40), "starts_on": FIRST, "ends_on": date(2025, 12, 31)},
        {"kind": "site_visits", "target": Decimal(1), "starts_on": date(2026, 1, 1)},
        {"kind": "interviews", "target": Decimal(3), "ends_on": date(2026, 1, 31)}])
    measured = operations.measured_targets(session, operations.spec_for(operation), AS_OF)
    assert [t.achieved for t in measured] == [Decimal(40), 1, 0]
    assert measured[0].label == "40 heures d'insertion (du 01/09/2025 au 31/12/2025)"
    assert (measured[1].starts_on, measured[1].ends_on) == (date(2026, 1, 1), LAST)


@pytest.mark.parametrize(("line", "message"), [
    ({"kind": "hours", "target": Decimal(0)}, "doit être un nombre positif"),
    ({"kind": "site_visits", "target": Decimal(2), "breakdown": "brsa"}, "ne se décompose pas par public"),
    ({"kind": "hours", "target": Decimal(2), "starts_on": date(2025, 8, 1)}, "sort des dates de l'opération"),
    ({"kind": "hours", "target": Decimal(2), "starts_on": date(2026, 3, 1), "ends_on": date(2026, 2, 1)},
     "finit avant de commencer"),
])
def test_a_target_that_does_not_fit_is_refused_in_french(session, world, territory, line, message):
    from app.services.referential import ServiceError

    with pytest.raises(ServiceError, match=message):
        _operation(session, world, territory, lines=[line])


def test_events_count_once_held_by_the_dossier_date(session, world, territory):
    operation = _operation(session, world, territory, lines=[{"kind": "committees", "target": Decimal(3)},
                                                             {"kind": "hours", "target": Decimal(90)}])
    early = operations.measured_targets(session, operations.spec_for(operation), date(2026, 3, 1))
    # By 1 March 2026 only the comité de pilotage of November was held; hours already read whole.
    assert [t.achieved for t in early] == [1, Decimal(90)]


def _dossier(session, operation, tmp_path):
    import zipfile

    spec = operations.spec_for(operation)
    session.commit()
    path = tmp_path / "dossier.zip"
    with path.open("wb") as out:
        svc.write_dossier(spec, out, data_as_of=AS_OF, with_pdf=False)
    return zipfile.ZipFile(path)


def _sheet(archive, name):
    from io import BytesIO

    from openpyxl import load_workbook

    return [[cell.value for cell in row] for row in load_workbook(BytesIO(archive.read(name))).active.iter_rows()]


def _indicators(archive) -> dict[str, list[str]]:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(archive.read("indicateurs_vs_cibles.csv").decode("utf-8-sig")), delimiter=";"))
    return {row[1]: row for row in rows[1:]}


@pytest.mark.parametrize(("first", "last", "hours", "actions", "visits"), [
    # September–August: the hours of August 2025 and September 2026 stay out, and so do the actions
    # and visits of 31 August 2025 and 1 September 2026.
    (FIRST, LAST, "90", ["2025-09-01", "2026-03-10", "2026-06-01", "2026-08-31"], "2"),
    # Two years, 2025–2026: every hour of site A's four months, every action but none after.
    (date(2025, 1, 1), date(2026, 12, 31), "170",
     ["2025-08-31", "2025-09-01", "2026-03-10", "2026-06-01", "2026-08-31", "2026-09-01"], "3"),
])
def test_the_dossier_covers_exactly_the_operations_dates(session, world, territory, tmp_path, first, last, hours,
                                                         actions, visits):
    site_a, site_b = territory
    operation = operations.save_operation(session, staff_scope(world, Role.GESTIONNAIRE), {
        "title": "Opération bornée", "starts_on": first, "ends_on": last,
        "tender_ids": [site_a.tender_id, site_b.tender_id],
        "targets": [{"kind": kind, "target": Decimal(1)} for kind in ("hours", "participants", "site_visits",
                                                                       "collective_actions", "tenders")]})
    archive = _dossier(session, operation, tmp_path)
    indicators = _indicators(archive)
    assert indicators["Heures d'insertion"][6] == hours
    assert indicators["Visites de chantier"][6] == visits
    assert indicators["Participants"][6] == "5"
    # The impact table and the list of tenders read the same hours.
    impact = _sheet(archive, "03-tableau-d-impact.xlsx")
    header = next(row for row in impact if "Heures réalisées" in row)
    column = header.index("Heures réalisées")
    body = impact[impact.index(header) + 1:]
    assert sum(Decimal(str(row[column])) for row in body if row[0] and row[column] is not None
               and row[0] != "Total") == Decimal(hours)
    buyers = _sheet(archive, "02-liste-des-donneurs-d-ordre-accompagnes.xlsx")
    assert Decimal(str(buyers[-1][5])) == Decimal(hours) and buyers[-1][0] == "Total"
    # The actions list holds the collective actions of the dates, with their attendance sheet.
    listed = _sheet(archive, "05-actions/liste-des-actions.xlsx")
    held = sorted(f"{row[0]:%Y-%m-%d}" for row in listed if isinstance(row[0], datetime)
                  and row[1] in {kind.label for kind in ActionKind})
    assert held == actions
    sheets = [name for name in archive.namelist() if name.startswith("05-emargements/")]
    assert sorted(name.split("/")[1][:10] for name in sheets) == actions


def test_every_piece_of_the_dossier_opens(session, world, territory, tmp_path):
    from io import BytesIO

    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    operation = _operation(session, world, territory)
    archive = _dossier(session, operation, tmp_path)
    for name in archive.namelist():
        data = archive.read(name)
        if name.endswith(".xlsx"):
            assert load_workbook(BytesIO(data)).active.max_row > 1, name
        elif name.endswith(".pdf"):
            assert PdfReader(BytesIO(data)).pages[0].extract_text().strip(), name
        elif name.endswith(".docx"):
            assert Document(BytesIO(data)).paragraphs, name
        else:
            assert name.endswith((".csv", ".json")) and data.decode("utf-8-sig").strip(), name
    import json

    manifest = json.loads(archive.read("manifest.json"))
    by_kind = {t["kind"]: t for t in manifest["indicators_vs_targets"] if t["breakdown"] is None}
    # Each target names the pieces that prove it; relations-entreprises ones are proven by the log.
    assert "02-liste-des-operations-suivies.xlsx" in by_kind["operations"]["pieces"]
    assert "02-liste-des-donneurs-d-ordre-accompagnes.xlsx" in by_kind["buyers"]["pieces"]
    assert "05-actions/liste-des-actions.xlsx" in by_kind["committees"]["pieces"]
    assert "07-clauses/liste-des-clauses.xlsx" in by_kind["tenders"]["pieces"]
    assert "03-tableau-d-impact.xlsx" in by_kind["participants"]["pieces"]
    for kind in ("companies_contacted", "offers_collected", "matchings", "site_visits", "employers_checked"):
        assert "06-extrait-du-journal-d-activite.xlsx" in by_kind[kind]["pieces"], kind
    assert "03-indicateurs-communs-fse.xlsx" in by_kind["participants"]["pieces"]
    # The extract lists every entry the targets counted, and only those.
    extract = _sheet(archive, "06-extrait-du-journal-d-activite.xlsx")
    dated = [row for row in extract if isinstance(row[0], datetime)]
    assert len(dated) == 21 and min(row[0] for row in dated).date() == FIRST


def test_a_territory_as_scope_takes_the_tenders_whose_works_are_there(session, world, territory):
    site_a, site_b = territory
    session.get(Tender, site_a.tender_id).site_city = "Liévin"
    session.get(Tender, site_b.tender_id).site_epci = "CA de Béthune-Bruay"
    other = make_site(session, world, lots=1, people=1, tag="TGC", months=(date(2026, 2, 1),))
    session.get(Tender, other.tender_id).site_city = "Arras"
    operation = operations.save_operation(session, staff_scope(world, Role.GESTIONNAIRE), {
        "title": "Clauses du bassin minier", "starts_on": FIRST, "ends_on": LAST,
        # Typed as people type: another case, no accent, a space for the hyphen.
        "site_areas": " lievin ;CA de Bethune Bruay,, ",
        "targets": [{"kind": "tenders", "target": Decimal(2)}, {"kind": "hours", "target": Decimal(90)}]})
    assert operation.site_areas == "lievin, CA de Bethune Bruay"
    spec = operations.spec_for(operation)
    assert set(spec.tender_ids) == {site_a.tender_id, site_b.tender_id}
    assert [t.achieved for t in operations.measured_targets(session, spec, AS_OF)] == [2, Decimal(90)]
