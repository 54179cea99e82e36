"""How well an article fits a story: four signals, combined linearly with weights from the settings.

* ``text``: cosine between the article vector and the story centroid, both centred on the running mean
  of all article vectors (static embeddings of news share a large common direction; removing it
  spreads the cosines);
* ``entities``: the share of the article's canonical-entity mass (1 + log mentions, times rarity in the
  active window) that the story's articles also mention, scaled by how many of them do (0..1);
* ``dates``: event-date agreement (−1..1): each specific event date of the article (a day to a month)
  scores +1 when the story has event dates in the same month (± ``DATE_TOLERANCE`` days) and −1 when it
  has specific dates but none near; a bare year scores ±0.5 against the story's years. Two earthquakes a
  year apart disagree even when all their words agree;
* ``time``: publication distance (0..1) between the article and the story's publication span, in units of
  the time window.

score = text + entity_weight · entities + date_weight · dates − time_weight · time
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .features import ArticleFeatures
from .story import Story, interval_months, interval_years, is_specific

DATE_TOLERANCE = 7  # days: follow-up reports name the following days of the same event


class Rarity(Protocol):
    def get(self, key: str, default: float = 1.0, /) -> float: ...


@dataclass(frozen=True, slots=True)
class Weights:
    entities: float
    dates: float
    time: float
    window_days: int


@dataclass(frozen=True, slots=True)
class Score:
    total: float
    text: float
    entities: float
    dates: float
    time: float


def unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def score(
    features: ArticleFeatures,
    centred: np.ndarray,
    story: Story,
    *,
    mean: np.ndarray,
    idf: Rarity,
    weights: Weights,
) -> Score:
    """``centred`` is the article vector minus the running mean, normalised (computed once per article)."""
    centroid = story.centroid()
    text = float(centred @ unit(centroid - mean)) if centroid is not None else 0.0
    entities = entity_overlap(features.entities, story, idf)
    dates = date_agreement(features, story)
    time = publication_distance(features.published, story, weights.window_days)
    total = text + weights.entities * entities + weights.dates * dates - weights.time * time
    return Score(total, text, entities, dates, time)


def entity_overlap(entities: Counter[str], story: Story, idf: Rarity) -> float:
    if not entities or not story.size:
        return 0.0
    mass = shared = 0.0
    for key, mentions in entities.items():
        weight = (1.0 + math.log(mentions)) * idf.get(key, 1.0)
        mass += weight
        shared += weight * story.entities.get(key, 0) / story.size
    return shared / mass


def date_agreement(features: ArticleFeatures, story: Story) -> float:
    if not features.event_dates or not story.years:
        return 0.0
    total = weight_sum = 0.0
    for interval in features.event_dates:
        if is_specific(interval) and story.months:
            months = interval_months(interval, tolerance=DATE_TOLERANCE)
            total += 1.0 if any(m in story.months for m in months) else -1.0
            weight_sum += 1.0
        else:
            total += 0.5 if any(y in story.years for y in interval_years(interval)) else -0.5
            weight_sum += 0.5
    return total / weight_sum


def publication_distance(published: int | None, story: Story, window_days: int) -> float:
    if published is None or story.first_published is None or story.last_published is None:
        return 0.0
    gap = max(story.first_published - published, published - story.last_published, 0)
    return min(1.0, gap / window_days)
