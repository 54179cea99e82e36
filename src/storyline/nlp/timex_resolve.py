"""Calendar arithmetic and TIMEX3 value formatting for the time-expression resolver.

Everything here is a pure function of dates: no text. ``Direction`` says whether an
underspecified expression ("on Wednesday", "in December") points back from the
anchor (news default) or forward (future tense, "next").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Literal

Direction = Literal["past", "future"]

# What a well-formed TIMEX3 value may look like (used by tests and as a last guard).
VALUE_PATTERN = re.compile(
    r"""(?x)
    (?:PRESENT_REF|PAST_REF|FUTURE_REF)
  | (?:FY)?[0-9X]{2,4}
    (?:-(?:[0-9X]{2}(?:-[0-9X]{2})?|W[0-9X]{2}(?:-(?:[1-7]|WE))?|Q[1-4X]|H[12]|SP|SU|FA|WI))?
    (?:T(?:[0-9]{2}(?::[0-9]{2}(?::[0-9]{2})?)?|MO|AF|EV|NI)Z?)?
  | P(?:[0-9X.]+(?:Y|M|W|D|DE|CE|Q))*(?:T(?:[0-9X.]+[HMS])+)?
    """
)

SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}


def parse_anchor(published: str | None) -> date | None:
    """The article's publication date from an ISO date or datetime string; None when absent or unreadable."""
    if not published:
        return None
    text = published.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def day(value: date) -> str:
    return value.isoformat()


def month(year: int, month_number: int) -> str:
    return f"{year:04d}-{month_number:02d}"


def week(value: date) -> str:
    iso_year, iso_week, _ = value.isocalendar()
    return f"{iso_year:04d}-W{iso_week:02d}"


def quarter(year: int, number: int) -> str:
    return f"{year:04d}-Q{number}"


def add_months(year: int, month_number: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month_number - 1) + delta
    return index // 12, index % 12 + 1


def shift_day(value: date, days: int) -> date | None:
    try:
        return value + timedelta(days=days)
    except OverflowError:
        return None


def safe_date(year: int, month_number: int, day_number: int) -> date | None:
    try:
        return date(year, month_number, day_number)
    except ValueError:
        return None


def weekday_near(anchor: date, weekday: int, direction: Direction) -> date | None:
    """The given weekday (0=Monday) on or before the anchor, or on or after it for the future."""
    if direction == "future":
        return shift_day(anchor, (weekday - anchor.weekday()) % 7)
    return shift_day(anchor, -((anchor.weekday() - weekday) % 7))


def weekday_in_week(anchor: date, weekday: int, weeks: int) -> date | None:
    """The weekday in the ISO week ``weeks`` away from the anchor's ("next Friday", "last Monday")."""
    monday = shift_day(anchor, -anchor.weekday() + 7 * weeks)
    return shift_day(monday, weekday) if monday else None


def month_near(
    anchor: date, month_number: int, direction: Direction, *, strict: bool = False
) -> tuple[int, int]:
    """The year of the month nearest the anchor in ``direction``; ``strict`` excludes the anchor's month."""
    year = anchor.year
    if direction == "past":
        if month_number > anchor.month or (strict and month_number == anchor.month):
            year -= 1
    elif month_number < anchor.month or (strict and month_number == anchor.month):
        year += 1
    return year, month_number


def day_near(anchor: date, month_number: int, day_number: int, direction: Direction) -> date | None:
    """A month/day without a year: the nearest one when it is within two months, else by direction."""
    candidates = [safe_date(anchor.year + k, month_number, day_number) for k in (-1, 0, 1)]
    valid = [c for c in candidates if c is not None]
    if not valid:
        return None
    nearest = min(valid, key=lambda c: abs((c - anchor).days))
    if abs((nearest - anchor).days) <= 62:
        return nearest
    if direction == "future":
        return min((c for c in valid if c >= anchor), default=nearest, key=lambda c: c - anchor)
    return max((c for c in valid if c <= anchor), default=nearest)


def quarter_near(anchor: date, number: int, direction: Direction) -> str:
    current = (anchor.month - 1) // 3 + 1
    year = anchor.year
    if direction == "past" and number > current:
        year -= 1
    elif direction == "future" and number < current:
        year += 1
    return quarter(year, number)


def season_near(anchor: date, season: str, offset: int | None, direction: Direction) -> str:
    """``offset`` is -1/0/+1 for last/this/next; None means "the nearest in direction"."""
    code = SEASONS[season]
    year = anchor.year
    if offset is not None:
        return f"{year + offset:04d}-{code}"
    current = _season_of(anchor)
    order = ["WI", "SP", "SU", "FA"]
    if direction == "past" and order.index(code) > order.index(current):
        year -= 1
    elif direction == "future" and order.index(code) < order.index(current):
        year += 1
    return f"{year:04d}-{code}"


def _season_of(value: date) -> str:
    return ("WI", "WI", "SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA", "WI")[value.month - 1]


def shift_unit(anchor: date, unit: str, amount: int) -> str | None:
    """The anchor moved by ``amount`` units, formatted at that unit's granularity ("3 weeks ago")."""
    if unit == "day":
        moved = shift_day(anchor, amount)
        return day(moved) if moved else None
    if unit == "week":
        moved = shift_day(anchor, 7 * amount)
        return week(moved) if moved else None
    if unit == "month":
        return month(*add_months(anchor.year, anchor.month, amount))
    if unit == "quarter":
        index = anchor.year * 4 + (anchor.month - 1) // 3 + amount
        return quarter(index // 4, index % 4 + 1)
    if unit == "year":
        return f"{anchor.year + amount:04d}"
    if unit == "decade":
        return f"{(anchor.year // 10 + amount):03d}X"
    if unit == "century":
        return f"{(anchor.year // 100 + amount):02d}"
    return None


def in_range(year: int) -> bool:
    return 1 <= year <= 9999
