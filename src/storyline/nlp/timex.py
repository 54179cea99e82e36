"""Time expressions (TIMEX3) found in the article text and resolved against its publication date.

Recognition is rule-based (regexes over the text, no parse needed, see ``timex_rules``,
``timex_relative`` and ``timex_durations``); every candidate span of every rule is
collected, the longest non-overlapping ones win, and they are resolved left to right.

Resolution follows news conventions (TempEval-3 / HeidelTime practice):

* The anchor is ``article.published``. Without it, relative expressions are still
  found but get ``value=None`` (or an ``XXXX`` value when only the year is missing).
* A bare weekday or month points back to the most recent one up to the publication
  date, unless the sentence's nearest tense cue is future ("will", "is set to",
  "scheduled", "next") – then forward. A month/day without a year takes the nearest
  such day when it is within two months of the anchor.
* "the next day", "the following week", "the same day" count from the last
  day-precise date mentioned (else the publication date); a clock time takes the day
  mentioned earlier in its sentence, else the publication date.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from ..model import Article, Timex
from ..registry import stage
from . import timex_resolve as cal
from .timex_durations import DURATION_RULES
from .timex_relative import RELATIVE_RULES
from .timex_resolve import Direction
from .timex_rules import DATE_RULES, Context, Found, Rule

logger = logging.getLogger(__name__)

RULES: list[Rule] = [*DATE_RULES, *RELATIVE_RULES, *DURATION_RULES]

SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z\"“])|\n+")
WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
FUTURE_WORDS = frozenset(
    [
        "will",
        "won't",
        "'ll",
        "’ll",
        "shall",
        "would",
        "should",
        "upcoming",
        "coming",
        "next",
        "scheduled",
        "slated",
        "due",
        "planned",
        "plans",
        "plan",
        "expected",
        "tomorrow",
        "until",
        "till",
    ]
)
FUTURE_PHRASES = re.compile(
    r"(?i)\b(?:going|set|is|are|am|due|expected|scheduled|plans?|aims?)\s+to\b|['’]ll\b"
)
PAST_WORDS = frozenset(
    ["was", "were", "had", "did", "said", "ago", "last", "earlier", "yesterday", "told", "announced"]
)
NOT_PAST = frozenset(
    [
        "need",
        "feed",
        "speed",
        "seed",
        "red",
        "bed",
        "indeed",
        "proceed",
        "exceed",
        "succeed",
        "breed",
        "shed",
        "hundred",
    ]
)


@stage("timexes.v1", assigns=("timexes",))
def timexes(article: Article) -> Article:
    """Fill ``article.timexes`` with the time expressions of ``article.text``."""
    article.timexes = find_timexes(article.text, published=article.published)
    return article


def find_timexes(text: str, *, published: str | None = None) -> list[Timex]:
    """Every time expression in ``text``, with TIMEX3 values resolved against ``published`` (ISO date)."""
    starts = sentence_starts(text)
    context = Context(
        text=text,
        anchor=cal.parse_anchor(published),
        direction=lambda start, end: tense_direction(text, start, end, starts),
        sentence_starts=starts,
    )
    results: list[Timex] = []
    for rule, match in choose_spans(text, RULES):
        for item in rule.resolve(match, context):
            results.append(_to_timex(text, item))
            if item.day is not None:
                context.last_day, context.last_day_at = item.day, item.start
    return sorted(results, key=lambda t: (t.start, t.end))


def choose_spans(text: str, rules: Iterable[Rule]) -> list[tuple[Rule, re.Match[str]]]:
    """All accepted rule matches; longest first, then rule order, without overlaps; in text order."""
    candidates = []
    for index, rule in enumerate(rules):
        for match in rule.pattern.finditer(text):
            if match.end() > match.start() and (rule.accept is None or rule.accept(match, text)):
                candidates.append((match.start() - match.end(), index, match.start(), rule, match))
    candidates.sort(key=lambda c: c[:3])
    taken = bytearray(len(text))
    chosen = []
    for _, _, start, rule, match in candidates:
        if not any(taken[start : match.end()]):
            taken[start : match.end()] = b"\x01" * (match.end() - start)
            chosen.append((rule, match))
    return sorted(chosen, key=lambda c: c[1].start())


def _to_timex(text: str, item: Found) -> Timex:
    value = item.value
    if value is not None and not cal.VALUE_PATTERN.fullmatch(value):
        logger.debug("dropping malformed TIMEX3 value %r for %r", value, text[item.start : item.end])
        value = None
    return Timex(text[item.start : item.end], item.start, item.end, item.type, value, item.mod)


def sentence_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in SENTENCE_BREAK.finditer(text))]


def tense_direction(text: str, start: int, end: int, starts: list[int]) -> Direction:
    """Past or future for an underspecified date: the tense cue nearest to it in its sentence wins."""
    sentence_start = max((s for s in starts if s <= start), default=0)
    sentence_end = min((s for s in starts if s > end), default=len(text))
    best: tuple[int, Direction] | None = None
    for cue_start, cue_end, direction in _tense_cues(text, sentence_start, sentence_end):
        if cue_end > start and cue_start < end:
            continue  # the expression's own words ("next") are handled by its rule
        distance = start - cue_end if cue_end <= start else cue_start - end
        if best is None or distance < best[0]:
            best = (distance, direction)
    return best[1] if best else "past"


def _tense_cues(text: str, start: int, end: int) -> Iterable[tuple[int, int, Direction]]:
    for match in FUTURE_PHRASES.finditer(text, start, end):
        yield match.start(), match.end(), "future"
    previous = ""
    for match in WORD.finditer(text, start, end):
        word = match.group().lower()
        if word in FUTURE_WORDS:
            yield match.start(), match.end(), "future"
        elif word in PAST_WORDS or _is_simple_past(match.group(), previous):
            yield match.start(), match.end(), "past"
        previous = word


def _is_simple_past(word: str, previous: str) -> bool:
    """A lowercase "-ed" verb not after "be"/"will" ("was delivered" counts, "will be delivered" not)."""
    return (
        word[0].islower()
        and word.endswith("ed")
        and len(word) > 4
        and word not in NOT_PAST
        and previous not in {"be", "been", "being", "to", "will"}
    )
