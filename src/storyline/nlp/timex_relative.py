"""Recognition rules for dates relative to the publication date or to the last date mentioned.

"yesterday", "on Wednesday", "last week", "earlier this month", "two years ago", "the next day",
"the third quarter", "last summer", "this morning". Without a publication date the
expressions are still found; their value is None (or XXXX-style when only the year is unknown).
"""

from __future__ import annotations

import re
from datetime import date

from . import timex_resolve as cal
from .timex_rules import EDGE_WORDS, Context, Found, Rule, edge_mod, found
from .timex_vocab import NUMBER, ORDINALS, PARTS_OF_DAY, VAGUE, WEEKDAY, WEEKDAYS, YEAR, number_value, unit_of

SHIFTS = {"last": -1, "past": -1, "previous": -1, "prior": -1, "this": 0, "current": 0, "same": 0}
SHIFTS.update({"next": 1, "coming": 1, "following": 1})
PART = r"(?P<part>(?i:morning|afternoon|evening|night))"


def _day_found(m: re.Match[str], day: date | None, part: str | None) -> list[Found]:
    if day is None:
        return [found(m, "TIME" if part else "DATE", None)]
    if part:
        return [found(m, "TIME", f"{day.isoformat()}T{PARTS_OF_DAY[part.lower()]}", day=day)]
    return [found(m, "DATE", day.isoformat(), day=day)]


def _relative_day(m: re.Match[str], ctx: Context) -> list[Found]:
    word = m["word"].lower()
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    day = cal.shift_day(ctx.anchor, offset) if ctx.anchor else None
    part = "night" if word == "tonight" else m["part"]
    return _day_found(m, day, part)


def _this_part(m: re.Match[str], ctx: Context) -> list[Found]:
    offset = -1 if m["rel"].lower() == "last" else 0
    day = cal.shift_day(ctx.anchor, offset) if ctx.anchor else None
    return _day_found(m, day, m["part"])


def _weekday(m: re.Match[str], ctx: Context) -> list[Found]:
    weekday = WEEKDAYS[m["wd"].lower().rstrip(".")]
    if ctx.anchor is None:
        return [found(m, "TIME" if m["part"] else "DATE", f"XXXX-WXX-{weekday + 1}")]
    rel = re.sub(r"\s+", " ", (m["rel"] or "").lower())
    if rel in {"last", "this past", "past"}:
        day = cal.weekday_near(cal.shift_day(ctx.anchor, -1) or ctx.anchor, weekday, "past")
    elif rel in {"next", "this coming", "coming"}:
        day = cal.weekday_near(cal.shift_day(ctx.anchor, 1) or ctx.anchor, weekday, "future")
    elif rel == "this":
        day = cal.weekday_in_week(ctx.anchor, weekday, 0)
    else:
        day = cal.weekday_near(ctx.anchor, weekday, ctx.direction(m.start(), m.end()))
    return _day_found(m, day, m["part"])


def _unit_value(anchor: date, unit: str, shift: int) -> str | None:
    if unit == "weekend":
        moved = cal.shift_day(anchor, 7 * shift)
        return f"{cal.week(moved)}-WE" if moved else None
    return cal.shift_unit(anchor, unit, shift)


def _relative_unit(m: re.Match[str], ctx: Context) -> list[Found]:
    """this/last/next week, the following year, earlier this month, the past year (a duration)."""
    rel, unit = m["rel"].lower(), m["unit"].lower()
    if m["the"] and rel in {"past", "last", "next", "coming"} and unit not in {"weekend", "day"}:
        return [found(m, "DURATION", _one_unit(unit))]
    anchored_to_text = rel in {"following", "previous", "prior", "same"} or (m["the"] and rel == "next")
    anchor = ctx.reference() if anchored_to_text else ctx.anchor
    mod = edge_mod(m["edge"]) if m["edge"] and m["edge"].lower() in {"early", "late"} else None
    if anchor is None:
        return [found(m, "DATE", "PRESENT_REF" if SHIFTS[rel] == 0 and unit != "day" else None, mod=mod)]
    value = _unit_value(anchor, unit, SHIFTS[rel])
    day = cal.shift_day(anchor, SHIFTS[rel]) if unit == "day" else None
    return [found(m, "DATE", value, mod=mod, day=day)]


def _one_unit(unit: str) -> str:
    return {"day": "P1D", "week": "P1W", "month": "P1M", "quarter": "P3M", "year": "P1Y"}.get(unit, "P10Y")


def _ago(m: re.Match[str], ctx: Context) -> list[Found]:
    amount = number_value(m["num"]) if not re.fullmatch(VAGUE, m["num"]) else None
    calendar_unit = unit_of(m["unit"])[0]
    mod = "APPROX" if m["approx"] else None
    if amount is None or amount != int(amount):
        return [found(m, "DATE", "PAST_REF", mod=mod)]
    if ctx.anchor is None or calendar_unit in {"second", "minute", "hour"}:
        return [found(m, "DATE", None, mod=mod)]
    value = cal.shift_unit(ctx.anchor, calendar_unit, -int(amount))
    day = cal.shift_day(ctx.anchor, -int(amount)) if calendar_unit == "day" else None
    return [found(m, "DATE", value, mod=mod, day=day)]


def _quarter(m: re.Match[str], ctx: Context) -> list[Found]:
    which = (m["ord"] or "").lower()
    year = int(m["year"]) if m["year"] else None
    if m["yrel"] and ctx.anchor is not None:  # "the first quarter of last year"
        year = ctx.anchor.year + SHIFTS[m["yrel"].lower()]
    if m["n"]:
        number = int(m["n"])
        year = year or (2000 + int(m["yy"]) if m["yy"] else None)
    elif which in ORDINALS or which == "final":
        number = ORDINALS.get(which, 4)
    elif ctx.anchor is None:
        return [found(m, "DATE", None)]
    else:
        return [found(m, "DATE", cal.shift_unit(ctx.anchor, "quarter", SHIFTS.get(which, 0)))]
    if year is not None:
        return [found(m, "DATE", cal.quarter(year, number))]
    if ctx.anchor is None:
        return [found(m, "DATE", f"XXXX-Q{number}")]
    return [found(m, "DATE", cal.quarter_near(ctx.anchor, number, ctx.direction(m.start(), m.end())))]


def _half(m: re.Match[str], ctx: Context) -> list[Found]:
    half = "H1" if m["ord"].lower() in {"first", "1st"} else "H2"
    if m["year"]:
        return [found(m, "DATE", f"{m['year']}-{half}")]
    year = f"{ctx.anchor.year:04d}" if ctx.anchor else "XXXX"
    return [found(m, "DATE", f"{year}-{half}")]


def _season(m: re.Match[str], ctx: Context) -> list[Found]:
    season = m["season"].lower()
    rel = (m["rel"] or "").lower()
    mod = edge_mod(rel) if rel in {"early", "late"} else None
    if m["year"]:
        return [found(m, "DATE", f"{m['year']}-{cal.SEASONS[season]}", mod=mod)]
    if ctx.anchor is None:
        return [found(m, "DATE", None, mod=mod)]
    offset = SHIFTS.get(rel) if rel in SHIFTS else None
    direction = ctx.direction(m.start(), m.end())
    return [found(m, "DATE", cal.season_near(ctx.anchor, season, offset, direction), mod=mod)]


def _accept_season(m: re.Match[str], text: str) -> bool:
    # "fall" is a verb far more often than a season: only with last/this/next or a year.
    if m["season"].lower() == "fall":
        return bool((m["rel"] and m["rel"].lower() not in {"early", "late"}) or m["year"])
    return bool(m["rel"] or m["year"] or m["the"])


def _edge_of_unit(m: re.Match[str], ctx: Context) -> list[Found]:
    """ "the end of the year", "the beginning of next month": the unit's value with a START/END/MID mod."""
    unit = m["unit"].lower()
    shift = SHIFTS.get((m["rel"] or "this").lower(), 0)
    mod = edge_mod(m["edge"])
    if ctx.anchor is None:
        return [found(m, "DATE", None, mod=mod)]
    return [found(m, "DATE", _unit_value(ctx.anchor, unit, shift), mod=mod)]


# Order matters on ties of length: "the last quarter" is the quarter rule's date, not a duration.
RELATIVE_RULES = [
    Rule(
        "relative_day",
        re.compile(
            rf"(?:\b(?i:earlier|later)\s+)?\b(?P<word>(?i:today|tonight|yesterday|tomorrow))\b(?:\s+{PART}\b)?"
        ),
        _relative_day,
    ),
    Rule("this_part", re.compile(rf"\b(?P<rel>(?i:this|last))\s+{PART}\b"), _this_part),
    Rule(
        "weekday",
        re.compile(
            rf"(?:(?P<rel>(?i:last|next|this\s+past|this\s+coming|this|coming|past))\s+)?(?P<wd>{WEEKDAY})"
            rf"(?:\s+{PART}\b)?"
        ),
        _weekday,
    ),
    Rule(
        "quarter",
        re.compile(
            r"(?:(?i:the)\s+)?(?:\b(?P<ord>(?i:first|second|third|fourth|1st|2nd|3rd|4th|final|last|latest|"
            r"current|previous|past|this|next))[\s-]+(?:(?i:fiscal|financial)\s+)?(?i:quarter)\b"
            rf"(?:\s+(?:(?i:of)\s+)?(?:(?i:fiscal)\s+)?(?:(?P<year>{YEAR})\b|(?P<yrel>(?i:last|this|next))\s+(?i:year)\b))?"
            r"|\bQ(?P<n>[1-4])"
            rf"(?:\s+(?P<y2>{YEAR})|['’](?P<yy>\d{{2}}))?\b)"
        ),
        lambda m, ctx: (
            _quarter(m, ctx) if not m["y2"] else [found(m, "DATE", cal.quarter(int(m["y2"]), int(m["n"])))]
        ),
    ),
    Rule(
        "relative_unit",
        re.compile(
            r"(?:(?P<edge>(?i:earlier|later|early|late))\s+)?(?P<the>(?i:the)\s+)?"
            r"\b(?P<rel>(?i:this|last|next|past|previous|prior|coming|current|following|same))\s+"
            r"(?P<unit>(?i:day|week|month|year|quarter|decade|century|weekend))\b"
        ),
        _relative_unit,
        lambda m, text: m["unit"].lower() != "day" or bool(m["the"]),
    ),
    Rule(
        "ago",
        re.compile(
            rf"(?:(?P<approx>(?i:about|around|nearly|almost|roughly|approximately|some))\s+)?"
            rf"\b(?P<num>{NUMBER}|{VAGUE})[\s-]+(?P<unit>(?i:second|minute|hour|day|week|month|year|decade|"
            r"centurie|century))s?\s+(?i:ago)\b"
        ),
        _ago,
    ),
    Rule(
        "half",
        re.compile(
            rf"(?:(?i:the)\s+)?\b(?P<ord>(?i:first|second|1st|2nd))\s+(?i:half)(?:\s+(?i:of)\s+(?P<year>{YEAR}))?\b"
        ),
        _half,
        lambda m, text: bool(m["year"]) or not re.match(r"\s+of\b", text[m.end() : m.end() + 4]),
    ),
    Rule(
        "season",
        re.compile(
            rf"(?:(?P<the>(?i:the))\s+)?(?:(?P<rel>(?i:this|last|next|past|coming|early|late))\s+)?"
            rf"\b(?P<season>(?i:spring|summer|autumn|fall|winter))\b(?:\s+(?:(?i:of)\s+)?(?P<year>{YEAR})\b)?"
        ),
        _season,
        _accept_season,
    ),
    Rule(
        "edge_of_unit",
        re.compile(
            rf"(?P<edge>{EDGE_WORDS})\s+(?:(?i:the|this)\s+|(?P<rel>(?i:last|next))\s+)"
            r"(?P<unit>(?i:year|month|week|quarter|decade))\b"
        ),
        _edge_of_unit,
    ),
]
