"""A story's timeline: its facts placed by their *event* dates, at the precision each date is known.

An entry's date is a TIMEX3 value (``2025-08`` a month, ``2026-W06`` a week, ``2026-02-04`` a day)
carried by the claims behind a fact, not the articles' publication dates. Claims of different
articles aligned into one fact give one entry (told at the finest of their dates, when they nest);
claims of one date that share their actors merge.
Embedded posts are dated too: a post saying "in January 2025" puts that event on the timeline,
resolved against the post's own date. Every entry keeps the sentences (spans) that support it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import Article, Claim, Fact, FactSource, TimelineEntry, TimelineSource
from ..nlp.timex import find_timexes
from .features import value_interval

# How many characters of a supporting sentence make an entry's summary.
SUMMARY_CHARS = 160
# Share of actors two same-date claims must share to be told as one event.
MERGE_OVERLAP = 0.5


@dataclass(slots=True)
class _Event:
    date: str
    sources: list[TimelineSource]
    facts: list[str] = field(default_factory=list)
    actors: set[str] = field(default_factory=set)
    attributed_to: str | None = None
    status: str | None = None


def build_timeline(articles: Sequence[Article], facts: Sequence[Fact]) -> list[TimelineEntry]:
    """Timeline entries of one story, earliest first."""
    claims = {(a.id, c.id): c for a in articles for c in a.claims}
    events = list(_fact_events(facts, claims))
    covered = {key for fact in facts for key in _claim_keys(fact)}
    events += [e for a in articles for e in _claim_events(a, covered)]
    events += [e for a in articles for e in _embed_events(a)]
    return [_entry(event) for event in sorted(_merge(events), key=_order)]


def precision(value: str) -> str:
    """``day``, ``week``, ``month``, ``season``, ``quarter`` or ``year`` of a TIMEX3 date value."""
    if "-W" in value:
        return "week"
    if "-Q" in value:
        return "quarter"
    if value[-2:] in ("SP", "SU", "FA", "WI"):
        return "season"
    return {4: "year", 7: "month"}.get(len(value), "day")


def event_dates(dates: Iterable[str]) -> list[str]:
    """The values that name a specific period, most precise first, without ones that contain another."""
    usable = sorted({d for d in dates if value_interval(d)}, key=_width)
    kept: list[str] = []
    for value in usable:
        if not any(_contains(value, finer) for finer in kept):
            kept.append(value)
    return kept


def _fact_events(facts: Sequence[Fact], claims: dict[tuple[str, str], Claim]) -> Iterable[_Event]:
    for fact in facts:
        backing = [claims[key] for key in _claim_keys(fact) if key in claims]
        for date in event_dates(d for claim in backing for d in claim.dates):
            sources = [_fact_source(s) for s in fact.sources]
            yield _Event(
                date,
                sources,
                facts=[fact.id],
                actors=_actors(backing),
                attributed_to=_attribution(backing),
                status=fact.status,
            )


def _claim_events(article: Article, covered: set[tuple[str, str]]) -> Iterable[_Event]:
    for claim in article.claims:
        if (article.id, claim.id) in covered:
            continue
        for date in event_dates(claim.dates):
            source = TimelineSource(article.id, claim.start, claim.end, claim.text)
            yield _Event(date, [source], actors=_actors([claim]), attributed_to=claim.attributed_to)


def _embed_events(article: Article) -> Iterable[_Event]:
    """Events an embedded post dates itself ("in January 2025"), other than the post's own day."""
    for index, embed in enumerate(article.embeds):
        found = find_timexes(embed.text, published=embed.date)
        for date in event_dates(t.value for t in found if t.type == "DATE" and t.value):
            if embed.date and _contains(date, embed.date):
                continue
            source = TimelineSource(article.id, 0, len(embed.text), embed.text, embed=index)
            author = embed.author or (f"@{embed.handle}" if embed.handle else None)
            yield _Event(date, [source], attributed_to=author)


def _merge(events: list[_Event]) -> list[_Event]:
    merged: list[_Event] = []
    for event in events:
        same = next((m for m in merged if _same_event(m, event)), None)
        if same is None:
            merged.append(event)
            continue
        if _width(event.date) < _width(same.date):  # told at the finer of the two dates
            same.date = event.date
        same.sources += [s for s in event.sources if s not in same.sources]
        same.facts += [f for f in event.facts if f not in same.facts]
        same.actors |= event.actors
    return merged


def _same_event(first: _Event, second: _Event) -> bool:
    """One event: a shared fact at the same or nested dates ("2025" holds "2025-08"), or the same
    date and shared actors (a week holding a day is not enough: "earlier this week" is another event)."""
    if set(first.facts) & set(second.facts):
        return _contains(first.date, second.date) or _contains(second.date, first.date)
    if first.date != second.date:
        return False
    smaller = min(len(first.actors), len(second.actors))
    return smaller > 0 and len(first.actors & second.actors) / smaller >= MERGE_OVERLAP


def _entry(event: _Event) -> TimelineEntry:
    summary = _summary(event.sources[0].text)
    if event.attributed_to:
        summary += f" (according to {event.attributed_to})"
    return TimelineEntry(
        date=event.date,
        precision=precision(event.date),
        summary=summary,
        facts=event.facts,
        sources=event.sources,
        attributed_to=event.attributed_to,
        status=event.status,
    )


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _order(event: _Event) -> tuple[int, int, str]:
    start, end = value_interval(event.date) or (0, 0)
    return start, -(end - start), event.date


def _width(value: str) -> int:
    start, end = value_interval(value) or (0, 10**9)
    return end - start


def _contains(outer: str, inner: str) -> bool:
    first, second = value_interval(outer), value_interval(inner)
    return bool(first and second and first[0] <= second[0] and second[1] <= first[1])


def _claim_keys(fact: Fact) -> list[tuple[str, str]]:
    return [(s.article, s.claim) for s in fact.sources if s.claim]


def _fact_source(source: FactSource) -> TimelineSource:
    return TimelineSource(source.article, source.start, source.end, source.text)


def _actors(claims: Iterable[Claim]) -> set[str]:
    return {e.casefold() for claim in claims for e in claim.entities}


def _attribution(claims: Sequence[Claim]) -> str | None:
    speakers = {c.attributed_to for c in claims if c.attributed_to}
    return speakers.pop() if len(speakers) == 1 else None
