"""One story as the clusterer holds it: member article ids plus running aggregates of their features.

Active stories keep each member's :class:`ArticleFeatures` (so a manual split can rebuild both parts);
archived stories (evicted from the time window) keep only their article ids.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .features import ArticleFeatures, Interval

LAST_ORDINAL = date.max.toordinal()
SPECIFIC_DAYS = 31  # an interval up to a month long pins an event down; a year does not


@dataclass(slots=True)
class Story:
    id: str
    articles: list[str] = field(default_factory=list)
    members: dict[str, ArticleFeatures] = field(default_factory=dict)
    vector_sum: np.ndarray | None = None
    entities: Counter[str] = field(default_factory=Counter)  # entity -> member articles mentioning it
    months: Counter[int] = field(default_factory=Counter)  # months covered by specific event dates
    years: Counter[int] = field(default_factory=Counter)  # years of all event dates
    first_published: int | None = None
    last_published: int | None = None
    last_active: int | None = None  # clock (day ordinal) of the latest arrival, for eviction
    active: bool = True

    @property
    def size(self) -> int:
        return len(self.members)

    def centroid(self) -> np.ndarray | None:
        if self.vector_sum is None or not self.members:
            return None
        return self.vector_sum / len(self.members)

    def add(self, features: ArticleFeatures) -> None:
        if features.id not in self.articles:
            self.articles.append(features.id)
        self.members[features.id] = features
        vector = features.vector.astype(np.float64)
        self.vector_sum = vector.copy() if self.vector_sum is None else self.vector_sum + vector
        self.entities.update(features.entities.keys())
        for interval in features.event_dates:
            self.months.update(interval_months(interval, tolerance=0) if is_specific(interval) else ())
            self.years.update(interval_years(interval))
        if features.published is not None:
            self.first_published = _min(self.first_published, features.published)
            self.last_published = _max(self.last_published, features.published)

    def rebuild(self) -> None:
        """Recompute every aggregate from the members (after a split or a merge)."""
        members = list(self.members.values())
        self.members, self.vector_sum = {}, None
        self.entities, self.months, self.years = Counter(), Counter(), Counter()
        self.first_published = self.last_published = None
        for features in members:
            self.add(features)

    def archive(self) -> None:
        self.members, self.vector_sum, self.active = {}, None, False
        self.entities, self.months, self.years = Counter(), Counter(), Counter()


def is_specific(interval: Interval) -> bool:
    return interval[1] - interval[0] <= SPECIFIC_DAYS


def interval_months(interval: Interval, *, tolerance: int) -> set[int]:
    """Month numbers (year * 12 + month - 1) the interval touches, widened by ``tolerance`` days."""
    first, last = _date(interval[0] - tolerance), _date(interval[1] + tolerance)
    start, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    return set(range(start, end + 1))


def interval_years(interval: Interval) -> set[int]:
    return set(range(_date(interval[0]).year, _date(interval[1]).year + 1))


def _date(ordinal: int) -> date:
    """The date of a day ordinal, clamped to what ``datetime.date`` can hold (years 1-9999)."""
    return date.fromordinal(min(max(1, ordinal), LAST_ORDINAL))


def _min(left: int | None, right: int) -> int:
    return right if left is None else min(left, right)


def _max(left: int | None, right: int) -> int:
    return right if left is None else max(left, right)
