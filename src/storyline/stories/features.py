"""What the story clusterer reads from one article: a text vector, canonical entities, event and
publication dates. Computed once per article; the clusterer never looks at the text again.

Dates are day ordinals (``date.toordinal()``). An event date is the interval a TIMEX3 ``DATE``/``TIME``
value covers: ``2009-04-06`` one day, ``2009-04`` a month, ``2009-W15`` a week, ``2009`` a year. Values
without a year (``XXXX-08-01``, left when the article has no publication date), references
(``PRESENT_REF``), decades and durations say nothing about *which* event is meant and are skipped.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..model import Article
from .embed import Embedder

# Entity labels that name who/where/what an event is about (spaCy OntoNotes labels).
STORY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MONTH = re.compile(r"(\d{4})-(\d{2})")
WEEK = re.compile(r"(\d{4})-W(\d{2})")
SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 12)}
SEASON = re.compile(r"(\d{4})-(SP|SU|FA|WI)")

Interval = tuple[int, int]


@dataclass(slots=True)
class ArticleFeatures:
    id: str
    vector: np.ndarray  # L2-normalised text embedding
    entities: Counter[str] = field(default_factory=Counter)  # canonical key -> mentions
    event_dates: list[Interval] = field(default_factory=list)
    published: int | None = None  # day ordinal


def extract_features(article: Article, *, embedder: Embedder) -> ArticleFeatures:
    return features_from_vector(article, embedder.embed([story_text(article)])[0])


def features_from_vector(article: Article, vector: np.ndarray) -> ArticleFeatures:
    """Features when the embedding was computed elsewhere (batched over many articles)."""
    return ArticleFeatures(
        id=article.id,
        vector=vector,
        entities=entity_keys(article),
        event_dates=event_dates(article),
        published=day_ordinal(article.published),
    )


def story_text(article: Article) -> str:
    return f"{article.title}\n{article.text}" if article.title else article.text


def entity_keys(article: Article) -> Counter[str]:
    """Canonical names (case-folded) of the entities that can identify an event."""
    keys: Counter[str] = Counter()
    for entity in article.entities:
        name = (entity.canonical or entity.text or "").strip().casefold()
        if entity.label in STORY_LABELS and len(name) > 1:
            keys[name] += 1
    return keys


def event_dates(article: Article) -> list[Interval]:
    intervals = []
    for timex in article.timexes:
        if timex.type in ("DATE", "TIME") and timex.value:
            interval = value_interval(timex.value)
            if interval is not None:
                intervals.append(interval)
    return intervals


def value_interval(value: str) -> Interval | None:
    """The days a TIMEX3 value covers, or None when it names no specific period."""
    for pattern, convert in _CONVERTERS:
        match = pattern.match(value)
        if match:
            parts: list[Any] = [int(g) if g.isdigit() else g for g in match.groups()]
            try:
                return convert(*parts)
            except ValueError:  # e.g. 2009-02-30 or week 60: not a real date
                return None
    return None


def _day(year: int, month: int, day: int) -> Interval:
    ordinal = date(year, month, day).toordinal()
    return ordinal, ordinal


def _month(year: int, month: int) -> Interval:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1).toordinal(), date(year, month, last).toordinal()


def _week(year: int, week: int) -> Interval:
    monday = date.fromisocalendar(year, week, 1).toordinal()
    return monday, monday + 6


def _season(year: int, season: str) -> Interval:
    first, last = SEASONS[season]
    return _month(year, first)[0], _month(year, last)[1]


def _year(year: int) -> Interval:
    return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()


_CONVERTERS: tuple[tuple[re.Pattern[str], Callable[..., Interval]], ...] = (
    (DAY, _day),
    (WEEK, _week),
    (SEASON, _season),
    (MONTH, _month),
    (re.compile(r"(\d{4})$"), _year),
)


def day_ordinal(published: str | None) -> int | None:
    """Day ordinal of an ISO publication date (``YYYY-MM-DD`` prefix), None when absent or not a date."""
    if not published:
        return None
    match = DAY.match(published)
    if not match:
        return None
    try:
        return _day(*(int(g) for g in match.groups()))[0]
    except ValueError:
        return None
