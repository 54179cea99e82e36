"""The syndication index's time window: eviction, what it keeps saying after it, state versions, pieces."""

from __future__ import annotations

import base64
import dataclasses
import json
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest

from storyline.settings import DEFAULT
from storyline.stories.dedupe import SyndicationIndex
from storyline.stories.dedupe_state import ARTICLE, GROUP
from tests.stories.test_dedupe import CENTRAL_BANK, FLOOD, OWN_PARAGRAPHS, PORT_STRIKE, article


def day(offset: int) -> str:
    return (date(2026, 1, 1) + timedelta(days=offset)).isoformat()


def infos(index: SyndicationIndex) -> dict[str, Any]:
    return {article_id: index.info(article_id) for article_id in index._entries}


def test_articles_older_than_the_window_leave_with_their_final_info() -> None:
    index = SyndicationIndex()
    index.add(article(FLOOD, id="flood", published=day(0)))
    index.add(article(FLOOD, id="flood-copy", source="Other", published=day(1)))
    before = infos(index)
    assert index.evict(day(30)) == []  # day 0 is exactly 30 days back: it stays
    evicted = index.evict(day(31))
    assert [info.article for info in evicted] == ["flood"]
    assert evicted[0] == before["flood"] and "flood" not in index and len(index) == 1
    assert index.info("flood-copy") == before["flood-copy"]  # still names "flood" as the origin article
    assert [info.article for info in index.evict(day(40))] == ["flood-copy"] and len(index) == 0
    later = index.add(article(FLOOD, id="flood-again", published=day(40)))
    assert not later.is_copy and later.origin_article == "flood-again"  # nothing left to copy


def test_a_group_keeps_its_origin_after_its_first_member_leaves() -> None:
    index = SyndicationIndex()
    index.add(article(PORT_STRIKE, id="orig", source="Site A", published=day(0)))
    index.add(article(PORT_STRIKE, id="copy1", source="Site B", published=day(20)))
    before = index.info("copy1")
    assert (before.origin, before.origin_article) == ("Site A", "orig")
    index.evict(day(35))
    assert "orig" not in index and index.info("copy1") == before
    joined = index.add(article(PORT_STRIKE, id="copy2", source="Site C", published=day(35)))
    assert joined.group == before.group and (joined.origin, joined.origin_article) == ("Site A", "orig")
    assert [r.article for r in index.republishers(joined.group)] == ["copy1", "copy2"]
    restored = SyndicationIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert restored.info("copy2") == index.info("copy2") and restored.groups() == index.groups()


def test_merged_groups_keep_resolving_until_the_articles_before_the_merge_leave() -> None:
    index = SyndicationIndex()
    index.add(article(FLOOD, id="flood", published=day(0)))
    index.add(article(CENTRAL_BANK, id="bank", published=day(10)))
    index.add(article([*OWN_PARAGRAPHS, *PORT_STRIKE], id="strike", published=day(10)))
    both = index.add(article([*FLOOD, *CENTRAL_BANK], id="both", published=day(12)))  # merges two groups
    before = infos(index)
    assert index.to_state()["merged"] and before["bank"].group == both.group
    index.evict(day(35))  # flood leaves: bank and strike (indexed before the merge) still name old ids
    assert "flood" not in index and {k: index.info(k) for k in before if k in index} == {
        k: v for k, v in before.items() if k != "flood"
    }
    assert index.to_state()["merged"]
    index.evict(day(41))  # bank and strike leave: no article indexed before the merge is left
    assert list(index._entries) == ["both"] and index.to_state()["merged"] == {}
    assert index.info("both") == before["both"]


def test_undated_articles_count_from_the_clock() -> None:
    index = SyndicationIndex()
    index.add(article(FLOOD, id="undated-first", published=None))
    assert index.evict() == [] and index.clock is None  # no date yet: nothing to count from
    index.add(article(CENTRAL_BANK, id="dated", published=day(0)))  # the clock starts here
    index.add(article(PORT_STRIKE, id="undated-later", published=None))
    assert index.evict(day(30)) == []
    assert {i.article for i in index.evict(day(31))} == {"undated-first", "dated", "undated-later"}


def test_a_late_arrival_older_than_the_window_leaves_at_the_next_eviction() -> None:
    index = SyndicationIndex()
    index.add(article(FLOOD, id="new", published=day(100)))
    index.evict(day(10))  # the clock does not go back
    info = index.add(article(CENTRAL_BANK, id="late", published=day(10)))
    assert [i.article for i in index.evict()] == ["late"] and index.evict() == []
    assert info.article == "late"


def test_the_index_stays_the_size_of_the_window_over_two_years() -> None:
    settings = dataclasses.replace(DEFAULT, dedupe_window_days=30)
    index = SyndicationIndex(settings=settings)
    sizes, evicted = [], 0
    paragraphs = [*PORT_STRIKE, *FLOOD, *CENTRAL_BANK, *OWN_PARAGRAPHS]
    for number in range(365):  # one article every two days
        text = [f"Report {number}: {paragraphs[number % len(paragraphs)]}", paragraphs[(number * 7) % 22]]
        published = day(2 * number)
        evicted += len(index.evict(published))
        index.add(article(text, id=f"a{number}", source=f"Outlet {number % 9}", published=published))
        sizes.append(len(index))
    assert max(sizes) <= 17 and sizes[-1] >= 15  # 31 days of articles, every other day
    assert evicted == 365 - len(index)
    state = index.to_state()
    assert len(state["articles"]) == len(index) and len(state["groups"]) <= len(index)
    assert len(state["merged"]) <= len(index) and len(index._passage_owner) < 17 * 3
    assert len(index._expiry) == len(index._arrivals) == len(index)


def test_invalid_window_fails_at_once() -> None:
    with pytest.raises(ValueError, match=r"E304 .*dedupe_window_days"):
        SyndicationIndex(settings=dataclasses.replace(DEFAULT, dedupe_window_days=0))


# -- state -----------------------------------------------------------------------------------------------


def as_version_1(state: dict[str, Any]) -> dict[str, Any]:
    """Version-1 layout: int-list signatures, no clock, no day, no pinned origins, merged as {old: new}."""

    def ints(value: str) -> list[int]:
        return np.frombuffer(base64.b64decode(value), dtype="<u4").astype(int).tolist()

    articles = []
    for record in state["articles"]:
        record = {k: v for k, v in record.items() if k != "day"}
        record["signature"] = None if record["signature"] is None else ints(record["signature"])
        record["passages"] = [{**p, "signature": ints(p["signature"])} for p in record["passages"]]
        articles.append(record)
    return {
        "version": 1,
        "params": state["params"],
        "counter": state["counter"],
        "articles": articles,
        "groups": [{k: g[k] for k in ("id", "order", "wire", "members")} for g in state["groups"]],
        "merged": {old: new for old, (new, _) in state["merged"].items()},
    }


def built() -> SyndicationIndex:
    index = SyndicationIndex()
    index.add(article(FLOOD, id="flood", published=day(0)))
    index.add(article(CENTRAL_BANK, id="bank", published=day(3)))
    index.add(article([*FLOOD, *CENTRAL_BANK], id="both", source="Other", published=day(5)))
    index.add(article([*OWN_PARAGRAPHS[:2], *PORT_STRIKE[1:4]], id="local", published=None))
    index.add(article(PORT_STRIKE, id="strike", wire="Reuters", published=day(20)))
    return index


def test_a_version_1_state_loads_and_answers_the_same() -> None:
    index = built()
    restored = SyndicationIndex.from_state(json.loads(json.dumps(as_version_1(index.to_state()))))
    assert infos(restored) == infos(index) and restored.groups() == index.groups()
    assert restored.clock == index.clock  # the newest publication day of its articles
    assert [i.article for i in restored.evict(day(33))] == ["flood"]  # days come from publication dates
    assert restored.info("both") == index.info("both")


def test_a_version_2_state_is_about_half_the_size_of_version_1() -> None:
    state = built().to_state()
    v2, v1 = (len(json.dumps(s, separators=(",", ":"))) for s in (state, as_version_1(state)))
    assert v2 < 0.7 * v1


def test_state_in_pieces_round_trips_and_writes_only_what_changed() -> None:
    index = built()
    changes = index.state_changes()
    assert "articles" not in changes.header and changes.removed == [GROUP + "g-bank"]  # merged away
    assert set(changes.items) == {ARTICLE + a for a in index._entries} | {GROUP + g for g in index._groups}
    stored = dict(changes.items)
    restored = SyndicationIndex.from_state(changes.header, items=sorted(stored.items()))
    assert infos(restored) == infos(index) and restored.to_state() == index.to_state()
    assert restored.state_changes().items == {}  # restored from pieces: nothing to write

    assert index.evict(day(30)) == []
    index.add(article(FLOOD, id="flood-copy", source="Copy", published=day(34)))
    assert [i.article for i in index.evict(day(34))] == ["flood", "bank"]
    changes = index.state_changes()
    assert ARTICLE + "flood" in changes.removed and ARTICLE + "flood-copy" in changes.items
    assert ARTICLE + "strike" not in changes.items  # untouched articles are not written again
    for key in changes.removed:
        stored.pop(key, None)
    stored.update(changes.items)
    again = SyndicationIndex.from_state(changes.header, items=stored.items())
    assert infos(again) == infos(index) and again.to_state() == index.to_state()


def test_a_state_restored_from_one_value_writes_every_piece_once() -> None:
    index = built()
    restored = SyndicationIndex.from_state(index.to_state())
    changes = restored.state_changes()
    assert len(changes.items) == len(index) + len(index.groups()) and restored.state_changes().items == {}


def test_the_article_limit_bounds_the_index_whatever_the_dates() -> None:
    index = SyndicationIndex(settings=dataclasses.replace(DEFAULT, window_max_articles=2))
    texts = [FLOOD, PORT_STRIKE, CENTRAL_BANK, OWN_PARAGRAPHS]
    left: list[str] = []
    for number, text in enumerate(texts):
        left += [info.article for info in index.evict(None)]  # undated: only the limit evicts
        index.add(article(text, id=f"a{number}", published=None))
        assert len(index) <= 2
    assert left == ["a0", "a1"] and list(index._entries) == ["a2", "a3"]
    copy = index.add(article(FLOOD, id="flood-again", source="Other", published=None))
    assert not copy.is_copy  # its original left the index with the limit
