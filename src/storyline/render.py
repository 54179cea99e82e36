"""Terminal renderings (rich renderables) of articles; cli.py prints them."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .model import Article, Fact, Story

# One style per annotation kind, applied over the article text.
STYLES = {
    "entities": "bold cyan",
    "quotes": "italic green",
    "quantities": "bold yellow",
    "timexes": "bold magenta",
}


def render_article(article: Article) -> RenderableType:
    parts: list[RenderableType] = [_header(article), Text(""), _annotated_text(article)]
    if article.embeds:
        parts += [Text(""), _embeds(article)]
    for table in _annotation_tables(article):
        parts += [Text(""), table]
    parts.append(Text("─" * 60, style="dim"))
    return Group(*parts)


def _header(article: Article) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim")
    table.add_column()
    rows = [
        ("id", f"{article.id} (revision {article.revision})"),
        ("title", article.title),
        ("published", article.published or "unknown"),
        ("source", article.source),
        ("wire", article.wire),
        ("byline", ", ".join(article.byline)),
        ("dateline", _dateline(article)),
        ("credits", "; ".join(f"{k}: {', '.join(v)}" for k, v in article.credits.items())),
        ("url", article.url),
        ("origin", article.origin),
        ("words", str(article.word_count)),
    ]
    for name, value in rows:
        if value:
            table.add_row(name, Text(value))
    return table


def _dateline(article: Article) -> str | None:
    if article.dateline is None:
        return None
    date = f", {article.dateline.date}" if article.dateline.date else ""
    return f"{article.dateline.place}{date}"


def _annotated_text(article: Article) -> Text:
    text = Text(article.text)
    for kind, style in STYLES.items():
        for ann in getattr(article, kind):
            text.stylize(style, ann.start, ann.end)
    return text


def _embeds(article: Article) -> Table:
    table = Table("platform", "author", "date", "text", "url", title="embedded posts", title_justify="left")
    for embed in article.embeds:
        author = embed.author or ""
        if embed.handle:
            author += f" (@{embed.handle})"
        table.add_row(embed.platform, author, embed.date or "", embed.text, embed.url or "")
    return table


def _annotation_tables(article: Article) -> list[Table]:
    tables = []
    if article.quotes:
        table = Table("kind", "speaker", "cue", "quote", title="quotes", title_justify="left")
        for q in article.quotes:
            speaker = q.speaker or "?"
            if q.speaker_text and q.speaker_text != q.speaker:
                speaker += f" ({q.speaker_text})"
            table.add_row(q.kind, speaker, q.cue or "", q.text)
        tables.append(table)
    if article.timexes:
        table = Table("text", "type", "value", title="time expressions", title_justify="left")
        for t in article.timexes:
            table.add_row(t.text, t.type, t.value or "?")
        tables.append(table)
    if article.quantities:
        table = Table("text", "value", "unit", "modifier", title="quantities", title_justify="left")
        for n in article.quantities:
            value = "?" if n.value is None else f"{n.value:g}"
            if n.value_max is not None:
                value += f"–{n.value_max:g}"
            table.add_row(n.text, value, n.unit or "", n.modifier or "")
        tables.append(table)
    if article.entities:
        table = Table("canonical", "label", "mentions", title="entities", title_justify="left")
        for (canonical, label), mentions in _group_entities(article).items():
            table.add_row(canonical, label, ", ".join(sorted(mentions)))
        tables.append(table)
    if article.claims:
        table = Table("asserted by", "claim", title="claims", title_justify="left")
        for c in article.claims:
            table.add_row(c.attributed_to or "(the outlet)", c.text)
        tables.append(table)
    return tables


def _group_entities(article: Article) -> dict[tuple[str, str], set[str]]:
    groups: dict[tuple[str, str], set[str]] = {}
    for e in article.entities:
        groups.setdefault((e.canonical or e.text, e.label), set()).add(e.text)
    return groups


STATUS_STYLES = {"corroborated": "green", "single_source": "yellow", "conflicting": "bold red"}


def render_stories(stories: list[Story]) -> Table:
    table = Table(box=None)
    table.add_column("id", no_wrap=True)
    table.add_column("title", no_wrap=True, max_width=50)
    table.add_column("dates", no_wrap=True)
    table.add_column("articles", justify="right", no_wrap=True)
    table.add_column("outlets", min_width=20, max_width=36)
    for name in ("corroborated", "single-source", "conflicting"):
        table.add_column(name, justify="right", no_wrap=True)
    for story in stories:
        counts = story.counts()
        dates = "…".join(dict.fromkeys(d for d in (story.first_published, story.last_published) if d))
        table.add_row(
            story.id,
            story.title,
            dates or "?",
            str(len(story.articles)),
            "; ".join(story.outlets),
            str(counts["corroborated"]),
            str(counts["single_source"]),
            str(counts["conflicting"]),
        )
    return table


def render_story(story: Story, articles: dict[str, Article]) -> RenderableType:
    """The comparison (facts by verdict, each with its sources) and the timeline of one story."""
    names = {a.id: _outlet(a) for a in articles.values()}
    parts: list[RenderableType] = [
        Text(story.title, style="bold"),
        Text(
            f"{story.id} · {len(story.articles)} articles · {story.independent_sources} independent origins"
        ),
        _story_articles(story, articles),
        Text(""),
        _timeline(story, names),
    ]
    for status in ("conflicting", "corroborated", "single_source"):
        facts = [f for f in story.facts if f.status == status]
        if facts:
            parts += [Text(""), _facts_table(status, facts, names)]
    return Group(*parts)


def _outlet(article: Article) -> str:
    name = article.outlet
    return f"{name} (via {article.wire})" if article.wire and article.wire != name else name


def _story_articles(story: Story, articles: dict[str, Article]) -> Table:
    table = Table("article", "published", "outlet", "origin group", title="articles", title_justify="left")
    for article_id in story.articles:
        article = articles[article_id]
        table.add_row(
            article_id, article.published or "?", _outlet(article), story.origins.get(article_id, "")
        )
    return table


def _timeline(story: Story, names: dict[str, str]) -> Table:
    table = Table("date", "event", "sources", title="timeline", title_justify="left")
    for entry in story.timeline:
        sources = ", ".join(dict.fromkeys(names.get(s.article, s.article) for s in entry.sources))
        table.add_row(entry.date, entry.summary, sources)
    return table


def _facts_table(status: str, facts: list[Fact], names: dict[str, str]) -> Table:
    title = f"{status.replace('_', '-')} ({len(facts)})"
    table = Table(
        "fact", "sources", "why", title=title, title_justify="left", title_style=STATUS_STYLES[status]
    )
    for fact in facts:
        sources = Text()
        for source in fact.sources:
            sources.append(f"{names.get(source.article, source.article)}: ", style="dim")
            sources.append(f"{source.text}\n")
        why = [fact.rule]
        why += [f"{c.kind}: " + " vs ".join(f"“{v.text}”" for v in c.variants) for c in fact.conflicts]
        why += [f"refinement ({r.kind}): +{' '.join(r.words)}" for r in fact.refinements if r.words]
        table.add_row(fact.statement, sources, "\n".join(w for w in why if w))
    return table
