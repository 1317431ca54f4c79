"""Rebuild table rows from positioned words (PDF text layer or OCR), without rulings.

A PDF page holds about a thousand words, so words and segments are plain tuples
(``Word`` and ``Segment`` name their fields): building and unpacking a tuple costs a
fraction of a dataclass, and the text layer builds them by the thousand.
"""

from bisect import bisect_right
from itertools import chain, groupby
from math import isfinite
from operator import itemgetter
from typing import NamedTuple

from app.domain.timesheets.columns import NAME_LABELS, kind_of_label, label_text
from app.domain.sheetmap.hours import parse_hours
from app.domain.timesheets.layout import HEADER_ROOT


class Word(NamedTuple):
    """A word and its box; ``y`` grows upwards, as in PDF space."""

    text: str
    x0: float
    x1: float
    y: float
    height: float


class Segment(NamedTuple):
    """Words close enough on a line to be one cell."""

    text: str
    x0: float
    x1: float


_X0, _Y, _HEIGHT = itemgetter(1), itemgetter(3), itemgetter(4)


def group_lines(words: list[Word]) -> list[tuple[float, list[Word]]]:
    """Cluster words into lines, top to bottom, each sorted left to right."""
    # A word joins the current line when its distance to the line's first word is within
    # its own tolerance. Words of one text line usually share their exact bottom, so the
    # rule runs once per distinct height on the page rather than once per word; that
    # shortcut needs finite numbers (NaN and inf compare oddly), else words go one by one.
    if not words or not isfinite(sum(map(_Y, words)) + sum(map(_HEIGHT, words))):
        return _group_one_by_one(words)
    lines: list[tuple[float, list[Word]]] = []
    for y, run in groupby(sorted(words, key=_Y, reverse=True), _Y):
        same = list(run)
        if lines:
            gap, joined = abs(lines[-1][0] - y), 0
            while joined < len(same) and gap <= 0.45 * max(same[joined][4], 1.0):
                joined += 1
            lines[-1][1].extend(same[:joined])
            same = same[joined:]
        if same:
            # The first word left over starts a line at its own height: the rest join it.
            lines.append((y, same))
    return [(y, sorted(line, key=_X0)) for y, line in lines]


def _group_one_by_one(words: list[Word]) -> list[tuple[float, list[Word]]]:
    lines: list[tuple[float, list[Word]]] = []
    for word in sorted(words, key=lambda w: -w[3]):
        if lines and abs(lines[-1][0] - word[3]) <= 0.45 * max(word[4], 1.0):
            lines[-1][1].append(word)
        else:
            lines.append((word[3], [word]))
    return [(y, sorted(line, key=_X0)) for y, line in lines]


def segments_of(line: list[Word]) -> list[Segment]:
    """Join the words of a line that are separated by a plain space."""
    if not line:
        return []
    # A space is about a quarter of the font height; gaps between table cells are wider.
    heights = sorted(map(_HEIGHT, line))
    gap = 0.5 * max(heights[len(heights) // 2], 1.0)
    out: list[Segment] = []
    text, x0, x1 = line[0][:3]
    for word_text, word_x0, word_x1, _, _ in line[1:]:
        if word_x0 - x1 < gap:
            text, x1 = f"{text} {word_text}", max(x1, word_x1)
        else:
            out.append((text, x0, x1))
            text, x0, x1 = word_text, word_x0, word_x1
    out.append((text, x0, x1))
    return out


def is_header_line(segments: list[Segment]) -> bool:
    """Tell whether a line names people's columns (``Nom``, ``Salarié``…)."""
    # One search over the first four labels joined: no root spans a line break.
    if len(segments) < 2 or not HEADER_ROOT.search("\n".join([s[0] for s in segments[:4]]).lower()):
        return False
    return any(kind_of_label(label_text(s[0])) in NAME_LABELS for s in segments[:4])


def _numeric(segment: Segment) -> bool:
    cell = parse_hours(segment[0])
    return cell.hours is not None or cell.absence is not None


def column_spans(lines: list[list[Segment]]) -> list[list[float]]:
    """Return column extents as the union of cell extents of data lines."""
    # The same cell boxes come back on every line: a set keeps one of each and sorts far
    # faster than the full list (the union does not depend on repeats). NaN breaks set
    # equality and sorting, so such pages keep every box in reading order.
    spans = set(_data_boxes(lines))
    if not isfinite(sum(map(sum, spans))):
        spans = list(_data_boxes(lines))
    merged: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return merged


def _data_boxes(lines: list[list[Segment]]):
    for segments in lines:
        if len(segments) >= 2 and any(_numeric(s) for s in segments):
            for _, x0, x1 in segments:
                yield x0, x1


def _locate(segments: list[Segment], spans: list[list[float]], starts: list[float]) -> list[int | None]:
    # Spans are sorted and disjoint: the cell's centre, or else an overlap with one of the
    # two neighbours of the bisection, tells its column.
    found = []
    for _, x0, x1 in segments:
        centre = (x0 + x1) / 2
        at = bisect_right(starts, centre) - 1
        found.append(at if at >= 0 and centre <= spans[at][1] else _overlapping(x0, x1, spans, at))
    return found


def _overlapping(x0: float, x1: float, spans: list[list[float]], at: int) -> int | None:
    best, overlap = None, 0.0
    for index in (at, at + 1):
        if 0 <= index < len(spans):
            width = min(x1, spans[index][1]) - max(x0, spans[index][0])
            if width > overlap:
                best, overlap = index, width
    return best


def place(segments: list[Segment], spans: list[list[float]], *, header: bool,
          starts: list[float] | None = None) -> list[str]:
    """Put each segment in its column; header labels over empty columns add columns.

    ``starts`` (the left edges of ``spans``) may be passed by a caller placing many lines.
    """
    if starts is None:
        starts = [x0 for x0, _ in spans]
    found = _locate(segments, spans, starts)
    if header and None in found:
        labelled = {index for index in found if index is not None}
        for seg in [s for s, index in zip(segments, found) if index is None]:
            # "Heures" written at the left of a wide cell whose figures sit at the right.
            free = [i for i in range(len(spans)) if i not in labelled]
            gap = lambda i: max(spans[i][0] - seg[2], seg[1] - spans[i][1])  # noqa: E731
            near = min(free, key=gap, default=None)
            if near is not None and gap(near) < 2 * (seg[2] - seg[1]) and not _between(spans, seg, near):
                spans[near] = [min(spans[near][0], seg[1]), max(spans[near][1], seg[2])]
                labelled.add(near)
            else:
                spans.append([seg[1], seg[2]])
                labelled.add(len(spans) - 1)
        spans.sort()
        found = _locate(segments, spans, [x0 for x0, _ in spans])
    cells = [""] * len(spans)
    for (text, x0, x1), index in zip(segments, found):
        if index is None:
            centre = (x0 + x1) / 2
            index = min(range(len(spans)), key=lambda i: abs(sum(spans[i]) / 2 - centre))
        cells[index] = f"{cells[index]} {text}" if cells[index] else text
    return cells


def _between(spans: list[list[float]], seg: Segment, index: int) -> bool:
    """Tell whether another column lies between a label and the column it would join."""
    x0, x1 = seg[1], seg[2]
    low, high = sorted((x1, spans[index][0])) if spans[index][0] >= x1 else sorted((spans[index][1], x0))
    return any(low < (a + b) / 2 < high for i, (a, b) in enumerate(spans) if i != index)


def table_rows(lines: list[tuple[float, list[Word]]], page: int, spans: list[list[float]] | None):
    """Return (rows, sources, spans, title_count, wrapped) for one page.

    Lines closer than a normal row spacing are cells written on several lines: they are
    merged into one row (``wrapped`` tells the caller, which may prefer the rulings).
    """
    segmented = [(y, segments_of(words)) for y, words in lines]
    start = next((i for i, (_, segs) in enumerate(segmented) if is_header_line(segs)), None)
    heights = sorted(map(_HEIGHT, chain.from_iterable(words for _, words in lines))) or [1.0]
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
    rows, sources, wrapped, previous_y, starts = [], [], False, None, None
    for number, (y, segments) in enumerate(segmented, start=1):
        if number - 1 < title_count or not spans:
            rows.append([s[0] for s in segments])
            sources.append({"page": page, "line": number})
            continue
        header = (start is not None and number - 1 <= start + 2) or is_header_line(segments)
        if header or starts is None:
            # Only header lines can widen the spans: the left edges are kept until the next.
            cells = place(segments, spans, header=header)
            starts = [x0 for x0, _ in spans]
        else:
            cells = place(segments, spans, header=False, starts=starts)
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
