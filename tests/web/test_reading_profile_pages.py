"""Reading-profile pages: the grid, the live result, saving, and the admin list."""

from pathlib import Path

from sqlalchemy import select

from app.domain.enums import Role
from app.models.timesheets import ImportStatus, ReadingProfile, TimesheetImport
from tests.conftest import page_text
from tests.web.test_timesheets_pages import post_upload

DATA = Path(__file__).resolve().parents[1] / "data" / "timesheets" / "profiles"
GRID = {"feuille": "Export", "entete": "3", "col-0": "full", "col-1": "id", "col-2": "hours", "col-3": "training",
        "col-4": "overtime", "col-5": "remarks", "sauter": "7"}


def refused_import(browser, world, session, name="ressources_mars.xlsx"):
    response = post_upload(browser, world, data=(DATA / name).read_bytes(), name=name)
    page = page_text(browser.get(response.headers["Location"]))
    imp = session.scalar(select(TimesheetImport).order_by(TimesheetImport.id.desc()))
    return imp, page


def test_refused_file_offers_the_grid_with_suggested_columns(login, world, session):
    browser = login(Role.FACILITATEUR)
    imp, page = refused_import(browser, world, session)
    assert imp.status == ImportStatus.FAILED and "indiquer vous-même les colonnes" in page
    grid = page_text(browser.get(f"/releves/{imp.id}/lecture"))
    assert "Mme BERTRAND-N'GOMA Océane" in grid and 'value="3"' in grid  # the header line, suggested
    assert "Choisissez ce que contient chaque colonne" in grid


def test_grid_shows_the_result_then_saves_the_profile(login, world, session):
    browser = login(Role.FACILITATEUR)
    imp, _ = refused_import(browser, world, session)
    shown = page_text(browser.get(f"/releves/{imp.id}/lecture", query_string=GRID))
    assert "3\u00a0lignes lues, mars 2026." in shown and "DE LA ROCHE Édouard" in shown and "155,67 h" in shown
    assert "dont 4 h supplémentaires" in shown
    saved = browser.post(f"/releves/{imp.id}/lecture", GRID | {"nom": "PlanRessources"})
    assert saved.status_code == 302
    page = page_text(browser.get(saved.headers["Location"]))
    assert "Lu avec le profil de lecture « PlanRessources »." in page and "Ce que Clausier a compris" in page
    again, page = refused_import(browser, world, session, "ressources_avril.xlsx")
    assert again.status == ImportStatus.PREVIEW and "Lu avec le profil de lecture « PlanRessources »." in page
    assert "ZÉNOU Lou-Anne" in page


def test_grid_incomplete_mapping_explained_nothing_saved(login, world, session):
    browser = login(Role.FACILITATEUR)
    imp, _ = refused_import(browser, world, session)
    shown = page_text(browser.get(f"/releves/{imp.id}/lecture", query_string={"entete": "3", "col-2": "hours"}))
    assert "Indiquez au moins la colonne du nom" in shown and "Enregistrer ce profil" not in shown
    refused = browser.post(f"/releves/{imp.id}/lecture", {"entete": "3", "col-2": "hours", "nom": "X"})
    assert refused.status_code == 200 and "Rien n'a été enregistré" in page_text(refused)
    assert session.scalars(select(ReadingProfile)).all() == []


def test_admin_lists_renames_and_deletes_profiles(login, world, session):
    facilitator = login(Role.FACILITATEUR)
    imp, _ = refused_import(facilitator, world, session)
    facilitator.post(f"/releves/{imp.id}/lecture", GRID | {"nom": "PlanRessources"})
    assert facilitator.get("/releves/profils").status_code == 403
    admin = login(Role.ADMIN)
    listing = page_text(admin.get("/releves/profils"))
    assert "PlanRessources" in listing and "Heures supplémentaires" in listing and "SIAE ORG-A" in listing
    profile = session.scalars(select(ReadingProfile)).one()
    renamed = admin.post(f"/releves/profils/{profile.id}/renommer", {"nom": "PlanRessources v4"})
    assert "Profil renommé : « PlanRessources v4 »." in page_text(admin.get(renamed.headers["Location"]))
    deleted = admin.post(f"/releves/profils/{profile.id}/supprimer")
    assert "supprimé" in page_text(admin.get(deleted.headers["Location"]))
    session.expire_all()
    assert session.scalars(select(ReadingProfile)).all() == []
