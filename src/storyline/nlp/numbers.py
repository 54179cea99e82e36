"""Turn number expressions into values: digits ("19,000", "1.2"), words ("Fifteen", "twenty-five",
"one hundred and twenty"), scales ("1.2 million") and vague plurals ("hundreds", "tens of thousands").

Pure functions over strings so they can be tested without spaCy. The quantities stage decides
*which* tokens form a number; this module only says what they are worth.

Convention for vague plurals: "<scale>s" (optionally "tens of"/"hundreds of" before it) means at
least one of that scale and less than ten of the next order of magnitude up, so "hundreds" is
100–999, "thousands" 1,000–9,999, "tens of thousands" 10,000–99,999, "dozens" 24–99 (two dozen is
the smallest plural). The stage reports ``value`` = the low end and ``value_max`` = the high end.
"""

from __future__ import annotations

import re

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100.0,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
# Scale words that may follow digits ("1.2 million", "$40bn").
SCALE_SUFFIXES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12, "trn": 1e12}
# Vague plurals: low end and high end (inclusive), see the module docstring.
VAGUE_PLURALS = {
    "dozens": (24.0, 99.0),
    "hundreds": (100.0, 999.0),
    "thousands": (1e3, 9_999.0),
    "millions": (1e6, 999_999_999.0),
    "billions": (1e9, 999_999_999_999.0),
}
NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS) | frozenset(SCALES) | {"dozen"}

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
_DIGITS_SUFFIX = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(k|m|mn|bn|b|tn|trn)$", re.IGNORECASE)


def parse_digits(text: str) -> float | None:
    """``"19,000"`` → 19000.0, ``"1.2"`` → 1.2; None when ``text`` is not a plain numeral."""
    if not _DIGITS.match(text):
        return None
    return float(text.replace(",", ""))


def parse_digits_with_suffix(text: str) -> float | None:
    """``"40bn"`` → 4e10; only meaningful after a currency sign (``"3m"`` alone may be metres)."""
    match = _DIGITS_SUFFIX.match(text)
    if not match:
        return None
    return float(match.group(1).replace(",", "")) * SCALE_SUFFIXES[match.group(2).lower()]


def is_number_word(word: str) -> bool:
    return _split_hyphens(word.lower()) is not None


def parse_words(words: list[str]) -> float | None:
    """Value of a run of number words and numerals: ``["one", "hundred", "and", "twenty"]`` → 120.

    A leading ``"a"`` counts as one ("a dozen", "a million"). Returns None when any word is not
    part of a number.
    """
    parts: list[str] = []
    for index, word in enumerate(words):
        lower = word.lower()
        if lower == "a" and index == 0:
            parts.append("one")
        elif lower == "and" and 0 < index < len(words) - 1:
            continue
        else:
            split = _split_hyphens(lower)
            if split is None:
                return None
            parts.extend(split)
    return _combine(parts) if parts else None


def _split_hyphens(word: str) -> list[str] | None:
    """``"twenty-five"`` → ``["twenty", "five"]``; None if a piece is not a number word or numeral."""
    pieces = word.split("-")
    if all(p in NUMBER_WORDS or parse_digits(p) is not None for p in pieces):
        return pieces
    return None


def _combine(parts: list[str]) -> float | None:
    # Classic accumulator: "two hundred thousand" = (2 * 100) * 1000; "1.2 million" = 1.2 * 1e6.
    total, current, seen_value = 0.0, 0.0, False
    for part in parts:
        digits = parse_digits(part)
        if digits is not None or part in UNITS or part in TENS:
            if seen_value and not _can_follow(current, digits, part):
                return None
            current += digits if digits is not None else float(UNITS.get(part, TENS.get(part, 0)))
            seen_value = True
        elif part == "dozen":
            current = (current or 1.0) * 12
            seen_value = True
        elif part == "hundred":
            current = (current or 1.0) * 100
            seen_value = True
        else:
            scale = SCALES[part]
            total += (current or 1.0) * scale
            current, seen_value = 0.0, False
    return total + current


def _can_follow(current: float, digits: float | None, part: str) -> bool:
    """Whether a units/tens word may add to ``current`` ("twenty five" yes, "five twenty" no)."""
    if digits is not None:
        return current % 100 == 0 and current > 0 and digits < 100
    if part in TENS:
        return current % 100 == 0 and current > 0
    return current % 10 == 0 and (current % 100 >= 20 or current % 100 == 0)


def vague_range(words: list[str]) -> tuple[float, float] | None:
    """``["hundreds"]`` → (100, 999); ``["tens", "of", "thousands"]`` → (10000, 99999)."""
    lowered = [w.lower() for w in words]
    if len(lowered) == 1 and lowered[0] in VAGUE_PLURALS:
        return VAGUE_PLURALS[lowered[0]]
    if len(lowered) == 3 and lowered[1] == "of" and lowered[2] in VAGUE_PLURALS:
        factor = {"tens": 10.0, "hundreds": 100.0}.get(lowered[0])
        if factor is None:
            return None
        low = VAGUE_PLURALS[lowered[2]][0] * factor
        return low, low * 10 - 1
    return None


def format_value(value: float) -> str:
    """``19000.0`` → ``"19000"``, ``1.5`` → ``"1.5"``: the compact form used in claim values."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e18 else f"{value:g}"
