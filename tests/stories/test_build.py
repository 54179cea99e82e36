"""The story builder over a store: incremental, bounded by the time window, merges leave no stale story."""

from __future__ import annotations

import dataclasses
import logging
from datetime import date, timedelta
from pathlib import Path

import pytest

from storyline.api import pipeline_signature
from storyline.model import Article, Entity, RawDocument, Story, Timex, article_id
from storyline.settings import DEFAULT
from storyline.store import Store, open_store
from storyline.stories import build
from storyline.stories.build import ALIAS_STATE, CLUSTER_STATE, SYNDICATION_STATE, StoryBuilder
from storyline.stories.dedupe import SyndicationIndex
from tests.stories.test_dedupe_window import as_version_1


def quake(number: int, *, place: str, published: str) -> Article:
    text = f"A strong earthquake struck {place} on Monday, officials said. Rescue teams searched {place}."
    url = f"https://news.example/{place}/{number}"
    at = text.index(place)
    monday = text.index("Monday")
    return Article(
        id=article_id(url=url, text=text),
        origin=f"test#{number}",
        text=text,
        url=url,
        published=published,
        source=f"Outlet {number}",
        entities=[Entity(place, "GPE", at, at + len(place), canonical=place)],
        timexes=[Timex("Monday", monday, monday + 6, "DATE", published)],
    )


def store_annotated(store: Store, articles: list[Article]) -> list[str]:
    for article in articles:
        store.add_article(RawDocument(article.origin, article.text.encode(), "text"), article)
        store.save_annotations(article, pipeline=pipeline_signature())
    return [a.id for a in articles]


def test_old_stories_leave_the_state_but_stay_in_the_store(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "s.db")) as store:
        early = store_annotated(store, [quake(n, place="Lima", published="2020-01-06") for n in range(2)])
        list(StoryBuilder(store).add(early))
        late = store_annotated(store, [quake(n, place="Quito", published="2020-06-01") for n in range(2, 4)])
        list(StoryBuilder(store).add(late))
        stories = {tuple(sorted(s.articles)) for s in store.iter_stories()}
        assert stories == {tuple(sorted(early)), tuple(sorted(late))}
        state = store.load_state(CLUSTER_STATE)
        assert state is not None and "stories" not in state  # saved in pieces
        remembered = str(state) + str(list(store.iter_state_items(CLUSTER_STATE)))
        assert all(a not in remembered for a in early)  # archived: the state is the window, not the corpus
        assert all(a in remembered for a in late)


def test_rerun_places_nothing_twice(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "s.db")) as store:
        ids = store_annotated(store, [quake(n, place="Lima", published="2020-01-06") for n in range(3)])
        list(StoryBuilder(store).add(ids))
        assert store.unassigned_ids(pipeline_signature()) == []
        assert store.count_stories() == 1 and store.delete_empty_stories() == []


# -- the syndication window ------------------------------------------------------------------------------

WINDOWED = dataclasses.replace(DEFAULT, story_window_days=100, dedupe_window_days=5)


def strike(number: int, *, published: str) -> Article:
    text = (
        "Dock workers in Rotterdam walked off the job on Tuesday after wage talks collapsed. "
        "The union said the strike at the container terminals would last until employers came back."
    )
    url = f"https://port.example/{number}"
    at = text.index("Rotterdam")
    return Article(
        id=article_id(url=url, text=text),
        origin=f"strike#{number}",
        text=text,
        url=url,
        published=published,
        source=f"Port Outlet {number}",
        entities=[Entity("Rotterdam", "GPE", at, at + 9, canonical="Rotterdam")],
    )


def story_of(store: Store, article_id: str) -> Story:
    return store.get_story(store.story_ids_of([article_id])[article_id])


def test_a_story_rebuilt_after_its_articles_left_the_index_keeps_their_origins(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "s.db")) as store:
        early = store_annotated(store, [quake(n, place="Lima", published="2020-01-06") for n in range(2)])
        list(StoryBuilder(store, settings=WINDOWED).add(early))
        before = story_of(store, early[0])
        assert len(set(before.origins.values())) == 1  # two copies: one origin
        late = store_annotated(store, [quake(9, place="Lima", published="2020-02-01")])
        builder = StoryBuilder(store, settings=WINDOWED)
        list(builder.add(late))  # joins the long story: it is rebuilt, its early articles out of the index
        after = story_of(store, early[0])
        assert after.id == before.id and set(after.articles) == {*early, *late}
        assert all(a not in builder.syndication for a in early)
        assert set(store.load_origins(early)) == set(early)
        assert {a: after.origins[a] for a in early} == before.origins
        assert {a: after.syndication[a] for a in early} == before.syndication
        # Nothing left to copy in the index: the late copy is an origin of its own (the window's price).
        assert after.origins[late[0]] != before.origins[early[0]]


def test_a_manual_merge_after_eviction_keeps_the_origins(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "s.db")) as store:
        quakes = store_annotated(store, [quake(n, place="Lima", published="2020-01-06") for n in range(2)])
        strikes = store_annotated(store, [strike(n, published="2020-01-07") for n in range(2)])
        list(StoryBuilder(store, settings=WINDOWED).add([*quakes, *strikes]))
        first, second = story_of(store, quakes[0]), story_of(store, strikes[0])
        assert first.id != second.id
        later = store_annotated(store, [quake(5, place="Cusco", published="2020-02-20")])
        list(StoryBuilder(store, settings=WINDOWED).add(later))
        builder = StoryBuilder(store, settings=WINDOWED)
        assert not any(a in builder.syndication for a in [*quakes, *strikes])
        builder.merge(first.id, second.id)
        merged = store.get_story(first.id)
        assert merged.origins == {**first.origins, **second.origins} and merged.independent_sources == 2
        assert merged.syndication == {**first.syndication, **second.syndication}


def test_state_is_saved_in_pieces_and_an_old_single_value_state_still_loads(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "s.db")) as store:
        early = store_annotated(store, [quake(n, place="Lima", published="2020-01-06") for n in range(2)])
        list(StoryBuilder(store, settings=WINDOWED).add(early))
        header = store.load_state(SYNDICATION_STATE)
        assert header is not None and "articles" not in header
        items = dict(store.iter_state_items(SYNDICATION_STATE))
        assert {key for key in items if key.startswith("article:")} == {f"article:{a}" for a in early}
        # As an older Storyline left it: the whole index in one value, no pieces.
        index = SyndicationIndex.from_state(header, items=items.items(), settings=WINDOWED)
        store.save_state(SYNDICATION_STATE, as_version_1(index.to_state()), removed=list(items))
        assert dict(store.iter_state_items(SYNDICATION_STATE)) == {}
        builder = StoryBuilder(store, settings=WINDOWED)
        assert builder.syndication.info(early[1]) == index.info(early[1])
        late = store_annotated(store, [quake(9, place="Lima", published="2020-01-08")])
        list(builder.add(late))
        assert story_of(store, late[0]).origins[late[0]] == index.info(early[0]).group  # a copy, as before
        header = store.load_state(SYNDICATION_STATE)
        assert header is not None and "articles" not in header
        keys = set(dict(store.iter_state_items(SYNDICATION_STATE)))
        assert {k for k in keys if k.startswith("article:")} == {f"article:{a}" for a in [*early, *late]}


def test_clusterer_state_is_saved_in_pieces_and_an_old_single_value_state_still_loads(
    tmp_path: Path,
) -> None:
    with open_store(str(tmp_path / "s.db")) as store:
        lima = store_annotated(store, [quake(n, place="Lima", published="2020-01-06") for n in range(2)])
        list(StoryBuilder(store).add(lima))
        strikes = store_annotated(store, [strike(n, published="2020-01-07") for n in range(2, 4)])
        builder = StoryBuilder(store)
        list(builder.add(strikes))
        items = dict(store.iter_state_items(CLUSTER_STATE))
        assert set(items) == {f"story:{s}" for s in builder.clusterer.active_stories}
        assert len(items) == 2 and builder.clusterer.state_changes().items == {}  # nothing left unsaved
        # As an older Storyline left it: one value, vectors as lists of floats, no pieces.
        old = builder.clusterer.to_state()
        for story in old["stories"]:
            for member in story["members"]:
                member["vector"] = [
                    float(x) for x in builder.clusterer.stories[story["id"]].members[member["id"]].vector
                ]
        store.save_state(CLUSTER_STATE, old, removed=list(items))
        reloaded = StoryBuilder(store)
        # Equal, last activity included (a reload once moved every story's last activity to the clock).
        assert reloaded.clusterer.to_state() == builder.clusterer.to_state()
        late = store_annotated(store, [quake(9, place="Lima", published="2020-01-08")])
        list(reloaded.add(late))
        assert (
            story_of(store, late[0]).articles == sorted([*lima, *late])
            or late[0] in story_of(store, lima[0]).articles
        )
        header = store.load_state(CLUSTER_STATE)
        assert header is not None and "stories" not in header
        assert set(dict(store.iter_state_items(CLUSTER_STATE))) == set(items)  # converted to pieces


def test_state_stays_the_size_of_the_windows_over_two_years(tmp_path: Path) -> None:
    settings = dataclasses.replace(DEFAULT, dedupe_window_days=30, alias_window_days=60)
    with open_store(str(tmp_path / "s.db")) as store:
        builder = StoryBuilder(store, settings=settings)
        start = date(2020, 1, 1)
        for number in range(146):  # one article every five days, each about a place of its own
            published = (start + timedelta(days=5 * number)).isoformat()
            ids = store_annotated(store, [quake(number, place=f"Place{number}", published=published)])
            list(builder.add(ids))
            assert len(builder.syndication) <= 7  # 30 days of articles
            assert len(builder.aliases.last_seen) <= 2 * 20  # 60 days + a month, two entries per article
        items = dict(store.iter_state_items(SYNDICATION_STATE))
        assert len([k for k in items if k.startswith("article:")]) == len(builder.syndication)
        stories = dict(store.iter_state_items(CLUSTER_STATE))
        assert set(stories) == {f"story:{s}" for s in builder.clusterer.stories} and len(stories) <= 3
        assert len(store.load_origins(store.article_ids())) == 146 - len(builder.syndication)
        aliases = store.load_state(ALIAS_STATE)
        assert aliases is not None and len(aliases["last_seen"]) == len(builder.aliases.last_seen)


def test_one_batch_longer_than_the_window_rebuilds_every_story_from_kept_origins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(build, "ORIGINS_FLUSH", 3)  # kept origins written while the batch runs, too
    start = date(2020, 1, 1)
    with open_store(str(tmp_path / "s.db")) as store:
        articles = [
            quake(n, place=["Lima", "Quito"][n % 2], published=(start + timedelta(days=4 * n)).isoformat())
            for n in range(40)
        ]
        ids = store_annotated(store, articles)
        with caplog.at_level(logging.WARNING, logger="storyline.stories.build"):
            list(StoryBuilder(store, settings=WINDOWED).add(ids))
        assert not caplog.records  # every article had its origin, from the index or the store
        builder = StoryBuilder(store, settings=WINDOWED)
        assert len(builder.syndication) <= 2 and len(store.load_origins(ids)) == 40 - len(builder.syndication)
        for story in store.iter_stories():
            assert set(story.origins) == set(story.articles) == set(story.syndication)
