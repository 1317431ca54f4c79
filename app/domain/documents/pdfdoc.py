"""Lay out PDF documents with fpdf2: a Unicode font, running header, page numbers, fixed dates."""

from datetime import UTC, date, datetime, time
from pathlib import Path

import matplotlib
from fpdf import FPDF

from app.domain.documents.eu_emblem import COFUNDED, EU_BLUE, EU_YELLOW, emblem_shapes
from app.domain.documents.typography import typeset

FONT = "DejaVu"
# matplotlib (already a dependency) ships DejaVu Sans, which covers French accents, "€" and
# the narrow no-break space Babel puts in numbers; the PDF core fonts lack the latter.
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
LINE_COLOUR = (90, 90, 90)


class ClausierPdf(FPDF):
    """An A4 document that repeats a short header from page 2 and numbers every page."""

    def __init__(
        self,
        *,
        title: str,
        issued_on: date,
        orientation: str = "P",
        running_header: str = "",
        footer_note: str = "",
    ) -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.add_font(FONT, "", _FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", _FONT_DIR / "DejaVuSans-Bold.ttf")
        self.running_header = running_header
        self.footer_note = footer_note
        self.set_title(title)
        self.set_creator("Clausier")
        # A fixed creation date makes identical inputs give identical bytes.
        self.set_creation_date(datetime.combine(issued_on, time(), tzinfo=UTC))
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(auto=True, margin=22 if footer_note else 16)
        self.set_draw_color(*LINE_COLOUR)
        self.add_page()

    def normalize_text(self, text: str) -> str:
        """Typeset every string the document prints (French spaces, apostrophes, plurals)."""
        return super().normalize_text(typeset(text))

    def header(self) -> None:
        """Repeat a one-line reminder of the document at the top of continuation pages."""
        if self.page_no() > 1 and self.running_header:
            self.set_font(FONT, "", 8)
            self.cell(0, 5, self.running_header, new_x="LMARGIN", new_y="NEXT")
            self.ln(2)

    def footer(self) -> None:
        """Print the footer note (e.g. the EU co-funding mention) and "Page n / N"."""
        self.set_y(-18 if self.footer_note else -12)
        self.set_font(FONT, "", 7.5)
        if self.footer_note:
            self.multi_cell(0, 4, self.footer_note, align="C", new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 5, f"Page {self.page_no()} / {{nb}}", align="R")

    def heading(self, text: str, size: float = 14) -> None:
        """Write a bold heading line."""
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def field_line(self, label: str, value: str) -> None:
        """Write a "Label : value" line, label in bold."""
        self.set_font(FONT, "B", 10)
        self.cell(self.get_string_width(label + " : ") + 1, 6, f"{label} :")
        self.set_font(FONT, "", 10)
        self.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")

    def eu_block(self, height: float = 12, detail: str = "") -> None:
        """Draw the European emblem (vector) with « Cofinancé par l'Union européenne » beside it."""
        x, y = self.l_margin, self.get_y()
        (rx, ry, width, rh), stars = emblem_shapes(x, y, height)
        self.set_fill_color(*EU_BLUE)
        self.rect(rx, ry, width, rh, style="F")
        self.set_fill_color(*EU_YELLOW)
        for star in stars:
            self.polygon(star, style="F")
        self.set_xy(x + width + 3, y + (1 if detail else height / 2 - 3))
        self.set_font(FONT, "B", 10)
        self.cell(0, 6, COFUNDED, new_x="LEFT", new_y="NEXT")
        if detail:
            self.set_font(FONT, "", 8)
            self.multi_cell(0, 4, detail, new_x="LMARGIN", new_y="NEXT")
        self.set_xy(self.l_margin, max(self.get_y(), y + height) + 2)
        self.set_fill_color(255, 255, 255)

    def fit_widths(self, weights, headers, rows, size: float) -> tuple[float, ...]:
        """Return column widths (mm, summing to the page's width) where no word is cut.

        ``weights`` give the preferred proportions; a column narrower than its longest word (bold
        heading or body text at ``size`` pt, padding included) is widened and the space is taken
        from the columns that have room to spare, in proportion to that room.
        """
        total = sum(weights)
        widths = [self.epw * weight / total for weight in weights]
        floors = [0.0] * len(widths)
        for style, lines in (("B", [headers]), ("", rows)):
            self.set_font(FONT, style, size)
            for line in lines:
                for index, text in enumerate(line):
                    for word in str(text or "").split():
                        floors[index] = max(floors[index], self.get_string_width(word) + 2 * self.c_margin + 0.6)
        for _ in range(len(widths)):
            deficit = sum(max(floor - width, 0) for width, floor in zip(widths, floors))
            if deficit <= 0.01:
                break
            room = [max(width - floor, 0) for width, floor in zip(widths, floors)]
            spare = sum(room)
            if spare <= 0:
                break
            take = min(deficit, spare)
            widths = [max(width, floor) if width < floor else width - take * r / spare
                      for width, floor, r in zip(widths, floors, room)]
        return tuple(widths)

    def to_bytes(self) -> bytes:
        """Return the finished document."""
        return bytes(self.output())
