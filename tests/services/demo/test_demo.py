"""The demo territory: believable volumes, every role's account, hours up to this month."""

import os
import subprocess
import sys
from datetime import date

from sqlalchemy import func, select

from app.domain.enums import UPCOMING_STATUSES, Role
from app.models import Buyer, Company, HourRecord, Lot, Participant, Placement, Siae, Tender, User
from app.services.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_exists, month_starts, seed_demo
from tests.conftest import Browser, page_text


def count(session, model, organisation_id):
    return session.scalar(select(func.count(model.id)).where(model.organisation_id == organisation_id))


def test_seed_demo_builds_believable_territory(session):
    summary = seed_demo(session, today=date(2026, 11, 22))
    session.commit()
    org = summary.organisation_id
    assert count(session, Buyer, org) == 3
    assert count(session, Tender, org) == 8 + 4  # and four in the pipeline (Repérage), with no lot yet
    upcoming = session.scalars(select(Tender.status).where(Tender.organisation_id == org,
                                                           Tender.status.in_(UPCOMING_STATUSES))).all()
    assert len(upcoming) == 4
    assert 18 <= count(session, Lot, org) <= 22
    assert count(session, Company, org) == 12
    kinds = set(session.scalars(select(Siae.kind).where(Siae.organisation_id == org)))
    assert len(kinds) == 6
    assert count(session, Participant, org) == 60
    assert count(session, Placement, org) >= 60
    months = set(session.scalars(select(HourRecord.month_on).where(HourRecord.organisation_id == org)))
    assert max(months) == date(2026, 11, 1) and min(months) >= date(2025, 12, 1)
    assert len(months) == 12
    roles = set(session.scalars(select(User.role).where(User.organisation_id == org)))
    assert roles == set(Role)
    assert demo_exists(session)


def test_seed_demo_accounts_land_on_their_home(app, session):
    seed_demo(session)
    session.commit()
    for role, email in DEMO_ACCOUNTS.items():
        browser = Browser(app.test_client())
        assert browser.login(email, DEMO_PASSWORD).status_code == 302, role
        page = page_text(browser.get("/"))
        assert "Bonjour" in page and role.label in page


def test_month_starts_crosses_the_year():
    assert month_starts(date(2026, 2, 14), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


def test_seed_demo_command_migrates_empty_database(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "CLAUSIER_INSTANCE_PATH": str(tmp_path)}
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "app.cli", "seed-demo"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "Base vide : application des migrations" in first.stdout
    assert "facilitateur@demo.clausier.fr" in first.stdout
    again = subprocess.run([*command, "--if-empty"], env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "déjà chargées" in again.stdout
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "rien n'a été modifié" in refused.stderr
