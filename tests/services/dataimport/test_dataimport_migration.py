"""A territory migrated from spreadsheets: after the import, the dashboards' figures are the spreadsheets' own."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.access import Scope
from app.domain.dataimport import CREATE, ERROR, KINDS
from app.domain.enums import OrganisationKind
from app.domain.numbers import minutes_to_hours
from app.models import Organisation, Participant
from app.services.dataimport import apply_plan, plan_import, read_import
from app.services.reports.dashboards import build_dashboard
from app.services.reports.exports import ReportFilter
from tests.services.dataimport.territory import ANSWERS, generate


@pytest.fixture(scope="module")
def territory():
    return generate()


def migrate(session, scope, territory) -> dict[str, dict]:
    """Import every file of the territory in order, as the pages do; return each file's counts."""
    reports = {}
    for kind_name, filename, data in territory.files:
        kind = KINDS[kind_name]
        read = read_import(session, scope, kind, data)
        plan = plan_import(session, scope, kind, read.rows, read.mapping, read.value_maps)
        if plan.unknown:
            answers = ANSWERS.get(kind_name, {})
            assert {role: set(values) for role, values in plan.unknown.items()} == {
                role: set(values) for role, values in answers.items()}, plan.unknown
            plan = plan_import(session, scope, kind, read.rows, read.mapping, answers)
        errors = [result.to_dict() for result in plan.results if result.action == ERROR][:5]
        assert not errors, (filename, plan.unknown, errors)
        apply_plan(session, scope, plan, filename)
        session.commit()
        reports[kind_name] = plan.report(filename)
    return reports


def test_a_territory_migrated_from_spreadsheets_gives_the_spreadsheets_figures(session, territory):
    org = Organisation(name="PLIE du Littoral", kind=OrganisationKind.PLIE, territory="Littoral")
    session.add(org)
    session.flush()
    scope = Scope(organisation_id=org.id)
    reports = migrate(session, scope, territory)
    assert reports["participants"]["created"] == territory.participants == 2000
    assert reports["hours"]["created"] == territory.hour_rows
    assert len({reference for reference, _number in territory.lots}) == 90
    assert abs(territory.minutes_done / 60 - 350_000) < 3500  # about 350 000 hours

    dashboard = build_dashboard(session, ReportFilter(organisation_id=org.id), title="Territoire",
                                today=date(2026, 12, 7))
    by_lot = {(lot.tender_reference, lot.lot_number): lot for lot in dashboard.lots}
    assert set(by_lot) == set(territory.lots)
    for key, (required, minutes) in territory.lots.items():
        assert (by_lot[key].required, by_lot[key].done) == (Decimal(required), minutes_to_hours(minutes)), key
    assert dashboard.required == territory.hours_required
    assert dashboard.done == sum((minutes_to_hours(done) for _req, done in territory.lots.values()), Decimal(0))
    assert dashboard.indicators.participants == territory.placed_participants
    assert session.scalar(select(func.count(Participant.id)).where(Participant.organisation_id == org.id)) == 2000

    # The same files again change nothing.
    again = migrate(session, scope, territory)
    assert all(report["created"] == report["updated"] == 0 for report in again.values()), {
        kind: (report["created"], report["updated"]) for kind, report in again.items()}
    assert CREATE not in {row["action"] for report in again.values() for row in report["rows"]}
