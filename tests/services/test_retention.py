"""Retention purge: inactive participants anonymised, FSE+ figures kept, dry run changes nothing."""

from datetime import date, timedelta

from sqlalchemy import func, select

from app.domain.enums import Criterion, JobStatus
from app.domain.liaison.workflow import PositioningStatus
from app.domain.reports.attendance import ActionKind
from app.models import (
    Bilan,
    CollectiveAction,
    Dossier,
    Fiche,
    FseOperation,
    HourRecord,
    Job,
    Participant,
    ParticipantCriterion,
    Positioning,
    PositioningChange,
    StoredFile,
)
from app.models.base import utcnow
from app.services.files import store_file
from app.services.jobs import create_job
from app.services.retention import ANONYMOUS, DOWNLOAD_FILE_KINDS, PERSONAL_FILE_KINDS, purge_personal_data


def make_old(session, world):
    person = session.get(Participant, world.a.ids["participants"]["own"])
    person.criteria.append(ParticipantCriterion(organisation_id=world.a.organisation_id, criterion=Criterion.RQTH,
                                                proof_on=date(2026, 1, 2)))
    session.commit()
    return person.id


def test_purge_spares_recent_participants(session, world):
    report = purge_personal_data(session)
    assert world.a.ids["participants"]["own"] not in report.participants


def test_purge_anonymises_after_two_years_and_keeps_hours(session, world):
    pid = make_old(session, world)
    minutes = session.scalar(select(func.sum(HourRecord.minutes)))
    report = purge_personal_data(session, now=utcnow() + timedelta(days=3 * 365))
    session.commit()
    assert pid in report.participants and report.health_criteria_removed >= 1
    person = session.get(Participant, pid)
    assert person.last_name == ANONYMOUS and person.first_name == person.code
    assert person.birth_on == date(1990, 1, 1) and person.phone == "" and person.anonymised_at
    assert {c.criterion for c in person.criteria} == {Criterion.BRSA}
    assert all(c.proof_on is None for c in person.criteria)
    assert session.scalar(select(func.sum(HourRecord.minutes))) == minutes
    assert "participants anonymisés" in report.summary()


def test_purge_dry_run_by_rollback_changes_nothing(session, world):
    pid = make_old(session, world)
    purge_personal_data(session, now=utcnow() + timedelta(days=3 * 365))
    session.rollback()
    assert session.get(Participant, pid).last_name == "Durand ORG-A"


def test_reconciler_requeues_stuck_job_then_fails_after_attempts(session, world, monkeypatch):
    from workers import maintenance

    job = create_job(session, "summarise_tender_progress", organisation_id=world.a.organisation_id, user_id=None,
                     subject_id=world.a.ids["tenders"]["own"])
    job.status = JobStatus.RUNNING
    session.commit()
    ran = []
    monkeypatch.setattr(maintenance, "enqueue", lambda fn, *ids: ran.append((fn.__name__, ids)))
    assert maintenance.reconcile_jobs(stale_after=timedelta(seconds=-1)) == (1, 0)
    assert ran == [("summarise_tender_progress_job", (job.id, world.a.ids["tenders"]["own"]))]
    session.expire_all()
    assert session.get(Job, job.id).status == JobStatus.QUEUED and session.get(Job, job.id).attempts == 1
    for _ in range(3):
        maintenance.reconcile_jobs(stale_after=timedelta(seconds=-1))
    session.expire_all()
    final = session.get(Job, job.id)
    assert final.status == JobStatus.FAILED and "interrompu" in final.message


def test_reconciler_fails_unknown_kinds(session, world):
    from workers import maintenance

    job = create_job(session, "ancien_type", organisation_id=world.a.organisation_id, user_id=None)
    session.commit()
    assert maintenance.reconcile_jobs(stale_after=timedelta(seconds=-1)) == (0, 1)


LATER = timedelta(days=3 * 365)


def positioned(session, world, pid: int) -> int:
    """Propose the participant on a fiche, with RQTH, proof dates and an override reason."""
    own = {"organisation_id": world.a.organisation_id}
    fiche = Fiche(**own, company_id=world.a.ids["companies"]["own"], job_title="Maçon")
    session.add(fiche)
    session.flush()
    snapshot = {"checked_on": "2026-03-01", "validity_months": 3, "is_eligible": True, "criteria": [
        {"criterion": "rqth", "status": "valid", "proof_on": "2026-02-01", "valid_until": "2026-05-01"},
        {"criterion": "brsa", "status": "valid", "proof_on": "2026-02-03", "valid_until": "2026-05-03"}]}
    positioning = Positioning(**own, fiche_id=fiche.id, participant_id=pid, is_override=True,
                              override_reason="RQTH en cours de renouvellement, vu avec le médecin", eligibility=snapshot)
    positioning.changes.append(PositioningChange(**own, to_status=PositioningStatus.PROPOSE, note="suivi santé"))
    session.add(positioning)
    session.commit()
    return positioning.id


def test_purge_clears_positioning_snapshots_of_anonymised_participants(session, world):
    pid = make_old(session, world)
    positioning_id = positioned(session, world, pid)
    report = purge_personal_data(session, now=utcnow() + LATER)
    session.commit()
    session.expire_all()
    positioning = session.get(Positioning, positioning_id)
    assert report.positionings_cleared == 1
    assert [item["criterion"] for item in positioning.eligibility["criteria"]] == ["brsa"]
    assert all(item["proof_on"] is None and item["valid_until"] is None for item in positioning.eligibility["criteria"])
    assert positioning.eligibility["is_eligible"] is True, "the verdict stays for the FSE+ figures"
    assert positioning.override_reason is None and positioning.is_override
    assert [change.note for change in positioning.changes] == [""]
    # A second run has nothing left to clear.
    assert purge_personal_data(session, now=utcnow() + LATER).positionings_cleared == 0


def test_purge_keeps_positionings_of_active_participants(session, world):
    positioning_id = positioned(session, world, world.a.ids["participants"]["own"])
    purge_personal_data(session)
    session.commit()
    assert session.get(Positioning, positioning_id).override_reason.startswith("RQTH")


def nominative_files(session, world) -> dict[str, int]:
    own = {"organisation_id": world.a.organisation_id}
    org = world.a.organisation_id
    operation = FseOperation(**own, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), title="Clauses 2026")
    action = CollectiveAction(**own, kind=ActionKind.INFORMATION_MEETING, title="Réunion", place="Mairie", organiser="PLIE",
                              starts_at=utcnow().replace(tzinfo=None))
    session.add_all([operation, action])
    session.flush()
    dossier = Dossier(**own, fse_operation_id=operation.id, data_as_of=date(2026, 3, 1), pieces_count=4)
    bilan = Bilan(**own, subject="all", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    session.add_all([dossier, bilan])
    session.flush()
    dossier.file_id = store_file(session, org, "dossier", dossier.id, "dossier.zip", "application/zip", b"PK nominatif").id
    bilan.pdf_file_id = store_file(session, org, "bilan", bilan.id, "bilan.pdf", "application/pdf", b"%PDF noms").id
    action.signed_scan_file_id = store_file(session, org, "collective_action", action.id, "emargement.pdf",
                                            "application/pdf", b"%PDF signatures").id
    convention_scan = store_file(session, org, "convention_scan", 1, "convention.pdf", "application/pdf", b"%PDF")
    session.commit()
    return {"dossier": dossier.id, "bilan": bilan.id, "action": action.id, "kept": convention_scan.id}


def test_purge_deletes_nominative_files_past_retention_and_keeps_their_rows(session, world):
    made = nominative_files(session, world)
    assert purge_personal_data(session).files_removed == 0, "recent files stay"
    report = purge_personal_data(session, now=utcnow() + LATER)
    session.commit()
    session.expire_all()
    assert report.files_removed == 3 and "3\u00a0autres fichiers nominatifs supprimés" in report.summary()
    left = session.scalars(select(StoredFile.owner_kind).where(StoredFile.organisation_id == world.a.organisation_id)).all()
    assert not set(left) & set(PERSONAL_FILE_KINDS)
    assert session.get(StoredFile, made["kept"]) is not None, "a convention scan names no participant"
    dossier, bilan = session.get(Dossier, made["dossier"]), session.get(Bilan, made["bilan"])
    assert dossier.file_id is None and dossier.pieces_count == 4 and dossier.data_as_of == date(2026, 3, 1)
    assert bilan.pdf_file_id is None
    assert session.get(CollectiveAction, made["action"]).signed_scan_file_id is None


def test_every_nominative_file_kind_has_a_documented_rule():
    import tomllib
    from pathlib import Path

    inventory = tomllib.loads((Path(__file__).resolve().parents[2] / "docs" / "data-inventory.toml").read_text())
    assert set(PERSONAL_FILE_KINDS) | set(DOWNLOAD_FILE_KINDS) | {"timesheet_import"} <= set(inventory["file_kinds"])


def test_purge_deletes_prepared_exports_after_a_week(session, world):
    from datetime import timedelta

    org = world.a.organisation_id
    export_id = store_file(session, org, "tableau_impact", 1, "tableau-impact.xlsx", "application/vnd.ms-excel",
                           b"PK noms").id
    session.commit()
    assert purge_personal_data(session, now=utcnow() + timedelta(days=6)).downloads_removed == 0
    report = purge_personal_data(session, now=utcnow() + timedelta(days=8))
    session.commit()
    assert report.downloads_removed == 1 and "1 export préparé de plus de 7 jours supprimé" in report.summary()
    session.expire_all()
    assert session.get(StoredFile, export_id) is None
