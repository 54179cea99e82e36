"""Online, incremental story clustering: each arriving article joins an active story or starts one.

The clusterer holds only the *active* stories (last article published within ``story_window_days`` of the
newest article seen, and at most ``window_max_articles`` articles in all: beyond it, the least recently
touched stories leave first) and finds the few worth scoring through inverted indexes (canonical
entities, LSH over centroids: see :mod:`storyline.stories.index`), so adding an article costs about the
same with 1k or 100k articles behind it. Scoring: :mod:`storyline.stories.score`.

Time. The clock is the latest publication date seen. An article without a date is placed at the current
clock (it arrived "now" in stream order): it is scored without the publication-distance term, and the
story it joins counts as active at the clock. With no dated article at all (ECB+), nothing is evicted.

Merges. When an article scores ``story_merge_threshold`` or more with a second story as well, and the
two stories' centroids are alike, the second story is merged into the one the article joined.

Manual decisions stick. ``merge(a, b)`` joins two stories for good (stories are never split
automatically); ``split(story, article_ids)`` moves articles into a new story and records a
cannot-link between the two parts, so no later arrival merges them back (an article may still join
either part). Constraints follow the stories through later merges.

State. ``to_state()`` returns plain JSON-able dicts (active members' features included, archived
stories as article ids only); ``StoryClusterer.from_state(state)`` rebuilds the clusterer. The
clusterer never touches the store: the caller persists the state and the assignments.
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import math
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import E502, E503, E504, E505, StoryError
from ..model import Article
from ..settings import DEFAULT, Settings
from .embed import Embedder, get_embedder
from .features import ArticleFeatures, extract_features, features_from_vector, story_text
from .index import CandidateIndex
from .score import Score, Weights, score, unit
from .story import Story

if TYPE_CHECKING:
    from .state import Changes

logger = logging.getLogger(__name__)

MEAN_PRIOR = 5  # pseudo-articles at the origin in the running mean used for centring


class StoryClusterer:
    """Assign articles to stories one at a time (``add``), with manual ``merge``/``split``."""

    def __init__(self, *, settings: Settings = DEFAULT, embedder: Embedder | None = None) -> None:
        self.settings = settings.validate()
        self.embedder = embedder if embedder is not None else get_embedder(settings.story_embedder)
        self.weights = Weights(
            entities=settings.story_entity_weight,
            dates=settings.story_date_weight,
            time=settings.story_time_weight,
            window_days=settings.story_window_days,
        )
        self.index = CandidateIndex(dim=self.embedder.dim)
        self.stories: dict[str, Story] = {}
        self.assignments: dict[str, str] = {}  # article id -> story id (every article ever added)
        self.cannot_link: dict[str, set[str]] = {}
        self.decisions: list[dict[str, Any]] = []  # manual merges/splits, in order, for the record
        self.clock: int | None = None
        self.stats: Counter[str] = Counter()
        self._vector_sum = np.zeros(self.embedder.dim, dtype=np.float64)
        self._vector_count = 0
        self._df: Counter[str] = Counter()  # entity -> articles of active stories mentioning it
        self._active_articles = 0
        self._expiry: list[tuple[int, str]] = []  # heap of (last_active, story id), lazily invalidated
        self._recency: OrderedDict[str, None] = OrderedDict()  # active stories, least recently touched first
        self._changed: set[str] = set()  # stories changed since the state was last saved in pieces

    # -- adding articles -------------------------------------------------------------------------

    def add(self, article: Article) -> str:
        """The id of the story ``article`` joins (a new one when nothing fits)."""
        if article.id in self.assignments:
            return self.assignments[article.id]
        return self.add_features(extract_features(article, embedder=self.embedder))

    def add_many(self, articles: Iterable[Article], *, batch_size: int = 256) -> Iterator[tuple[str, str]]:
        """(article id, story id) for each article, in order; embeddings computed per batch."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._add_batch(batch)
                batch = []
        yield from self._add_batch(batch)

    def _add_batch(self, batch: list[Article]) -> Iterator[tuple[str, str]]:
        if not batch:
            return
        vectors = self.embedder.embed([story_text(a) for a in batch])
        for article, vector in zip(batch, vectors, strict=True):
            if article.id in self.assignments:
                yield article.id, self.assignments[article.id]
            else:
                yield article.id, self.add_features(features_from_vector(article, vector))

    def add_features(self, features: ArticleFeatures) -> str:
        """Like ``add`` for precomputed features (the vector must come from this clusterer's embedder)."""
        if features.id in self.assignments:
            return self.assignments[features.id]
        self._advance_clock(features.published)
        self._evict_excess()
        # Centred on the mean of the articles before this one; an empty text stays a zero vector.
        centred = unit(features.vector - self._mean()) if features.vector.any() else features.vector
        ranked = self._ranked_candidates(features, centred)
        self._vector_sum += features.vector
        self._vector_count += 1
        threshold = self.settings.story_join_threshold
        if ranked and ranked[0][0].total >= threshold:
            story = self.stories[ranked[0][1]]
        else:
            story = self._new_story(features.id)
        self._join(story, features)
        self._merge_linked(story, ranked[1:])
        return self.assignments[features.id]

    def _ranked_candidates(self, features: ArticleFeatures, centred: np.ndarray) -> list[tuple[Score, str]]:
        ids = self.index.candidates(
            entities=features.entities, vector=centred, limit=self.settings.story_max_candidates
        )
        self.stats["articles"] += 1
        self.stats["comparisons"] += len(ids)
        mean, idf = self._mean(), _IdfView(self._df, self._active_articles)
        scored = [
            (score(features, centred, self.stories[i], mean=mean, idf=idf, weights=self.weights), i)
            for i in ids
        ]
        return sorted(scored, key=lambda pair: (-pair[0].total, pair[1]))

    def _join(self, story: Story, features: ArticleFeatures) -> None:
        story.add(features)
        self._df.update(features.entities.keys())
        self._active_articles += 1
        self.assignments[features.id] = story.id
        self._touch(story, features.published)
        self._reindex(story)

    def _merge_linked(self, story: Story, others: list[tuple[Score, str]]) -> None:
        """The new article links ``story`` strongly to others: they were one story all along."""
        for result, other_id in others:
            if result.total < self.settings.story_merge_threshold:
                break
            other = self.stories.get(other_id)
            if other is None or not other.active or other_id in self.cannot_link.get(story.id, ()):
                continue
            if self._centroid_similarity(story, other) >= self.settings.story_join_threshold:
                self.stats["auto_merges"] += 1
                self._merge_into(story, other)

    def _centroid_similarity(self, left: Story, right: Story) -> float:
        a, b = left.centroid(), right.centroid()
        if a is None or b is None:
            return 0.0
        mean = self._mean()
        return float(unit(a - mean) @ unit(b - mean))

    # -- manual decisions ------------------------------------------------------------------------

    def merge(self, story_a: str, story_b: str) -> str:
        """Merge story ``story_b`` into ``story_a`` for good; returns ``story_a``."""
        if story_a == story_b:
            raise StoryError(E503.format(id=story_a))
        target, other = self._story(story_a), self._story(story_b)
        decision = {"op": "merge", "into": target.id, "story": other.id, "articles": list(other.articles)}
        self.decisions.append(decision)
        self.cannot_link.get(target.id, set()).discard(other.id)
        self.cannot_link.get(other.id, set()).discard(target.id)
        self._merge_into(target, other)
        return target.id

    def split(self, story_id: str, article_ids: Iterable[str]) -> str:
        """Move ``article_ids`` out of the story into a new one that may never merge back; returns its id."""
        story = self._story(story_id)
        moving = list(dict.fromkeys(article_ids))
        missing = [a for a in moving if a not in story.articles]
        if missing:
            raise StoryError(E504.format(id=story_id, missing=", ".join(missing)))
        if not moving or len(moving) == len(story.articles):
            raise StoryError(E505.format(id=story_id))
        new = self._new_story(_story_id("split", story_id, *sorted(moving)))
        self._move(story, new, moving)
        self._link_apart(story.id, new.id)
        self.decisions.append({"op": "split", "story": story.id, "into": new.id, "articles": moving})
        return new.id

    def _move(self, source: Story, target: Story, moving: list[str]) -> None:
        moved = set(moving)
        source.articles = [a for a in source.articles if a not in moved]
        target.articles = list(moving)
        target.members = {a: source.members.pop(a) for a in moving if a in source.members}
        target.active = source.active
        target.last_active = source.last_active
        for article_id in moving:
            self.assignments[article_id] = target.id
        for story in (source, target):
            story.rebuild()
            self._reindex(story)
            self._touch(story, None)

    def _merge_into(self, target: Story, other: Story) -> None:
        for article_id in other.articles:
            self.assignments[article_id] = target.id
        known = set(target.articles)
        target.articles.extend(a for a in other.articles if a not in known)
        target.members.update(other.members)
        target.active = target.active or other.active
        target.last_active = _latest(target.last_active, other.last_active)
        target.rebuild()
        self._drop(other)
        for linked in self.cannot_link.pop(other.id, set()):
            self._link_apart(target.id, linked)
            self.cannot_link.get(linked, set()).discard(other.id)
        self._reindex(target)
        self._touch(target, None)

    def _link_apart(self, left: str, right: str) -> None:
        self.cannot_link.setdefault(left, set()).add(right)
        self.cannot_link.setdefault(right, set()).add(left)

    def story_of(self, article_id: str) -> str | None:
        return self.assignments.get(article_id)

    def _story(self, story_id: str) -> Story:
        story = self.stories.get(story_id)
        if story is None:
            raise StoryError(E502.format(id=story_id))
        return story

    # -- bookkeeping -------------------------------------------------------------------------------

    def _new_story(self, seed: str) -> Story:
        story_id = _story_id("new", seed)
        while story_id in self.stories:  # the same seed again (a re-split): derive a fresh id
            story_id = _story_id("again", story_id)
        story = Story(id=story_id, last_active=self.clock)
        self.stories[story_id] = story
        return story

    def _drop(self, story: Story) -> None:
        del self.stories[story.id]
        self.index.remove(story.id)
        self._recency.pop(story.id, None)
        self._changed.add(story.id)

    def _reindex(self, story: Story) -> None:
        centroid = story.centroid()
        if story.active and centroid is not None:
            self.index.update(story.id, entities=story.entities, vector=unit(centroid - self._mean()))
        else:
            self.index.remove(story.id)

    def _touch(self, story: Story, published: int | None) -> None:
        # Every change to a story's members or activity ends here (or in _archive/_drop).
        self._changed.add(story.id)
        story.last_active = _latest(story.last_active, published if published is not None else self.clock)
        self._track(story)

    def _track(self, story: Story) -> None:
        """Queue an active story for eviction by time (the heap) and by count (most recent last)."""
        if not story.active:
            return
        self._recency[story.id] = None
        self._recency.move_to_end(story.id)
        if story.last_active is not None:
            heapq.heappush(self._expiry, (story.last_active, story.id))

    def _advance_clock(self, published: int | None) -> None:
        if published is None or (self.clock is not None and published <= self.clock):
            return
        first_date = self.clock is None
        self.clock = published
        if first_date:
            self._adopt_undated_stories()
        self._evict(published - self.settings.story_window_days)

    def _evict(self, horizon: int) -> None:
        """Archive active stories whose last activity is before ``horizon`` (heap: no scan of all stories)."""
        while self._expiry and self._expiry[0][0] < horizon:
            last_active, story_id = heapq.heappop(self._expiry)
            story = self.stories.get(story_id)
            if story is None or not story.active or story.last_active != last_active:
                continue  # merged away, already archived, or touched since: a stale heap entry
            self._archive(story)

    def _evict_excess(self) -> None:
        """Archive the least recently touched stories while the active ones hold ``window_max_articles``
        or more (room for the next): a hard bound on memory whatever the dates (a burst, undated articles)."""
        while self._active_articles >= self.settings.window_max_articles and self._recency:
            story_id, _ = self._recency.popitem(last=False)
            story = self.stories.get(story_id)
            if story is not None and story.active:
                self._archive(story)
                self.stats["evicted_over_limit"] += 1

    def _adopt_undated_stories(self) -> None:
        """Stories started before any date was seen count as active 'now' once the clock starts (once)."""
        for story in [self.stories[story_id] for story_id in self._recency]:  # order survives a restart
            if story.active and story.last_active is None:
                self._touch(story, self.clock)

    def _archive(self, story: Story) -> None:
        for key, count in story.entities.items():
            self._df[key] -= count
            if self._df[key] <= 0:
                del self._df[key]
        self._active_articles -= story.size
        self.index.remove(story.id)
        self._recency.pop(story.id, None)
        self._changed.add(story.id)
        story.archive()
        self.stats["evicted"] += 1

    def _mean(self) -> np.ndarray:
        """Running mean of the article vectors, shrunk towards zero while few articles are seen (with
        three near-identical articles the plain mean would cancel what they share)."""
        return self._vector_sum / (self._vector_count + MEAN_PRIOR)

    @property
    def active_stories(self) -> list[str]:
        return [s.id for s in self.stories.values() if s.active]

    def articles_of(self, story_id: str) -> list[str]:
        return list(self._story(story_id).articles)

    def pop_archived(self) -> dict[str, list[str]]:
        """Forget the archived stories (once the caller has stored them): {story id: article ids}.

        Memory then holds only the active window; later merges or splits of those stories raise E502.
        """
        archived = {s.id: list(s.articles) for s in self.stories.values() if not s.active}
        for story_id, article_ids in archived.items():
            del self.stories[story_id]
            for article_id in article_ids:
                self.assignments.pop(article_id, None)
        return archived

    def to_state(self) -> dict[str, Any]:
        """Plain JSON-able dicts (see :mod:`storyline.stories.state`)."""
        from .state import to_state

        return to_state(self)

    def state_changes(self) -> Changes:
        """The state in pieces: a header and the stories changed since the last call."""
        from .state import state_changes

        return state_changes(self)

    @classmethod
    def from_state(
        cls,
        state: dict[str, Any],
        *,
        items: Iterable[tuple[str, Any]] | None = None,
        settings: Settings = DEFAULT,
        embedder: Embedder | None = None,
    ) -> StoryClusterer:
        from .state import from_state

        return from_state(state, items=items, embedder=embedder, settings=settings)


class _IdfView:
    """Rarity of an entity among the articles of the active stories: log((N + 1) / (df + 1)) + 1."""

    def __init__(self, df: Counter[str], articles: int) -> None:
        self._df, self._log_n = df, math.log(articles + 1)

    def get(self, key: str, default: float = 1.0, /) -> float:
        return self._log_n - math.log(self._df.get(key, 0) + 1) + 1.0


def _latest(left: int | None, right: int | None) -> int | None:
    if left is None:
        return right
    return left if right is None else max(left, right)


def _story_id(*parts: str) -> str:
    return "s" + hashlib.sha1("\x00".join(parts).encode("utf-8")).hexdigest()[:15]
