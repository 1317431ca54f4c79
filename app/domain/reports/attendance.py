"""Build the feuille d'émargement PDF of a collective action (DOMAIN §5)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_date
from fpdf.fonts import FontFace

from app.domain.enums import LabelledEnum
from app.domain.formats import LOCALE
from app.domain.documents.pdfdoc import FONT, ClausierPdf

EU_MENTION = (
    "Cette action est cofinancée par l'Union européenne — Fonds social européen plus (FSE+)"
)
HEADERS = ("N°", "Nom et prénom", "Structure / fonction", "Signature")
_WIDTHS = (10, 55, 60, 61)
# Tall enough for a handwritten signature.
SIGNATURE_ROW_MM = 13


class ActionKind(LabelledEnum):
    """Collective actions that keep an attendance sheet as proof."""

    INFORMATION_MEETING = "information_meeting", "Réunion d'information"
    JOB_DATING = "job_dating", "Job dating"
    STEERING_COMMITTEE = "steering_committee", "Comité de suivi"
    AWARENESS_ACTION = "awareness_action", "Action de sensibilisation"


@dataclass(frozen=True)
class Attendee:
    """A person expected at the action."""

    name: str
    structure: str = ""
    role: str = ""

    @property
    def affiliation(self) -> str:
        """Return "structure — role", whichever parts are known."""
        return " — ".join(part for part in (self.structure, self.role) if part)


@dataclass(frozen=True, kw_only=True)
class AttendanceSheet:
    """Everything printed on an attendance sheet."""

    operation_title: str
    kind: ActionKind
    starts_at: datetime
    ends_at: datetime | None = None
    place: str
    organiser: str
    attendees: Sequence[Attendee] = ()
    is_fse_funded: bool = False
    # Empty lines for people who come without being invited.
    blank_lines: int = 3


def _time(moment: datetime) -> str:
    return f"{moment.hour} h {moment.minute:02d}"


def when_text(sheet: AttendanceSheet) -> str:
    """``"mardi 3 mars 2026, de 9 h 30 à 12 h 00"``."""
    day = format_date(sheet.starts_at.date(), "EEEE d MMMM y", locale=LOCALE)
    if sheet.ends_at is None:
        return f"{day}, à {_time(sheet.starts_at)}"
    return f"{day}, de {_time(sheet.starts_at)} à {_time(sheet.ends_at)}"


def build_attendance_pdf(sheet: AttendanceSheet) -> bytes:
    """Return the attendance sheet PDF, headings repeated on every page."""
    day = sheet.starts_at.strftime("%d/%m/%Y")
    pdf = ClausierPdf(
        title=f"Feuille d'émargement — {sheet.operation_title}",
        issued_on=sheet.starts_at.date(),
        running_header=f"Feuille d'émargement — {sheet.operation_title} — {sheet.kind.label} "
        f"du {day}",
        footer_note=EU_MENTION if sheet.is_fse_funded else "",
    )
    pdf.heading("Feuille d'émargement", size=16)
    pdf.heading(sheet.operation_title, size=12)
    pdf.field_line("Action", sheet.kind.label)
    pdf.field_line("Date", when_text(sheet))
    pdf.field_line("Lieu", sheet.place)
    pdf.field_line("Organisateur", sheet.organiser)
    if sheet.is_fse_funded:
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 5, EU_MENTION, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "", 9)
    lines = [(a.name, a.affiliation) for a in sheet.attendees]
    lines += [("", "")] * sheet.blank_lines
    with pdf.table(
        col_widths=_WIDTHS,
        repeat_headings=1,
        text_align="LEFT",
        line_height=4.5,
        headings_style=FontFace(family=FONT, emphasis="BOLD", fill_color=(225, 232, 242)),
    ) as table:
        table.row(HEADERS)
        for number, (name, affiliation) in enumerate(lines, start=1):
            row = table.row(min_height=SIGNATURE_ROW_MM)
            row.cell(str(number), align="CENTER")
            row.cell(name)
            row.cell(affiliation)
            row.cell("")
    return pdf.to_bytes()
