"""Online story clustering on small hand-built articles (hashing embedder: fast and offline)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import OptionError, StoryError
from storyline.model import Article, Entity, Timex
from storyline.settings import DEFAULT
from storyline.stories.cluster import StoryClusterer
from storyline.stories.embed import HashingEmbedder, get_embedder
from storyline.stories.features import event_dates, value_interval
from storyline.stories.state import from_state, to_state

SETTINGS = dataclasses.replace(DEFAULT, story_embedder="hashing")

QUAKE_2009 = (
    "A magnitude 6.3 earthquake struck L'Aquila in central Italy, collapsing houses and killing dozens "
    "of residents. Rescue teams searched the rubble of the old town through the night."
)
QUAKE_2010 = (
    "Haiti's capital Port-au-Prince lay in ruins after a magnitude 7.0 earthquake; the presidential palace "
    "collapsed and aid agencies feared thousands were dead under the rubble."
)
REHAB = (
    "The actress checked into a rehab clinic in Malibu, her publicist said, asking for privacy for her "
    "family. The clinic treats addiction and the star had been photographed partying."
)


def article(
    article_id: str,
    text: str,
    *,
    published: str | None = None,
    entities: tuple[tuple[str, str], ...] = (),
    dates: tuple[str, ...] = (),
) -> Article:
    """An article with hand-made annotations (the clusterer reads names and values, not offsets)."""
    return Article(
        id=article_id,
        origin=f"test/{article_id}",
        text=text,
        published=published,
        entities=[Entity(name, label, 0, 1, canonical=name) for name, label in entities],
        timexes=[Timex(value, 0, 1, "DATE", value) for value in dates],
    )


def italy(article_id: str, published: str | None = "2009-04-06", suffix: str = "") -> Article:
    return article(
        article_id,
        QUAKE_2009 + suffix,
        published=published,
        entities=(("L'Aquila", "GPE"), ("Italy", "GPE"), ("Silvio Berlusconi", "PERSON")),
        dates=("2009-04-06",),
    )


def haiti(article_id: str, published: str | None = "2010-01-12", suffix: str = "") -> Article:
    return article(
        article_id,
        QUAKE_2010 + suffix,
        published=published,
        entities=(("Haiti", "GPE"), ("Port-au-Prince", "GPE"), ("René Préval", "PERSON")),
        dates=("2010-01-12",),
    )


@pytest.fixture
def clusterer() -> StoryClusterer:
    return StoryClusterer(settings=SETTINGS)


def test_reports_of_the_same_event_join_one_story(clusterer: StoryClusterer) -> None:
    first = clusterer.add(italy("a1"))
    second = clusterer.add(italy("a2", "2009-04-07", " Berlusconi visited the town on Tuesday."))
    third = clusterer.add(italy("a3", "2009-04-08", " Aftershocks kept residents outside."))
    assert first == second == third
    assert clusterer.articles_of(first) == ["a1", "a2", "a3"]


def test_same_topic_different_event_starts_a_new_story(clusterer: StoryClusterer) -> None:
    # Undated on purpose: the entities and event dates alone must keep the two quakes apart.
    quake_one = clusterer.add(italy("i1", None))
    quake_two = clusterer.add(haiti("h1", None))
    assert quake_one != quake_two
    assert clusterer.add(italy("i2", None, " Schools stay closed.")) == quake_one
    assert clusterer.add(haiti("h2", None, " Aid flights landed.")) == quake_two


QUAKE_REPORT = (
    "A magnitude 6.3 earthquake struck the mountain town before dawn, collapsing houses. "
    "Rescue teams searched the rubble."
)
QUAKE_FOLLOW_UP = (
    "Rescuers pulled survivors from collapsed houses after the earthquake struck before dawn; "
    "the mountain town mourned its dead."
)


@pytest.mark.parametrize(("follow_up_date", "same_story"), [("2009-04-06", True), ("2010-04-06", False)])
def test_event_dates_decide_between_same_and_different_quake(follow_up_date: str, same_story: bool) -> None:
    clusterer = StoryClusterer(settings=SETTINGS)
    first = clusterer.add(article("q1", QUAKE_REPORT, dates=("2009-04-06",)))
    # The same words and no entities either way: only the event date says whether it is the same quake.
    second = clusterer.add(article("q2", QUAKE_FOLLOW_UP, dates=(follow_up_date,)))
    assert (first == second) is same_story


def test_unrelated_topic_is_a_separate_story(clusterer: StoryClusterer) -> None:
    assert clusterer.add(italy("a1")) != clusterer.add(article("r1", REHAB, published="2009-04-06"))


def test_manual_merge_sticks_when_more_articles_arrive(clusterer: StoryClusterer) -> None:
    quake = clusterer.add(italy("i1", None))
    other = clusterer.add(haiti("h1", None))
    merged = clusterer.merge(quake, other)
    assert merged == quake and other not in clusterer.stories
    assert clusterer.add(haiti("h2", None, " Aid flights landed.")) == quake
    assert clusterer.add(italy("i2", None, " Schools stay closed.")) == quake
    assert set(clusterer.articles_of(quake)) == {"i1", "h1", "h2", "i2"}
    assert clusterer.decisions[0]["op"] == "merge"


def test_manual_split_sticks_and_is_never_merged_back() -> None:
    # A low merge threshold would merge the two parts at once if the cannot-link were ignored.
    loose = dataclasses.replace(SETTINGS, story_join_threshold=0.3, story_merge_threshold=0.3)
    clusterer = StoryClusterer(settings=loose)
    story = clusterer.add(italy("a1"))
    for n in range(2, 5):
        assert clusterer.add(italy(f"a{n}", "2009-04-07", f" Update {n}.")) == story
    part = clusterer.split(story, ["a3", "a4"])
    assert clusterer.story_of("a3") == part and clusterer.story_of("a1") == story
    for n in range(5, 9):
        joined = clusterer.add(italy(f"a{n}", "2009-04-08", f" Update {n}."))
        assert joined in {story, part}
    assert story in clusterer.stories and part in clusterer.stories
    assert set(clusterer.articles_of(part)) >= {"a3", "a4"}
    assert {"a1", "a2"} <= set(clusterer.articles_of(story))


def test_strong_link_merges_two_stories_automatically() -> None:
    clusterer = StoryClusterer(settings=dataclasses.replace(SETTINGS, story_merge_threshold=0.3))
    first = clusterer.add(article("x1", QUAKE_2009, entities=(("L'Aquila", "GPE"),)))
    # Forced apart at first (an impossible join threshold), then a bridging article links them.
    clusterer.settings = dataclasses.replace(clusterer.settings, story_join_threshold=9.0)
    second = clusterer.add(article("x2", QUAKE_2009 + " More.", entities=(("L'Aquila", "GPE"),)))
    assert first != second
    clusterer.settings = dataclasses.replace(clusterer.settings, story_join_threshold=0.3)
    bridge = clusterer.add(article("x3", QUAKE_2009 + " Again.", entities=(("L'Aquila", "GPE"),)))
    assert clusterer.story_of("x1") == clusterer.story_of("x2") == bridge
    assert clusterer.stats["auto_merges"] == 1


def test_split_and_merge_reject_bad_requests(clusterer: StoryClusterer) -> None:
    story = clusterer.add(italy("a1"))
    with pytest.raises(StoryError, match="E502"):
        clusterer.merge(story, "nope")
    with pytest.raises(StoryError, match="E503"):
        clusterer.merge(story, story)
    with pytest.raises(StoryError, match="E504"):
        clusterer.split(story, ["zz"])
    with pytest.raises(StoryError, match="E505"):
        clusterer.split(story, ["a1"])


def test_stories_leave_the_active_index_after_the_window(clusterer: StoryClusterer) -> None:
    old = clusterer.add(italy("a1", "2009-04-06"))
    assert clusterer.active_stories == [old]
    late = italy("a2", "2009-05-20", " A month later.")
    newer = clusterer.add(late)
    assert newer != old  # the old story is archived: a month later the same words start a new story
    assert clusterer.active_stories == [newer]
    assert clusterer.articles_of(old) == ["a1"] and clusterer.stats["evicted"] == 1


def test_archived_stories_can_be_handed_over_and_forgotten(clusterer: StoryClusterer) -> None:
    old = clusterer.add(italy("a1", "2009-04-06"))
    new = clusterer.add(haiti("h1", "2010-01-12"))
    assert clusterer.pop_archived() == {old: ["a1"]}
    assert list(clusterer.stories) == [new] and clusterer.story_of("a1") is None
    with pytest.raises(StoryError, match="E502"):
        clusterer.split(old, ["a1"])


def test_undated_articles_use_the_stream_clock(clusterer: StoryClusterer) -> None:
    undated = clusterer.add(italy("u1", None))
    dated = clusterer.add(italy("d1", "2009-04-06"))
    assert undated == dated
    clusterer.add(haiti("h1", "2009-04-30"))  # 24 days on: the undated story counts as seen on 04-06
    assert undated not in clusterer.active_stories


def test_candidates_come_from_the_index_not_a_scan() -> None:
    clusterer = StoryClusterer(settings=SETTINGS)
    for n in range(200):  # 200 unrelated stories, each about its own place
        text = f"Officials in town{n} reported event{n} involving resident{n} and council{n} budget{n}."
        clusterer.add(article(f"n{n}", text, entities=((f"Town{n}", "GPE"),)))
    assert len(clusterer.active_stories) > 150
    before = clusterer.stats["comparisons"]
    clusterer.add(italy("probe"))
    assert clusterer.stats["comparisons"] - before < 20


def test_state_round_trips_through_json(clusterer: StoryClusterer) -> None:
    story = clusterer.add(italy("a1"))
    clusterer.add(italy("a2", "2009-04-07", " More."))
    other = clusterer.add(haiti("h1", "2009-04-07"))
    clusterer.split(story, ["a2"])
    state = json.loads(json.dumps(to_state(clusterer)))
    restored = from_state(state, embedder=clusterer.embedder, settings=SETTINGS)
    assert restored.assignments == clusterer.assignments
    assert restored.cannot_link == clusterer.cannot_link and restored.clock == clusterer.clock
    assert restored.add(haiti("h2", "2009-04-08", " Aid.")) == other
    assert clusterer.add(haiti("h2", "2009-04-08", " Aid.")) == other


def test_state_from_another_embedder_is_refused(clusterer: StoryClusterer) -> None:
    clusterer.add(italy("a1"))
    state = to_state(clusterer)
    with pytest.raises(StoryError, match="E508"):
        from_state(state, embedder=HashingEmbedder(dim=64), settings=SETTINGS)
    with pytest.raises(StoryError, match="E507"):
        from_state(state | {"version": 99}, embedder=clusterer.embedder, settings=SETTINGS)
    with pytest.raises(StoryError, match="E506"):
        from_state(
            {"version": 1, "embedder": "hashing", "dim": 1024}, embedder=clusterer.embedder, settings=SETTINGS
        )


def test_adding_an_article_twice_returns_its_story(clusterer: StoryClusterer) -> None:
    story = clusterer.add(italy("a1"))
    assert clusterer.add(italy("a1")) == story and clusterer.stats["articles"] == 1


def test_timex_values_become_day_intervals() -> None:
    day = date(2009, 4, 6).toordinal()
    assert value_interval("2009-04-06") == (day, day)
    assert value_interval("2009-04") == (date(2009, 4, 1).toordinal(), date(2009, 4, 30).toordinal())
    assert value_interval("2009-W15") == (day, day + 6)
    assert value_interval("2009") == (date(2009, 1, 1).toordinal(), date(2009, 12, 31).toordinal())
    for vague in ("PRESENT_REF", "XXXX-08-01", "P3D", "198X", "2009-02-30", None or ""):
        assert value_interval(vague) is None
    a = article("t", "x", dates=("2009-04-06",))
    a.timexes.append(Timex("three days", 0, 1, "DURATION", "P3D"))
    assert event_dates(a) == [(day, day)]


def test_unknown_embedder_is_an_option_error() -> None:
    with pytest.raises(OptionError, match="E501"):
        get_embedder("nonesuch")


def test_hashing_embedder_rows_are_unit_vectors() -> None:
    rows = HashingEmbedder().embed(["Rescue teams searched the rubble.", ""])
    assert rows.shape == (2, 1024)
    assert np.isclose(np.linalg.norm(rows[0]), 1.0) and not rows[1].any()


def test_wordllama_embedder_loads_offline() -> None:
    pytest.importorskip("wordllama")
    rows = get_embedder("wordllama").embed([QUAKE_2009, QUAKE_2010, REHAB])
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0)
    assert rows[0] @ rows[1] > rows[0] @ rows[2]


labels = st.sampled_from(["PERSON", "ORG", "GPE", "DATE", "CARDINAL", "EVENT"])
values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["2009-04-06", "2009-13", "0001-01-01", "9999-12", "2009-W60"]),
)
day_strings = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 1)).map(lambda d: d.isoformat()),
)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    return Article(
        id=draw(st.text(min_size=1, max_size=6)),
        origin="fuzz",
        text=draw(st.text(max_size=200)),
        title=draw(st.one_of(st.none(), st.text(max_size=30))),
        published=draw(day_strings),
        entities=[
            Entity(t, draw(labels), 0, 1, canonical=draw(st.one_of(st.none(), st.text(max_size=10))))
            for t in draw(st.lists(st.text(max_size=10), max_size=5))
        ],
        timexes=[
            Timex("t", 0, 1, draw(st.sampled_from(["DATE", "TIME", "DURATION"])), v)
            for v in draw(st.lists(values, max_size=4))
        ],
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(articles(), max_size=12), st.integers(min_value=1, max_value=30))
def test_add_never_raises_on_arbitrary_articles(batch: list[Article], window: int) -> None:
    clusterer = StoryClusterer(settings=dataclasses.replace(SETTINGS, story_window_days=window))
    for item in batch:
        story = clusterer.add(item)
        assert item.id in clusterer.articles_of(story)
    restored = from_state(
        json.loads(json.dumps(to_state(clusterer))), embedder=clusterer.embedder, settings=SETTINGS
    )
    assert restored.assignments == clusterer.assignments


def test_dates_far_apart_never_break_the_clock() -> None:
    clusterer = StoryClusterer(settings=SETTINGS)
    start = date(2009, 4, 6)
    for n in range(30):
        day = (start + timedelta(days=40 * n)).isoformat()
        clusterer.add(italy(f"a{n}", day))
    assert len(clusterer.active_stories) == 1 and clusterer.stats["evicted"] == 29


def test_the_article_limit_bounds_the_active_stories_whatever_the_dates() -> None:
    limited = StoryClusterer(settings=dataclasses.replace(SETTINGS, window_max_articles=3))
    stories = [limited.add(article(f"u{n}", f"{REHAB} Episode {n} of {n * 7} nights.")) for n in range(2)]
    quake = limited.add(italy("i1", None))
    assert limited._active_articles == 3 and set(limited.active_stories) == {*stories, quake}
    limited.add(italy("i2", None, " More aftershocks."))  # touches the quake story: it is the freshest
    haiti_story = limited.add(haiti("h1", None))
    assert limited._active_articles < 3 + 1 and quake in limited.active_stories
    assert haiti_story in limited.active_stories and limited.stats["evicted_over_limit"] >= 1
    assert not (set(stories) & set(limited.active_stories))  # the least recently touched left first


def test_the_article_limit_resumes_from_saved_state_as_if_never_stopped() -> None:
    limit = dataclasses.replace(SETTINGS, window_max_articles=4)
    stream = [
        article(f"a{n}", f"{(QUAKE_2009, QUAKE_2010, REHAB)[n % 3]} Report number {n}.") for n in range(12)
    ]
    straight = StoryClusterer(settings=limit)
    whole = [straight.add(a) for a in stream]
    first = StoryClusterer(settings=limit)
    halves = [first.add(a) for a in stream[:5]]
    resumed = from_state(json.loads(json.dumps(to_state(first))), settings=limit)
    halves += [resumed.add(a) for a in stream[5:]]
    assert halves == whole and list(resumed._recency) == list(straight._recency)
    assert resumed._active_articles <= 4


def test_the_article_limit_must_be_positive() -> None:
    with pytest.raises(OptionError, match="window_max_articles"):
        StoryClusterer(settings=dataclasses.replace(SETTINGS, window_max_articles=0))


def test_a_restored_clusterer_evicts_at_the_same_time_as_one_never_stopped() -> None:
    texts = (QUAKE_2009, QUAKE_2010, REHAB)
    stream = [
        article(f"d{n}", f"{texts[n % 3]} Update {n}.", published=f"2009-04-{1 + 3 * n:02d}")
        for n in range(9)
    ]
    straight = StoryClusterer(settings=SETTINGS)
    whole = [straight.add(a) for a in stream]
    first = StoryClusterer(settings=SETTINGS)
    halves = [first.add(a) for a in stream[:4]]
    resumed = from_state(json.loads(json.dumps(to_state(first))), settings=SETTINGS)
    assert to_state(resumed) == to_state(first)  # last activity is not moved to the saved clock
    halves += [resumed.add(a) for a in stream[4:]]
    assert halves == whole and resumed.stats["evicted"] == straight.stats["evicted"] - first.stats["evicted"]
