"""The dashboards' figure cache: served while the data stay the same, recomputed as soon as they change."""

from datetime import date

from sqlalchemy import insert, update

from app.access import Scope
from app.db import db
from app.domain.enums import HourSource, Role
from app.models import AuditEvent, HourRecord, Lot
from app.services.reports.dashboards import build_dashboard
from app.services.reports.exports import ReportFilter
from app.services.figure_cache import data_version, figure_cache
from tests.services.reports.followup_helpers import TODAY, make_site


def _hours(session, world, site, hours: int, month: date = date(2026, 6, 1)) -> HourRecord:
    row = HourRecord(organisation_id=world.a.organisation_id, placement_id=site.placement_ids[0], month_on=month,
                     minutes=hours * 60, source=HourSource.SAISIE)
    session.add(row)
    session.commit()
    return row


def test_every_write_to_the_figures_moves_the_data_version_of_its_organisation_only(session, world):
    site = make_site(session, world, lots=1, people=2, tag="DV1")
    session.commit()
    own, other = world.a.organisation_id, world.b.organisation_id
    start, other_start = data_version(session, own), data_version(session, other)
    _hours(session, world, site, 7)
    after_orm = data_version(session, own)
    assert after_orm != start and data_version(session, other) == other_start
    # A bulk insert names its organisation in every row.
    session.execute(insert(HourRecord), [{"organisation_id": own, "placement_id": site.placement_ids[1],
                                          "month_on": date(2026, 7, 1), "minutes": 60,
                                          "source": HourSource.SAISIE}])
    session.commit()
    after_bulk = data_version(session, own)
    assert after_bulk != after_orm and data_version(session, other) == other_start
    # An UPDATE by condition may touch any organisation: every organisation's version moves.
    session.execute(update(Lot).where(Lot.id == site.lot_ids[0]).values(hours_required=1200))
    session.commit()
    assert data_version(session, own) != after_bulk and data_version(session, other) != other_start


def test_writes_outside_the_figures_and_rolled_back_writes_leave_the_version(session, world):
    site = make_site(session, world, lots=1, people=1, tag="DV2")
    session.commit()
    start = data_version(session, world.a.organisation_id)
    session.add(AuditEvent(organisation_id=world.a.organisation_id, action="read", object_type="participant",
                           object_id=1, detail="lecture"))
    session.commit()
    assert data_version(session, world.a.organisation_id) == start
    session.add(HourRecord(organisation_id=world.a.organisation_id, placement_id=site.placement_ids[0],
                           month_on=date(2026, 8, 1), minutes=60, source=HourSource.SAISIE))
    session.flush()
    assert data_version(session, world.a.organisation_id) != start  # this transaction sees its own change
    session.rollback()
    assert data_version(session, world.a.organisation_id) == start


def test_dashboard_is_served_from_the_cache_until_hours_change(session, world):
    site = make_site(session, world, lots=2, people=3, tag="DV3")
    session.commit()
    flt = ReportFilter(world.a.organisation_id, tender_ids=(site.tender_id,))
    first = build_dashboard(session, flt, title="Premier", today=TODAY)
    hits = figure_cache.hits
    again = build_dashboard(session, flt, title="Second", today=TODAY)
    assert figure_cache.hits == hits + 1
    assert again.title == "Second" and again.done == first.done
    # Any change in the organisation recomputes (the version is the organisation's, not the tender's).
    make_site(session, world, lots=1, people=1, tag="DV3B")
    session.commit()
    misses = figure_cache.misses
    build_dashboard(session, flt, title="Troisième", today=TODAY)
    assert figure_cache.misses == misses + 1
    _hours(session, world, site, 100)
    changed = build_dashboard(session, flt, title="Après", today=TODAY)
    assert changed.done == first.done + 100
    # Another day is another projection: never the cached one.
    misses = figure_cache.misses
    build_dashboard(session, flt, title="Demain", today=date(2026, 11, 23))
    assert figure_cache.misses == misses + 1


def test_another_organisation_change_keeps_the_cached_dashboard(session, world):
    site = make_site(session, world, lots=1, people=2, tag="DV4")
    session.commit()
    flt = ReportFilter(world.a.organisation_id, tender_ids=(site.tender_id,))
    build_dashboard(session, flt, title="A", today=TODAY)
    hits = figure_cache.hits
    session.add(HourRecord(organisation_id=world.b.organisation_id, placement_id=world.b.ids["placements"]["own"],
                           month_on=date(2026, 6, 1), minutes=600, source=HourSource.SAISIE))
    session.commit()
    build_dashboard(session, flt, title="A", today=TODAY)
    assert figure_cache.hits == hits + 1


def test_a_structure_user_never_reads_figures_cached_for_the_whole_organisation(session, world):
    site = make_site(session, world, lots=1, people=2, tag="DV5")
    session.commit()
    flt = ReportFilter(world.a.organisation_id, tender_ids=(site.tender_id,))
    with db.session_scope(scope=Scope(organisation_id=world.a.organisation_id, role=Role.FACILITATEUR)) as staff:
        build_dashboard(staff, flt, title="Équipe", today=TODAY)
    misses = figure_cache.misses
    with db.session_scope(scope=Scope(organisation_id=world.a.organisation_id, role=Role.SIAE,
                                      siae_id=world.a.ids["siaes"]["own"])) as structure:
        build_dashboard(structure, flt, title="SIAE", today=TODAY)
    assert figure_cache.misses == misses + 1


def test_disabled_cache_computes_every_time(session, world, monkeypatch):
    site = make_site(session, world, lots=1, people=1, tag="DV6")
    session.commit()
    monkeypatch.setattr(figure_cache, "enabled", False)
    flt = ReportFilter(world.a.organisation_id, tender_ids=(site.tender_id,))
    hits = figure_cache.hits
    build_dashboard(session, flt, title="A", today=TODAY)
    build_dashboard(session, flt, title="A", today=TODAY)
    assert figure_cache.hits == hits


def test_pruning_old_changes_keeps_every_organisation_version(session, world):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import func, select

    from app.models import DataChange
    from app.services.figure_cache import prune_data_changes

    site = make_site(session, world, lots=1, people=1, tag="DV7")
    session.commit()
    for hours in (1, 2, 3):
        _hours(session, world, site, hours, month=date(2026, 3 + hours, 1))
    versions = {org: data_version(session, org) for org in (world.a.organisation_id, world.b.organisation_id)}
    later = datetime.now(UTC) + timedelta(days=2)
    removed = prune_data_changes(session, now=later)
    session.commit()
    assert removed >= 3
    assert {org: data_version(session, org) for org in versions} == versions
    assert session.scalar(select(func.count()).select_from(DataChange)) <= 3  # a, b and "every organisation"
