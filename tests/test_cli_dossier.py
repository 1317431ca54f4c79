"""``clausier dossier build``: the same ZIP as the web job, French messages and exit 2 on bad input."""

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from datetime import date

import pytest

from tests.services.reports.followup_helpers import make_site


def run(app, *args):
    return app.test_cli_runner().invoke(args=["dossier", "build", *args])


@pytest.mark.parametrize(("args", "message"), [
    ([], "option(s) obligatoire(s) manquante(s) : --year, --out."),
    (["--year", "deux-mille", "--out", "x.zip"], "--year attend un nombre entier, pas « deux-mille »."),
    (["--year", "1999", "--out", "x.zip"], "année 1999 hors de la plage 2000–2100."),
    (["--year", "2026", "--out", "/nulle/part/x.zip"], "le dossier /nulle/part n'existe pas."),
    (["--year", "2026", "--out", "{tmp}"], "est un dossier"),
    (["--year", "2026", "--out", "{tmp}/x.zip"], "plusieurs organisations : précisez --organisation"),
    (["--year", "2026", "--out", "{tmp}/x.zip", "--organisation", "999999"], "aucune organisation"),
    (["--year", "2026", "--out", "{tmp}/x.zip", "--organisation", "{org}", "--operation", "999999"],
     "n'a pas d'opération FSE+ 999999"),
])
def test_dossier_build_bad_input_exit_2_in_french(app, world, tmp_path, args, message):
    args = [arg.format(tmp=tmp_path, org=world.a.organisation_id) for arg in args]
    result = run(app, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not list(tmp_path.iterdir())


def test_dossier_build_writes_the_zip_with_verified_manifest(app, session, world, tmp_path):
    make_site(session, world, lots=1, people=3, tag="CLI")
    session.commit()
    out = tmp_path / "dossier.zip"
    result = run(app, "--year", "2026", "--organisation", str(world.a.organisation_id), "--out", str(out),
                 "--sans-pdf")
    assert result.exit_code == 0, result.output
    assert f"Dossier écrit : {out}" in result.stdout and "Clauses sociales d'insertion 2026" in result.stdout
    archive = zipfile.ZipFile(out)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["data_as_of"] == date.today().isoformat()
    for piece in manifest["pieces"]:
        assert hashlib.sha256(archive.read(piece["filename"])).hexdigest() == piece["sha256"]
    assert not any(name.endswith(".pdf") and name.startswith("01-") for name in archive.namelist())
    assert [p.name for p in tmp_path.iterdir()] == ["dossier.zip"]  # no temporary file left


@pytest.mark.slow
def test_dossier_build_on_demo_data(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
           "CLAUSIER_INSTANCE_PATH": str(tmp_path)}
    env.pop("REDIS_URL", None)
    seed = subprocess.run([sys.executable, "-m", "app.cli", "seed-demo"], env=env, capture_output=True, text=True,
                          timeout=180)
    assert seed.returncode == 0, seed.stderr
    out = tmp_path / "FILE.zip"
    year = str(date.today().year)
    built = subprocess.run([sys.executable, "-m", "app.cli", "dossier", "build", "--year", year, "--out", str(out),
                            "--sans-pdf"], env=env, capture_output=True, text=True, timeout=180)
    assert built.returncode == 0, built.stderr
    names = zipfile.ZipFile(out).namelist()
    assert {"01-bilan-de-l-action.docx", "02-liste-des-marches-clauses.xlsx", "03-tableau-d-impact.xlsx",
            "indicateurs_vs_cibles.csv", "manifest.csv", "manifest.json"} <= set(names)
    assert any(name.startswith("05-emargements/") for name in names)


def test_the_operation_of_a_year_is_the_one_starting_in_it(app, session, world, tmp_path):
    from app.models import FseOperation

    own = {"organisation_id": world.a.organisation_id}
    make_site(session, world, lots=1, people=2, tag="CLIYEAR")
    session.add_all([FseOperation(**own, title="Relations entreprises 2025-2026", starts_on=date(2025, 9, 1),
                                  ends_on=date(2026, 8, 31)),
                     FseOperation(**own, title="Clauses 2026", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))])
    session.commit()
    org = str(world.a.organisation_id)
    for year, title in (("2025", "Relations entreprises 2025-2026"), ("2026", "Clauses 2026")):
        out = tmp_path / f"{year}.zip"
        result = run(app, "--year", year, "--organisation", org, "--out", str(out), "--sans-pdf")
        assert result.exit_code == 0, result.output
        assert json.loads(zipfile.ZipFile(out).read("manifest.json"))["operation"] == title
