"""``clausier decp import``: the JSON shape of issue #16, idempotence, exit codes 0 and 2."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import Buyer, Company, DecpRecord, Lot, Tender

DATA = Path(__file__).resolve().parent / "data" / "decp"


def run(app, world, *args):
    return app.test_cli_runner().invoke(
        args=["decp", "import", *map(str, args), "--organisation", str(world.a.organisation_id)])


def _count(session, model) -> int:
    return session.scalar(select(func.count(model.id)))


def test_decp_import_json_has_the_shape_of_the_issue(app, world):
    result = run(app, world, DATA / "v2_valid.json", "--json", "--dry-run", "--today", "2026-12-07")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report) == ["format", "contracts", "amount_total", "buyers", "companies", "flags", "warnings"]
    assert (report["format"], report["contracts"], report["amount_total"]) == ("v2", 4, "11919999.00")
    assert (report["buyers"], report["companies"]) == (2, 4)
    assert all(list(flag) == ["code", "contract", "message"] for flag in report["flags"])
    codes = {(flag["code"], flag["contract"]) for flag in report["flags"]}
    assert ("threshold_without_social_condition", "21590350100017-2026-001") in codes
    assert ("declared_clause_unknown", "21590350100017-2026-002") in codes
    # The default rules (division 45 from 129 000 €) apply: the médiathèque is clausable and not followed.
    assert ("clausable_not_followed", "21590350100017-2026-001") in codes


def test_decp_import_dry_run_writes_nothing(app, session, world):
    before = (_count(session, DecpRecord), _count(session, Buyer), _count(session, Company))
    result = run(app, world, DATA / "consolidated.csv", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "3 seraient créés" in result.stdout and "Simulation : rien n'a été enregistré." in result.stdout
    assert (_count(session, DecpRecord), _count(session, Buyer), _count(session, Company)) == before


def test_decp_import_twice_changes_nothing_the_second_time(app, session, world):
    first = run(app, world, DATA / "consolidated.csv")
    assert first.exit_code == 0, first.output
    assert "3 ont été créés" in first.stdout and "Acheteurs nouveaux : 2 ; entreprises nouvelles : 4." in first.stdout
    counts = (_count(session, DecpRecord), _count(session, Buyer), _count(session, Company))
    second = run(app, world, DATA / "consolidated.csv")
    assert "0 ont été créés, 0 ont été mis à jour, 3 déjà connus" in second.stdout
    assert "Acheteurs nouveaux : 0 ; entreprises nouvelles : 0." in second.stdout
    assert (_count(session, DecpRecord), _count(session, Buyer), _count(session, Company)) == counts
    school = session.scalar(select(DecpRecord).where(DecpRecord.decp_id == "2026-010"))
    assert school.amount_cents == 600_000_000 and len(school.holders) == 2
    assert school.buyer.name == "Commune de Lys" and school.social == "Pas de considération sociale"


def test_decp_import_flags_a_followed_clause_the_buyer_did_not_declare(app, session, world):
    buyer = Buyer(organisation_id=world.a.organisation_id, name="Commune de Lys", siret="21590350100017")
    tender = Tender(organisation_id=world.a.organisation_id, buyer=buyer, reference="2026-001", object="Médiathèque")
    tender.lots.append(Lot(organisation_id=world.a.organisation_id, number=1, label="Gros œuvre", hours_required=900))
    session.add(tender)
    session.commit()
    result = run(app, world, DATA / "v2_valid.json", "--json", "--dry-run")
    flags = {(f["code"], f["contract"]): f["message"] for f in json.loads(result.stdout)["flags"]}
    message = flags[("clause_not_declared", "21590350100017-2026-001")]
    assert "devrait publier « Clause sociale »" in message
    assert ("clausable_not_followed", "21590350100017-2026-001") not in flags


def test_decp_import_today_warns_about_future_notifications(app, world):
    result = run(app, world, DATA / "v2_valid.json", "--json", "--dry-run", "--today", "2026-09-05")
    codes = [w["code"] for w in json.loads(result.stdout)["warnings"]]
    assert codes == ["future_notification", "future_notification"]


def test_decp_import_file_with_warnings_exits_zero(app, world):
    result = run(app, world, DATA / "v2_invalid.json", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "point(s) à vérifier dans le fichier" in result.stdout


@pytest.mark.parametrize("content, args, message", [
    (b"{\"marches\": ", [], "le fichier JSON est mal formé"),
    (b"nom;prenom\n", [], "format non reconnu"),
    (b"", [], "le fichier est vide"),
    (None, [], "introuvable ou illisible"),
    (b"{\"marches\": []}", ["--today", "07/12/2026"], "--today attend une date AAAA-MM-JJ"),
])
def test_decp_import_unreadable_input_exits_2_in_french(app, world, tmp_path, content, args, message):
    path = tmp_path / "decp.json"
    if content is not None:
        path.write_bytes(content)
    result = run(app, world, path, "--json", *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and message in result.stderr and "Traceback" not in result.output
