"""The timexes.v1 stage: recognition and TIMEX3 resolution against the publication date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import Article
from storyline.nlp.timex import find_timexes, timexes
from storyline.nlp.timex_resolve import VALUE_PATTERN
from storyline.registry import get_stage


def seed_article(seeds_dir: Path, prefix: str) -> Article:
    """A seed file as an Article: the header line's date is ``published``, its lead text stays in the body."""
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    header, body = path.read_text(encoding="utf-8").split("\n", 1)
    match = re.match(r"\s*date (\d{4}-\d{2}-\d{2})\s*(.*)", header)
    assert match is not None
    return Article(id=prefix, origin=path.name, text=f"{match[2]}\n{body}", published=match[1])


def values(article: Article) -> dict[str, list[tuple[str, str | None]]]:
    found: dict[str, list[tuple[str, str | None]]] = {}
    for timex in timexes(article).timexes:
        found.setdefault(timex.text.lower(), []).append((timex.type, timex.value))
    return found


def resolve(text: str, published: str | None = "2026-02-04") -> list[tuple[str, str, str | None, str | None]]:
    return [(t.text, t.type, t.value, t.mod) for t in find_timexes(text, published=published)]


def test_stage_is_registered():
    assert get_stage("timexes.v1").assigns == ("timexes",)


def test_seed_000(seeds_dir):
    found = values(seed_article(seeds_dir, "000"))
    assert ("DATE", "2026-02-04") in found["wednesday"]
    assert found["last august"] == [("DATE", "2025-08")]
    assert found["december"] == [("DATE", "2025-12")]
    assert found["february 2022"] == [("DATE", "2022-02")]
    assert found["earlier this week"] == [("DATE", "2026-W06")]
    assert found["four-year-old"] == [("DURATION", "P4Y")]


def test_seed_003(seeds_dir):
    found = values(seed_article(seeds_dir, "003"))
    assert found["wednesday"] == [("DATE", "2026-02-04")]
    assert found["january 2025"] == [("DATE", "2025-01")]
    assert found["august 2025"] == [("DATE", "2025-08")]
    assert found["december 2025"] == [("DATE", "2025-12")]
    assert found["51"] == [("DURATION", "P51D")]
    assert found["484 days"] == [("DURATION", "P484D")]
    assert ("DATE", "2022") in found["2022"]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("She spoke on Wednesday.", "2026-02-05", ("Wednesday", "DATE", "2026-02-04", None)),
        ("The vote will be held on Friday.", "2026-02-04", ("Friday", "DATE", "2026-02-06", None)),
        ("He will travel there in March.", "2026-02-04", ("March", "DATE", "2026-03", None)),
        ("It happened in March.", "2026-02-04", ("March", "DATE", "2025-03", None)),
        ("They met next Monday.", "2026-02-04", ("next Monday", "DATE", "2026-02-09", None)),
        ("Prices rose yesterday.", "2026-02-04", ("yesterday", "DATE", "2026-02-03", None)),
        ("Talks resume tomorrow.", "2026-02-04", ("tomorrow", "DATE", "2026-02-05", None)),
        ("Sales fell last year.", "2026-02-04", ("last year", "DATE", "2025", None)),
        ("Sales fell this year.", "2026-02-04", ("this year", "DATE", "2026", None)),
        ("It opens next month.", "2026-02-04", ("next month", "DATE", "2026-03", None)),
        ("It closed two weeks ago.", "2026-02-04", ("two weeks ago", "DATE", "2026-W04", None)),
        ("It began three years ago.", "2026-02-04", ("three years ago", "DATE", "2023", None)),
        ("Music of the 1990s.", "2026-02-04", ("the 1990s", "DATE", "199X", None)),
        ("It is now closed.", "2026-02-04", ("now", "DATE", "PRESENT_REF", None)),
        ("It was recently closed.", "2026-02-04", ("recently", "DATE", "PAST_REF", None)),
        ("They talked for two hours.", "2026-02-04", ("two hours", "DURATION", "PT2H", None)),
        ("They meet every week.", "2026-02-04", ("every week", "SET", "P1W", None)),
        ("A weekly meeting.", "2026-02-04", ("weekly", "SET", "P1W", None)),
        ("Filed on Feb. 4.", "2026-02-10", ("Feb. 4", "DATE", "2026-02-04", None)),
        ("Filed on 4 February 2026.", None, ("4 February 2026", "DATE", "2026-02-04", None)),
        ("Filed on 02/04/2026.", None, ("02/04/2026", "DATE", "2026-02-04", None)),
        ("Filed on 2026-02-04.", None, ("2026-02-04", "DATE", "2026-02-04", None)),
        ("In early February 2026 it rained.", None, ("early February 2026", "DATE", "2026-02", "START")),
        ("It took about three years.", None, ("about three years", "DURATION", "P3Y", "APPROX")),
        ("Profit fell in the third quarter.", "2026-11-04", ("the third quarter", "DATE", "2026-Q3", None)),
        ("Last summer was hot.", "2026-02-04", ("Last summer", "DATE", "2025-SU", None)),
        ("The four-year-old war goes on.", None, ("four-year-old", "DURATION", "P4Y", None)),
        ("Since 2022 it has grown.", None, ("2022", "DATE", "2022", None)),
    ],
)
def test_resolution(text, published, expected):
    assert expected in resolve(text, published)


def test_clock_time_takes_the_day_mentioned_in_its_sentence():
    found = resolve("The jet landed on Tuesday at 3 p.m. local time.", "2026-02-05")
    assert ("3 p.m.", "TIME", "2026-02-03T15:00", None) in found
    assert ("at noon", "TIME", "2026-02-05T12:00", None) not in resolve("They met at noon.", "2026-02-05")
    assert ("noon", "TIME", "2026-02-05T12:00", None) in resolve("They met at noon.", "2026-02-05")


def test_the_next_day_counts_from_the_last_date_mentioned():
    found = resolve("The storm hit on March 3, 2024. The next day, roads closed.", "2026-02-04")
    assert ("next day", "DATE", "2024-03-04", None) in [(t[0].removeprefix("The "), *t[1:]) for t in found]


def test_counts_are_not_years():
    assert resolve("The plant employs 2000 workers and paid $2008.") == []


def test_may_the_verb_is_not_a_month():
    assert resolve("Prices may rise. They rose in May.", "2026-02-04") == [("May", "DATE", "2025-05", None)]


def test_without_a_publication_date_relative_expressions_are_kept_without_value():
    found = resolve("He left yesterday and returns on Monday.", None)
    assert ("yesterday", "DATE", None, None) in found
    assert ("Monday", "DATE", "XXXX-WXX-1", None) in found


TIME_WORDS = st.sampled_from(
    [
        "on Wednesday",
        "last August",
        "in December",
        "February 2022",
        "earlier this week",
        "four-year-old",
        "51 and 484 days",
        "at 3 p.m.",
        "18:00 UTC",
        "the next day",
        "two weeks ago",
        "the 1990s",
        "Q3 2025",
        "the first half",
        "every Monday",
        "now",
        "recently",
        "soon",
        "May",
        "Feb. 30",
        "31/31/2026",
        "2026-13-45",
        "0 days",
        "the 0th century",
        "9999",
        "Christmas",
        "last night",
        "this weekend",
        "the end of the year",
        "mid-2011",
        "early 2026",
        "3,000 years ago",
        "the '90s",
        "2.5 hours",
        "",
    ]
)
DATES = st.one_of(
    st.none(),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", "garbage", "2026-02-04T15:00:00Z", "0001-01-01", "9999-12-31"]),
)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(TIME_WORDS, st.text(max_size=12)), max_size=8), published=DATES)
def test_never_raises_and_offsets_and_values_are_valid(parts, published):
    text = " ".join(parts)
    article = timexes(Article(id="x", origin="x", text=text, published=published))
    for timex in article.timexes:
        assert text[timex.start : timex.end] == timex.text
        assert timex.type in {"DATE", "TIME", "DURATION", "SET"}
        assert timex.value is None or VALUE_PATTERN.fullmatch(timex.value), timex


def test_centuries_ago_resolves_instead_of_crashing() -> None:
    # Found on allsides text: the plural "centuries" once raised KeyError('centurie').
    found = find_timexes(
        "It was settled two centuries ago, and a few centuries ago too.", published="2020-01-01"
    )
    assert [(t.text, t.value) for t in found] == [
        ("two centuries ago", "18"),
        ("a few centuries ago", "PAST_REF"),
    ]
