from __future__ import annotations

from storyline.model import TimelineEntry
from storyline.web.timeline import MIN_BAR, build_axis


def entry(date: str, precision: str) -> TimelineEntry:
    return TimelineEntry(date=date, precision=precision, summary=f"event {date}")


def test_a_month_is_a_bar_and_a_day_is_a_tick() -> None:
    axis = build_axis([entry("2025-08", "month"), entry("2025-12-03", "day"), entry("2026-02", "month")])
    august, day, february = axis.bars
    assert not august.tick and august.width > 10 * MIN_BAR
    assert day.tick and day.width == MIN_BAR
    assert august.x < day.x < february.x
    assert abs(august.width - february.width * 31 / 28) < 1  # widths are proportional to the days covered


def test_undated_values_stay_off_the_axis() -> None:
    axis = build_axis([entry("PRESENT_REF", "day"), entry("2022", "year")])
    assert axis.undated == [0]
    assert [bar.date for bar in axis.bars] == ["2022"]
    assert [label for _, label in axis.ticks] == ["2022-01", *[f"2022-{m:02d}" for m in range(2, 13)]]


def test_year_ticks_on_a_long_axis() -> None:
    axis = build_axis([entry("2022-02", "month"), entry("2026-02-04", "day")])
    assert [label for _, label in axis.ticks] == ["2023", "2024", "2025", "2026"]
