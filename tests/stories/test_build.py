"""The story builder over a store: incremental, bounded by the time window, merges leave no stale story."""

from __future__ import annotations

from pathlib import Path

from storyline.api import pipeline_signature
from storyline.model import Article, Entity, RawDocument, Timex, article_id
from storyline.store import Store, open_store
from storyline.stories.build import CLUSTER_STATE, StoryBuilder


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
        assert state is not None
        remembered = str(state)
        assert all(a not in remembered for a in early)  # archived: the state is the window, not the corpus
        assert all(a in remembered for a in late)


def test_rerun_places_nothing_twice(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "s.db")) as store:
        ids = store_annotated(store, [quake(n, place="Lima", published="2020-01-06") for n in range(3)])
        list(StoryBuilder(store).add(ids))
        assert store.unassigned_ids(pipeline_signature()) == []
        assert store.count_stories() == 1 and store.delete_empty_stories() == []
