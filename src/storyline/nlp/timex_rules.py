"""Recognition rules for calendar dates: each rule is a regex plus a resolver to a TIMEX3 value.

A rule's ``accept`` looks only at the text (is this "May" a month? is "2000" a year?),
so the span chooser can drop a candidate before any resolving. ``resolve`` runs in
document order with a :class:`Context` carrying the anchor (publication date) and the
last day mentioned (for "the next day" and clock times).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from . import timex_resolve as cal
from .timex_resolve import Direction
from .timex_vocab import DAY_NUMBER, HOLIDAYS, MONTH, MONTHS, WEEKDAY, YEAR


@dataclass(slots=True)
class Found:
    start: int
    end: int
    type: str
    value: str | None
    mod: str | None = None
    day: date | None = None  # the calendar day this expression pins down, if any


@dataclass(slots=True)
class Context:
    text: str
    anchor: date | None
    direction: Callable[[int, int], Direction]
    last_day: date | None = None  # the last day-precise date mentioned so far
    last_day_at: int = -1
    sentence_starts: list[int] = field(default_factory=list)

    def reference(self) -> date | None:
        """What "the next day" counts from: the last day mentioned, else the publication date."""
        return self.last_day or self.anchor

    def day_here(self, position: int) -> date | None:
        """The date a clock time belongs to: a day mentioned earlier in the same sentence, else the anchor."""
        start = max((s for s in self.sentence_starts if s <= position), default=0)
        if self.last_day is not None and self.last_day_at >= start:
            return self.last_day
        return self.anchor


Resolver = Callable[[re.Match[str], Context], list[Found]]
Acceptor = Callable[[re.Match[str], str], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: Resolver
    accept: Acceptor | None = None


EDGE_ALTERNATIVES = r"early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of"
EDGE_WORDS = rf"(?i:{EDGE_ALTERNATIVES})"
EDGE_MODS = {
    "early": "START",
    "beginning": "START",
    "start": "START",
    "late": "END",
    "end": "END",
    "mid": "MID",
}
EDGE_MODS["middle"] = "MID"


def edge_mod(text: str | None) -> str | None:
    if not text:
        return None
    words = re.findall(r"[a-z]+", text.lower())
    return next((EDGE_MODS[w] for w in words if w in EDGE_MODS), None)


def month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def found(
    m: re.Match[str], kind: str, value: str | None, *, mod: str | None = None, day: date | None = None
) -> Found:
    return Found(m.start(), m.end(), kind, value, mod, day)


# --- absolute dates ---------------------------------------------------------------------------------------


def _iso(m: re.Match[str], ctx: Context) -> list[Found]:
    day = cal.safe_date(int(m["y"]), int(m["mo"]), int(m["d"]))
    if day is None:
        return []
    if m["h"]:
        return [found(m, "TIME", f"{day.isoformat()}T{m['h']}:{m['mi']}", day=day)]
    return [found(m, "DATE", day.isoformat(), day=day)]


def _slashed(m: re.Match[str], ctx: Context) -> list[Found]:
    first, second, year = int(m["a"]), int(m["b"]), int(m["y"])
    if year < 100:
        year += 2000 if year < 50 else 1900
    # US order (month/day) unless the first number cannot be a month.
    month_no, day_no = (second, first) if first > 12 else (first, second)
    day = cal.safe_date(year, month_no, day_no)
    return [found(m, "DATE", day.isoformat(), day=day)] if day else []


def _month_day(m: re.Match[str], ctx: Context) -> list[Found]:
    month_no, day_no = month_number(m["month"]), day_number(m["day"])
    if m["year"]:
        day = cal.safe_date(int(m["year"]), month_no, day_no)
        return [found(m, "DATE", day.isoformat(), day=day)] if day else []
    if ctx.anchor is None:
        return [found(m, "DATE", f"XXXX-{month_no:02d}-{day_no:02d}")] if day_no <= 31 else []
    day = cal.day_near(ctx.anchor, month_no, day_no, ctx.direction(m.start(), m.end()))
    return [found(m, "DATE", day.isoformat(), day=day)] if day else []


def _month_year(m: re.Match[str], ctx: Context) -> list[Found]:
    return [found(m, "DATE", cal.month(int(m["year"]), month_number(m["month"])), mod=edge_mod(m["edge"]))]


_MONTH_CUES = re.compile(
    r"(?i:in|since|until|till|by|from|through|during|of|last|next|this|early|late|mid|before|after|between|and|to|"
    r"end|beginning|start|middle|or)[\s-]*$"
)


def _accept_month(m: re.Match[str], text: str) -> bool:
    """A lone month name: "May" needs a cue word before it; none may be followed by a capitalised name."""
    if re.match(r"\s+[A-Z][a-z]", text[m.end() : m.end() + 3]):
        return False
    if m["month"].lower() == "may" and not m["rel"]:
        return bool(_MONTH_CUES.search(text[max(0, m.start() - 12) : m.start()]))
    return True


def _month(m: re.Match[str], ctx: Context) -> list[Found]:
    month_no = month_number(m["month"])
    rel = (m["rel"] or "").lower()
    mod = edge_mod(rel)
    if ctx.anchor is None:
        return [found(m, "DATE", f"XXXX-{month_no:02d}", mod=mod)]
    if m["yrel"]:  # "October of next year"
        year = ctx.anchor.year + {"last": -1, "this": 0, "next": 1}[m["yrel"].lower()]
    elif rel == "last":
        year, _ = cal.month_near(ctx.anchor, month_no, "past", strict=True)
    elif rel == "next":
        year, _ = cal.month_near(ctx.anchor, month_no, "future", strict=True)
    elif rel == "this":
        year = ctx.anchor.year
    else:
        year, _ = cal.month_near(ctx.anchor, month_no, ctx.direction(m.start(), m.end()))
    return [found(m, "DATE", cal.month(year, month_no), mod=mod)]


_PLURAL_OK = frozenset(
    [
        "levels",
        "sales",
        "earnings",
        "results",
        "figures",
        "elections",
        "games",
        "olympics",
        "models",
        "prices",
        "rates",
        "standards",
        "numbers",
        "forecasts",
        "profits",
        "revenues",
        "estimates",
        "highs",
        "lows",
        "peaks",
        "championships",
    ]
)


def _accept_year(m: re.Match[str], text: str) -> bool:
    """Reject counts that look like years: "2000 jobs", "$2008", "No. 1999", "1,999"."""
    before = text[max(0, m.start("year") - 6) : m.start("year")]
    if re.search(r"(?:[$£€#]|No\.\s?|\d[\s,.]?)$", before) and not m["edge"]:
        return False
    after = re.match(r"\s+([a-z]+)", text[m.end() : m.end() + 30])
    if after and after.group(1).endswith("s") and not after.group(1).endswith("ss"):
        return after.group(1) in _PLURAL_OK
    return True


def _year(m: re.Match[str], ctx: Context) -> list[Found]:
    return [found(m, "DATE", m["year"], mod=edge_mod(m["edge"]))]


def _decade(m: re.Match[str], ctx: Context) -> list[Found]:
    short = m["short"] or m["bare"]  # "the '90s", "the 70s": the twentieth century
    value = f"19{short}X" if short else f"{m['century']}{m['dec']}X"
    return [found(m, "DATE", value, mod=edge_mod(m["edge"]))]


def _century(m: re.Match[str], ctx: Context) -> list[Found]:
    number = (
        int(m["n"]) if m["n"] else {"nineteenth": 19, "twentieth": 20, "twenty-first": 21}[m["word"].lower()]
    )
    return [found(m, "DATE", f"{number - 1:02d}")] if 1 <= number <= 99 else []


def _holiday(m: re.Match[str], ctx: Context) -> list[Found]:
    month_no, day_no = HOLIDAYS[re.sub(r"\s+", " ", m["name"].lower()).replace("’", "'")]
    if m["year"]:
        day = cal.safe_date(int(m["year"]), month_no, day_no)
    elif ctx.anchor is not None:
        day = cal.day_near(ctx.anchor, month_no, day_no, ctx.direction(m.start(), m.end()))
    else:
        return [found(m, "DATE", f"XXXX-{month_no:02d}-{day_no:02d}")]
    return [found(m, "DATE", day.isoformat(), day=day)] if day else []


_HOLIDAY_NAMES = "|".join(re.escape(h).replace(r"\ ", r"\s+").replace("'", "['’]") for h in HOLIDAYS)

DATE_RULES = [
    Rule(
        "iso",
        re.compile(
            r"\b(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
            r"(?:T(?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b"
        ),
        _iso,
    ),
    Rule("slashed", re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})\b(?!/)"), _slashed),
    Rule(
        "month_day",
        re.compile(
            rf"(?:{WEEKDAY},?\s+)?(?P<month>{MONTH})\s*(?P<day>{DAY_NUMBER})(?!\s*(?:%|[:.,]\d))"
            rf"(?:,?\s+(?P<year>{YEAR})\b(?![,.]\d))?"
        ),
        _month_day,
    ),
    Rule(
        "day_month",
        re.compile(
            rf"(?:{WEEKDAY},?\s+)?(?:(?i:the)\s+)?(?<![\d.,$])(?P<day>{DAY_NUMBER})\s+(?:(?i:of)\s+)?"
            rf"(?P<month>{MONTH})(?:,?\s+(?P<year>{YEAR})\b(?![,.]\d))?"
        ),
        _month_day,
    ),
    Rule(
        "month_year",
        re.compile(
            rf"(?:(?P<edge>{EDGE_WORDS})[\s-]+)?(?P<month>{MONTH})(?:\s+of|,)?\s+(?P<year>{YEAR})\b(?![,.]\d)"
        ),
        _month_year,
    ),
    Rule(
        "month",
        re.compile(
            rf"(?:(?P<rel>(?i:last|next|this|{EDGE_ALTERNATIVES}))[\s-]+)?(?P<month>{MONTH})"
            r"(?:\s+(?i:of)\s+(?P<yrel>(?i:last|this|next))\s+(?i:year)\b)?"
        ),
        _month,
        _accept_month,
    ),
    Rule(
        "year",
        re.compile(
            rf"(?:(?P<edge>{EDGE_WORDS}|(?i:fiscal(?:\s+year)?)|FY)[\s-]*)?(?<![\d$£€#/])\b(?P<year>{YEAR})\b"
            r"(?![,.]\d|%|\s*-\s*\d{1,3}\b(?!\d)|/\d)"
        ),
        _year,
        _accept_year,
    ),
    Rule(
        "decade",
        re.compile(
            r"(?:(?i:the)\s+)?(?:(?P<edge>(?i:early|late|mid))[\s-]+)?"
            r"(?:\b(?P<century>1[0-9]|20)(?P<dec>[0-9])0s|['’](?P<short>[0-9])0s|\b(?P<bare>[2-9])0s)\b"
        ),
        _decade,
    ),
    Rule(
        "century",
        re.compile(
            r"(?:(?i:the)\s+)?(?:\b(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<word>(?i:nineteenth|twentieth|twenty-first)))"
            r"[\s-]+(?i:century)\b"
        ),
        _century,
    ),
    Rule(
        "holiday",
        re.compile(rf"\b(?P<name>(?i:{_HOLIDAY_NAMES}))(?:\s+(?P<year>{YEAR})\b)?"),
        _holiday,
        lambda m, text: m["name"][0].isupper(),
    ),
]
