"""Rebuild table rows from positioned words (PDF text layer or OCR), without rulings."""

from bisect import bisect_right
from dataclasses import dataclass

from app.domain.timesheets.columns import NAME_LABELS, kind_of_label, label_text
from app.domain.timesheets.hours import parse_hours
from app.domain.timesheets.layout import HEADER_ROOT


@dataclass(slots=True)
class Word:
    """A word and its box; ``y`` grows upwards, as in PDF space."""

    text: str
    x0: float
    x1: float
    y: float
    height: float


@dataclass(slots=True)
class Segment:
    """Words close enough on a line to be one cell."""

    text: str
    x0: float
    x1: float


def group_lines(words: list[Word]) -> list[tuple[float, list[Word]]]:
    """Cluster words into lines, top to bottom, each sorted left to right."""
    lines: list[tuple[float, list[Word]]] = []
    for word in sorted(words, key=lambda w: -w.y):
        if lines and abs(lines[-1][0] - word.y) <= 0.45 * max(word.height, 1.0):
            lines[-1][1].append(word)
        else:
            lines.append((word.y, [word]))
    return [(y, sorted(line, key=lambda w: w.x0)) for y, line in lines]


def segments_of(line: list[Word]) -> list[Segment]:
    """Join the words of a line that are separated by a plain space."""
    out: list[Segment] = []
    # A space is about a quarter of the font height; gaps between table cells are wider.
    heights = sorted(w.height for w in line)
    gap = 0.5 * max(heights[len(heights) // 2], 1.0) if heights else 0.0
    for word in line:
        if out and word.x0 - out[-1].x1 < gap:
            last = out[-1]
            last.text, last.x1 = f"{last.text} {word.text}", max(last.x1, word.x1)
        else:
            out.append(Segment(word.text, word.x0, word.x1))
    return out


def is_header_line(segments: list[Segment]) -> bool:
    """Tell whether a line names people's columns (``Nom``, ``Salarié``…)."""
    if len(segments) < 2 or not any(HEADER_ROOT.search(s.text.lower()) for s in segments[:4]):
        return False
    return any(
        kind_of_label(label_text(s.text)) in NAME_LABELS for s in segments[:4]
    )


def _numeric(segment: Segment) -> bool:
    cell = parse_hours(segment.text)
    return cell.hours is not None or cell.absence is not None


def column_spans(lines: list[list[Segment]]) -> list[list[float]]:
    """Return column extents as the union of cell extents of data lines."""
    spans: list[list[float]] = []
    for segments in lines:
        if len(segments) < 2 or not any(_numeric(s) for s in segments):
            continue
        for seg in segments:
            spans.append([seg.x0, seg.x1])
    spans.sort()
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return merged


def _find(seg: Segment, spans: list[list[float]], starts: list[float]) -> int | None:
    # Spans are sorted and disjoint: the cell's centre, or else an overlap with one of the
    # two neighbours of the bisection, tells its column.
    centre = (seg.x0 + seg.x1) / 2
    at = bisect_right(starts, centre) - 1
    if at >= 0 and centre <= spans[at][1]:
        return at
    best, overlap = None, 0.0
    for index in (at, at + 1):
        if 0 <= index < len(spans):
            width = min(seg.x1, spans[index][1]) - max(seg.x0, spans[index][0])
            if width > overlap:
                best, overlap = index, width
    return best


def place(segments: list[Segment], spans: list[list[float]], *, header: bool) -> list[str]:
    """Put each segment in its column; header labels over empty columns add columns."""
    starts = [x0 for x0, _ in spans]
    found = [_find(seg, spans, starts) for seg in segments]
    if header and None in found:
        labelled = {index for index in found if index is not None}
        for seg in [s for s, index in zip(segments, found) if index is None]:
            # "Heures" written at the left of a wide cell whose figures sit at the right.
            free = [i for i in range(len(spans)) if i not in labelled]
            gap = lambda i: max(spans[i][0] - seg.x1, seg.x0 - spans[i][1])  # noqa: E731
            near = min(free, key=gap, default=None)
            if near is not None and gap(near) < 2 * (seg.x1 - seg.x0) and not _between(spans, seg, near):
                spans[near] = [min(spans[near][0], seg.x0), max(spans[near][1], seg.x1)]
                labelled.add(near)
            else:
                spans.append([seg.x0, seg.x1])
                labelled.add(len(spans) - 1)
        spans.sort()
        starts = [x0 for x0, _ in spans]
        found = [_find(seg, spans, starts) for seg in segments]
    cells = [""] * len(spans)
    for seg, index in zip(segments, found):
        if index is None:
            centre = (seg.x0 + seg.x1) / 2
            index = min(range(len(spans)), key=lambda i: abs(sum(spans[i]) / 2 - centre))
        cells[index] = f"{cells[index]} {seg.text}" if cells[index] else seg.text
    return cells


def _between(spans: list[list[float]], seg: Segment, index: int) -> bool:
    """Tell whether another column lies between a label and the column it would join."""
    low, high = sorted((seg.x1, spans[index][0])) if spans[index][0] >= seg.x1 else sorted((spans[index][1], seg.x0))
    return any(low < (a + b) / 2 < high for i, (a, b) in enumerate(spans) if i != index)


def table_rows(lines: list[tuple[float, list[Word]]], page: int, spans: list[list[float]] | None):
    """Return (rows, sources, spans, title_count, wrapped) for one page.

    Lines closer than a normal row spacing are cells written on several lines: they are
    merged into one row (``wrapped`` tells the caller, which may prefer the rulings).
    """
    segmented = [(y, segments_of(words)) for y, words in lines]
    start = next((i for i, (_, segs) in enumerate(segmented) if is_header_line(segs)), None)
    heights = sorted(w.height for _, words in lines for w in words) or [1.0]
    ink = heights[len(heights) // 2]
    if start is not None:
        spans = column_spans([segs for _, segs in segmented[start + 1:]]) or spans
        # The line just above the header may be a merged group label ("Heures", "Jours").
        if start > 0 and segmented[start - 1][0] - segmented[start][0] < 1.6 * ink:
            start -= 1
    title_count = start if start is not None else (0 if spans else len(segmented))
    table_ys = [y for y, _ in segmented[title_count:]]
    gaps = sorted(a - b for a, b in zip(table_ys, table_ys[1:]) if a > b)
    # The usual row spacing: a high quantile, since wrapped cells add half-spacing gaps.
    pitch = gaps[(len(gaps) * 3) // 4] if gaps else 0.0
    rows, sources, wrapped, previous_y = [], [], False, None
    for number, (y, segments) in enumerate(segmented, start=1):
        if number - 1 < title_count or not spans:
            rows.append([s.text for s in segments])
            sources.append({"page": page, "line": number})
            continue
        header = is_header_line(segments) or (start is not None and number - 1 <= start + 2)
        cells = place(segments, spans, header=header)
        if previous_y is not None and previous_y - y < 0.75 * pitch and number - 1 > title_count:
            # A cell written on two lines (or centred beside one): same row as the line above.
            width = max(len(rows[-1]), len(cells))
            above = rows[-1] + [""] * (width - len(rows[-1]))
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(above, cells + [""] * (width - len(cells)))]
            wrapped = True
        else:
            rows.append(cells)
            sources.append({"page": page, "line": number})
        previous_y = y
    return rows, sources, spans, title_count, wrapped
