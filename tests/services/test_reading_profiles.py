"""Reading profiles: a refused layout mapped once, the next month read with it, admin changes."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select

from app.cli.timesheet import timesheet
from app.models.timesheets import ImportStatus, ReadingProfile
from app.services import reading_profiles as profiles
from app.services import timesheets as svc
from app.services.referential import ServiceError
from tests.services.test_timesheet_import import upload

DATA = Path(__file__).resolve().parents[1] / "data" / "timesheets" / "profiles"
COLUMNS = {0: "full", 1: "id", 2: "hours", 3: "training", 4: "overtime", 5: "remarks"}


def learn(session, world, name="Export PlanRessources"):
    imp = upload(session, world, (DATA / "ressources_mars.xlsx").read_bytes(), name="export-mars.xlsx")
    assert imp.status == ImportStatus.FAILED
    mapping = profiles.build_mapping("Export", 2, COLUMNS | {6: "ignore"}, {6})
    imp = svc.learn_layout(session, session.info["scope"], imp.id, name, mapping)
    session.commit()
    return imp


def test_learn_layout_refused_file_read_and_profile_saved(session, world):
    imp = learn(session, world)
    assert imp.status == ImportStatus.PREVIEW and imp.preview["profile"] == "Export PlanRessources"
    assert [p["hours"] for p in imp.preview["people"]] == ["140", "155.67", "77"]
    saved = session.scalars(select(ReadingProfile)).one()
    assert saved.siae_id == imp.siae_id and saved.mapping["skip_labels"] == ["σ"]


def test_next_month_same_structure_read_with_the_saved_profile(session, world):
    learn(session, world)
    imp = upload(session, world, (DATA / "ressources_avril.xlsx").read_bytes(), name="export-avril.xlsx")
    assert imp.status == ImportStatus.PREVIEW and imp.preview["profile"] == "Export PlanRessources"
    assert imp.preview["period"] == "2026-04" and len(imp.preview["people"]) == 3
    assert session.scalars(select(ReadingProfile)).one().uses_count == 2  # March, then April


def test_profile_rename_and_delete(session, world):
    learn(session, world)
    profile = session.scalars(select(ReadingProfile)).one()
    profiles.rename_profile(session, profile.id, "  PlanRessources  (espaces verts) ")
    assert profile.name == "PlanRessources (espaces verts)"
    with pytest.raises(ServiceError):
        profiles.rename_profile(session, profile.id, " ")
    assert profiles.delete_profile(session, profile.id) == "PlanRessources (espaces verts)"
    assert session.scalars(select(ReadingProfile)).all() == []


def test_learn_layout_incomplete_mapping_refused_nothing_saved(session, world):
    imp = upload(session, world, (DATA / "ressources_mars.xlsx").read_bytes(), name="export-mars.xlsx")
    with pytest.raises(ServiceError, match="colonne du nom"):
        svc.learn_layout(session, session.info["scope"], imp.id, "X", profiles.build_mapping("Export", 2, {2: "hours"}, set()))
    assert session.scalars(select(ReadingProfile)).all() == []


def test_cli_parse_with_profile_reads_the_next_month(app, session, world):
    learn(session, world)
    result = CliRunner().invoke(timesheet, ["parse", str(DATA / "ressources_avril.xlsx"), "--profile",
                                            "Export PlanRessources"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert "profil de lecture « Export PlanRessources »" in result.stdout and "ZÉNOU Lou-Anne" in result.stdout


def test_cli_parse_unknown_profile_exits_2_in_french(app):
    result = CliRunner().invoke(timesheet, ["parse", str(DATA / "ressources_avril.xlsx"), "--json", "--profile",
                                            "Inconnu"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 2 and "Aucun profil de lecture ne s'appelle « Inconnu »" in result.stderr
