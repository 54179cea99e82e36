"""The timeline: facts placed by event dates, merged across articles, traceable to sentences."""

from __future__ import annotations

from storyline.model import Article, Claim, Embed, Fact, FactSource
from storyline.stories.timeline import build_timeline, event_dates, precision


def claim(cid: str, text: str, start: int, *, dates: list[str], entities: list[str], by: str | None = None):
    return Claim(
        id=cid,
        text=text,
        start=start,
        end=start + len(text),
        dates=dates,
        entities=entities,
        attributed_to=by,
    )


def article(aid: str, text: str, claims: list[Claim], embeds: list[Embed] | None = None) -> Article:
    return Article(id=aid, origin=aid, text=text, published="2026-02-04", claims=claims, embeds=embeds or [])


def test_precision_of_values() -> None:
    assert [precision(v) for v in ("2026", "2025-08", "2026-W06", "2026-02-04", "2025-Q3", "2025-SU")] == [
        "year",
        "month",
        "week",
        "day",
        "quarter",
        "season",
    ]


def test_event_dates_keep_the_finest_and_drop_references() -> None:
    assert event_dates(["2022", "2022-02", "PRESENT_REF", "P4Y", "2025-12"]) == ["2022-02", "2025-12"]


def test_one_entry_per_fact_across_articles_with_all_supporting_sentences() -> None:
    text_a = "Seven children were returned in December."
    text_b = "Seven of them were sent home in December 2025."
    a = article("a", text_a, [claim("ca", text_a, 0, dates=["2025-12"], entities=["children"])])
    b = article("b", text_b, [claim("cb", text_b, 0, dates=["2025-12"], entities=["children"])])
    fact = Fact(
        id="f1",
        statement="seven children returned in December",
        status="corroborated",
        independent_sources=2,
        sources=[
            FactSource("a", 0, len(text_a), text_a, claim="ca"),
            FactSource("b", 0, len(text_b), text_b, claim="cb"),
        ],
    )
    timeline = build_timeline([a, b], [fact])
    assert len(timeline) == 1
    entry = timeline[0]
    assert (entry.date, entry.precision, entry.facts, entry.status) == (
        "2025-12",
        "month",
        ["f1"],
        "corroborated",
    )
    assert {s.article for s in entry.sources} == {"a", "b"}
    assert all(s.text == {"a": text_a, "b": text_b}[s.article][s.start : s.end] for s in entry.sources)


def test_entries_are_in_event_order_not_publication_order() -> None:
    text = "It invaded in February 2022. The letter was delivered last August. Talks on Wednesday."
    claims = [
        claim("c3", "Talks on Wednesday.", 67, dates=["2026-02-04"], entities=["talks"]),
        claim("c2", "The letter was delivered last August.", 29, dates=["2025-08"], entities=["letter"]),
        claim("c1", "It invaded in February 2022.", 0, dates=["2022-02"], entities=["Russia"], by="Ukraine"),
    ]
    timeline = build_timeline([article("a", text, claims)], [])
    assert [e.date for e in timeline] == ["2022-02", "2025-08", "2026-02-04"]
    assert timeline[0].attributed_to == "Ukraine" and "according to Ukraine" in timeline[0].summary


def test_embedded_post_dates_its_own_events_against_the_post_date() -> None:
    post = Embed(
        platform="twitter",
        text="Her sit-down with Aviva Siegel in January 2025 led to this.",
        date="2026-02-04",
    )
    timeline = build_timeline([article("a", "Body.", [], embeds=[post])], [])
    assert [(e.date, e.sources[0].embed) for e in timeline] == [("2025-01", 0)]


def test_same_date_claims_sharing_actors_merge() -> None:
    text = "Officials met on Wednesday. The officials held talks on Wednesday."
    claims = [
        claim(
            "c1",
            "Officials met on Wednesday.",
            0,
            dates=["2026-02-04"],
            entities=["Russian officials", "Ukraine"],
        ),
        claim(
            "c2",
            "The officials held talks on Wednesday.",
            28,
            dates=["2026-02-04"],
            entities=["Russian officials"],
        ),
    ]
    timeline = build_timeline([article("a", text, claims)], [])
    assert len(timeline) == 1 and len(timeline[0].sources) == 2
