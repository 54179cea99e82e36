"""Story state in pieces and kept origins of articles that left the syndication index, on both backends."""

from __future__ import annotations

import pytest

from storyline.store import Store, stories
from tests.store.samples import make_article, make_raw


def stored(store: Store, count: int) -> list[str]:
    ids = []
    for number in range(count):
        article = make_article(number)
        store.add_article(make_raw(article), article)
        ids.append(article.id)
    return ids


def origin(article_id: str, group: str, origin: str = "Reuters") -> dict[str, object]:
    return {"article": article_id, "group": group, "origin": origin, "passages": [{"start": 0, "end": 5}]}


def test_kept_origins_round_trip_replace_and_skip_unknown_ids(store: Store) -> None:
    first, second, third = stored(store, 3)
    store.save_origins([(first, "g-1", origin(first, "g-1")), (second, "g-1", origin(second, "g-1"))])
    store.save_origins([(second, "g-2", origin(second, "g-2", "Ünïcode Néws"))])  # a later record wins
    assert store.load_origins([first, second, third, "nope", first]) == {
        first: origin(first, "g-1"),
        second: origin(second, "g-2", "Ünïcode Néws"),
    }
    assert store.load_origins([]) == {}


def test_kept_origins_are_read_in_pages(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories, "PAGE", 2)
    ids = stored(store, 5)
    store.save_origins([(a, f"g-{a}", origin(a, f"g-{a}")) for a in ids])
    assert set(store.load_origins(ids)) == set(ids)


def test_kept_origins_go_with_their_article(store: Store) -> None:
    (article_id,) = stored(store, 1)
    store.save_origins([(article_id, "g", origin(article_id, "g"))])
    store.connection.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    assert store.load_origins([article_id]) == {}


def test_state_pieces_are_written_deleted_and_paged(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories, "PAGE", 2)
    items = {f"article:{n}": {"n": n, "signature": "AAEC"} for n in range(5)}
    store.save_state("syndication", {"version": 2}, items=items)
    store.save_state("other", {"x": 1}, items={"article:0": {"other": True}})
    assert store.load_state("syndication") == {"version": 2}
    assert list(store.iter_state_items("syndication")) == sorted(items.items())
    store.save_state(
        "syndication", {"version": 2, "counter": 6}, items={"article:5": {"n": 5}}, removed=["article:1", "x"]
    )
    found = dict(store.iter_state_items("syndication"))
    assert sorted(found) == ["article:0", "article:2", "article:3", "article:4", "article:5"]
    assert dict(store.iter_state_items("other")) == {"article:0": {"other": True}}
    assert store.load_state("syndication") == {"version": 2, "counter": 6}


def test_a_failed_state_write_leaves_header_and_pieces_as_they_were(store: Store) -> None:
    store.save_state("syndication", {"version": 2}, items={"article:a": {"n": 1}})
    with pytest.raises(TypeError):
        store.save_state("syndication", {"version": 3}, items={"article:b": {"bad": object()}})
    assert store.load_state("syndication") == {"version": 2}
    assert dict(store.iter_state_items("syndication")) == {"article:a": {"n": 1}}
