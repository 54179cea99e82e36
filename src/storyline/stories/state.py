"""The clusterer as plain JSON-able dicts, so a caller can persist it (in the store) and resume.

Version 1 layout::

    {"version": 1, "embedder": "hashing", "dim": 1024, "clock": 733503 | null,
     "vector_sum": [...], "vector_count": 12,
     "stories": [{"id", "articles": [...], "active": bool, "last_active": int | null,
                  "members": [{"id", "vector": "<base64 float32>", "entities": {name: mentions},
                               "event_dates": [[first, last], ...], "published": int | null}]}],
     "cannot_link": [[story, story], ...], "decisions": [...],
     "recency": [active story ids, least recently touched first]}

Archived stories carry no members (their article ids only). Aggregates, document frequencies, the
candidate index and the eviction heap are rebuilt on load. Vectors saved before base64 (JSON lists of
floats) still load.

In pieces (:func:`state_changes`, what the story builder saves): the same dict without ``"stories"`` as
a header, and one item ``"story:<id>"`` per story, only the stories changed since the last save written,
so saving costs the size of what changed, not of the window.
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import E506, E507, E508, StoryError
from ..settings import DEFAULT, Settings
from .cluster import StoryClusterer
from .embed import Embedder
from .features import ArticleFeatures
from .story import Story

VERSION = 1
STORY = "story:"  # key prefix of a story's item when the state is saved in pieces


@dataclass(frozen=True, slots=True)
class Changes:
    """The state in pieces: the header, the stories written since the last save, story items deleted."""

    header: dict[str, Any]
    items: dict[str, Any]
    removed: list[str]


def to_state(clusterer: StoryClusterer) -> dict[str, Any]:
    return {**_header(clusterer), "stories": [_story_state(s) for s in clusterer.stories.values()]}


def state_changes(clusterer: StoryClusterer) -> Changes:
    """The header and the items (one per story) changed since the last call; see :func:`from_state`."""
    items: dict[str, Any] = {}
    removed: list[str] = []
    for story_id in sorted(clusterer._changed):
        story = clusterer.stories.get(story_id)
        if story is None:
            removed.append(STORY + story_id)
        else:
            items[STORY + story_id] = _story_state(story)
    clusterer._changed.clear()
    return Changes(_header(clusterer), items, removed)


def _header(clusterer: StoryClusterer) -> dict[str, Any]:
    pairs = {tuple(sorted((a, b))) for a, linked in clusterer.cannot_link.items() for b in linked}
    return {
        "version": VERSION,
        "embedder": clusterer.embedder.name,
        "dim": clusterer.embedder.dim,
        "clock": clusterer.clock,
        "vector_sum": clusterer._vector_sum.tolist(),
        "vector_count": clusterer._vector_count,
        "cannot_link": sorted([list(pair) for pair in pairs]),
        "decisions": list(clusterer.decisions),
        "recency": list(clusterer._recency),
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
        # float32 bytes in base64: exact, and a quarter of the size of a JSON list of floats.
        "vector": base64.b64encode(np.asarray(features.vector, dtype="<f4").tobytes()).decode("ascii"),
        "entities": dict(features.entities),
        "event_dates": [list(interval) for interval in features.event_dates],
        "published": features.published,
    }


def from_state(
    state: dict[str, Any],
    *,
    items: Iterable[tuple[str, Any]] | None = None,
    embedder: Embedder | None = None,
    settings: Settings = DEFAULT,
) -> StoryClusterer:
    """A clusterer that continues where ``state`` left off (same embedder required): one value from
    :func:`to_state`, or a header and its story items from :func:`state_changes`. Restored from one
    value, every story counts as changed (the next :func:`state_changes` writes them all)."""
    if state.get("version") != VERSION:
        raise StoryError(E507.format(found=state.get("version"), supported=VERSION))
    clusterer = StoryClusterer(settings=settings, embedder=embedder)
    if (state.get("embedder"), state.get("dim")) != (clusterer.embedder.name, clusterer.embedder.dim):
        raise StoryError(
            E508.format(found=state.get("embedder"), dim=state.get("dim"), expected=clusterer.embedder.name)
        )
    try:
        stories = state["stories"] if items is None else _stories(items)
        _restore(clusterer, state, stories)
        if items is None:
            clusterer._changed.update(clusterer.stories)
        else:
            clusterer._changed.clear()
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise StoryError(E506.format(reason=f"{type(exc).__name__}: {exc}")) from exc
    return clusterer


def _stories(items: Iterable[tuple[str, Any]]) -> Iterator[dict[str, Any]]:
    return (value for key, value in items if key.startswith(STORY))


def _restore(clusterer: StoryClusterer, state: dict[str, Any], stories: Iterable[dict[str, Any]]) -> None:
    clusterer.clock = state["clock"]
    clusterer._vector_sum = np.asarray(state["vector_sum"], dtype=np.float64)
    clusterer._vector_count = int(state["vector_count"])
    for data in stories:
        story = _restore_story(data)
        clusterer.stories[story.id] = story
        clusterer.assignments.update(dict.fromkeys(story.articles, story.id))
        if story.active:
            clusterer._df.update(story.entities)
            clusterer._active_articles += story.size
            clusterer._reindex(story)
            clusterer._track(story)  # not _touch: that would make it active "now", at the saved clock
    for left, right in state["cannot_link"]:
        clusterer._link_apart(left, right)
    clusterer.decisions = list(state["decisions"])
    if "recency" in state:  # absent from states saved before the article limit: story order stands in
        active = clusterer._recency
        ordered = [story_id for story_id in state["recency"] if story_id in active]
        listed = set(ordered)
        clusterer._recency = OrderedDict.fromkeys([*ordered, *(s for s in active if s not in listed)])


def _restore_story(data: dict[str, Any]) -> Story:
    story = Story(id=data["id"], active=bool(data["active"]), last_active=data["last_active"])
    for member in data["members"]:
        story.add(_restore_features(member))
    story.articles = list(data["articles"])
    return story


def _restore_features(data: dict[str, Any]) -> ArticleFeatures:
    return ArticleFeatures(
        id=data["id"],
        vector=_vector(data["vector"]),
        entities=Counter({str(k): int(v) for k, v in data["entities"].items()}),
        event_dates=[(int(a), int(b)) for a, b in data["event_dates"]],
        published=data["published"],
    )


def _vector(data: str | list[float]) -> np.ndarray:
    if isinstance(data, str):
        return np.frombuffer(base64.b64decode(data, validate=True), dtype="<f4").astype(np.float32)
    return np.asarray(data, dtype=np.float32)  # a JSON list: states saved before base64
