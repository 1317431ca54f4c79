"""A bilan's texts: kept per subject and period, printed by the job (which gets ids only), kept on a rerun."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import select

from app.access import Scope
from app.db import db
from app.domain.documents.rendering import docx_text
from app.domain.enums import JobStatus, Role
from app.models import Bilan, BilanNarrative, Job, StoredFile, User
from app.queue import enqueue
from app.services.jobs import create_job
from app.services.referential import ServiceError
from app.services.reports import bilan as bilan_svc
from app.services.reports.exports import ReportFilter
from app.services.reports.figures import scope_figures
from tests.services.reports.followup_helpers import make_site, staff_scope
from workers.jobs import generate_bilan_job

PERIOD = {"starts_on": date(2026, 1, 1), "ends_on": date(2026, 6, 30), "with_pdf": False}
NNBSP = "\u202f"


def run(session, scope, data, **kwargs) -> tuple[Bilan, Job]:
    bilan = bilan_svc.request_bilan(session, scope, data, **kwargs)
    job = create_job(session, "generate_bilan", organisation_id=scope.organisation_id, user_id=None,
                     subject_id=bilan.id)
    session.commit()
    enqueue(generate_bilan_job, job.id, bilan.id)
    session.expire_all()
    return session.get(Bilan, bilan.id), session.get(Job, job.id)


def sex_table(docx: bytes) -> list[list[str]]:
    for grid in Document(BytesIO(docx)).tables:
        rows = [[cell.text.replace("\u00a0", " ").replace(NNBSP, " ") for cell in row.cells] for row in grid.rows]
        if rows[0][0] == "Sexe":
            return rows
    raise AssertionError("no table by sex")


def test_bilan_job_prints_the_kept_texts_and_a_rerun_keeps_them(session, world):
    site = make_site(session, world, lots=1, people=3, minutes=600, tag="BILNAR")
    scope = staff_scope(world)
    data = {"subject": "company", "company_id": site.company_id, **PERIOD,
            "highlights": "Chantier exemplaire: trois embauches.", "actions": "Visite du chantier; réunion.",
            "difficulties": "", "outlook": ""}
    bilan, job = run(session, scope, data)
    assert job.status is JobStatus.DONE
    text = docx_text(session.get(StoredFile, bilan.docx_file_id).data)
    assert f"Chantier exemplaire{NNBSP}: trois embauches." in text and f"Visite du chantier{NNBSP}; réunion." in text
    assert "Faits marquants" in text and "Difficultés rencontrées" not in text and "Perspectives" not in text
    # The job's row and arguments carry ids, never the texts.
    assert "exemplaire" not in f"{job.message} {job.subject_id} {job.kind}"
    # A rerun from a client that sends no text keeps the texts kept before.
    again, _ = run(session, scope, {"subject": "company", "company_id": site.company_id, **PERIOD}, keep_texts=False)
    assert "Chantier exemplaire" in docx_text(session.get(StoredFile, again.docx_file_id).data)


def test_bilan_breakdown_by_sex_adds_up_to_the_scope_figures(session, world):
    make_site(session, world, lots=1, people=3, minutes=600, tag="BILSEX")
    bilan, _ = run(session, staff_scope(world), {"subject": "all", **PERIOD})
    people = scope_figures(session, ReportFilter(world.a.organisation_id, starts_on=PERIOD["starts_on"],
                                                 ends_on=PERIOD["ends_on"])).people
    rows = sex_table(session.get(StoredFile, bilan.docx_file_id).data)
    assert sum(int(line[1]) for line in rows[1:-1]) == people.participants == int(rows[-1][1])


def test_texts_kept_per_subject_and_period(session, world):
    site = make_site(session, world, lots=1, people=1, tag="BILKEY")
    scope = staff_scope(world)
    bilan_svc.request_bilan(session, scope, {"subject": "company", "company_id": site.company_id, **PERIOD,
                                             "highlights": "Premier texte."})
    bilan_svc.request_bilan(session, scope, {"subject": "company", "company_id": site.company_id, **PERIOD,
                                             "highlights": "Texte corrigé."})
    rows = session.scalars(select(BilanNarrative).where(BilanNarrative.company_id == site.company_id)).all()
    assert [row.highlights for row in rows] == ["Texte corrigé."]
    same = bilan_svc.check_request(session, {"subject": "company", "company_id": site.company_id, **PERIOD})
    assert bilan_svc.narrative_draft(session, scope, same)[0].highlights == "Texte corrigé."
    other_period = bilan_svc.check_request(session, {"subject": "company", "company_id": site.company_id,
                                                     "starts_on": date(2026, 1, 1), "ends_on": date(2026, 3, 31)})
    draft, kept = bilan_svc.narrative_draft(session, scope, other_period)
    assert kept is None and "heures d'insertion réalisées" in draft.highlights


def test_text_too_long_refused_with_its_field(session, world):
    with pytest.raises(ServiceError) as error:
        bilan_svc.request_bilan(session, staff_scope(world), {"subject": "all", **PERIOD, "outlook": "x" * 4001})
    assert error.value.field == "outlook" and "raccourcissez-le" in str(error.value)


@pytest.mark.parametrize("role", [Role.SIAE, Role.ENTREPRISE])
def test_structure_users_and_other_organisations_never_read_the_texts(session, world, role):
    bilan_svc.request_bilan(session, staff_scope(world), {"subject": "all", **PERIOD, "highlights": "Interne."})
    session.commit()
    user = session.scalar(select(User).where(User.email == world.a.users[role]))
    for scope in (Scope.for_user(user), Scope(organisation_id=world.b.organisation_id, role=Role.ADMIN)):
        scoped = db.session(scope=scope)
        try:
            assert scoped.scalars(select(BilanNarrative)).all() == []
        finally:
            scoped.close()
