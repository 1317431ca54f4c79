from dataclasses import replace
from datetime import datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.domain.documents.typography import typeset
from app.domain.reports.attendance import (
    EU_MENTION,
    ActionKind,
    AttendanceSheet,
    Attendee,
    build_attendance_pdf,
    when_text,
)

SHEET = AttendanceSheet(
    operation_title="Clauses d'insertion — Agglomération d'Agen 2026",
    kind=ActionKind.INFORMATION_MEETING,
    starts_at=datetime(2026, 3, 3, 9, 30),
    ends_at=datetime(2026, 3, 3, 12, 0),
    place="Maison de l'emploi, 12 rue Éléonore, Agen",
    organiser="PLIE de l'Agenais",
    attendees=(
        Attendee("Amélie Durand", "Bâtiment Œuvre", "Conductrice de travaux"),
        Attendee("Karim Benali", "EI Bâtir Ensemble"),
    ),
    is_fse_funded=True,
)


def pages(sheet: AttendanceSheet) -> list[str]:
    return [p.extract_text() for p in PdfReader(BytesIO(build_attendance_pdf(sheet))).pages]


def test_build_attendance_pdf_text_has_header_attendees_and_mention():
    (text,) = pages(SHEET)
    for expected in (
        "Feuille d'émargement",
        "Clauses d'insertion — Agglomération d'Agen 2026",
        "Réunion d'information",
        "mardi 3 mars 2026, de 9 h 30 à 12 h 00",
        "Maison de l'emploi, 12 rue Éléonore, Agen",
        "PLIE de l'Agenais",
        "Nom et prénom",
        "Signature",
        "Amélie Durand",
        "Bâtiment Œuvre — Conductrice de travaux",
        "Karim Benali",
        "EI Bâtir Ensemble",
        "Page 1 / 1",
    ):
        # fpdf2 keeps U+00A0 from breaking a line but writes it as a plain space.
        assert typeset(expected).replace("\u00a0", " ") in text
    assert typeset(EU_MENTION) in text.replace("\n", " ")


def test_build_attendance_pdf_not_fse_funded_has_no_mention():
    (text,) = pages(replace(SHEET, is_fse_funded=False))
    assert "Fonds social européen" not in text


def test_build_attendance_pdf_long_list_repeats_header_on_every_page():
    crowd = tuple(Attendee(f"Participant n° {i:03d}", "Entreprise Éco") for i in range(1, 61))
    texts = pages(replace(SHEET, attendees=crowd, kind=ActionKind.JOB_DATING))
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert "Nom et prénom" in text and "Signature" in text
        assert f"Page {number} / {len(texts)}" in text
        assert "Fonds social européen plus (FSE+)" in text
    for text in texts[1:]:
        assert (
            typeset("Feuille d'émargement — Clauses d'insertion") in text
            and "Job dating du 3 mars 2026" in text
        )
    everyone = "\n".join(texts)
    assert all(f"Participant n° {i:03d}" in everyone for i in (1, 30, 60))


def test_build_attendance_pdf_blank_lines_numbered_after_attendees():
    (text,) = pages(replace(SHEET, blank_lines=2))
    lines = [line.strip() for line in text.splitlines()]
    assert "3" in lines and "4" in lines and "5" not in lines


def test_build_attendance_pdf_same_sheet_same_bytes():
    assert build_attendance_pdf(SHEET) == build_attendance_pdf(SHEET)


@pytest.mark.parametrize(
    ("ends_at", "expected"),
    [
        (None, "mardi 3 mars 2026, à 9 h 30"),
        (datetime(2026, 3, 3, 17, 5), "mardi 3 mars 2026, de 9 h 30 à 17 h 05"),
    ],
)
def test_when_text_with_or_without_end(ends_at, expected):
    assert when_text(replace(SHEET, ends_at=ends_at)) == expected


def test_action_kind_labels_are_french():
    assert [k.label for k in ActionKind] == [
        "Réunion d'information",
        "Job dating",
        "Comité de suivi",
        "Action de sensibilisation",
    ]


# --- FSE+ sheet: title, operation, half-days, certification, count, notice, layout -----------------

from tests.domain.documents.layout import layout_problems  # noqa: E402
from tests.domain.documents.readback import french_problems  # noqa: E402

FULL_DAY = replace(SHEET, ends_at=datetime(2026, 3, 3, 17, 0), action_title="Job dating BTP — collège Jean-Jaurès",
                   operation_number="202600123")


def test_attendance_full_day_has_one_signature_column_per_half_day():
    (text,) = pages(FULL_DAY)
    assert "Signature — matin" in text and "Signature — après-midi" in text.replace("—\n", "— ")
    assert FULL_DAY.signature_columns == ("Signature — matin", "Signature — après-midi")
    assert SHEET.signature_columns == ("Signature",)  # 9 h 30 – 12 h: one column


def test_attendance_multi_day_action_signs_per_session_in_landscape():
    sheet = replace(FULL_DAY, sessions=("lundi matin", "lundi après-midi", "mardi matin", "mardi après-midi"))
    data = build_attendance_pdf(sheet)
    page = PdfReader(BytesIO(data)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    assert layout_problems(data) == []


def test_attendance_fse_sheet_has_title_operation_certification_count_and_notice():
    (text,) = pages(FULL_DAY)
    flat = text.replace("\n", " ")
    for expected in ("Cofinancé par l’Union européenne", "Job dating BTP — collège Jean-Jaurès",
                     "Opération\u202f: Clauses d’insertion — Agglomération d’Agen 2026",
                     "N° d’opération\u202f: 202600123", "Personnes inscrites\u202f: 2.",
                     "Certification de l’organisateur", "Je certifie exactes les présences ci-dessus",
                     "Protection des données", "Fonds social européen plus"):
        assert expected in flat, expected
    assert french_problems(text) == []


def test_attendance_long_list_keeps_certification_with_rows_and_cells_fit():
    crowd = tuple(Attendee(f"Participant n° {i:03d}", "Entreprise Éco", "Conducteur d’engins") for i in range(1, 17))
    data = build_attendance_pdf(replace(FULL_DAY, attendees=crowd))
    assert layout_problems(data, signature_marker="Certification") == []
