"""Build and update stories in a store: syndication, clustering, fact comparison and timeline.

Incremental: the clusterer's and the syndication index's state live in the store, so each run
adds only the articles that belong to no story yet (in publication order) and rebuilds only the
stories they touched. Manual merges and splits go through the clusterer, so they stick.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..model import Article, Story
from ..nlp.aliases import AliasTable
from ..settings import DEFAULT, Settings
from ..store import Store
from .cluster import StoryClusterer
from .compare import compare_story
from .dedupe import SyndicationIndex
from .names import unify_names
from .origins import OriginInfo
from .timeline import build_timeline

logger = logging.getLogger(__name__)

CLUSTER_STATE = "clusterer"
SYNDICATION_STATE = "syndication"
ALIAS_STATE = "aliases"


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """One story written (``deleted`` when a merge emptied it)."""

    story_id: str
    articles: int
    deleted: bool = False


class StoryBuilder:
    """The clusterer and syndication index of one store, loaded once, saved after each change."""

    def __init__(self, store: Store, *, settings: Settings = DEFAULT) -> None:
        self.store = store
        self.settings = settings
        cluster_state = store.load_state(CLUSTER_STATE)
        syndication_state = store.load_state(SYNDICATION_STATE)
        self.clusterer = (
            StoryClusterer.from_state(cluster_state, settings=settings)
            if cluster_state
            else StoryClusterer(settings=settings)
        )
        self.syndication = (
            SyndicationIndex.from_state(syndication_state, settings=settings)
            if syndication_state
            else SyndicationIndex(settings=settings)
        )
        alias_state = store.load_state(ALIAS_STATE)
        self.aliases = AliasTable.from_dict(alias_state) if alias_state else AliasTable()

    def add(self, article_ids: Sequence[str]) -> Iterator[StoryEvent]:
        """Place the articles in stories and rebuild every story whose membership changed.

        Stories that leave the clusterer's time window are written one last time and then
        forgotten by it, so the saved state stays the size of the window, not of the corpus.
        """
        before = self.store.story_ids_of(article_ids)
        articles = (self.store.get_article(article_id) for article_id in article_ids)
        placed = {self.clusterer.add(article) for article in self._syndicated(articles)}
        archived = self.clusterer.pop_archived()
        self._save_state()
        yield from self._rebuild(placed | set(before.values()), archived=archived)
        # A story merged into another by an arrival keeps no member: drop it.
        for story_id in self.store.delete_empty_stories():
            yield StoryEvent(story_id, 0, deleted=True)

    def merge(self, story_a: str, story_b: str) -> list[StoryEvent]:
        kept = self.clusterer.merge(story_a, story_b)
        self._save_state()
        return list(self._rebuild({kept, story_a, story_b}))

    def split(self, story_id: str, article_ids: Sequence[str]) -> list[StoryEvent]:
        new = self.clusterer.split(story_id, article_ids)
        self._save_state()
        return list(self._rebuild({story_id, new}))

    def _syndicated(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            self.aliases.update(article)
            self.syndication.add(article)
            yield article

    def _rebuild(
        self, story_ids: Iterable[str], *, archived: Mapping[str, list[str]] | None = None
    ) -> Iterator[StoryEvent]:
        for story_id in sorted(set(story_ids)):
            if story_id in self.clusterer.stories:
                members = self.clusterer.articles_of(story_id)
            else:
                members = (archived or {}).get(story_id, [])
            if not members:
                self.store.delete_story(story_id)
                yield StoryEvent(story_id, 0, deleted=True)
                continue
            story = self.story(story_id, [self.store.get_article(a) for a in members])
            self.store.save_story(story)
            yield StoryEvent(story_id, len(members))

    def story(self, story_id: str, articles: list[Article]) -> Story:
        """Compare the facts of ``articles`` and lay out their timeline."""
        articles.sort(key=lambda a: (a.published or "", a.id))
        for article in articles:
            unify_names(article, self.aliases)
        origins = {a.id: self.syndication.group_of(a.id) for a in articles}
        facts = compare_story(articles, origins=origins, settings=self.settings)
        dates = [a.published[:10] for a in articles if a.published]
        return Story(
            id=story_id,
            title=_title(articles),
            articles=[a.id for a in articles],
            facts=facts,
            timeline=build_timeline(articles, facts),
            origins=origins,
            syndication={a.id: _syndication(self.syndication.info(a.id)) for a in articles},
            first_published=min(dates, default=None),
            last_published=max(dates, default=None),
            outlets=sorted({a.outlet for a in articles}),
        )

    def _save_state(self) -> None:
        self.store.save_state(CLUSTER_STATE, self.clusterer.to_state())
        self.store.save_state(SYNDICATION_STATE, self.syndication.to_state())
        self.store.save_state(ALIAS_STATE, self.aliases.to_dict())


def _syndication(info: OriginInfo) -> dict[str, Any]:
    return {
        "origin": info.origin,
        "origin_article": info.origin_article,
        "wire": info.wire,
        "copy_of": info.copy_of,
        "similarity": info.jaccard,
        "evidence": list(info.evidence),
        "reused_passages": [asdict(p) for p in info.passages],
    }


def _title(articles: Sequence[Article]) -> str:
    """The earliest article's headline, else its first sentence."""
    for article in articles:
        if article.title:
            return article.title
    first = articles[0].text.strip().split(". ")[0]
    return first[:120]
