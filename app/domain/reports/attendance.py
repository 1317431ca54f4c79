"""Build the feuille d'émargement PDF of a collective action (DOMAIN §5).

For an FSE+-funded operation the sheet carries the European emblem and « Cofinancé par l'Union
européenne » (DREETS communication rules: flag and mention on attendance sheets), the operation
and its number, one signature column per half-day or session, the organiser's certification,
the count of attendees and a data-protection notice.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

from babel.dates import format_date
from fpdf.fonts import FontFace

from app.domain.enums import LabelledEnum
from app.domain.formats import LOCALE
from app.domain.documents.pdfdoc import FONT, ClausierPdf

EU_MENTION = (
    "Cette action est cofinancée par l'Union européenne — Fonds social européen plus (FSE+)"
)
HEADERS = ("N°", "Nom et prénom", "Structure / fonction")
_WIDTHS = (10, 48, 46)
# Tall enough for a handwritten signature.
SIGNATURE_ROW_MM = 13
# A day that runs over lunch is signed twice: once in the morning, once in the afternoon.
_NOON, _AFTERNOON = time(12, 30), time(13, 30)
DATA_NOTICE = (
    "Protection des données : les noms, structures et signatures recueillis sur cette feuille "
    "servent uniquement à justifier de la réalisation de l'action auprès de {organiser}{funders}. "
    "Ils sont conservés le temps exigé par ce contrôle. Vous pouvez exercer vos droits d'accès, "
    "de rectification et d'opposition auprès de l'organisateur."
)
FSE_FUNDERS = " et des autorités de gestion, d'audit et de contrôle du Fonds social européen plus"


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
    action_title: str = ""  # the action's own title (« Job dating BTP — collège Jean-Jaurès »)
    operation_number: str = ""  # the FSE+ operation number given by the managing authority
    sessions: Sequence[str] = ()  # signature columns of a multi-day action; default: half-days

    @property
    def signature_columns(self) -> tuple[str, ...]:
        """Return one signature column per session, or per half-day for a day over lunch."""
        if self.sessions:
            return tuple(f"Signature — {label}" for label in self.sessions)
        spans_lunch = (self.ends_at is not None and self.starts_at.time() < _NOON
                       and self.ends_at.time() > _AFTERNOON)
        return ("Signature — matin", "Signature — après-midi") if spans_lunch else ("Signature",)


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
    columns = sheet.signature_columns
    landscape = len(columns) > 2
    title = sheet.action_title or sheet.operation_title
    pdf = ClausierPdf(
        title=f"Feuille d'émargement — {title}",
        issued_on=sheet.starts_at.date(),
        orientation="L" if landscape else "P",
        running_header=f"Feuille d'émargement — {title} — {sheet.kind.label} du {day}",
        footer_note=EU_MENTION if sheet.is_fse_funded else "",
    )
    if sheet.is_fse_funded:
        pdf.eu_block(detail="Fonds social européen plus (FSE+)")
    pdf.heading("Feuille d'émargement", size=16)
    pdf.heading(title, size=12)
    if sheet.action_title:
        pdf.field_line("Opération", sheet.operation_title)
    if sheet.is_fse_funded or sheet.operation_number:
        pdf.field_line("N° d'opération", sheet.operation_number or "……………………")
    pdf.field_line("Type d'action", sheet.kind.label)
    pdf.field_line("Date", when_text(sheet))
    pdf.field_line("Lieu", sheet.place)
    pdf.field_line("Organisateur", sheet.organiser)
    pdf.ln(3)
    pdf.set_font(FONT, "", 9)
    lines = [(a.name, a.affiliation) for a in sheet.attendees]
    lines += [("", "")] * sheet.blank_lines
    free = pdf.epw - sum(_WIDTHS) - (60 if landscape else 0)
    widths = (*_WIDTHS[:2], _WIDTHS[2] + (60 if landscape else 0), *[free / len(columns)] * len(columns))
    with pdf.table(
        col_widths=widths,
        width=pdf.epw,
        repeat_headings=1,
        text_align="LEFT",
        line_height=4.5,
        headings_style=FontFace(family=FONT, emphasis="BOLD", fill_color=(225, 232, 242)),
    ) as table:
        table.row((*HEADERS, *columns))
        for number, (name, affiliation) in enumerate(lines, start=1):
            row = table.row(min_height=SIGNATURE_ROW_MM)
            row.cell(str(number), align="CENTER")
            row.cell(name)
            row.cell(affiliation)
            for _ in columns:
                row.cell("")
    _certification(pdf, sheet)
    return pdf.to_bytes()


def _certification(pdf: ClausierPdf, sheet: AttendanceSheet) -> None:
    """Print the count, the organiser's certification and the notice, kept on one page."""
    needed = 52
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(FONT, "", 10)
    invited = len(sheet.attendees)
    pdf.multi_cell(0, 6, f"Personnes inscrites : {invited}. Personnes présentes : ………", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 6, "Certification de l'organisateur", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 6, f"Je certifie exactes les présences ci-dessus, pour {sheet.organiser}.",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 8, "Nom et qualité : ……………………………………   Date : ……………   Signature :",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(FONT, "", 7.5)
    notice = DATA_NOTICE.format(organiser=sheet.organiser, funders=FSE_FUNDERS if sheet.is_fse_funded else "")
    pdf.multi_cell(0, 3.6, notice, new_x="LMARGIN", new_y="NEXT")
