"""Build and update stories in a store: syndication, clustering, fact comparison and timeline.

Incremental: the clusterer's, the syndication index's and the alias table's state live in the store,
so each run adds only the articles that belong to no story yet (in publication order) and rebuilds
only the stories they touched. Manual merges and splits go through the clusterer, so they stick.

Bounded: all three keep a time window (``story_window_days``, ``dedupe_window_days``,
``alias_window_days``), so state, memory and the cost of saving it do not grow with the corpus. An
article that leaves the syndication index has its final origin kept in the store (``save_origins``), and
a story holding it (a long story, a late arrival, a manual merge) is rebuilt from that record. The
syndication state is saved in pieces (a small header and one item per article and origin group) and so
is the clusterer's (a header and one item per story): only the changed items are written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import E525, StoryError
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

# Evicted articles' origins are written to the store once this many are pending (bounds memory).
ORIGINS_FLUSH = 500

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
    """The clusterer, syndication index and alias table of one store, loaded once, saved after each change."""

    def __init__(self, store: Store, *, settings: Settings = DEFAULT) -> None:
        self.store = store
        self.settings = settings
        self.clusterer = self._load_clusterer()
        self.syndication = self._load_syndication()
        alias_state = store.load_state(ALIAS_STATE)
        window = settings.alias_window_days
        self.aliases = (
            AliasTable.from_dict(alias_state, window_days=window)
            if alias_state
            else AliasTable(window_days=window)
        )
        self._evicted: dict[str, OriginInfo] = {}  # left the index, not yet written to the store

    def _load_clusterer(self) -> StoryClusterer:
        state, items = self._load_pieces(CLUSTER_STATE, whole="stories")
        if not state:
            return StoryClusterer(settings=self.settings)
        return StoryClusterer.from_state(state, items=items, settings=self.settings)

    def _load_syndication(self) -> SyndicationIndex:
        state, items = self._load_pieces(SYNDICATION_STATE, whole="articles")
        if not state:
            return SyndicationIndex(settings=self.settings)
        return SyndicationIndex.from_state(state, items=items, settings=self.settings)

    def _load_pieces(
        self, name: str, *, whole: str
    ) -> tuple[dict[str, Any] | None, Iterator[tuple[str, Any]] | None]:
        """A state saved in pieces (a header without ``whole``, and its items), or as one value (before
        pieces existed: no items)."""
        state = self.store.load_state(name)
        if not state or whole in state:
            return state, None
        return state, self.store.iter_state_items(name)

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
            # The window moves on before the article is matched, as the clusterer's does.
            self._evicted.update((info.article, info) for info in self.syndication.evict(article.published))
            if len(self._evicted) >= ORIGINS_FLUSH:
                self._save_origins()
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
        infos = self._origin_infos(articles)
        origins = {a.id: infos[a.id].group for a in articles}
        facts = compare_story(articles, origins=origins, settings=self.settings)
        dates = [a.published[:10] for a in articles if a.published]
        return Story(
            id=story_id,
            title=_title(articles),
            articles=[a.id for a in articles],
            facts=facts,
            timeline=build_timeline(articles, facts),
            origins=origins,
            syndication={a.id: _syndication(infos[a.id]) for a in articles},
            first_published=min(dates, default=None),
            last_published=max(dates, default=None),
            outlets=sorted({a.outlet for a in articles}),
        )

    def _origin_infos(self, articles: Sequence[Article]) -> dict[str, OriginInfo]:
        """Each article's origin: from the index when it is still there, else the record kept when it left."""
        infos = {a.id: self.syndication.info(a.id) for a in articles if a.id in self.syndication}
        missing = [a.id for a in articles if a.id not in infos]
        kept = self.store.load_origins(missing) if missing else {}
        for article in articles:
            if article.id in infos:
                continue
            if article.id in kept:
                infos[article.id] = _kept_origin(article.id, kept[article.id])
            else:  # never indexed (should not happen): its own origin
                logger.warning("article %s has no syndication record: counted as its own origin", article.id)
                infos[article.id] = _own_origin(article)
        return infos

    def _save_state(self) -> None:
        # Kept origins first: once the state no longer holds an article, its record must be stored.
        self._save_origins()
        clusters = self.clusterer.state_changes()
        self.store.save_state(CLUSTER_STATE, clusters.header, items=clusters.items, removed=clusters.removed)
        changes = self.syndication.state_changes()
        self.store.save_state(SYNDICATION_STATE, changes.header, items=changes.items, removed=changes.removed)
        self.store.save_state(ALIAS_STATE, self.aliases.to_dict())

    def _save_origins(self) -> None:
        if self._evicted:
            self.store.save_origins((i.article, i.group, i.to_dict()) for i in self._evicted.values())
            self._evicted.clear()


def _kept_origin(article_id: str, data: dict[str, Any]) -> OriginInfo:
    try:
        return OriginInfo.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoryError(E525.format(id=article_id, reason=f"{type(exc).__name__}: {exc}")) from exc


def _own_origin(article: Article) -> OriginInfo:
    """What the index says of an article that copies nothing it knows."""
    wire = (article.wire or "").strip() or None
    return OriginInfo(
        article=article.id,
        group=f"g-{article.id}",
        origin=wire or article.source or article.id,
        origin_article=article.id,
        wire=wire,
    )


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
