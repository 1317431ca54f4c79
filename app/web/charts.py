"""Charts of the pages, drawn as inline SVG from the same numbers as the figures beside them.

A page view only places a few rectangles and formats their numbers: no image is drawn, encoded
or sent twice (the PNG charts of app.domain.documents.charts stay for DOCX and PDF documents,
where an image is needed). Each chart is an ``<svg role="img">`` whose title is the same
alternative text the documents use, so a screen reader reads every figure; its numbers are also
in the table under it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.dates import format_date

from app.domain.documents.charts import chart_hours, progress_caption
from app.domain.formats import LOCALE
from app.domain.reports.common import ratio

# Geometry of the monthly chart, in SVG user units (the chart scales to its container).
BAR_STEP = 44
BAR_WIDTH = 30
PLOT_HEIGHT = 180
TOP = 22  # room for the value above the tallest bar
AXIS = 56  # room for the month names under the bars
LEFT = 8


@dataclass(frozen=True)
class Bar:
    """One month's bar: where it stands and what it says."""

    x: float
    y: float
    height: float
    value: str
    short_label: str

    @property
    def centre(self) -> float:
        """Return where the bar's texts are anchored."""
        return self.x + BAR_WIDTH / 2


@dataclass(frozen=True)
class MonthlyChart:
    """Bars of hours per month, with the SVG's size and its text alternative."""

    bars: tuple[Bar, ...]
    bar_width: int
    width: int
    height: int
    baseline: float
    title: str
    description: str


@dataclass(frozen=True)
class ProgressChart:
    """Hours done against hours required: the filled share of the track and its label."""

    share: float
    caption: str
    title: str


def _short_month(key: str) -> str:
    year, month = (int(part) for part in key.split("-"))
    return format_date(date(year, month, 1), "MMM yy", locale=LOCALE).replace(".", "")


def monthly_chart(months: Sequence[tuple[str, Decimal]], title: str, description: str) -> MonthlyChart | None:
    """Return the bars of a monthly chart, scaled so the tallest bar fills the plot."""
    if not months:
        return None
    top = max((hours for _key, hours in months), default=Decimal(0))
    bars = []
    for index, (key, hours) in enumerate(months):
        height = float(hours / top) * PLOT_HEIGHT if top > 0 else 0.0
        bars.append(Bar(x=LEFT + index * BAR_STEP + (BAR_STEP - BAR_WIDTH) / 2, y=TOP + PLOT_HEIGHT - height,
                        height=height, value=chart_hours(hours), short_label=_short_month(key)))
    return MonthlyChart(bars=tuple(bars), bar_width=BAR_WIDTH, width=LEFT * 2 + BAR_STEP * len(months), height=TOP + PLOT_HEIGHT + AXIS,
                        baseline=TOP + PLOT_HEIGHT, title=title, description=description)


def progress_chart(done: Decimal, required: Decimal, title: str) -> ProgressChart:
    """Return the share of the required hours done (the bar stops at 100 %, the text does not)."""
    share = float(ratio(done, required)) if required else 0.0
    return ProgressChart(share=min(max(share, 0.0), 1.0), caption=progress_caption(done, required), title=title)
