"""quantities.v1 and the number parser: small hand-built sentences, the two samples, and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.model import Article, Quantity
from storyline.nlp.numbers import format_value, parse_digits, parse_words, vague_range
from storyline.nlp.quantities import quantities_stage
from storyline.registry import get_stage


def quantities(text: str) -> list[Quantity]:
    return quantities_stage(Article(id="t", origin="test", text=text)).quantities


def by_text(text: str) -> dict[str, Quantity]:
    return {q.text: q for q in quantities(text)}


def seed_article(seeds_dir, prefix: str) -> Article:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    body = path.read_text(encoding="utf-8").split("\n", 1)[1]
    return Article(id=prefix, origin=str(path), text=body)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["Fifteen"], 15),
        (["seven"], 7),
        (["twenty-five"], 25),
        (["one", "hundred", "and", "twenty"], 120),
        (["two", "hundred", "thousand"], 200_000),
        (["a", "dozen"], 12),
        (["1.2", "million"], 1_200_000),
        (["five", "seven"], None),
        (["first"], None),
    ],
)
def test_parse_words(words, value):
    assert parse_words(words) == value


def test_parse_digits_and_format():
    assert parse_digits("19,000") == 19000
    assert parse_digits("1.5") == 1.5
    assert parse_digits("19,00") is None
    assert parse_digits("2nd") is None
    assert format_value(19000.0) == "19000"
    assert format_value(1.5) == "1.5"


def test_vague_range_convention():
    assert vague_range(["hundreds"]) == (100, 999)
    assert vague_range(["tens", "of", "thousands"]) == (10_000, 99_999)
    assert vague_range(["lots"]) is None


def test_stage_is_registered():
    assert get_stage("quantities.v1").assigns == ("quantities",)


def test_counts_with_modifier_and_unit():
    found = by_text("Ukraine has accused Russia of abducting at least 19,000 of its children.")
    q = found["at least 19,000 of its children"]
    assert (q.value, q.unit, q.modifier, q.approximate) == (19000, "children", "at least", False)


def test_money_percent_scale_and_words():
    found = by_text(
        "The plan costs $40 billion, 35% more, and about 1.2 million people and fifteen children lost."
    )
    assert (found["$40 billion"].value, found["$40 billion"].unit) == (40e9, "USD")
    assert (found["35%"].value, found["35%"].unit) == (35, "percent")
    about = found["about 1.2 million people"]
    assert (about.value, about.unit, about.modifier, about.approximate) == (1.2e6, "people", "about", True)
    assert found["fifteen children"].value == 15


def test_vague_plurals_and_record():
    found = by_text("Russia attacked with hundreds of drones and a record number of ballistic missiles.")
    drones = found["hundreds of drones"]
    assert (drones.value, drones.value_max, drones.approximate, drones.unit) == (100, 999, True, "drones")
    record = found["a record number of ballistic missiles"]
    assert (record.value, record.modifier, record.unit) == (None, "record", "missiles")


def test_ranges():
    found = by_text("Between 10 and 20 drones hit, then 10-20 people fled, paid between $15 and $19 an hour.")
    assert (found["Between 10 and 20 drones"].value, found["Between 10 and 20 drones"].value_max) == (10, 20)
    assert found["10-20 people"].value_max == 20
    assert found["between $15 and $19"].unit == "USD"


def test_conjoined_numbers_share_the_unit():
    found = by_text("They ended up spending 51 and 484 days, respectively, in confinement.")
    assert (found["51"].unit, found["484 days"].unit) == ("days", "days")


def test_anaphoric_unit_takes_the_antecedent():
    found = by_text("In all, 15 children returned to Ukraine, including seven of them in December.")
    assert found["seven of them"].unit == "children"


@pytest.mark.parametrize(
    "text",
    [
        "It happened on February 4, 2026 in the 2022 invasion.",
        "Talks aimed at ending the four-year-old war resumed.",
        "He boarded Air Force One at 3:30 p.m.",
        "It was the first time; call 555-123-4567 now.",
        "No one came two weeks ago.",
        "John Smith, 45, said so.",
    ],
)
def test_not_quantities(text):
    assert quantities(text) == []


def test_seed_000(seeds_dir):
    found = {q.text: q for q in quantities_stage(seed_article(seeds_dir, "000")).quantities}
    assert found["Fifteen children"].value == 15
    assert (found["seven children"].value, found["seven children"].unit) == (7, "children")
    assert found["at least 19,000 of its children"].modifier == "at least"
    assert found["hundreds of drones"].approximate
    assert found["a record number of ballistic missiles"].value is None
    assert not any("four" in text for text in found)


def test_seed_003(seeds_dir):
    found = {q.text: q for q in quantities_stage(seed_article(seeds_dir, "003")).quantities}
    assert found["15 children"].value == 15
    assert (found["51"].value, found["51"].unit) == (51, "days")
    assert found["484 days"].value == 484
    assert found["seven of them"].unit == "children"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "at least",
                    "19,000",
                    "hundreds",
                    "of",
                    "a",
                    "record",
                    "number",
                    "$",
                    "%",
                    "-",
                    "and",
                    "between",
                    "children",
                    "Fifteen",
                    "1.2",
                    "million",
                    "them",
                    "2026",
                    ",",
                    ".",
                    "One",
                    "ago",
                ]
            ),
            st.text(max_size=8),
        ),
        max_size=30,
    )
)
def test_property_never_raises_and_offsets_hold(parts):
    text = " ".join(parts)
    for q in quantities(text):
        assert text[q.start : q.end] == q.text
        assert q.value is None or math.isfinite(q.value)
        assert q.value_max is None or (q.value is not None and q.value_max >= q.value)
