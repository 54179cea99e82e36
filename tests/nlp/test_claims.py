"""claims.v1 on hand-built articles: entities/quotes/timexes are given as data, quantities come from
quantities.v1, so these tests depend only on the model and the parse."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.model import Article, Claim, Entity, Quantity, Quote, Timex
from storyline.nlp.claims import claim_key, claims_stage, format_quantity
from storyline.nlp.quantities import quantities_stage
from storyline.registry import get_stage


def entity(text: str, needle: str, label: str, canonical: str | None = None) -> Entity:
    start = text.index(needle)
    return Entity(needle, label, start, start + len(needle), canonical)


def claims(text: str, *, entities=(), timexes=(), quotes=()) -> list[Claim]:
    article = Article(id="a1", origin="test", text=text, entities=list(entities))
    article.timexes, article.quotes = list(timexes), list(quotes)
    return claims_stage(quantities_stage(article)).claims


def find(found: list[Claim], text: str) -> Claim:
    return next(c for c in found if c.text == text)


def test_stage_is_registered_with_its_needs():
    registered = get_stage("claims.v1")
    assert registered.requires == ("entities", "quotes", "quantities", "timexes")


def test_reported_speech_with_possessive_object():
    text = (
        "Melania Trump said on Wednesday she remains in contact with Russian President "
        "Vladimir Putin's team in an effort to free children."
    )
    ents = [
        entity(text, "Melania Trump", "PERSON", "Melania Trump"),
        entity(text, "Vladimir Putin", "PERSON"),
    ]
    claim = next(c for c in claims(text, entities=ents) if c.predicate == "remain in contact")
    assert (claim.attributed_to, claim.subject) == ("Melania Trump", "Melania Trump")
    assert claim.object == "Vladimir Putin's team"
    assert claim.text.startswith("on Wednesday she remains")


def test_object_without_possessive_differs():
    text = "She said she is in contact with Vladimir Putin."
    ents = [entity(text, "Vladimir Putin", "PERSON")]
    claim = next(c for c in claims(text, entities=ents) if c.predicate == "be in contact")
    assert claim.object == "Vladimir Putin"


def test_passive_values_and_elaboration_with_dates():
    text = (
        "Fifteen children have been returned to Ukraine since the first lady started her advocacy, "
        "including seven children in December."
    )
    start = text.index("December")
    timex = Timex("December", start, start + 8, "DATE", "2025-12")
    ents = [entity(text, "Ukraine", "GPE")]
    found = claims(text, entities=ents, timexes=[timex])
    main = find(found, "Fifteen children have been returned to Ukraine")
    assert (main.subject, main.predicate, main.object, main.values) == (
        "children",
        "return",
        "Ukraine",
        ["15 children"],
    )
    assert main.places == ["Ukraine"]
    part = find(found, "including seven children in December")
    assert (part.values, part.dates, part.predicate) == (["7 children"], ["2025-12"], "return")


def test_accusation_is_hedged_and_attributed():
    text = "Ukraine has accused Russia of abducting at least 19,000 of its children."
    ents = [entity(text, "Ukraine", "GPE"), entity(text, "Russia", "GPE")]
    claim = next(c for c in claims(text, entities=ents) if c.predicate == "abduct")
    assert (claim.attributed_to, claim.subject, claim.object) == ("Ukraine", "Russia", "children")
    assert claim.hedged and not claim.negated
    assert claim.values == ["≥19000 children"]


def test_denial_is_negated_and_attributed_to_the_denier():
    text = "Russia has repeatedly denied abducting Ukrainian children, saying it acted to keep them safe."
    ents = [entity(text, "Russia", "GPE")]
    found = claims(text, entities=ents)
    denial = next(c for c in found if c.predicate == "abduct")
    assert (denial.attributed_to, denial.subject, denial.negated) == ("Russia", "Russia", True)
    assert "saying" not in denial.text
    acted = next(c for c in found if c.predicate == "act")
    assert (acted.attributed_to, acted.subject) == ("Russia", "Russia")


def test_outlet_claim_not_attributed_and_negation():
    found = claims("The minister did not resign. The army never attacked the town.")
    assert [(c.predicate, c.negated, c.attributed_to) for c in found] == [
        ("resign", True, None),
        ("attack", True, None),
    ]


def test_quote_speaker_and_first_person():
    text = '"I am working on it," she told reporters.'
    quote = Quote('"I am working on it,"', 0, 21, speaker="Melania Trump")
    claim = next(c for c in claims(text, quotes=[quote]) if c.predicate == "work")
    assert (claim.attributed_to, claim.subject) == ("Melania Trump", "Melania Trump")


def test_questions_assert_nothing():
    assert claims("Has President Putin agreed to release more children?") == []


def test_conjoined_predicates_split_and_modal_hedges():
    found = claims("The rebels may have seized the airport and closed the border.")
    assert [(c.predicate, c.hedged) for c in found] == [("seize", True), ("close", True)]
    assert found[1].subject == "rebels"


def test_key_is_normalised_and_order_independent():
    first = Claim("x", "t", 0, 1, subject="Melania Trump", predicate="remain in contact", entities=["B", "A"])
    second = Claim("y", "t", 0, 1, subject="melania trump", predicate="be in contact", entities=["A", "B"])
    assert claim_key(first) == claim_key(second) == "melania trump|be in contact||a,b"


def test_format_quantity():
    assert format_quantity(Quantity("x", 0, 1, 19000, "children", "at least")) == "≥19000 children"
    assert format_quantity(Quantity("x", 0, 1, 100, "drones", None, True, 999)) == "~100-999 drones"
    assert format_quantity(Quantity("x", 0, 1, None, "missiles", "record")) == "record missiles"


def test_ids_are_stable():
    text = "The army attacked the town."
    assert [c.id for c in claims(text)] == [c.id for c in claims(text)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "Russia",
                    "has",
                    "denied",
                    "accused",
                    "of",
                    "abducting",
                    "said",
                    "she",
                    "it",
                    "15",
                    "children",
                    "including",
                    "seven",
                    "not",
                    "and",
                    "returned",
                    ",",
                    ".",
                    "?",
                    '"',
                    "by",
                    "the",
                    "team",
                    "'s",
                ]
            ),
            st.text(max_size=6),
        ),
        max_size=30,
    )
)
def test_property_never_raises_and_offsets_hold(parts):
    text = " ".join(parts)
    words = [m for m in re.finditer(r"[A-Z][a-z]+", text)]
    ents = [Entity(m.group(), "GPE", m.start(), m.end()) for m in words[:3]]
    for claim in claims(text, entities=ents):
        assert text[claim.start : claim.end] == claim.text
        assert claim.text.strip() and claim.key is not None and len(claim.id) == 16
