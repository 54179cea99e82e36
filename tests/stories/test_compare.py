"""compare_story on hand-built annotated articles: every verdict, every conflict kind, refinements."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import OptionError
from storyline.model import Article, Claim, Fact, Quote
from storyline.settings import DEFAULT
from storyline.stories.compare import compare_story
from storyline.stories.quote_compare import coverage, quote_words
from storyline.stories.values import Match, compare_date, compare_names, compare_value, parse_value


def article(article_id: str, text: str, *claims: dict, quotes: tuple[Quote, ...] = ()) -> Article:
    """An article whose claims are given as {"needle": text in the article, **Claim fields}."""
    built = []
    for number, fields in enumerate(claims):
        needle = fields.pop("needle")
        start = text.index(needle)
        built.append(Claim(f"{article_id}-{number}", needle, start, start + len(needle), **fields))
    return Article(id=article_id, origin=article_id, text=text, claims=built, quotes=list(quotes))


def returned(article_id: str, text: str, value: str, **extra) -> Article:
    fields = {"subject": "children", "predicate": "return", "object": "Ukraine", "entities": ["Ukraine"]}
    claim = {"needle": text.rstrip("."), "values": [value], **fields, **extra}
    return article(article_id, text, claim)


def quote(text: str, needle: str, speaker: str = "Melania Trump") -> Quote:
    start = text.index(needle)
    return Quote(needle, start, start + len(needle), kind="direct", speaker=speaker)


def only(facts: list[Fact]) -> Fact:
    assert len(facts) == 1, facts
    return facts[0]


# -- verdicts -------------------------------------------------------------------------------------


def test_corroborated_by_two_origins_with_traceable_sources():
    first = returned("a", "15 children have been returned to Ukraine.", "15 children")
    second = returned("b", "Fifteen children were returned to Ukraine.", "15 children")
    fact = only(compare_story([first, second]))
    assert (fact.status, fact.independent_sources, fact.rule) == (
        "corroborated",
        2,
        "corroborated.independent_origins",
    )
    for source, doc in zip(fact.sources, (first, second), strict=True):
        assert doc.text[source.start : source.end] == source.text and source.article == doc.id


def test_single_source_says_which_origin():
    first = returned("a", "15 children have been returned to Ukraine.", "15 children")
    other = article(
        "b",
        "The army attacked the town.",
        {"needle": "The army attacked the town", "subject": "army", "predicate": "attack", "object": "town"},
    )
    facts = compare_story([first, other])
    assert {(f.status, f.single_origin) for f in facts} == {("single_source", "a"), ("single_source", "b")}


def test_copies_of_one_origin_do_not_corroborate():
    first = returned("a", "15 children have been returned to Ukraine.", "15 children")
    copy = returned("b", "15 children have been returned to Ukraine.", "15 children")
    fact = only(compare_story([first, copy], origins={"a": "wire", "b": "wire"}))
    assert (fact.status, fact.independent_sources, fact.rule) == (
        "single_source",
        1,
        "single_source.copies_of_one_origin",
    )
    assert fact.single_origin == "wire" and len(fact.sources) == 2


# -- conflicts, one per kind -------------------------------------------------------------------------


def conflict_kinds(fact: Fact) -> set[str]:
    assert fact.status == "conflicting" and fact.rule.startswith("conflict.")
    return {c.kind for c in fact.conflicts}


def test_number_conflict_names_both_values():
    first = returned("a", "15 children have been returned to Ukraine.", "15 children")
    second = returned("b", "17 children have been returned to Ukraine.", "17 children")
    fact = only(compare_story([first, second]))
    assert conflict_kinds(fact) == {"number"}
    assert [v.text for v in fact.conflicts[0].variants] == ["15 children", "17 children"]


def test_date_conflict():
    first = returned("a", "15 children were returned in August.", "15 children", dates=["2025-08"])
    second = returned("b", "15 children were returned in September.", "15 children", dates=["2025-09"])
    assert conflict_kinds(only(compare_story([first, second]))) == {"date"}


def test_attribution_conflict_who_the_claim_is_about():
    fields = {"subject": "Melania Trump", "predicate": "remain in contact", "attributed_to": "Melania Trump"}
    first = article(
        "a",
        "She remains in contact with Vladimir Putin's team.",
        {
            "needle": "She remains in contact with Vladimir Putin's team",
            "object": "Vladimir Putin's team",
            "entities": ["Vladimir Putin"],
            **fields,
        },
    )
    second = article(
        "b",
        "She is in contact with Vladimir Putin.",
        {
            "needle": "She is in contact with Vladimir Putin",
            "object": "Vladimir Putin",
            "entities": ["Vladimir Putin"],
            **fields,
        },
    )
    fact = only(compare_story([first, second]))
    assert conflict_kinds(fact) == {"attribution"}
    assert [v.text for v in fact.conflicts[0].variants] == ["Vladimir Putin's team", "Vladimir Putin"]


def test_attribution_conflict_who_said_it():
    first = returned("a", "15 children were returned, Ukraine said.", "15 children", attributed_to="Ukraine")
    second = returned("b", "15 children were returned, Poland said.", "15 children", attributed_to="Poland")
    fact = only(compare_story([first, second]))
    assert conflict_kinds(fact) == {"attribution"}
    assert fact.conflicts[0].rule == "attribution.different_speaker"


def test_entity_conflict_different_place():
    first = returned("a", "15 children were returned to Kyiv.", "15 children", places=["Kyiv"])
    second = returned("b", "15 children were returned to Lviv.", "15 children", places=["Lviv"])
    assert conflict_kinds(only(compare_story([first, second]))) == {"entity"}


def test_negation_conflict():
    first = returned("a", "15 children were returned to Ukraine.", "15 children")
    second = returned("b", "15 children were not returned to Ukraine.", "15 children", negated=True)
    assert conflict_kinds(only(compare_story([first, second]))) == {"negation"}


def test_other_conflict_opposite_predicates():
    fields = {"subject": "Dow Jones", "object": None, "entities": ["Dow Jones"]}
    first = article(
        "a",
        "The Dow Jones rose on Monday.",
        {"needle": "The Dow Jones rose on Monday", "predicate": "rise", **fields},
    )
    second = article(
        "b",
        "The Dow Jones fell on Monday.",
        {"needle": "The Dow Jones fell on Monday", "predicate": "fall", **fields},
    )
    fact = only(compare_story([first, second]))
    assert conflict_kinds(fact) == {"other"}


def test_accusation_and_denial_by_different_parties_are_not_aligned():
    fields = {"subject": "Russia", "predicate": "abduct", "object": "children", "entities": ["Russia"]}
    accusation = article(
        "a",
        "Ukraine accused Russia of abducting children.",
        {"needle": "Russia of abducting children", "attributed_to": "Ukraine", **fields},
    )
    denial = article(
        "b",
        "Russia denied abducting children.",
        {"needle": "Russia denied abducting children", "attributed_to": "Russia", "negated": True, **fields},
    )
    assert [f.status for f in compare_story([accusation, denial])] == ["single_source", "single_source"]


# -- refinements are not conflicts ---------------------------------------------------------------------


def test_day_inside_month_is_a_refinement():
    first = returned("a", "7 children were returned in December.", "7 children", dates=["2025-12"])
    second = returned("b", "7 children were returned on 3 December 2025.", "7 children", dates=["2025-12-03"])
    fact = only(compare_story([first, second]))
    assert fact.status == "corroborated"
    assert [(r.kind, r.rule) for r in fact.refinements] == [("date", "date.nested_periods")]


def test_at_least_and_exact_number_is_a_refinement():
    first = returned("a", "At least 19,000 children were taken.", "≥19000 children")
    second = returned("b", "19,000 children were taken.", "19000 children")
    fact = only(compare_story([first, second]))
    assert fact.status == "corroborated"
    assert [r.kind for r in fact.refinements] == ["number"]


def test_parts_pair_with_parts_and_wholes_with_wholes():
    text_a = "15 children were returned to Ukraine, including seven children in December."
    text_b = "Fifteen children returned to Ukraine, including seven of them in December 2025."
    fields = {"subject": "children", "predicate": "return", "object": "Ukraine"}
    first = article(
        "a",
        text_a,
        {"needle": "15 children were returned to Ukraine", "values": ["15 children"], **fields},
        {
            "needle": "including seven children in December",
            "values": ["7 children"],
            "dates": ["2025-12"],
            **fields,
        },
    )
    second = article(
        "b",
        text_b,
        {"needle": "Fifteen children returned to Ukraine", "values": ["15 children"], **fields},
        {
            "needle": "including seven of them in December 2025",
            "values": ["7 children"],
            "dates": ["2025-12"],
            **fields,
        },
    )
    facts = compare_story([first, second])
    assert [f.status for f in facts] == ["corroborated", "corroborated"]
    assert {tuple(s.text[:9] for s in f.sources) for f in facts} == {
        ("15 childr", "Fifteen c"),
        ("including",) * 2,
    }


# -- quotes -----------------------------------------------------------------------------------------


def test_same_quote_is_one_fact_and_fuller_version_is_a_refinement():
    text_a = '"I\'m working on it, and we are in the process," she said.'
    text_b = (
        "She replied, “I’m working on it. I’m working on it, and we are in the process. "
        "I will keep you posted.”"
    )
    first = article("a", text_a, quotes=(quote(text_a, '"I\'m working on it, and we are in the process,"'),))
    second = article("b", text_b, quotes=(quote(text_b, text_b[text_b.index("“") :]),))
    fact = only(compare_story([first, second]))
    assert (fact.kind, fact.status, len(fact.sources)) == ("quote", "corroborated", 2)
    refinement = only_refinement(fact)
    assert refinement.rule == "quote.fuller_version"
    assert refinement.words == ["i'm", "working", "on", "it", "i", "will", "keep", "you", "posted"]


def only_refinement(fact: Fact):
    assert len(fact.refinements) == 1, fact.refinements
    return fact.refinements[0]


def test_altered_quote_lists_the_words_that_differ():
    text_a = '"We will rebuild the whole store this year," the spokesman said.'
    text_b = '"We will rebuild the store next year," the spokesman said.'
    first = article("a", text_a, quotes=(quote(text_a, text_a[: text_a.index(",") + 2], "Mark Lee"),))
    second = article("b", text_b, quotes=(quote(text_b, text_b[: text_b.index(",") + 2], "Mark Lee"),))
    fact = only(compare_story([first, second], settings=replace(DEFAULT, fact_quote_coverage=0.7)))
    assert fact.status == "conflicting"
    assert [(c.kind, c.rule, c.words) for c in fact.conflicts] == [("other", "quote.altered_words", ["next"])]


def test_quote_words_strip_quotation_apostrophes():
    assert quote_words("Police 'locked down' the area, I'm told") == [
        "police",
        "locked",
        "down",
        "the",
        "area",
        "i'm",
        "told",
    ]
    assert coverage(["a", "b", "c"], ["x", "a", "b", "c"]) == 1.0


# -- parts ------------------------------------------------------------------------------------------


def test_value_and_date_comparisons():
    assert compare_value(parse_value("15 children"), parse_value("15 children")) is Match.SAME
    assert compare_value(parse_value("≥19000 children"), parse_value("19000 children")) is Match.REFINES
    assert compare_value(parse_value("~100-999 drones"), parse_value("300 drones")) is Match.REFINES
    assert compare_value(parse_value("15 children"), parse_value("17 children")) is Match.CONFLICT
    assert compare_date("2025-12", "2025-12-03") is Match.REFINES
    assert compare_date("2026-W06", "2026-02-04") is Match.REFINES
    assert compare_date("2025-08", "2025-09") is Match.CONFLICT
    assert compare_date("PRESENT_REF", "2025-09") is Match.NONE


def test_name_comparisons():
    assert compare_names("Vladimir Putin's team", "Vladimir Putin") is Match.POSSESSOR
    assert compare_names("Donald Trump", "Trump") is Match.REFINES
    assert compare_names("Kyiv", "Lviv") is Match.CONFLICT


def test_misuse_fails_fast():
    first = returned("a", "15 children have been returned to Ukraine.", "15 children")
    with pytest.raises(OptionError, match="E540"):
        compare_story([first, first])
    with pytest.raises(OptionError, match="fact_align_threshold"):
        compare_story([first], settings=replace(DEFAULT, fact_align_threshold=0))


# -- robustness -------------------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["Russia", "children", "15 children", "Putin's team", "", "it", "Kyiv", "say", "return"]
)
TEXT = 'Russia returned 15 children to Kyiv, Putin\'s team said, "we are working on it" and denied it.'


@st.composite
def annotated(draw, article_id: str) -> Article:
    claims = []
    for number in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(TEXT) - 1))
        end = draw(st.integers(start, len(TEXT)))
        claims.append(
            Claim(
                f"{article_id}{number}",
                TEXT[start:end],
                start,
                end,
                attributed_to=draw(st.none() | WORDS),
                subject=draw(st.none() | WORDS),
                predicate=draw(st.none() | WORDS),
                object=draw(st.none() | WORDS),
                negated=draw(st.booleans()),
                entities=draw(st.lists(WORDS, max_size=3)),
                values=draw(
                    st.lists(
                        st.sampled_from(["15 children", "≥19000", "~1-2 x", "record missiles", "0"]),
                        max_size=2,
                    )
                ),
                dates=draw(
                    st.lists(
                        st.sampled_from(["2025-08", "2025-13", "XXXX-WXX-5", "2026-W60", "2022"]), max_size=2
                    )
                ),
                places=draw(st.lists(WORDS, max_size=2)),
            )
        )
    start = draw(st.integers(0, len(TEXT) - 1))
    end = draw(st.integers(start, len(TEXT)))
    quotes = [
        Quote(
            TEXT[start:end],
            start,
            end,
            kind=draw(st.sampled_from(["direct", "indirect"])),
            speaker=draw(st.none() | WORDS),
        )
    ]
    return Article(id=article_id, origin=article_id, text=TEXT, claims=claims, quotes=quotes)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotated("a"), annotated("b"), annotated("c"), st.booleans())
def test_compare_story_never_raises(first, second, third, shared_origin):
    origins = {"a": "x", "b": "x"} if shared_origin else None
    facts = compare_story([first, second, third], origins=origins)
    for fact in facts:
        assert fact.status in {"corroborated", "single_source", "conflicting"}
        assert fact.independent_sources == len({s.origin for s in fact.sources})
        assert all(s.text == TEXT[s.start : s.end] for s in fact.sources)
