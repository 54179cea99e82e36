"""Syndication and near-duplicates: hand-built wire stories, copies and partial reuse, and the two samples."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import StoryError
from storyline.ingest.normalize import normalize
from storyline.ingest.readers import read_inputs
from storyline.model import Article, Dateline
from storyline.settings import DEFAULT
from storyline.stories.dedupe import SyndicationIndex

# Three unrelated hand-written stories, one paragraph per item.
PORT_STRIKE = [
    "Dock workers at the country's three largest container ports walked off the job on Monday, halting the "
    "loading of ships after talks over automation and wages collapsed late on Sunday night.",
    "The union said more than 14,000 members had joined the strike and that picket lines would stay in place "
    "until employers withdrew a plan to install automated cranes at two terminals.",
    "Port operators called the walkout unlawful and said they would seek an injunction, warning that every "
    "day of stoppage would cost exporters tens of millions of dollars in delayed shipments.",
    "Retailers have already begun rerouting cargo to smaller harbours along the coast, according to a "
    "logistics trade group, which said congestion there could last for weeks.",
    "The transport minister urged both sides to return to mediation and said the government was prepared to "
    "appoint an independent arbitrator if no agreement was reached by Friday.",
    "The last national port strike, in 2019, lasted eleven days and was settled with a four-year contract "
    "that raised hourly pay by 12 percent and limited new automation projects.",
]
FLOOD = [
    "Heavy rain swept across the northern valleys for a third straight day on Tuesday, forcing the "
    "evacuation of several villages as rivers burst their banks and roads were washed away.",
    "Emergency services said at least 2,300 people had spent the night in school gymnasiums and sports "
    "halls, and that rescue teams in boats had reached families stranded on rooftops.",
    "The regional governor declared a state of emergency and asked the army to help reinforce levees along "
    "the river, which rose nearly four metres above its normal level overnight.",
    "Forecasters expect the rain to ease on Thursday, but warned that saturated hillsides could still give "
    "way and that landslides remained a serious danger in mountain districts.",
    "Farmers said large parts of the harvest had been destroyed just weeks before it was due to be "
    "gathered, and called on the government to speed up compensation payments.",
    "Scientists have linked the growing frequency of such downpours in the region to warmer air over the "
    "sea, which holds more moisture and releases it in shorter, more violent bursts.",
]
CENTRAL_BANK = [
    "The central bank left its benchmark interest rate unchanged at 4.25 percent on Wednesday, saying "
    "inflation was cooling more slowly than it had expected at the start of the year.",
    "Governor Ana Ruiz told a news conference that policymakers wanted to see several more months of "
    "falling prices in services before considering a cut in borrowing costs.",
    "Most economists polled last week had predicted the decision, although a minority had argued that "
    "weak factory output justified easing policy as soon as this meeting.",
    "The currency strengthened slightly after the announcement, while yields on two-year government bonds "
    "rose to their highest level in a month as traders pushed back bets on a cut.",
    "Consumer prices rose 3.1 percent in the twelve months to May, down from a peak of more than 9 percent "
    "two years ago but still above the bank's 2 percent target.",
    "The next rate decision is due in September, when the bank will also publish new forecasts for growth "
    "and unemployment covering the next three years.",
]
OWN_PARAGRAPHS = [
    "Shop owners near the harbour in our town said on Monday that they were bracing for a quiet week, with "
    "delivery vans already arriving half empty and some shelves left bare.",
    "Maria Lopez, who runs a hardware store on the seafront, said she had cancelled two orders from abroad "
    "because nobody could tell her when the containers would be unloaded.",
    "The chamber of commerce is holding an emergency meeting with local businesses on Wednesday evening to "
    "discuss how long their stock can last if the dispute drags on.",
    "Local councillors have written to the transport minister asking for the town's fishing fleet to be "
    "exempted from any restrictions on access to the quay during the strike.",
]


def article(
    paragraphs: list[str],
    *,
    id: str,
    source: str = "Example Times",
    wire: str | None = None,
    place: str | None = None,
    byline: tuple[str, ...] = (),
    published: str | None = "2026-02-04",
) -> Article:
    return Article(
        id=id,
        origin=f"test/{id}",
        text="\n\n".join(paragraphs),
        source=source,
        wire=wire,
        dateline=Dateline(place) if place else None,
        byline=list(byline),
        published=published,
    )


def wire_copy(id: str, *, source: str, paragraphs: list[str] = PORT_STRIKE, **kwargs) -> Article:
    return article(paragraphs, id=id, source=source, wire="Reuters", place="LONDON", **kwargs)


@pytest.fixture
def index() -> SyndicationIndex:
    return SyndicationIndex()


def test_the_two_samples_are_two_independent_origins(index, seeds_dir) -> None:
    wire, own = (normalize(raw) for raw in read_inputs([str(seeds_dir)]))
    assert (wire.wire, own.wire) == ("Reuters", None)
    first, second = index.add(wire), index.add(own)
    assert first.origin == "Reuters" and first.group != second.group
    assert not second.is_copy and second.passages == () and second.origin_article == own.id
    assert index.independent_sources([wire.id, own.id]) == 2
    assert [r.source for r in index.republishers(first.group)] == ["Global Banking and Finance Review"]
    assert index.republishers(second.group) == []


def test_an_exact_copy_is_one_origin(index) -> None:
    index.add(article(FLOOD, id="a", source="Daily One"))
    info = index.add(article(FLOOD, id="b", source="Daily Two"))
    assert info.copy_of == "a" and info.jaccard == 1.0 and info.evidence == ("near_duplicate",)
    assert info.origin_article == "a" and info.origin == "Daily One"
    assert index.independent_sources(["a", "b"]) == 1
    assert [r.article for r in index.republishers(info.group)] == ["b"]


def test_a_near_copy_with_other_boilerplate_and_an_added_paragraph_is_one_origin(index) -> None:
    index.add(article(FLOOD, id="a"))
    edited = [
        "Published by The Valley Courier | Updated 5 minutes ago | 3 min read",
        *FLOOD[:3],
        "Readers can send photographs of the flooding to our newsroom through the usual address.",
        *FLOOD[3:],
        "Copyright 2026 The Valley Courier. All rights reserved. Sign up for our morning newsletter.",
    ]
    info = index.add(article(edited, id="b", source="The Valley Courier"))
    assert info.copy_of == "a" and info.evidence == ("near_duplicate",)
    assert 0.7 <= info.jaccard < 1.0
    assert index.independent_sources(["a", "b"]) == 1


def test_forty_republishers_of_one_wire_story_are_one_origin(index) -> None:
    for number in range(40):
        footer = f"Follow Site {number} on social media for more breaking news from around the world."
        index.add(wire_copy(f"site{number}", source=f"Site {number}", paragraphs=[*PORT_STRIKE, footer]))
    ids = [f"site{number}" for number in range(40)]
    assert index.independent_sources(ids) == 1
    (origin,) = index.groups()
    assert origin.label == "Reuters" and origin.wire == "Reuters"
    assert sorted(r.source for r in index.republishers(origin.id)) == sorted(f"Site {n}" for n in range(40))


def test_two_different_reuters_stories_are_two_origins(index) -> None:
    first = index.add(wire_copy("port", source="Site A"))
    second = index.add(wire_copy("bank", source="Site B", paragraphs=CENTRAL_BANK))
    assert first.origin == second.origin == "Reuters"
    assert first.group != second.group and not second.is_copy
    assert index.independent_sources(["port", "bank"]) == 2


def test_pasted_wire_paragraphs_are_found_per_passage_and_the_report_stays_its_own_origin(index) -> None:
    wire = index.add(wire_copy("wire", source="Site A"))
    report_paragraphs = [*OWN_PARAGRAPHS[:2], *PORT_STRIKE[1:4], *OWN_PARAGRAPHS[2:]]
    report = article(report_paragraphs, id="local", source="Harbour Gazette", byline=("Tom Reed",))
    info = index.add(report)
    assert not info.is_copy and info.group != wire.group and info.origin_article == "local"
    assert len(info.passages) == 3
    wire_text = "\n\n".join(PORT_STRIKE)
    for passage, paragraph in zip(info.passages, PORT_STRIKE[1:4], strict=True):
        assert report.text[passage.start : passage.end] == paragraph
        assert wire_text[passage.source_start : passage.source_end] == paragraph
        assert passage.source_article == "wire" and passage.source_group == wire.group
        assert passage.similarity == 1.0
    assert index.independent_sources(["wire", "local"]) == 2


def test_unrelated_articles_are_separate(index) -> None:
    infos = [
        index.add(article(text, id=name))
        for name, text in [("a", FLOOD), ("b", CENTRAL_BANK), ("c", PORT_STRIKE), ("d", OWN_PARAGRAPHS)]
    ]
    assert len({info.group for info in infos}) == 4
    assert not any(info.is_copy or info.passages for info in infos)


def test_a_trimmed_copy_is_a_copy_by_its_copied_passages(index) -> None:
    index.add(article(FLOOD, id="full"))
    info = index.add(article(FLOOD[:3], id="trimmed", source="Other"))
    assert info.jaccard is not None and info.jaccard < DEFAULT.dedupe_threshold
    assert info.copy_of == "full" and info.evidence == ("copied_passages",)


def test_the_full_story_after_its_trimmed_copy_joins_it(index) -> None:
    index.add(article(FLOOD[:3], id="trimmed"))
    info = index.add(article(FLOOD, id="full"))
    assert info.copy_of == "trimmed" and index.independent_sources(["full", "trimmed"]) == 1


def test_same_wire_and_dateline_with_copied_paragraphs_is_one_origin(index) -> None:
    index.add(wire_copy("wire", source="Site A"))
    mixed = [
        *PORT_STRIKE[:3],
        *OWN_PARAGRAPHS[:2],
    ]  # half copied: below the copy coverage, above the wire one
    info = index.add(wire_copy("partial", source="Site B", paragraphs=mixed))
    assert info.copy_of == "wire" and info.evidence == ("wire_credit", "dateline", "copied_passages")


def test_copied_paragraphs_without_shared_credits_do_not_join(index) -> None:
    index.add(wire_copy("wire", source="Site A"))
    mixed = article([*PORT_STRIKE[:3], *OWN_PARAGRAPHS[:2]], id="partial", wire="Reuters", place="PARIS")
    info = index.add(mixed)
    assert not info.is_copy and len(info.passages) == 3


def test_the_earliest_published_member_is_the_origin_article(index) -> None:
    index.add(article(CENTRAL_BANK, id="late", source="Late News", published="2026-02-05"))
    info = index.add(article(CENTRAL_BANK, id="early", source="Early News", published="2026-02-04"))
    assert info.origin_article == "early" and info.origin == "Early News"
    assert [r.article for r in index.republishers(info.group)] == ["late"]


def test_a_copy_crediting_a_wire_makes_the_wire_the_origin(index) -> None:
    index.add(article(PORT_STRIKE, id="uncredited", source="Site A"))
    info = index.add(wire_copy("credited", source="Site B"))
    assert info.origin == "Reuters" and len(index.republishers(info.group)) == 2


def test_an_article_bridging_two_groups_merges_them(index) -> None:
    index.add(article(FLOOD, id="flood"))
    index.add(article(CENTRAL_BANK, id="bank"))
    info = index.add(article([*FLOOD, *CENTRAL_BANK], id="both"))  # contains each of them whole
    assert info.evidence == ("copied_passages",)
    assert index.independent_sources(["flood", "bank", "both"]) == 1
    assert index.info("bank").group == index.info("flood").group == info.group


def test_adding_a_known_id_again_replaces_it(index) -> None:
    index.add(article(FLOOD, id="a"))
    index.add(article(FLOOD, id="b"))
    info = index.add(article(CENTRAL_BANK, id="b"))  # a revision with other text
    assert not info.is_copy and index.independent_sources(["a", "b"]) == 2 and len(index) == 2


def test_empty_text_is_its_own_origin(index) -> None:
    first = index.add(article([], id="empty1"))
    second = index.add(article(["..."], id="empty2"))
    assert first.group != second.group and not second.is_copy


def test_unknown_ids_fail_with_a_coded_error(index) -> None:
    with pytest.raises(StoryError, match="E520"):
        index.independent_sources(["nope"])
    with pytest.raises(StoryError, match="E521"):
        index.republishers("g-nope")


def test_state_round_trips_through_json(index) -> None:
    for number in range(3):
        index.add(wire_copy(f"site{number}", source=f"Site {number}"))
    index.add(article([*OWN_PARAGRAPHS[:2], *PORT_STRIKE[1:4]], id="local"))
    index.add(article(FLOOD, id="flood"))
    state = json.loads(json.dumps(index.to_state()))
    restored = SyndicationIndex.from_state(state)
    assert restored.groups() == index.groups() and restored.to_state() == state
    assert restored.info("local") == index.info("local")
    later = restored.add(wire_copy("site9", source="Site 9"))
    assert later.group == index.group_of("site0") and later.is_copy


def test_state_from_other_signature_settings_is_refused(index) -> None:
    index.add(article(FLOOD, id="a"))
    other = dataclasses.replace(DEFAULT, dedupe_shingle_words=4)
    with pytest.raises(StoryError, match=r"E524 .*shingle_words"):
        SyndicationIndex.from_state(index.to_state(), settings=other)


@pytest.mark.parametrize(
    ("breakage", "code"),
    [
        (lambda s: s.update(version=99), "E523"),
        (lambda s: s.pop("articles"), "E522"),
        (lambda s: s["articles"][0].update(signature=[1, 2, 3]), "E522"),
        (lambda s: s["groups"].clear(), "E522"),
        (lambda s: s.update(params="x"), "E522"),
    ],
)
def test_malformed_state_fails_with_a_coded_error(index, breakage, code) -> None:
    index.add(article(FLOOD, id="a"))
    state = index.to_state()
    breakage(state)
    with pytest.raises(StoryError, match=code):
        SyndicationIndex.from_state(state)


def test_invalid_settings_fail_at_once() -> None:
    with pytest.raises(ValueError, match=r"E304 .*dedupe_threshold"):
        SyndicationIndex(settings=dataclasses.replace(DEFAULT, dedupe_threshold=0.0))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(max_size=400), min_size=1, max_size=4))
def test_add_never_raises_on_arbitrary_text(texts) -> None:
    index = SyndicationIndex()
    for number, text in enumerate(texts):
        info = index.add(Article(id=str(number % 3), origin="fuzz", text=text))
        assert all(0 <= p.start <= p.end <= len(text) for p in info.passages)
    assert (
        index.independent_sources(index.info(i).article for i in {str(n % 3) for n in range(len(texts))}) >= 1
    )
