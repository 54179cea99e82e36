"""The drawn time axis of a story: each timeline entry as a bar over the days its date covers.

Positions are computed here; the template draws the SVG (so every label goes through autoescape).
A day is a tick, a month or a year a bar as wide as the period: the precision is visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..model import TimelineEntry
from ..stories.features import value_interval

WIDTH = 900  # drawing width in SVG user units; the SVG scales to the page
LEFT = 10
RIGHT = 10
ROW = 24  # height of one entry's row
AXIS = 28  # room for the axis and its year labels
MIN_BAR = 3  # the width of a day's tick, and the least width of a short period's bar


@dataclass(slots=True)
class Bar:
    x: float
    width: float
    y: float
    tick: bool
    date: str
    precision: str
    summary: str
    status: str
    anchor: str  # id of the entry in the list under the axis
    label_x: float = 0.0
    label_end: bool = False  # the label runs leftwards from the bar (bars on the right half)


@dataclass(slots=True)
class Axis:
    width: int
    height: int
    axis_y: float
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (x, label) per year or month
    undated: list[int] = field(default_factory=list)  # entries whose value names no period


def build_axis(entries: list[TimelineEntry]) -> Axis:
    """Lay the dated entries on one linear axis, one row each, in the order given."""
    intervals = [value_interval(e.date) for e in entries]
    known = [i for i in intervals if i is not None]
    rows = sum(1 for i in intervals if i is not None)
    axis = Axis(width=WIDTH, height=rows * ROW + AXIS + 8, axis_y=rows * ROW + 6)
    axis.undated = [n for n, i in enumerate(intervals) if i is None]
    if not known:
        return axis
    first, last = min(i[0] for i in known), max(i[1] for i in known) + 1
    scale = (WIDTH - LEFT - RIGHT) / max(last - first, 1)
    for row, (n, interval) in enumerate((n, i) for n, i in enumerate(intervals) if i is not None):
        axis.bars.append(_bar(entries[n], interval, n=n, row=row, first=first, scale=scale))
    axis.ticks = _ticks(first, last, scale)
    return axis


def _bar(
    entry: TimelineEntry, interval: tuple[int, int], *, n: int, row: int, first: int, scale: float
) -> Bar:
    start, end = interval
    tick = start == end  # one day: a tick, whatever the zoom, so a day never looks like a period
    x = round(LEFT + (start - first) * scale, 1)
    width = MIN_BAR if tick else round(max((end + 1 - start) * scale, MIN_BAR), 1)
    label_end = x > WIDTH / 2
    return Bar(
        x=x,
        width=width,
        y=row * ROW + 4,
        tick=tick,
        date=entry.date,
        precision=entry.precision,
        summary=entry.summary,
        status=entry.status or "none",
        anchor=f"t{n}",
        label_x=round(x - 4 if label_end else x + width + 4, 1),
        label_end=label_end,
    )


def _ticks(first: int, last: int, scale: float) -> list[tuple[float, str]]:
    """Year starts on a long axis; month starts when the axis covers less than about two years."""
    start, end = date.fromordinal(first), date.fromordinal(last)
    monthly = last - first < 730
    marks: list[date] = []
    year, month = start.year, start.month
    while date(year, month, 1) < end:
        if date(year, month, 1) >= start and (monthly or month == 1):
            marks.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    label = "%Y-%m" if monthly else "%Y"
    return [(round(LEFT + (d.toordinal() - first) * scale, 1), d.strftime(label)) for d in marks]
