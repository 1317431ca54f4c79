"""Timesheet analysis: a number of SQL queries that does not grow with the people of the sheet."""

from datetime import date

from sqlalchemy import select

from app.access import Scope
from app.db import db
from app.domain.enums import Role
from app.models.timesheets import TimesheetImport
from app.services import timesheets as svc
from tests.services.reports.followup_helpers import QueryCounter, make_site

# Reading a sheet, then the checks of its preview: a handful of queries each, whatever the people.
ANALYSIS_BOUND, CHECKS_BOUND = 15, 8


def last_names(count: int) -> tuple[str, ...]:
    """Return ``count`` distinct letter-only last names (AABERT, ABBERT…)."""
    return tuple(f"{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}BERT" for i in range(count))


def placed_sheet(session, world, people: int, tag: str, unknown: int = 0, months: tuple[date, ...] = (
        date(2026, 3, 1), date(2026, 4, 1)), period: str = "mars 2026") -> tuple[int, bytes]:
    """Place ``people`` with a new company; return it and a sheet naming them (plus strangers).

    The people's own hours of the sheet's month (``months``) make the preview ask which figure counts.
    """
    site = make_site(session, world, lots=2, people=people, tag=tag, last_names=last_names(people), months=months)
    # The lot named on each line makes the checks look at the placements' lots too.
    lines = [f"{name};Amélie;Lot {1 + index % 2};{20 + index % 5},5;1" for index, name in enumerate(last_names(people))]
    lines += [f"INCONNU{chr(65 + i % 26)};Paul;;12;0" for i in range(unknown)]
    data = (f"Mois;{period}\n\nNom;Prénom;Lot;Heures travaillées;Dont formation\n" + "\n".join(lines)
            + "\n").encode()
    return site.company_id, data


def received(session, world, company_id: int, data: bytes) -> TimesheetImport:
    scope = Scope(organisation_id=world.a.organisation_id, role=Role.FACILITATEUR)
    session.info["scope"] = scope
    imp = svc.receive_timesheet(session, scope, structure_key=f"company:{company_id}", month=None, lot_id=None,
                                filename="mars.csv", data=data)
    session.commit()
    return imp


def analysis_queries(session, world, people: int, tag: str) -> tuple[int, int]:
    """Return the queries of reading a sheet of ``people`` and of the preview's checks."""
    company_id, data = placed_sheet(session, world, people, tag, unknown=2)
    imp = received(session, world, company_id, data)
    with QueryCounter() as analysis:
        svc.run_analysis(imp.id)
    scoped = db.session(scope=Scope(organisation_id=world.a.organisation_id, role=Role.FACILITATEUR))
    try:
        imp = scoped.scalar(select(TimesheetImport).where(TimesheetImport.id == imp.id))
        assert imp.status.value == "preview" and len(imp.preview["people"]) == people + 2
        assert sum(1 for person in imp.preview["people"] if person["participant_id"]) == people
        with QueryCounter() as checks:
            assert len(svc.preview_checks(scoped, imp)) == people
    finally:
        scoped.close()
    return analysis.count, checks.count


def test_timesheet_analysis_queries_do_not_grow_with_people(session, world):
    small = analysis_queries(session, world, 5, "TSQ1")
    big = analysis_queries(session, world, 60, "TSQ2")
    assert small == big, (small, big)
    assert big[0] <= ANALYSIS_BOUND and big[1] <= CHECKS_BOUND, big


def test_timesheet_template_queries_do_not_grow_with_people(session, world):
    session.info["scope"] = Scope(organisation_id=world.a.organisation_id, role=Role.FACILITATEUR)
    counts = []
    for people, tag in ((5, "TSQ3"), (60, "TSQ4")):
        company_id, _ = placed_sheet(session, world, people, tag)
        session.commit()
        session.expire_all()
        with QueryCounter() as counter:
            svc.build_template(session, f"company:{company_id}", "2026-03")
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
