"""Over a year of demo data, the structures reminded each month are the dashboard's missing sheets."""

import random
from datetime import date

from sqlalchemy import delete, select

from app.domain.reports import month_key
from app.models import HourRecord, Placement, Siae
from app.models.base import utcnow
from app.services.demo.seed import seed_demo
from app.services.mail.reminders import send_reminders
from app.services.reports.dashboards import build_dashboard
from app.services.reports.exports import ReportFilter


def _employer_key(siae_id, company_id) -> str:
    return f"siae:{siae_id}" if siae_id is not None else f"company:{company_id}"


def _punch_gaps(session, organisation_id: int, rng: random.Random) -> int:
    """Delete every hour of some structures for some months, as if their sheet never came."""
    placements = session.execute(select(Placement.id, Placement.siae_id, Placement.company_id)
                                 .where(Placement.organisation_id == organisation_id)).all()
    by_structure: dict[str, list[int]] = {}
    for placement_id, siae_id, company_id in placements:
        by_structure.setdefault(_employer_key(siae_id, company_id), []).append(placement_id)
    gaps = 0
    for month in range(1, 12):
        for ids in by_structure.values():
            if rng.random() < 0.3:
                gaps += session.execute(delete(HourRecord).where(
                    HourRecord.placement_id.in_(ids), HourRecord.month_on == date(2026, month, 1))).rowcount
    return gaps


def test_reminded_structures_match_dashboard_missing_sheets_every_month(session, site):
    demo = seed_demo(session, today=date(2026, 12, 20))
    for siae in session.scalars(select(Siae).where(Siae.organisation_id == demo.organisation_id)):
        siae.contact_email = f"releves@siae-{siae.id}.example.fr"  # the demo SIAE have no address
    assert _punch_gaps(session, demo.organisation_id, random.Random(19)) > 0
    session.flush()
    reminded_months = 0

    for month in range(2, 13):
        today = date(2026, month, 5)
        wanted = month_key(date(2026, month - 1, 1))
        dashboard = build_dashboard(session, ReportFilter(organisation_id=demo.organisation_id), title="", today=today)
        alerts = {item.structure_key for item in dashboard.missing if item.month == wanted}

        report = send_reminders(session, site, today=today, now=utcnow())

        reminded = {_employer_key(mail.siae_id, mail.company_id) for mail in report.queued
                    if mail.kind == "sheet_reminder" and mail.organisation_id == demo.organisation_id}
        assert reminded == alerts, (wanted, sorted(reminded ^ alerts))
        reminded_months += bool(reminded)
    assert reminded_months >= 6
