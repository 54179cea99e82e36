"""Recognition rules for durations, sets, clock times and the PRESENT/PAST/FUTURE_REF adverbs.

"484 days", "51 and 484 days" (two durations), "the four-year-old war", "for two hours",
"every week", "annually", "15 a year", "at 3 p.m.", "18:00 UTC", "now", "recently", "soon".
"""

from __future__ import annotations

import re

from .timex_rules import Context, Found, Rule, found
from .timex_vocab import (
    NUMBER,
    NUMBER_WORD,
    SET_ADVERBS,
    UNIT,
    VAGUE,
    WEEKDAY,
    WEEKDAYS,
    duration,
    number_value,
)

APPROX = r"(?P<approx>(?i:about|around|nearly|almost|roughly|approximately|some|just\s+over|just\s+under))"
APPROX_MODS = {"just over": "MORE_THAN", "just under": "LESS_THAN"}
# Comparatives stay outside the extent (TimeML practice) but still set the mod.
COMPARATIVES = [
    (re.compile(r"(?i:more\s+than|over|upwards\s+of)\s+$"), "MORE_THAN"),
    (re.compile(r"(?i:less\s+than|under|fewer\s+than)\s+$"), "LESS_THAN"),
    (re.compile(r"(?i:at\s+least)\s+$"), "EQUAL_OR_MORE"),
    (re.compile(r"(?i:at\s+most|up\s+to|no\s+more\s+than)\s+$"), "EQUAL_OR_LESS"),
]
TIMEZONE = r"(?:UTC|GMT|ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|BST|CET|CEST|IST|JST|AEST|AEDT)"


def _mod(m: re.Match[str], ctx: Context) -> str | None:
    if m["approx"]:
        return APPROX_MODS.get(re.sub(r"\s+", " ", m["approx"].lower()), "APPROX")
    before = ctx.text[max(0, m.start() - 16) : m.start()]
    return next((mod for pattern, mod in COMPARATIVES if pattern.search(before)), None)


def _amount(text: str) -> float | None:
    return None if re.fullmatch(VAGUE, text) else number_value(text)


def _duration(m: re.Match[str], ctx: Context) -> list[Found]:
    return [found(m, "DURATION", duration(_amount(m["num"]), m["unit"]), mod=_mod(m, ctx))]


def _accept_duration(m: re.Match[str], text: str) -> bool:
    unit, number = m["unit"].lower(), m["num"].lower()
    if unit in {"second", "quarter"} and number in {"a", "an", "one"}:
        return False  # "a second time", "a quarter of the staff"
    if unit.startswith("quarter"):
        return not re.match(r"\s+of\b", text[m.end() : m.end() + 4])
    return not (unit == "night" and number in {"a", "an"})


def _number_list(m: re.Match[str], ctx: Context) -> list[Found]:
    """ "51 and 484 days": every number is its own duration in the same unit."""
    results = []
    for number in re.finditer(rf"\b(?:{NUMBER})\b", m["nums"]):
        amount = _amount(number.group())
        if amount is None or not number.group().strip():
            continue
        start = m.start("nums") + number.start()
        results.append(Found(start, start + len(number.group()), "DURATION", duration(amount, m["unit"])))
    last = _amount(m["last"])
    results.append(Found(m.start("last"), m.end(), "DURATION", duration(last, m["unit"])))
    return results


def _vague_plural(m: re.Match[str], ctx: Context) -> list[Found]:
    unit = m["unit"]
    return [Found(m.start("unit"), m.end("unit"), "DURATION", duration(None, unit))]


def _set(m: re.Match[str], ctx: Context) -> list[Found]:
    if m["wd"]:
        return [found(m, "SET", f"XXXX-WXX-{WEEKDAYS[m['wd'].lower().rstrip('.')] + 1}")]
    amount = number_value(m["num"]) if m["num"] and m["num"].lower() != "other" else None
    if m["num"] and m["num"].lower() == "other":
        amount = 2
    return [found(m, "SET", duration(amount or 1, m["unit"]))]


def _set_adverb(m: re.Match[str], ctx: Context) -> list[Found]:
    return [found(m, "SET", SET_ADVERBS[m["word"].lower()])]


def _per_unit(m: re.Match[str], ctx: Context) -> list[Found]:
    return [found(m, "SET", duration(1, m["unit"]))]


def _clock(m: re.Match[str], ctx: Context) -> list[Found]:
    hour, minute = int(m["h"]), int(m["mi"] or 0)
    ampm = (m["ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return []
    zone = "Z" if (m["tz"] or "").upper() in {"UTC", "GMT"} else ""
    day = ctx.day_here(m.start())
    prefix = day.isoformat() if day else "XXXX-XX-XX"
    return [found(m, "TIME", f"{prefix}T{hour:02d}:{minute:02d}{zone}")]


def _accept_clock(m: re.Match[str], text: str) -> bool:
    """Always for "3 p.m."; a bare 24-hour "18:00" needs a time zone or a preposition (else: a score?)."""
    if m["ampm"]:
        return True
    if not m["mi"] or ":" not in m.group():
        return False
    before = text[max(0, m.start() - 8) : m.start()]
    return bool(m["tz"]) or bool(
        re.search(r"(?i:\b(?:at|by|until|till|from|before|after|around|about))\s+$", before)
    )


def _noon(m: re.Match[str], ctx: Context) -> list[Found]:
    clock = "12:00" if m["word"].lower() in {"noon", "midday"} else "24:00"
    day = ctx.day_here(m.start())
    return [found(m, "TIME", f"{day.isoformat() if day else 'XXXX-XX-XX'}T{clock}")]


REFS = {
    "PRESENT_REF": r"right\s+now|now|currently|at\s+present|presently|at\s+the\s+moment|nowadays"
    r"|these\s+days",
    "PAST_REF": r"(?:more\s+|most\s+|until\s+|only\s+|very\s+)?recently|lately|in\s+the\s+past"
    r"|the\s+past(?!\s+\w+\s+(?:years|months|weeks|days))|in\s+recent\s+(?:years|months|weeks|days|decades)",
    "FUTURE_REF": r"soon|in\s+the\s+future|the\s+future|the\s+coming\s+(?:days|weeks|months|years|decades)"
    r"|in\s+coming\s+(?:days|weeks|months|years)|in\s+the\s+near\s+term",
}


def _ref(kind: str) -> Rule:
    # Not inside hyphenated compounds: "the now-cancelled deal", "the soon-to-open terminal".
    pattern = re.compile(rf"(?<!-)\b(?i:{REFS[kind]})\b(?!-)")
    return Rule(kind.lower(), pattern, lambda m, ctx: [found(m, "DATE", kind)])


DURATION_RULES = [
    Rule(
        "per_unit",
        re.compile(r"(?<=\d\s)(?i:a|per)\s+(?P<unit>year|month|week|day|hour)\b"),
        _per_unit,
    ),
    Rule(
        "set",
        re.compile(
            rf"\b(?i:every|each)\s+(?:(?P<wd>{WEEKDAY})|(?:(?P<num>(?i:other)|{NUMBER})\s+)?(?P<unit>{UNIT})s?\b)"
        ),
        _set,
    ),
    Rule("set_adverb", re.compile(rf"\b(?P<word>(?i:{'|'.join(SET_ADVERBS)}))\b"), _set_adverb),
    Rule(
        "number_list",
        re.compile(
            rf"(?P<nums>\b(?:\d+(?:,\d{{3}})*(?:\.\d+)?|{NUMBER_WORD})(?:\s*,\s*(?:\d+|{NUMBER_WORD}))*,?\s+"
            rf"(?i:and|or|to)\s+)(?P<last>\d+(?:,\d{{3}})*(?:\.\d+)?|{NUMBER_WORD})[\s-]+(?P<unit>{UNIT})s?\b"
        ),
        _number_list,
        lambda m, text: m["nums"].split()[0].lower() not in {"a", "an"},
    ),
    Rule(
        "duration",
        re.compile(
            rf"(?:{APPROX}\s+)?(?:(?:(?i:the)\s+)?\b(?i:past|last|next|first|coming|previous|following|final|"
            rf"latest|initial|remaining|other)\s+)?\b(?P<num>{NUMBER}|{VAGUE})[\s-]+(?P<unit>{UNIT})s?"
            r"(?:-(?i:old|long))?\b(?!-)"
        ),
        _duration,
        _accept_duration,
    ),
    Rule(
        "vague_plural",
        re.compile(
            r"(?:\b(?i:for|over|in|within)\s+(?:(?i:the\s+past|the\s+last|the\s+next)\s+)?)"
            r"(?P<unit>(?i:years|decades|months|weeks|days|hours|centuries))\b(?!\s+(?i:of|ago|later|earlier))"
        ),
        _vague_plural,
    ),
    Rule(
        "long_plural",
        re.compile(r"\b(?P<unit>(?i:years|decades|months|weeks|days|hours|centuries))-long\b"),
        lambda m, ctx: [found(m, "DURATION", duration(None, m["unit"]))],
    ),
    Rule(
        "clock",
        re.compile(
            r"\b(?P<h>[01]?\d|2[0-4])(?:[:.](?P<mi>[0-5]\d))?\s*"
            r"(?P<ampm>(?i:a\.m\.|p\.m\.|am\b|pm\b|a\.m\b|p\.m\b))?"
            rf"(?:\s*(?P<tz>{TIMEZONE})\b)?"
        ),
        _clock,
        _accept_clock,
    ),
    Rule(
        "noon",
        re.compile(r"\b(?P<word>(?i:noon|midday|midnight))\b"),
        _noon,
    ),
    _ref("PRESENT_REF"),
    _ref("PAST_REF"),
    _ref("FUTURE_REF"),
]
