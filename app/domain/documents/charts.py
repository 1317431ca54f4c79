"""Draw small report charts as PNG bytes with matplotlib's object API (no pyplot state)."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from io import BytesIO

from babel.dates import format_date
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from app.domain.formats import LOCALE, format_number, format_pct

DONE_COLOUR = "#1F4E79"
TRACK_COLOUR = "#D9E1EA"
DPI = 100
# No "Software" tag: the PNG then depends only on the input and matplotlib's drawing.
_PNG_METADATA = {"Software": None}


def _png(figure: Figure) -> bytes:
    canvas = FigureCanvasAgg(figure)
    buffer = BytesIO()
    canvas.print_png(buffer, metadata=_PNG_METADATA)
    return buffer.getvalue()


def chart_hours(value: Decimal) -> str:
    """Return hours as a chart writes them: whole, or to one decimal (« 1 203,5 »)."""
    return format_number(value, 0 if value == value.to_integral_value() else 1)


def progress_caption(done: Decimal, required: Decimal) -> str:
    """``« 692,5 h / 675 h (103 %) »``: the figures beside a progress bar (a page's or a document's)."""
    pct = format_pct(Decimal(done) / Decimal(required), 0) if required else "—"
    return f"{chart_hours(done)} h / {chart_hours(required)} h ({pct})"


def month_label(key: str) -> str:
    """``"2026-03"`` → ``"mars 2026"``."""
    year, month = (int(part) for part in key.split("-"))
    return format_date(date(year, month, 1), "LLLL y", locale=LOCALE)


def progress_bar_png(done: Decimal, required: Decimal, label: str) -> bytes:
    """Return a horizontal bar of hours done against hours required, figures beside it."""
    figure = Figure(figsize=(6, 1.4), dpi=DPI)
    axes = figure.add_axes((0.03, 0.3, 0.94, 0.32))
    share = float(done / required) if required else 0.0
    axes.barh([0], [1.0], color=TRACK_COLOUR, height=0.8)
    axes.barh([0], [min(share, 1.0)], color=DONE_COLOUR, height=0.8)
    axes.set_xlim(0, 1)
    axes.set_axis_off()
    figure.text(0.03, 0.72, label, fontsize=10, fontweight="bold")
    figure.text(0.97, 0.72, progress_caption(done, required), fontsize=10, ha="right")
    return _png(figure)


def monthly_hours_png(months: Sequence[tuple[str, Decimal]], label: str) -> bytes:
    """Return a bar chart of hours per month, French month names, values above bars."""
    width = min(max(4.0, 0.75 * len(months) + 1.5), 12.0)
    figure = Figure(figsize=(width, 3.2), dpi=DPI)
    axes = figure.add_subplot()
    positions = list(range(len(months)))
    values = [float(hours) for _, hours in months]
    bars = axes.bar(positions, values, color=DONE_COLOUR, width=0.7)
    axes.bar_label(bars, labels=[chart_hours(Decimal(h)) for _, h in months], fontsize=8, padding=2)
    axes.set_xticks(
        positions, [month_label(key) for key, _ in months], rotation=45, ha="right", fontsize=8
    )
    axes.set_title(label, fontsize=10, fontweight="bold")
    axes.set_ylabel("Heures", fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    # Headroom so the value written above the tallest bar stays inside the frame.
    axes.set_ylim(0, max(values, default=0) * 1.15 or 1)
    axes.yaxis.set_major_formatter(lambda value, _pos: format_number(value))
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return _png(figure)
