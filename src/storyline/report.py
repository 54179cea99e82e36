"""A story as one file: self-contained HTML (the story page, CSS and JS inlined) or Markdown for a chat.

``story_report(store, story_id, fmt="html")`` returns the text; the CLI writes it (`storyline report`).
"""

from __future__ import annotations

import re

from .errors import E301, OptionError
from .model import Article, Fact, Story
from .store import Store
from .web.pages import render_page
from .web.views import VERDICT_TITLES, VERDICTS, date_span, quote_rows, story_view

REPORT_FORMATS = ("html", "md")


def story_report(store: Store, story_id: str, *, fmt: str = "html") -> str:
    """The report of story ``story_id`` in ``fmt`` (``html`` or ``md``)."""
    if fmt not in REPORT_FORMATS:
        raise OptionError(E301.format(choices=", ".join(REPORT_FORMATS), value=fmt))
    story = store.get_story(story_id)
    articles = {a: store.get_article(a) for a in story.articles}
    return html_report(story, articles) if fmt == "html" else markdown_report(story, articles)


def html_report(story: Story, articles: dict[str, Article]) -> str:
    """The story page's content with no link, script or style fetched from anywhere."""
    return render_page("report.html", inline=True, view=story_view(story, articles), links=False)


def markdown_report(story: Story, articles: dict[str, Article]) -> str:
    names = {a.id: a.outlet for a in articles.values()}
    lines = [
        f"# {_md(story.title)}",
        "",
        f"{date_span(story)} · {len(story.articles)} articles · "
        f"{story.independent_sources} independent origins",
        f"Outlets: {_md('; '.join(story.outlets))}",
        "",
    ]
    lines += _timeline_lines(story, names)
    for status in VERDICTS:
        facts = [f for f in story.facts if f.status == status]
        if facts:
            lines += [f"## {VERDICT_TITLES[status]} ({len(facts)})", ""]
            lines += [line for fact in facts for line in _fact_lines(fact, names)]
    lines += _quote_lines(story, articles)
    return "\n".join(lines).rstrip() + "\n"


def _timeline_lines(story: Story, names: dict[str, str]) -> list[str]:
    if not story.timeline:
        return []
    lines = ["## Timeline", ""]
    for entry in story.timeline:
        outlets = "; ".join(dict.fromkeys(names.get(s.article, s.article) for s in entry.sources))
        lines.append(f"- **{entry.date}** {_md(entry.summary)} ({_md(outlets)})")
    return [*lines, ""]


def _fact_lines(fact: Fact, names: dict[str, str]) -> list[str]:
    lines = [f"- **{_md(fact.statement)}** ({fact.independent_sources} independent)"]
    lines += [f"  > {_md(names.get(s.article, s.article))}: “{_md(s.text)}”" for s in fact.sources]
    for conflict in fact.conflicts:
        variants = " vs ".join(
            f"“{_md(v.text)}” ({_md(names.get(v.article, v.article))})" for v in conflict.variants
        )
        lines.append(f"  - {conflict.kind} conflict: {variants}")
    return [*lines, ""]


def _quote_lines(story: Story, articles: dict[str, Article]) -> list[str]:
    """The direct quotes, each once, with who said it and which outlets carry it."""
    quotes = [q for q in quote_rows(story, articles) if q.kind == "direct"]
    if not quotes:
        return []
    lines = [f"- {_md(q.speaker)}: “{_md(q.text)}” ({_md('; '.join(q.outlets))})" for q in quotes]
    return ["## Quotes", "", *lines]


# Characters that would start Markdown (or chat) markup inside article text: escaped with a backslash.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def _md(text: str) -> str:
    """Article text as literal Markdown: no links, emphasis, HTML or headings sneak in; one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
