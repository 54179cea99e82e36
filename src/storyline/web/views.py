"""View models: what the story list, story page, article page and report show, as plain data.

The web pages and the report render the same view models with the same templates; HTML pieces
here are built by ``highlight`` (escaped from offsets), everything else is autoescaped by Jinja.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markupsafe import Markup

from ..model import Article, Conflict, Embed, Fact, FactSource, Refinement, Story, TimelineEntry
from ..store import Store
from .highlight import Span, article_spans, diff_markup, render_spans, shifted, word_diff
from .timeline import Axis, build_axis

VERDICTS = ("conflicting", "corroborated", "single_source")
VERDICT_TITLES = {
    "conflicting": "Conflicting",
    "corroborated": "Corroborated",
    "single_source": "Single source",
}


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: never a ``javascript:`` or ``data:`` link."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def date_span(story: Story) -> str:
    return span_of(story.first_published, story.last_published)


def span_of(first: str | None, last: str | None) -> str:
    """The dates as "first – last", one date when both are the same, else "undated"."""
    dates = dict.fromkeys(d for d in (first, last) if d)
    return " – ".join(dates) or "undated"


@dataclass(slots=True)
class StoryRow:
    id: str
    title: str
    dates: str
    outlets: list[str]
    articles: int
    counts: dict[str, int]


@dataclass(slots=True)
class ArticleRow:
    id: str
    title: str
    outlet: str
    published: str
    wire: str | None
    origin_group: str
    copies: list[str]  # outlets of the other articles of the same origin group
    url: str | None


@dataclass(slots=True)
class SourceView:
    outlet: str
    article: str
    html: Markup
    kind: str


@dataclass(slots=True)
class DifferenceView:
    kind: str
    rule: str
    variants: list[tuple[str, Markup]]  # (outlet, variant text with the differing words marked)
    words: list[str]


@dataclass(slots=True)
class FactView:
    id: str
    statement: str
    status: str
    independent_sources: int
    rule: str
    sources: list[SourceView]
    conflicts: list[DifferenceView]
    refinements: list[DifferenceView]


@dataclass(slots=True)
class QuoteView:
    speaker: str
    text: str
    kind: str
    outlets: list[str]


@dataclass(slots=True)
class EntityView:
    name: str
    label: str
    mentions: int
    outlets: int


@dataclass(slots=True)
class TimelineItem:
    anchor: str
    date: str
    precision: str
    summary: str
    attributed_to: str | None
    status: str | None
    outlets: list[str]


@dataclass(slots=True)
class StoryView:
    id: str
    title: str
    dates: str
    outlets: list[str]
    independent_sources: int
    counts: dict[str, int]
    axis: Axis
    timeline: list[TimelineItem]
    verdicts: list[tuple[str, str, list[FactView]]]  # (status, title, facts)
    quotes: list[QuoteView]
    entities: list[EntityView]
    articles: list[ArticleRow]
    others: list[StoryRow] = field(default_factory=list)  # stories it could be merged with


def story_view(story: Story, articles: dict[str, Article]) -> StoryView:
    names = {a.id: a.outlet for a in articles.values()}
    facts = [_fact_view(f, names, articles) for f in story.facts]
    return StoryView(
        id=story.id,
        title=story.title,
        dates=date_span(story),
        outlets=story.outlets,
        independent_sources=story.independent_sources,
        counts=story.counts(),
        axis=build_axis(story.timeline),
        timeline=[_timeline_item(n, e, names) for n, e in enumerate(story.timeline)],
        verdicts=[(v, VERDICT_TITLES[v], [f for f in facts if f.status == v]) for v in VERDICTS],
        quotes=quote_rows(story, articles),
        entities=_entities(articles.values()),
        articles=_article_rows(story, articles),
    )


def load_story_view(store: Store, story_id: str) -> StoryView:
    story = store.get_story(story_id)
    return story_view(story, {a: store.get_article(a) for a in story.articles})


def _timeline_item(n: int, entry: TimelineEntry, names: dict[str, str]) -> TimelineItem:
    outlets = list(dict.fromkeys(names.get(s.article, s.article) for s in entry.sources))
    return TimelineItem(
        f"t{n}", entry.date, entry.precision, entry.summary, entry.attributed_to, entry.status, outlets
    )


def _fact_view(fact: Fact, names: dict[str, str], articles: dict[str, Article]) -> FactView:
    differences: list[Conflict | Refinement] = [*fact.conflicts, *fact.refinements]
    return FactView(
        id=fact.id,
        statement=fact.statement,
        status=fact.status,
        independent_sources=fact.independent_sources,
        rule=fact.rule,
        sources=[_source_view(s, differences, names) for s in fact.sources],
        conflicts=[_difference_view(c, names) for c in fact.conflicts],
        refinements=[_difference_view(r, names) for r in fact.refinements],
    )


def _source_view(
    source: FactSource, differences: list[Conflict | Refinement], names: dict[str, str]
) -> SourceView:
    """The source sentence with each of its article's variants outlined and their differing words marked."""
    spans: list[Span] = []
    for difference in differences:
        spans += _variant_spans(source, difference)
    kept = _first_non_overlapping(spans)
    html = render_spans(source.text, kept)
    return SourceView(names.get(source.article, source.article), source.article, html, source.kind)


def _variant_spans(source: FactSource, difference: Conflict | Refinement) -> list[Span]:
    cls = "variant conflict" if isinstance(difference, Conflict) else "variant refinement"
    variants = difference.variants
    spans = []
    for n, variant in enumerate(variants):
        where = source.text.find(variant.text) if variant.article == source.article and variant.text else -1
        if where < 0 or len(variants) < 2:
            continue
        other = variants[1 if n == 0 else 0]
        marks, _ = word_diff(variant.text, other.text)
        title = f"{difference.kind}: differs from {other.text!r}"
        spans.append(Span(where, where + len(variant.text), cls, title, children=shifted(marks, where)))
    return spans


def _first_non_overlapping(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in spans:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return kept


def _difference_view(difference: Conflict | Refinement, names: dict[str, str]) -> DifferenceView:
    texts = [v.text for v in difference.variants]
    marked = [_diff_against_others(n, texts) for n in range(len(texts))]
    outlets = [names.get(v.article, v.article) for v in difference.variants]
    return DifferenceView(
        difference.kind, difference.rule, list(zip(outlets, marked, strict=True)), difference.words
    )


def _diff_against_others(n: int, texts: list[str]) -> Markup:
    """Variant ``n`` with the words marked that the first other variant does not have."""
    if len(texts) < 2:
        return render_spans(texts[n], [])
    other = texts[1 if n == 0 else 0]
    return diff_markup(texts[n], other)[0]


_QUOTE_KEY = re.compile(r"[\W_]+")


def quote_rows(story: Story, articles: dict[str, Article]) -> list[QuoteView]:
    """Each quote once, with the outlets carrying it.

    Quotes the comparison matched (a quote fact: the same words, maybe one version fuller) are one
    row worded as the fact; the others are keyed by speaker and words up to punctuation and case.
    """
    matched = _quote_facts(story)
    grouped: dict[tuple[str, str], QuoteView] = {}
    for article_id in story.articles:
        article = articles[article_id]
        for quote in article.quotes:
            fact = next(
                (
                    f
                    for (a, s, e), f in matched.items()
                    if a == article_id and s < quote.end and quote.start < e
                ),
                None,
            )
            key = (
                ("fact", fact.id)
                if fact
                else (quote.speaker or "", _QUOTE_KEY.sub(" ", quote.text.lower()).strip())
            )
            text = fact.statement if fact else quote.text
            view = grouped.setdefault(
                key, QuoteView(quote.speaker or "unknown speaker", text, quote.kind, [])
            )
            if article.outlet not in view.outlets:
                view.outlets.append(article.outlet)
    return sorted(grouped.values(), key=lambda q: (-len(q.outlets), q.speaker))


def _quote_facts(story: Story) -> dict[tuple[str, int, int], Fact]:
    """The quote facts by each of their sources' (article, start, end)."""
    return {(s.article, s.start, s.end): f for f in story.facts if f.kind == "quote" for s in f.sources}


def _entities(articles: Iterable[Article], *, limit: int = 40) -> list[EntityView]:
    mentions: Counter[tuple[str, str]] = Counter()
    outlets: dict[tuple[str, str], set[str]] = {}
    for article in articles:
        for entity in article.entities:
            key = (entity.canonical or entity.text, entity.label)
            mentions[key] += 1
            outlets.setdefault(key, set()).add(article.outlet)
    return [
        EntityView(name, label, count, len(outlets[name, label]))
        for (name, label), count in mentions.most_common(limit)
    ]


def _article_rows(story: Story, articles: dict[str, Article]) -> list[ArticleRow]:
    rows = []
    for article_id in story.articles:
        article = articles[article_id]
        group = story.origins.get(article_id, article_id)
        copies = [
            articles[a].outlet
            for a, g in story.origins.items()
            if g == group and a != article_id and a in articles
        ]
        rows.append(
            ArticleRow(
                article.id,
                article.title or article.text[:80],
                article.outlet,
                article.published or "undated",
                article.wire,
                group,
                copies,
                safe_url(article.url),
            )
        )
    return rows


@dataclass(slots=True)
class EmbedView:
    n: int
    platform: str
    author: str
    date: str | None
    text: str
    url: str | None  # a link only when http(s)
    raw_url: str | None  # the URL as given, shown as text
    anchor: int


@dataclass(slots=True)
class ArticleView:
    id: str
    title: str
    outlet: str
    fields: list[tuple[str, str]]
    url: str | None
    html: Markup
    embeds: list[EmbedView]
    legend: list[tuple[str, str, int]]  # (css class, name, count)
    raw_hash: str | None


def article_view(article: Article) -> ArticleView:
    return ArticleView(
        id=article.id,
        title=article.title or article.text[:80],
        outlet=article.outlet,
        fields=_article_fields(article),
        url=safe_url(article.url),
        html=render_spans(article.text, article_spans(article)),
        embeds=[_embed_view(n, e) for n, e in enumerate(article.embeds)],
        legend=[
            ("entity", "entities", len(article.entities)),
            ("quote", "quotes", len(article.quotes)),
            ("quantity", "quantities", len(article.quantities)),
            ("timex", "time expressions", len(article.timexes)),
        ],
        raw_hash=article.raw_hash,
    )


def _article_fields(article: Article) -> list[tuple[str, str]]:
    dateline = article.dateline
    rows = [
        ("published", article.published or "unknown"),
        ("source", article.source or ""),
        ("wire", article.wire or ""),
        ("byline", ", ".join(article.byline)),
        ("dateline", f"{dateline.place}{', ' + dateline.date if dateline.date else ''}" if dateline else ""),
        ("url", article.url or ""),
        ("origin", article.origin),
        ("revision", str(article.revision)),
        ("words", str(article.word_count)),
    ]
    return [(name, value) for name, value in rows if value]


def _embed_view(n: int, embed: Embed) -> EmbedView:
    author = (embed.author or "") + (f" (@{embed.handle})" if embed.handle else "")
    return EmbedView(
        n,
        embed.platform,
        author.strip(),
        embed.date,
        embed.text,
        safe_url(embed.url),
        embed.url,
        embed.anchor,
    )
