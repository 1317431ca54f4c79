"""The consolidated dossier: built by its job, every piece opened, and not one name, e-mail, phone or birth
date of a partner's participant in any of them."""

import hashlib
import json
import zipfile
from datetime import date, datetime
from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.domain.enums import JobStatus
from app.models import Job, Participant, StoredFile
from app.services.jobs import create_job
from app.services.reports import consolidated_dossier as dossier_svc
from tests.services.reports.consolidation_helpers import agreement, bethune, lens
from workers.jobs import build_consolidated_dossier_job


def build(session, body_id: int) -> tuple[Job, zipfile.ZipFile]:
    job = create_job(session, dossier_svc.JOB_KIND, organisation_id=body_id, user_id=None)
    session.commit()
    build_consolidated_dossier_job(job.id, 20260101, 20261231)
    session.expire_all()
    job = session.get(Job, job.id)
    stored = session.scalar(select(StoredFile).where(StoredFile.owner_kind == dossier_svc.OWNER,
                                                     StoredFile.owner_id == job.id))
    return job, (zipfile.ZipFile(BytesIO(stored.data)) if stored else None)


def piece_texts(archive: zipfile.ZipFile) -> dict[str, list[object]]:
    """Return every value of every piece: XLSX cells, PDF text, CSV and JSON text."""
    found: dict[str, list[object]] = {}
    for name in archive.namelist():
        data = archive.read(name)
        if name.endswith(".xlsx"):
            book = load_workbook(BytesIO(data))
            found[name] = [value for sheet in book for row in sheet.iter_rows(values_only=True)
                           for value in row if value is not None]
        elif name.endswith(".pdf"):
            found[name] = ["\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)]
        else:
            assert name.endswith((".csv", ".json")), name
            found[name] = [data.decode("utf-8-sig")]
    return found


def test_consolidated_dossier_holds_no_personal_data_of_any_territory(session, world):
    partners = [lens(session), bethune(session)]
    for partner in partners:
        agreement(session, world.a.organisation_id, partner.organisation_id)
    job, archive = build(session, world.a.organisation_id)
    assert job.status == JobStatus.DONE, job.message
    texts = piece_texts(archive)
    people = session.scalars(select(Participant).where(Participant.organisation_id.in_(
        [world.a.organisation_id] + [p.organisation_id for p in partners]))).all()
    assert len(people) == 2 + 3 + 2
    forbidden, births = [], set()
    for person in people:
        forbidden += [person.last_name, person.first_name, person.birth_on.strftime("%d/%m/%Y"),
                      person.birth_on.isoformat()]
        forbidden += [value for value in (person.email, person.phone) if value]
        births.add(person.birth_on)
    leaks = []
    for name, values in texts.items():
        for value in values:
            if isinstance(value, datetime | date):
                day = value.date() if isinstance(value, datetime) else value
                if day in births:
                    leaks.append(f"{name}: date de naissance {day}")
                continue
            text = str(value)
            leaks += [f"{name}: {word}" for word in forbidden if word in text]
    assert not leaks, "\n".join(leaks)
    # The pieces are there and say what they should (codes, territories, figures).
    names = archive.namelist()
    assert names[:2] == ["00-sommaire-de-la-consolidation.pdf", "01-indicateurs-par-territoire.xlsx"]
    impact_tables = [name for name in names if name.startswith("02-tableaux-d-impact/")]
    assert len(impact_tables) == 3
    assert f"02-tableaux-d-impact/plie-de-lens-lievin-{partners[0].organisation_id}.xlsx" in impact_tables
    assert names[-3:] == ["indicateurs_vs_cibles.csv", "manifest.csv", "manifest.json"]
    compiled = texts["03-tableau-d-impact-compile.xlsx"]
    assert "Territoire" in compiled and "Nom" not in compiled and "Prénom" not in compiled
    assert compiled.count("PLIE de Lens-Liévin (Lens-Liévin)") == 3
    assert compiled.count("PLIE de Béthune-Bruay (Béthune-Bruay)") == 2
    assert {"LL-001", "LL-002", "LL-003"} <= set(compiled)
    cover = texts["00-sommaire-de-la-consolidation.pdf"][0]
    assert "PLIE A" in cover and "PLIE de Lens-Liévin" in cover and "Ensemble des territoires" in cover
    statistics = texts["04-statistiques-territoire-et-secteur.xlsx"]
    assert "45 — Travaux de construction" in statistics and "Liévin" in statistics and "Maçon" in statistics
    manifest = json.loads(texts["manifest.json"][0])
    for entry in manifest["pieces"]:
        assert hashlib.sha256(archive.read(entry["filename"])).hexdigest() == entry["sha256"]


def test_indicators_workbook_puts_each_territory_beside_the_computed_total(session, world):
    body = world.b.organisation_id
    partners = [lens(session), bethune(session)]
    for partner in partners:
        agreement(session, body, partner.organisation_id)
    job, archive = build(session, body)
    assert job.status == JobStatus.DONE, job.message
    sheet = load_workbook(BytesIO(archive.read("01-indicateurs-par-territoire.xlsx")))["Indicateurs par territoire"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "Rubrique")
    assert header[2:] == ("PLIE B (Territoire B)", "PLIE de Lens-Liévin (Lens-Liévin)",
                          "PLIE de Béthune-Bruay (Béthune-Bruay)", "Ensemble des territoires")
    lines = {row[1]: row[2:] for row in rows[rows.index(header) + 1:] if row[1]}
    # B's own two people, Lens's three, Béthune's two: seven people although codes repeat across territories.
    assert lines["Participants (personnes distinctes)"] == (2, 3, 2, 7)
    assert lines["Marchés clausés"] == (2, 2, 2, 6)
    assert lines["Heures d'insertion réalisées sur la période"] == (140, 324, 213, 677)


def test_consolidated_dossier_without_any_territory_fails_with_a_french_message(session, world):
    from tests.services.reports.consolidation_helpers import make_partner

    lonely = make_partner(session, "Maison de l'emploi de l'Artois", "Artois", (), [], tag="ME")
    job, archive = build(session, lonely.organisation_id)
    assert archive is None
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("Aucun territoire à consolider")
