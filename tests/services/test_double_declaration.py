"""The same person and month declared by the lending SIAE and by the company count once."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.enums import Role
from app.models import HourRecord, Placement
from app.domain.timesheets import parse_timesheet
from app.services import declarations
from app.services import timesheets as svc
from app.services.reports.exports import ReportFilter
from app.services.reports.figures import scope_figures
from tests.services.test_timesheet_import import csv_bytes, scope_of

ETTI, COMPANY = "siae", "company"


def send(session, world, who: str, hours: str, decisions: dict | None = None, month: str = "2026-03"):
    """Upload and confirm a sheet of the own structure (SIAE or company) for Camille Durand."""
    scope = scope_of(session, world, Role.FACILITATEUR)
    session.info["scope"] = scope
    structure = world.a.ids["siaes" if who == ETTI else "companies"]["own"]
    data = csv_bytes(("Durand ORG-A", "Camille", hours, "0")).replace(b"mars 2026", month_label(month).encode())
    imp = svc.receive_timesheet(session, scope, structure_key=f"{who}:{structure}", month=month, lot_id=None,
                                filename=f"{who}-{hours}.csv", data=data)
    session.flush()
    svc.record_analysis(session, imp, parse_timesheet(data, imp.filename, period_hint=month), None, month)
    checks = svc.preview_checks(session, imp)
    key = imp.preview["people"][0]["key"]
    chosen = {key: str(world.a.ids["participants"]["own"])}
    chosen.update({f"{kind}:{key}": value for kind, value in (decisions or {}).items()})
    svc.confirm_import(session, scope, imp.id, chosen)
    session.flush()
    return checks[key]


def month_label(month: str) -> str:
    return {"2026-03": "mars 2026", "2025-12": "décembre 2025"}[month]


def counted(session, world, month_on=date(2026, 3, 1)) -> list[tuple[int, bool]]:
    session.expire_all()
    return [(r.minutes // 60, r.is_counted) for r in session.scalars(
        select(HourRecord).where(HourRecord.placement_id == world.a.ids["placements"]["own"],
                                 HourRecord.month_on == month_on).order_by(HourRecord.id))]


def march_hours(session, world) -> Decimal:
    flt = ReportFilter(world.a.organisation_id, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31))
    return scope_figures(session, flt).hours_done


@pytest.mark.parametrize("first, second", [(ETTI, COMPANY), (COMPANY, ETTI)])
def test_etti_and_company_sheets_same_month_count_once_declarant_of_record_stands(session, world, first, second):
    hours = {ETTI: "142", COMPANY: "168"}
    send(session, world, first, hours[first])
    check = send(session, world, second, hours[second])
    # The ETTI lends Camille: its figure stands whichever sheet came first.
    assert sorted(counted(session, world), key=lambda r: r[1]) == sorted(
        [(142, True), (168, False)], key=lambda r: r[1])
    assert march_hours(session, world) == 142
    if second == COMPANY:
        # The preview showed the first figure beside this one, named its declarant, and warned.
        assert [d.minutes for d in check["declared"]] == [142 * 60] and not check["is_record"]
        assert any("déclaré par" in message for message in check["warnings"])


def test_second_sheet_user_keeps_its_figure_first_kept_uncounted_with_why(session, world):
    send(session, world, ETTI, "142")
    send(session, world, COMPANY, "150", {"double": "this"})
    assert counted(session, world) == [(142, False), (150, True)]
    session.expire_all()
    first = session.scalar(select(HourRecord).where(HourRecord.minutes == 142 * 60))
    assert "Compté une seule fois" in first.count_note
    assert march_hours(session, world) == 150


@pytest.mark.parametrize("accepted, counted_hours", [(True, 20), (False, 0)])
def test_hours_outside_placement_dates_count_only_when_accepted(session, world, accepted, counted_hours):
    # The placement starts on 5 January 2026: December 2025 is outside its dates.
    check = send(session, world, ETTI, "20", {"outside": svc.ACCEPT} if accepted else None, month="2025-12")
    assert check["outside_hours"] == 20
    session.expire_all()
    record = session.scalar(select(HourRecord).where(HourRecord.month_on == date(2025, 12, 1),
                                                     HourRecord.placement_id == world.a.ids["placements"]["own"]))
    assert record.is_counted is accepted and "hors des dates" in record.count_note
    assert (record.accepted_by_id is not None, record.accepted_at is not None) == (accepted, accepted)
    flt = ReportFilter(world.a.organisation_id, starts_on=date(2025, 12, 1), ends_on=date(2025, 12, 31))
    assert scope_figures(session, flt).hours_done == counted_hours


def test_find_and_resolve_duplicates_written_before_the_check(session, world):
    placement = session.get(Placement, world.a.ids["placements"]["own"])
    send(session, world, ETTI, "142")
    send(session, world, COMPANY, "168")
    # Records doubled before this check existed: both counted.
    for record in session.scalars(select(HourRecord).where(HourRecord.placement_id == placement.id)):
        record.is_counted, record.count_note = True, ""
    session.flush()
    found = declarations.find_duplicates(session, world.a.organisation_id)
    assert [(d.placement_id, d.month_on, len(d.records)) for d in found] == [(placement.id, date(2026, 3, 1), 2)]
    alerts = declarations.month_checks(session, world.a.organisation_id, date(2026, 1, 1))
    assert [check.several_declarants for _name, check in alerts] == [True]
    declarations.resolve_duplicate(session, found[0], None, "admin@example.fr")
    assert counted(session, world) == [(142, True), (168, False)]
    assert declarations.find_duplicates(session, world.a.organisation_id) == []
    assert declarations.month_checks(session, world.a.organisation_id, date(2026, 1, 1)) == []


def test_cli_hours_duplicates_reports_then_resolves_nothing_deleted(app, session, world):
    send(session, world, ETTI, "142")
    send(session, world, COMPANY, "168")
    for record in session.scalars(select(HourRecord).where(
            HourRecord.placement_id == world.a.ids["placements"]["own"])):
        record.is_counted, record.count_note = True, ""
    session.commit()
    runner = app.test_cli_runner()
    organisation = ["--organisation", str(world.a.organisation_id)]
    report = runner.invoke(args=["hours", "duplicates", *organisation])
    assert report.exit_code == 3, report.output
    assert "Durand ORG-A".upper() in report.output and "03/2026" in report.output and "1 doublon(s)" in report.output
    assert counted(session, world) == [(142, True), (168, True)]
    resolved = runner.invoke(args=["hours", "duplicates", *organisation, "--resolve", "--by", "admin"])
    assert resolved.exit_code == 0, resolved.output
    assert counted(session, world) == [(142, True), (168, False)]
    assert runner.invoke(args=["hours", "duplicates", *organisation]).output.startswith("Aucune heure")


def test_company_template_lists_siae_lent_person_read_only_siae_template_to_fill(session, world):
    def column_a(key: str) -> list[str]:
        data, _name = svc.build_template(session, key, "2026-03")
        return [c.value for c in load_workbook(io.BytesIO(data)).active["A"] if c.value]

    company = column_a(f"company:{world.a.ids['companies']['own']}")
    assert any(text.startswith("DURAND ORG-A Camille") and "déclaré par SIAE ORG-A (lecture seule)" in text
               for text in company)
    assert "DURAND ORG-A" not in company
    assert "DURAND ORG-A" in column_a(f"siae:{world.a.ids['siaes']['own']}")
