"""Word lists and regex building blocks shared by the time-expression rules.

Month and weekday names are matched case-sensitively (capitalised) so that "may",
"march" or "sun" in running text are not dates; every other word list is wrapped in
``(?i:...)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "couple": 2, "a couple of": 2, "couple of": 2, "a dozen": 12,
    "dozen": 12, "single": 1, "half": 0.5,
}  # fmt: skip
VAGUE_NUMBERS = (
    "several", "a few", "few", "many", "some", "a number of", "dozens of", "hundreds of", "numerous",
    "the past few", "a couple", "countless",
)  # fmt: skip
ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
}  # fmt: skip
# unit word → (TIMEX3 calendar unit for resolving, duration letter, multiplier, time part)
UNITS = {
    "second": ("second", "S", 1, True), "minute": ("minute", "M", 1, True), "hour": ("hour", "H", 1, True),
    "day": ("day", "D", 1, False), "night": ("day", "D", 1, False), "week": ("week", "W", 1, False),
    "fortnight": ("week", "W", 2, False), "month": ("month", "M", 1, False),
    "quarter": ("quarter", "M", 3, False), "year": ("year", "Y", 1, False),
    "decade": ("decade", "Y", 10, False), "century": ("century", "Y", 100, False),
}  # fmt: skip
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}
SET_ADVERBS = {
    "hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W",
    "monthly": "P1M", "quarterly": "P3M", "annually": "P1Y", "annual": "P1Y", "yearly": "P1Y",
}  # fmt: skip
HOLIDAYS = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
    "new year's eve": (12, 31), "new year's day": (1, 1), "halloween": (10, 31),
    "valentine's day": (2, 14), "independence day": (7, 4),
}  # fmt: skip


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first so that "Sept" wins over "Sep"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def capitalised(words: Iterable[str]) -> str:
    return "|".join(
        sorted({w.capitalize() for w in words} | {w.upper() for w in words}, key=len, reverse=True)
    )


_FULL_MONTHS = [m for m in MONTHS if len(m) > 4 or m in {"may", "june", "july"}]
_SHORT_MONTHS = [m for m in MONTHS if m not in _FULL_MONTHS]
# Abbreviations need their dot ("Feb. 4") so "Jan" the name or "Mar" in a word are not dates.
MONTH = (
    rf"(?:\b(?:{capitalised(_FULL_MONTHS)})\b|\b(?:{capitalised(_SHORT_MONTHS)})\."
    rf"|\b(?:{capitalised(_SHORT_MONTHS)})\b(?=\s+\d))"
)
_FULL_DAYS = [d for d in WEEKDAYS if d.endswith("day")]
# "Sun." and "Sat." are left out: "The Sun." ends sentences more often than Sunday is abbreviated.
_SHORT_DAYS = set(WEEKDAYS) - set(_FULL_DAYS) - {"sun", "sat"}
WEEKDAY = rf"(?:\b(?:{capitalised(_FULL_DAYS)})\b|\b(?:{capitalised(_SHORT_DAYS)})\.)"
DAY_NUMBER = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2}|21[0-9]{2})"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS_WORDS = "one|two|three|four|five|six|seven|eight|nine"
NUMBER_WORD = rf"(?i:(?:{_TENS})(?:[- ](?:{_UNITS_WORDS}))?|{alternation(SMALL_NUMBERS)})"
NUMBER = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|{NUMBER_WORD})(?:(?i:\s+and\s+a\s+half))?"
VAGUE = rf"(?i:{alternation(VAGUE_NUMBERS)})"
UNIT = rf"(?i:{alternation(UNITS)}|centuries)"
ORDINAL = rf"(?i:{alternation(ORDINALS)})"


def number_value(text: str) -> float | None:
    """'two' → 2, 'twenty-five' → 25, '1,000' → 1000, 'two and a half' → 2.5; None when vague."""
    lowered = text.lower().strip()
    half = 0.0
    if lowered.endswith("and a half"):
        lowered, half = lowered.removesuffix("and a half").strip(), 0.5
    if re.fullmatch(r"\d+(?:,\d{3})*(?:\.\d+)?", lowered):
        return float(lowered.replace(",", "")) + half
    if lowered in SMALL_NUMBERS:
        return SMALL_NUMBERS[lowered] + half
    parts = re.split(r"[- ]", lowered)
    if len(parts) == 2 and parts[0] in SMALL_NUMBERS and parts[1] in SMALL_NUMBERS:
        return SMALL_NUMBERS[parts[0]] + SMALL_NUMBERS[parts[1]] + half
    return None


def unit_of(word: str) -> tuple[str, str, int, bool]:
    lowered = " ".join(word.lower().split())
    # "centuries" is the one plural that is not singular + "s"; match it by stem so any casing or
    # spacing the patterns let through still resolves.
    singular = "century" if lowered.startswith("centur") else lowered.removesuffix("s")
    return UNITS[singular]


def duration(amount: float | None, word: str) -> str:
    """TIMEX3 duration value: (2, 'years') → P2Y, (3, 'hours') → PT3H, (None, 'days') → PXD."""
    _unit, letter, multiplier, is_time = unit_of(word)
    if amount is None:
        number = "X"
    else:
        total = amount * multiplier
        number = str(int(total)) if total == int(total) else f"{total:g}"
    return f"PT{number}{letter}" if is_time else f"P{number}{letter}"
