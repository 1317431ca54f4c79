"""Timesheet intake: preview first, then all or nothing; same file never counted twice."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.access import Scope
from app.domain.enums import ContractType, HourSource, JobStatus, Modality, Role
from app.models import HourRecord, Job, Participant, Placement, User
from app.models.timesheets import ImportStatus, TimesheetImport
from app.queue import enqueue
from app.services import timesheets as svc
from app.services.jobs import create_job
from app.services.referential import ServiceError
from workers.jobs import analyse_timesheet_job

SHEET = "Relevé mensuel — SIAE ORG-A\nMois;mars 2026\n\nNom;Prénom;Heures travaillées;Dont formation\n{rows}"


def csv_bytes(*rows: tuple[str, str, str, str]) -> bytes:
    return SHEET.format(rows="\n".join(";".join(row) for row in rows)).encode("utf-8")


def scope_of(session, world, role=Role.FACILITATEUR) -> Scope:
    user = session.scalar(select(User).where(User.email == world.a.users[role]))
    return Scope.for_user(user)


def upload(session, world, data: bytes, *, role=Role.FACILITATEUR, month=None, name="releve.csv") -> TimesheetImport:
    scope = scope_of(session, world, role)
    session.info["scope"] = scope
    imp = svc.receive_timesheet(session, scope, structure_key=f"siae:{world.a.ids['siaes']['own']}", month=month,
                                lot_id=None, filename=name, data=data)
    job = create_job(session, "analyse_timesheet", organisation_id=scope.organisation_id, user_id=scope.user_id,
                     subject_id=imp.id)
    session.commit()
    enqueue(analyse_timesheet_job, job.id, imp.id)
    session.expire_all()
    return session.get(TimesheetImport, imp.id)


def records(session, world) -> int:
    session.expire_all()
    return session.scalar(select(func.coalesce(func.sum(HourRecord.minutes), 0)).where(
        HourRecord.placement_id == world.a.ids["placements"]["own"]))


def own_key(imp) -> str:
    return imp.preview["people"][0]["key"]


def test_import_preview_then_confirm_writes_records_with_source(session, world):
    before = records(session, world)
    imp = upload(session, world, csv_bytes(("Durand ORG-A", "Camille", "35,5", "7")))
    assert imp.status == ImportStatus.PREVIEW and imp.month_on == date(2026, 3, 1)
    person = imp.preview["people"][0]
    assert person["participant_id"] == world.a.ids["participants"]["own"] and person["hours"] == "35.5"
    assert records(session, world) == before, "nothing is written before confirmation"
    svc.confirm_import(session, session.info["scope"], imp.id, {own_key(imp): str(person["participant_id"])})
    session.commit()
    assert records(session, world) == before + 35 * 60 + 30
    record = session.scalar(select(HourRecord).where(HourRecord.import_id == imp.id))
    assert record.source == HourSource.IMPORT and record.training_minutes == 7 * 60
    assert record.month_on == date(2026, 3, 1) and record.source_ref == "releve.csv : ligne 5"


def test_import_same_file_twice_not_counted_twice(session, world):
    data = csv_bytes(("Durand ORG-A", "Camille", "20", "0"))
    imp = upload(session, world, data)
    svc.confirm_import(session, session.info["scope"], imp.id, {own_key(imp): str(imp.preview["people"][0]["participant_id"])})
    session.commit()
    total = records(session, world)
    with pytest.raises(ServiceError, match="déjà été enregistré"):
        upload(session, world, data, name="copie.csv")
    assert records(session, world) == total


def test_import_corrected_file_replaces_previous_month_keeps_history(session, world):
    first = upload(session, world, csv_bytes(("Durand ORG-A", "Camille", "20", "0")))
    pid = str(first.preview["people"][0]["participant_id"])
    svc.confirm_import(session, session.info["scope"], first.id, {own_key(first): pid})
    session.commit()
    base = records(session, world) - 20 * 60
    second = upload(session, world, csv_bytes(("Durand ORG-A", "Camille", "24", "0")), name="corrige.csv")
    svc.confirm_import(session, session.info["scope"], second.id, {own_key(second): pid})
    session.commit()
    assert records(session, world) == base + 24 * 60
    session.expire_all()
    old = session.get(TimesheetImport, first.id)
    assert old.status == ImportStatus.REPLACED and old.replaced_by_id == second.id and old.preview


def test_import_unknown_person_must_be_decided(session, world):
    imp = upload(session, world, csv_bytes(("Durand ORG-A", "Camille", "10", "0"), ("INCONNU", "Paul", "12", "0")))
    unknown = next(p for p in imp.preview["people"] if p["last_name"] == "INCONNU")
    assert unknown["participant_id"] is None
    assert any(w["code"] == "unknown_person" for w in imp.preview["warnings"])
    known = next(p for p in imp.preview["people"] if p is not unknown)
    before = records(session, world)
    with pytest.raises(ServiceError, match="Indiquez qui est « INCONNU Paul »"):
        svc.confirm_import(session, session.info["scope"], imp.id, {known["key"]: str(known["participant_id"])})
    session.rollback()
    assert records(session, world) == before
    svc.confirm_import(session, session.info["scope"], imp.id,
                       {known["key"]: str(known["participant_id"]), unknown["key"]: svc.IGNORE})
    session.commit()
    assert records(session, world) == before + 10 * 60


def test_import_unreadable_file_fails_in_french_and_writes_nothing(session, world):
    before = records(session, world)
    imp = upload(session, world, b"%PDF-1.4 tronque", name="scan.pdf")
    assert imp.status == ImportStatus.FAILED and imp.error
    job = session.scalar(select(Job).where(Job.subject_id == imp.id, Job.kind == "analyse_timesheet"))
    assert job.status == JobStatus.FAILED and job.message == imp.error
    assert records(session, world) == before


def test_import_empty_file_refused(session, world):
    with pytest.raises(ServiceError, match="Le fichier est vide"):
        upload(session, world, b"")


def test_import_structure_user_only_for_own_structure(session, world):
    scope = scope_of(session, world, Role.SIAE)
    session.info["scope"] = scope
    other = f"siae:{world.a.ids['siaes']['other']}"
    with pytest.raises(ServiceError, match="que pour votre structure"):
        svc.receive_timesheet(session, scope, structure_key=other, month=None, lot_id=None, filename="x.csv",
                              data=csv_bytes(("Durand ORG-A", "Camille", "1", "0")))


def add_placed_person(session, world, last: str, first: str) -> int:
    """Place one more participant with SIAE A1 (the sheets' structure)."""
    own = {"organisation_id": world.a.organisation_id}
    person = Participant(**own, code=f"P-{last}", last_name=last, first_name=first)
    session.add(person)
    session.flush()
    session.add(Placement(**own, participant_id=person.id, lot_id=world.a.ids["lots"]["own"],
                          siae_id=world.a.ids["siaes"]["own"], modality=Modality.ETTI,
                          contract_type=ContractType.MISSION_ETTI, starts_on=date(2026, 1, 5)))
    session.commit()
    return person.id


@pytest.mark.parametrize("fault_at", [0, 1, 2])
def test_import_fault_at_any_record_leaves_database_unchanged(session, world, monkeypatch, fault_at):
    ids = [world.a.ids["participants"]["own"], add_placed_person(session, world, "Martin", "Zoé"),
           add_placed_person(session, world, "Petit", "Léo")]
    imp = upload(session, world, csv_bytes(("Durand ORG-A", "Camille", "10", "0"), ("MARTIN", "Zoé", "11", "0"),
                                           ("PETIT", "Léo", "12", "0")))
    assert [p["participant_id"] for p in imp.preview["people"]] == ids
    before_count = session.scalar(select(func.count(HourRecord.id)))
    before_minutes = session.scalar(select(func.sum(HourRecord.minutes)))
    decisions = {p["key"]: str(p["participant_id"]) for p in imp.preview["people"]}
    calls = {"n": 0}
    original_add = session.add

    def failing_add(obj, *args, **kwargs):
        if isinstance(obj, HourRecord):
            if calls["n"] == fault_at:
                raise RuntimeError("panne simulée")
            calls["n"] += 1
        return original_add(obj, *args, **kwargs)

    monkeypatch.setattr(session, "add", failing_add)
    with pytest.raises(RuntimeError):
        svc.confirm_import(session, session.info["scope"], imp.id, decisions)
    session.rollback()
    monkeypatch.undo()
    session.expire_all()
    assert session.scalar(select(func.count(HourRecord.id))) == before_count
    assert session.scalar(select(func.sum(HourRecord.minutes))) == before_minutes
    assert session.get(TimesheetImport, imp.id).status == ImportStatus.PREVIEW
    # Once the fault is gone, the same preview confirms fully.
    svc.confirm_import(session, session.info["scope"], imp.id, decisions)
    session.commit()
    assert session.scalar(select(func.count(HourRecord.id))) == before_count + 3


def test_template_prefilled_with_placed_people(session, world):
    session.info["scope"] = scope_of(session, world)
    data, name = svc.build_template(session, f"siae:{world.a.ids['siaes']['own']}", "2026-03")
    assert name == f"releve-2026-03-siae-{world.a.ids['siaes']['own']}.xlsx"
    from app.domain.timesheets import parse_timesheet

    parsed = parse_timesheet(data)
    assert parsed.period == "2026-03"
    assert [(row.last_name, row.first_name) for row in parsed.rows] == [("DURAND ORG-A", "Camille")]
