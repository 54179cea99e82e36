"""The samples end to end: one story, two independent origins, the facts and timeline users expect."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import api
from storyline.model import Story
from storyline.store import open_store
from storyline.stories.features import value_interval


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    seeds = Path(__file__).resolve().parents[2] / "examples" / "seeds"
    db = str(tmp_path_factory.mktemp("seeds") / "seeds.db")
    with open_store(db) as store:
        assert [e.outcome for e in api.iter_ingest(store, [str(seeds)])] == ["stored", "stored"]
        assert all(e.error is None for e in api.iter_annotate(store))
        list(api.iter_update_stories(store))
        stories = list(store.iter_stories())
    assert len(stories) == 1
    return stories[0]


def facts_with(story: Story, status: str, *words: str) -> list:
    return [
        f
        for f in story.facts
        if f.status == status and all(any(w in s.text for s in f.sources) for w in words)
    ]


def test_one_story_holds_both_articles_from_two_origins(story: Story) -> None:
    assert len(story.articles) == 2
    assert story.independent_sources == 2
    assert (story.first_published, story.last_published) == ("2026-02-04", "2026-02-05")


def test_putins_team_versus_putin_is_an_attribution_conflict(story: Story) -> None:
    (fact,) = facts_with(story, "conflicting", "Putin's team")
    assert [c.kind for c in fact.conflicts] == ["attribution"]
    variants = {v.text for v in fact.conflicts[0].variants}
    assert any("team" in v for v in variants) and any("team" not in v for v in variants)
    assert fact.independent_sources == 2


def test_returned_children_are_corroborated(story: Story) -> None:
    assert facts_with(story, "corroborated", "Fifteen children", "15 children")
    assert facts_with(story, "corroborated", "seven children in December", "December 2025")


def test_single_source_facts_name_their_one_origin(story: Story) -> None:
    for words in (("hundreds of drones",), ("484 days",)):
        (fact,) = facts_with(story, "single_source", *words)
        assert fact.independent_sources == 1 and fact.single_origin


def test_every_fact_source_is_a_span_of_its_article(story: Story, tmp_path: Path) -> None:
    seeds = Path(__file__).resolve().parents[2] / "examples" / "seeds"
    with open_store(str(tmp_path / "t.db")) as store:
        list(api.iter_ingest(store, [str(seeds)]))
        texts = {a.id: a.text for a in store.iter_articles()}
    for fact in story.facts:
        for source in fact.sources:
            assert texts[source.article][source.start : source.end] == source.text


def test_timeline_orders_events_by_their_own_dates(story: Story) -> None:
    dates = [e.date for e in story.timeline]
    starts = [value_interval(d)[0] for d in dates]  # type: ignore[index]
    assert starts == sorted(starts)
    for expected in ("2022-02", "2025-01", "2025-08", "2025-12", "2026-W06", "2026-02-04"):
        assert expected in dates, expected
    invasion = next(e for e in story.timeline if e.date == "2022-02")
    assert invasion.attributed_to == "Ukraine"
    from_post = next(e for e in story.timeline if e.date == "2025-01")
    assert from_post.sources[0].embed is not None
    assert all(e.sources for e in story.timeline)


def test_syndication_names_the_wire_origin_of_the_republished_story(story: Story) -> None:
    origins = {info["origin"] for info in story.syndication.values()}
    assert "Reuters" in origins
    assert all(info["copy_of"] is None for info in story.syndication.values())
