"""Collective actions: invitees, the attendance sheet PDF, the signed scan, who came."""

from datetime import date, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.domain.reports.attendance import ActionKind
from app.models import FseOperation, StoredFile
from app.services.reports import actions as svc
from app.services.referential import ServiceError
from tests.security.hostile_corpus import deep_page_tree
from tests.services.liaison.fiche_helpers import pdf_bytes
from tests.services.reports.followup_helpers import TODAY, make_site, staff_scope

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def action_data(**overrides) -> dict:
    data = {"kind": ActionKind.JOB_DATING.value, "title": "Job dating gros œuvre",
            "starts_at": datetime(2026, 10, 6, 9, 30), "ends_at": datetime(2026, 10, 6, 12, 0),
            "place": "Maison de l'emploi", "organiser": "PLIE A", "fse_operation_id": None, "notes": ""}
    data.update(overrides)
    return data


@pytest.fixture
def operation(session, world):
    op = FseOperation(organisation_id=world.a.organisation_id, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), title="Clauses sociales 2026 — PLIE A",
                      is_fse_funded=True)
    session.add(op)
    session.flush()
    return op


def test_attendance_sheet_lists_every_invitee_with_eu_mention(session, world, operation):
    site = make_site(session, world, lots=1, people=2, tag="ACT", last_names=("Lefebvre", "Nowak"))
    action = svc.save_action(session, staff_scope(world), action_data(fse_operation_id=operation.id))
    for participant_id in site.participant_ids:
        svc.add_participant(session, action, participant_id)
    svc.add_person(session, action, "Sophie Martin", "Bâtiment ACT", "Cheffe de chantier")
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(svc.attendance_pdf(session, action))).pages)
    assert "Feuille d’émargement" in text and "Clauses sociales 2026 — PLIE A" in text
    assert "LEFEBVRE Amélie" in text and "NOWAK Amélie" in text and "Sophie Martin" in text
    assert "Bâtiment ACT — Cheffe de chantier" in text and "Job dating" in text
    assert "Cofinancé par l’Union européenne" in text  # the block beside the emblem
    assert "Cette action est cofinancée par l’Union européenne" in text.replace("\n", " ")


def test_attendance_sheet_without_fse_has_no_eu_mention(session, world):
    action = svc.save_action(session, staff_scope(world), action_data())
    text = PdfReader(BytesIO(svc.attendance_pdf(session, action))).pages[0].extract_text()
    assert "Union européenne" not in text and "PLIE A — clauses sociales d’insertion" in text


def test_participant_invited_once(session, world):
    site = make_site(session, world, lots=1, people=1, tag="ONCE")
    action = svc.save_action(session, staff_scope(world), action_data())
    svc.add_participant(session, action, site.participant_ids[0])
    with pytest.raises(ServiceError, match="figure déjà"):
        svc.add_participant(session, action, site.participant_ids[0])
    with pytest.raises(ServiceError, match="nom"):
        svc.add_person(session, action, "  ", "", "")


def test_action_end_before_start_refused(session, world):
    with pytest.raises(ServiceError, match="fin doit suivre"):
        svc.save_action(session, staff_scope(world), action_data(ends_at=datetime(2026, 10, 6, 9, 0)))


def test_mark_attendance_after_the_action_only(session, world):
    action = svc.save_action(session, staff_scope(world), action_data())
    present = svc.add_person(session, action, "Présente", "", "")
    absent = svc.add_person(session, action, "Absent", "", "")
    with pytest.raises(ServiceError, match="une fois l'action passée"):
        svc.mark_attendance(session, action, {present.id}, date(2026, 10, 1))
    assert svc.mark_attendance(session, action, {present.id}, TODAY) == 1
    assert present.attended is True and absent.attended is False


@pytest.mark.parametrize(("data", "kind"), [(pdf_bytes(), "application/pdf"), (PNG, "image/png"),
                                            (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg")])
def test_signed_scan_kept_and_replaced(session, world, data, kind):
    action = svc.save_action(session, staff_scope(world), action_data())
    svc.attach_signed_scan(session, action, data)
    first = action.signed_scan_file_id
    assert session.get(StoredFile, first).content_type == kind
    svc.attach_signed_scan(session, action, data)
    assert action.signed_scan_file_id != first and session.get(StoredFile, first) is None


@pytest.mark.parametrize(("data", "message"), [(b"", "vide"), (b"GIF89a", "PDF, JPEG ou PNG"),
                                               (b"%PDF-1.4 broken", "illisible"),
                                               (deep_page_tree(101), "illisible")])
def test_signed_scan_refused_in_french(session, world, data, message):
    action = svc.save_action(session, staff_scope(world), action_data())
    with pytest.raises(ServiceError, match=message):
        svc.attach_signed_scan(session, action, data)


def test_attendance_sheet_prints_the_operation_number(session, world, operation):
    operation.operation_number = "202501234"
    action = svc.save_action(session, staff_scope(world), action_data(fse_operation_id=operation.id))
    text = PdfReader(BytesIO(svc.attendance_pdf(session, action))).pages[0].extract_text()
    assert "N° d’opération\u202f: 202501234" in text


def test_attendance_sheet_of_an_fse_action_without_number_leaves_a_line_to_fill(session, world, operation):
    action = svc.save_action(session, staff_scope(world), action_data(fse_operation_id=operation.id))
    text = PdfReader(BytesIO(svc.attendance_pdf(session, action))).pages[0].extract_text()
    assert "N° d’opération\u202f: ……………………" in text


def test_attendance_sheet_outside_fse_has_no_operation_number_line(session, world):
    action = svc.save_action(session, staff_scope(world), action_data())
    text = PdfReader(BytesIO(svc.attendance_pdf(session, action))).pages[0].extract_text()
    assert "N° d’opération" not in text
