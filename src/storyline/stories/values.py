"""Compare the parts of two claims: numbers, dates and names.

Each comparison answers with a :class:`Match`: ``SAME`` (equal), ``REFINES`` (compatible, one is
more precise: a day inside a month, exactly 19,000 inside "at least 19,000", "Trump" inside
"Donald Trump"), ``CONFLICT`` (cannot both be true), ``POSSESSOR`` (names differ only by who owns
the thing: "Putin's team" vs "Putin"), or ``NONE`` (nothing to compare on one side).
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from rapidfuzz import fuzz


class Match(Enum):
    NONE = "none"
    SAME = "same"
    REFINES = "refines"
    POSSESSOR = "possessor"
    CONFLICT = "conflict"


# How much a bare approximate number ("about 15") may stray and still be the same number.
APPROXIMATE_SPREAD = 0.15
VALUE = re.compile(
    r"^(?P<sign>[≥≤<>~]?)(?P<low>-?\d+(?:\.\d+)?)(?:-(?P<high>\d+(?:\.\d+)?))?(?: (?P<unit>.+))?$"
)
DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YEAR = re.compile(r"^(\d{4})$")
WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
STOP_NAME_WORDS = frozenset({"the", "a", "an", "its", "their", "his", "her"})


@dataclass(frozen=True, slots=True)
class Value:
    low: float
    high: float
    unit: str | None
    exact: bool
    text: str


# -- numbers ----------------------------------------------------------------------------------


def parse_value(text: str) -> Value | None:
    """A claim value ("15 children", "≥19000 children", "~100-999 drones") as an interval."""
    match = VALUE.match(text.strip())
    if match is None:
        return None
    low = float(match["low"])
    high = float(match["high"]) if match["high"] else low
    sign = match["sign"]
    unit = _unit(match["unit"])
    if sign in {"≥", ">"}:
        return Value(low, math.inf, unit, False, text)
    if sign in {"≤", "<"}:
        return Value(-math.inf, high, unit, False, text)
    if sign == "~" and high == low:
        return Value(low * (1 - APPROXIMATE_SPREAD), low * (1 + APPROXIMATE_SPREAD), unit, False, text)
    return Value(low, high, unit, sign == "" and high == low, text)


def _unit(unit: str | None) -> str | None:
    # "children"/"child", "days"/"day": compare the stem, lowercase.
    if not unit:
        return None
    word = unit.lower().split()[-1]
    return {"children": "child", "people": "person", "men": "man", "women": "woman"}.get(
        word, word.rstrip("s")
    )


def compare_value(first: Value, second: Value) -> Match:
    if first.low == second.low and first.high == second.high and first.exact == second.exact:
        return Match.SAME
    if first.low <= second.high and second.low <= first.high:
        return Match.REFINES
    return Match.CONFLICT


def compare_values(first: Iterable[str], second: Iterable[str]) -> tuple[Match, str | None, str | None]:
    """Best agreement between values of the same unit; the pair of value texts behind the answer."""
    ones = [v for v in map(parse_value, first) if v is not None]
    twos = [v for v in map(parse_value, second) if v is not None]
    pairs = [(a, b) for a in ones for b in twos if a.unit == b.unit]
    if not pairs:
        return Match.NONE, None, None
    ranked = sorted(pairs, key=lambda pair: _RANK[compare_value(*pair)])
    best = ranked[0]
    return compare_value(*best), best[0].text, best[1].text


_RANK = {Match.SAME: 0, Match.REFINES: 1, Match.POSSESSOR: 2, Match.CONFLICT: 3, Match.NONE: 4}


# -- dates --------------------------------------------------------------------------------------


def date_interval(value: str) -> tuple[date, date] | None:
    """First and last day a TIMEX3 date value covers; None for PRESENT_REF, seasons and the like."""
    try:
        if match := DAY.match(value):
            day = date(int(match[1]), int(match[2]), int(match[3]))
            return day, day
        if match := MONTH.match(value):
            year, month = int(match[1]), int(match[2])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if match := YEAR.match(value):
            return date(int(match[1]), 1, 1), date(int(match[1]), 12, 31)
        if match := WEEK.match(value):
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return monday, monday + timedelta(days=6)
    except ValueError:
        return None  # "2025-13", week 60: not a date we can place
    return None


def compare_date(first: str, second: str) -> Match:
    one, two = date_interval(first), date_interval(second)
    if one is None or two is None:
        return Match.NONE
    if one == two:
        return Match.SAME
    if one[0] <= two[1] and two[0] <= one[1]:
        return Match.REFINES
    return Match.CONFLICT


def compare_dates(first: Iterable[str], second: Iterable[str]) -> tuple[Match, str | None, str | None]:
    pairs = [(a, b) for a in first for b in second]
    results = [(compare_date(a, b), a, b) for a, b in pairs]
    results = [r for r in results if r[0] is not Match.NONE]
    if not results:
        return Match.NONE, None, None
    return min(results, key=lambda r: _RANK[r[0]])


# -- names --------------------------------------------------------------------------------------


def split_possessor(name: str) -> tuple[str | None, str]:
    """ "Vladimir Putin's team" → ("Vladimir Putin", "team")."""
    owner, mark, head = name.replace("’", "'").rpartition("'s ")
    return (owner, head) if mark and owner else (None, name)


def name_words(name: str) -> set[str]:
    cleaned = re.sub(r"[^\w\s-]", " ", name.lower().replace("’", "'").replace("'s ", " "))
    return {w for w in cleaned.split() if w not in STOP_NAME_WORDS}


def compare_names(first: str | None, second: str | None) -> Match:
    """Names of the subject or object of two claims."""
    if not first or not second:
        return Match.NONE
    if first.lower() == second.lower():
        return Match.SAME
    owner_one, owner_two = split_possessor(first)[0], split_possessor(second)[0]
    if (owner_one is None) != (owner_two is None):
        owner, bare = (owner_one, second) if owner_one is not None else (owner_two, first)
        if owner is not None and _compatible(owner, bare):
            return Match.POSSESSOR  # "Putin's team" vs "Putin": who the claim is about changed
    if _compatible(first, second):
        return Match.REFINES
    return Match.CONFLICT


def _compatible(first: str, second: str) -> bool:
    one, two = name_words(first), name_words(second)
    if one and two and (one <= two or two <= one):
        return True
    return fuzz.ratio(first.lower(), second.lower()) >= 90


def is_named(name: str | None, entities: Iterable[str]) -> bool:
    """A proper name (capitalised, or one of the claim's entities) rather than a common noun phrase."""
    if not name:
        return False
    known = {e.lower() for e in entities}
    return name.lower() in known or name[:1].isupper()
