"""The clusterer as plain JSON-able dicts, so a caller can persist it (in the store) and resume.

Version 1 layout::

    {"version": 1, "embedder": "hashing", "dim": 1024, "clock": 733503 | null,
     "vector_sum": [...], "vector_count": 12,
     "stories": [{"id", "articles": [...], "active": bool, "last_active": int | null,
                  "members": [{"id", "vector": [...], "entities": {name: mentions},
                               "event_dates": [[first, last], ...], "published": int | null}]}],
     "cannot_link": [[story, story], ...], "decisions": [...]}

Archived stories carry no members (their article ids only). Aggregates, document frequencies, the
candidate index and the eviction heap are rebuilt on load.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from ..errors import E506, E507, E508, StoryError
from ..settings import DEFAULT, Settings
from .cluster import StoryClusterer
from .embed import Embedder
from .features import ArticleFeatures
from .story import Story

VERSION = 1


def to_state(clusterer: StoryClusterer) -> dict[str, Any]:
    pairs = {tuple(sorted((a, b))) for a, linked in clusterer.cannot_link.items() for b in linked}
    return {
        "version": VERSION,
        "embedder": clusterer.embedder.name,
        "dim": clusterer.embedder.dim,
        "clock": clusterer.clock,
        "vector_sum": clusterer._vector_sum.tolist(),
        "vector_count": clusterer._vector_count,
        "stories": [_story_state(s) for s in clusterer.stories.values()],
        "cannot_link": sorted([list(pair) for pair in pairs]),
        "decisions": list(clusterer.decisions),
    }


def _story_state(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "articles": list(story.articles),
        "active": story.active,
        "last_active": story.last_active,
        "members": [_features_state(f) for f in story.members.values()],
    }


def _features_state(features: ArticleFeatures) -> dict[str, Any]:
    return {
        "id": features.id,
        "vector": [float(x) for x in features.vector],
        "entities": dict(features.entities),
        "event_dates": [list(interval) for interval in features.event_dates],
        "published": features.published,
    }


def from_state(
    state: dict[str, Any], *, embedder: Embedder | None = None, settings: Settings = DEFAULT
) -> StoryClusterer:
    """A clusterer that continues where ``state`` left off (same embedder required)."""
    if state.get("version") != VERSION:
        raise StoryError(E507.format(found=state.get("version"), supported=VERSION))
    clusterer = StoryClusterer(settings=settings, embedder=embedder)
    if (state.get("embedder"), state.get("dim")) != (clusterer.embedder.name, clusterer.embedder.dim):
        raise StoryError(
            E508.format(found=state.get("embedder"), dim=state.get("dim"), expected=clusterer.embedder.name)
        )
    try:
        _restore(clusterer, state)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoryError(E506.format(reason=f"{type(exc).__name__}: {exc}")) from exc
    return clusterer


def _restore(clusterer: StoryClusterer, state: dict[str, Any]) -> None:
    clusterer.clock = state["clock"]
    clusterer._vector_sum = np.asarray(state["vector_sum"], dtype=np.float64)
    clusterer._vector_count = int(state["vector_count"])
    for data in state["stories"]:
        story = _restore_story(data)
        clusterer.stories[story.id] = story
        clusterer.assignments.update(dict.fromkeys(story.articles, story.id))
        if story.active:
            clusterer._df.update(story.entities)
            clusterer._active_articles += story.size
            clusterer._reindex(story)
            clusterer._touch(story, None)
    for left, right in state["cannot_link"]:
        clusterer._link_apart(left, right)
    clusterer.decisions = list(state["decisions"])


def _restore_story(data: dict[str, Any]) -> Story:
    story = Story(id=data["id"], active=bool(data["active"]), last_active=data["last_active"])
    for member in data["members"]:
        story.add(_restore_features(member))
    story.articles = list(data["articles"])
    return story


def _restore_features(data: dict[str, Any]) -> ArticleFeatures:
    return ArticleFeatures(
        id=data["id"],
        vector=np.asarray(data["vector"], dtype=np.float32),
        entities=Counter({str(k): int(v) for k, v in data["entities"].items()}),
        event_dates=[(int(a), int(b)) for a, b in data["event_dates"]],
        published=data["published"],
    )
