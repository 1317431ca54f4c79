"""``clausier import KIND FILE``: the JSON report, dry run, all or nothing (exit 1), unusable input (exit 2)."""

import json

from sqlalchemy import func, select

from app.models import Company, Siae
from tests.services.dataimport import files


def run(app, world, tmp_path, data, *args, name="export.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return app.test_cli_runner().invoke(
        args=["import", *args[:1], str(path), *args[1:], "--organisation", str(world.a.organisation_id)])


def _count(session, model) -> int:
    return session.scalar(select(func.count(model.id)))


def test_cli_import_json_shape_and_twice_nothing(app, session, world, tmp_path):
    result = run(app, world, tmp_path, files.SIAE_TOOL, "siae", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report) == ["kind", "file", "created", "updated", "unchanged", "errors", "rows"]
    assert (report["kind"], report["file"], report["created"], report["errors"]) == ("siae", "export.csv", 3, 0)
    assert list(report["rows"][0]) == ["row", "action", "key", "reasons", "changes"]
    again = json.loads(run(app, world, tmp_path, files.SIAE_TOOL, "siae", "--json").stdout)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)


def test_cli_import_dry_run_writes_nothing(app, session, world, tmp_path):
    before = _count(session, Company)
    result = run(app, world, tmp_path, files.COMPANIES_HANDMADE, "companies", "--dry-run", name="liste.xlsx")
    assert result.exit_code == 0, result.output
    assert "2\u00a0fiches à créer, 0\u00a0mise à jour à faire" in result.stdout
    assert "Simulation : rien n'a été enregistré." in result.stdout
    assert _count(session, Company) == before


def test_cli_import_errors_exit_1_and_write_nothing(app, session, world, tmp_path):
    data = files.tool_csv(["N° SIRET", "Raison sociale", "Type de structure"],
                          [[files.SIRETS[0], "Bonne", "ACI"], [files.SIRETS[1], "Inconnue", "EITI"]])
    before = _count(session, Siae)
    result = run(app, world, tmp_path, data, "siae")
    assert result.exit_code == 1, result.output
    assert "ligne 3 (erreur)" in result.stdout and "« EITI »" in result.stdout
    assert "rien n'a été enregistré" in result.stdout
    assert _count(session, Siae) == before


def test_cli_import_missing_column_exit_2(app, world, tmp_path):
    data = files.tool_csv(["Raison sociale", "Ville"], [["Sans SIRET", "Lille"]])
    result = run(app, world, tmp_path, data, "companies")
    assert result.exit_code == 2
    assert "Colonne obligatoire introuvable : « SIRET »" in result.stderr
    assert "« Raison sociale », « Ville »" in result.stderr


def test_cli_import_unknown_kind_or_profile_exit_2(app, world, tmp_path):
    assert "Type d'import inconnu « salaires »" in run(app, world, tmp_path, files.SIAE_TOOL, "salaires").stderr
    result = run(app, world, tmp_path, files.SIAE_TOOL, "siae", "--profile", "Absent")
    assert result.exit_code == 2 and "Aucun profil d'import « Absent »" in result.stderr


def test_cli_import_maps_another_tool_codes_and_saves_the_profile(app, session, world, tmp_path):
    data = files.tool_csv(["N° SIRET", "Raison sociale", "Type de structure"],
                          [[files.SIRETS[0], "Chantier A", "Chantier d'insertion"], [files.SIRETS[1], "B", "Ent. ins."]])
    refused = run(app, world, tmp_path, data, "siae")
    assert refused.exit_code == 1 and "--map kind:Ent. ins.=CODE, CODE parmi EI, ETTI" in refused.stdout
    bad = run(app, world, tmp_path, data, "siae", "--map", "kind:Ent. ins.=ENTREPRISE")
    assert bad.exit_code == 2 and "« ENTREPRISE » n'est pas un code de « Type de structure »" in bad.stderr
    assert run(app, world, tmp_path, data, "siae", "--map", "kind=EI").exit_code == 2
    assert run(app, world, tmp_path, data, "siae", "--dry-run", "--save-profile", "Outil X").exit_code == 2
    done = run(app, world, tmp_path, data, "siae", "--map", "kind:ent ins=EI", "--map", "kind:Chantier d'insertion=ACI",
               "--save-profile", "Outil X")
    assert done.exit_code == 0, done.output
    assert "2\u00a0fiches créées" in done.stdout and "Import enregistré." in done.stdout
    kinds = dict(session.execute(select(Siae.siret, Siae.kind).where(Siae.siret.in_(files.SIRETS[:2]))).all())
    assert {kind.value for kind in kinds.values()} == {"ACI", "EI"}
    # The next export of the same tool is read with the saved codes, by name or by its header line.
    again = files.tool_csv(["N° SIRET", "Raison sociale", "Type de structure"], [[files.SIRETS[2], "C", "Ent. ins."]])
    assert run(app, world, tmp_path, again, "siae", "--profile", "Outil X", "--dry-run").exit_code == 0
    assert run(app, world, tmp_path, again, "siae", "--dry-run").exit_code == 0


def test_cli_export_then_import_changes_nothing(app, session, world, tmp_path):
    assert run(app, world, tmp_path, files.SIAE_TOOL, "siae").exit_code == 0
    out = tmp_path / "siae.xlsx"
    exported = app.test_cli_runner().invoke(args=["export", "siae", str(out), "--organisation",
                                                  str(world.a.organisation_id)])
    assert exported.exit_code == 0, exported.output
    assert "clausier import siae" in exported.stdout
    again = app.test_cli_runner().invoke(args=["import", "siae", str(out), "--json", "--organisation",
                                               str(world.a.organisation_id)])
    report = json.loads(again.stdout)
    assert again.exit_code == 0 and (report["created"], report["updated"], report["errors"]) == (0, 0, 0)
    assert report["unchanged"] >= 3
