"""HTML for text with highlighted spans, built from offsets so that every piece of text is escaped.

Article text is untrusted input: markup is never built first and escaped after, and no user text is
ever marked safe. Each text slice goes through ``markupsafe.escape``; only the tags made here are
trusted.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..model import Article, Entity, Quantity, Quote, Timex

# A word keeps its inner apostrophes ("Putin's" is one word); other punctuation stands alone.
WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")


@dataclass(slots=True)
class Span:
    """A highlighted part of a text; ``children`` lie inside it (a quantity inside a quote)."""

    start: int
    end: int
    cls: str
    title: str | None = None
    tag: str = "span"
    children: list[Span] = field(default_factory=list)


def render_spans(text: str, spans: Sequence[Span], *, start: int = 0, end: int | None = None) -> Markup:
    """``text[start:end]`` as HTML with ``spans`` (sorted, non-overlapping, inside the range) wrapped."""
    end = len(text) if end is None else end
    pieces: list[Markup] = []
    cursor = start
    for span in sorted(spans, key=lambda s: s.start):
        pieces.append(escape(text[cursor : span.start]))
        inner = render_spans(text, span.children, start=span.start, end=span.end)
        pieces.append(_wrap(span, inner))
        cursor = span.end
    pieces.append(escape(text[cursor:end]))
    return Markup("").join(pieces)


def _wrap(span: Span, inner: Markup) -> Markup:
    if span.title:
        return Markup('<{0} class="{1}" title="{2}">{3}</{0}>').format(
            Markup(span.tag), span.cls, span.title, inner
        )
    return Markup('<{0} class="{1}">{2}</{0}>').format(Markup(span.tag), span.cls, inner)


def non_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Keep spans left to right, the longer first at one start, dropping any that overlaps a kept one."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if span.end > span.start and (not kept or span.start >= kept[-1].end):
            kept.append(span)
    return kept


def nest(outer: list[Span], inner: list[Span]) -> list[Span]:
    """Put each inner span into the outer span that contains it; inner spans crossing a border are dropped."""
    top: list[Span] = list(outer)
    for span in inner:
        home = next((o for o in outer if o.start <= span.start and span.end <= o.end), None)
        if home is not None:
            home.children.append(span)
        elif not any(o.start < span.end and span.start < o.end for o in outer):
            top.append(span)
    return sorted(top, key=lambda s: s.start)


def article_spans(article: Article) -> list[Span]:
    """Quotes around entities, quantities and time expressions, each titled with its normalised value."""
    quotes = non_overlapping(_quote_span(q) for q in article.quotes)
    inner = non_overlapping(
        [*(_timex_span(t) for t in article.timexes), *(_quantity_span(n) for n in article.quantities)]
        + [_entity_span(e) for e in article.entities]
    )
    return nest(quotes, inner)


def _quote_span(q: Quote) -> Span:
    title = f"{q.kind} quote · {q.speaker or 'unknown speaker'}" + (f" · {q.cue}" if q.cue else "")
    return Span(q.start, q.end, "ann quote", title)


def _timex_span(t: Timex) -> Span:
    title = f"{t.type} {t.value or '?'}" + (f" ({t.mod})" if t.mod else "")
    return Span(t.start, t.end, "ann timex", title)


def _quantity_span(n: Quantity) -> Span:
    return Span(n.start, n.end, "ann quantity", quantity_value(n))


def _entity_span(e: Entity) -> Span:
    return Span(e.start, e.end, f"ann entity ent-{e.label.lower()}", f"{e.label} · {e.canonical or e.text}")


def quantity_value(n: Quantity) -> str:
    """``at least 19000 children``, ``1000–9999 children (approximate)``."""
    value = "?" if n.value is None else f"{n.value:g}"
    if n.value_max is not None:
        value += f"–{n.value_max:g}"
    text = " ".join(w for w in (n.modifier, value, n.unit) if w)
    return text + (" (approximate)" if n.approximate else "")


def word_diff(a: str, b: str) -> tuple[list[Span], list[Span]]:
    """Spans of the words of ``a`` and of ``b`` that the other does not have (case-insensitive)."""
    words_a, words_b = list(WORD.finditer(a)), list(WORD.finditer(b))
    matcher = difflib.SequenceMatcher(
        a=[_key(w.group()) for w in words_a], b=[_key(w.group()) for w in words_b], autojunk=False
    )
    marks_a: list[Span] = []
    marks_b: list[Span] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if a2 > a1:
            marks_a.append(Span(words_a[a1].start(), words_a[a2 - 1].end(), "diff", tag="mark"))
        if b2 > b1:
            marks_b.append(Span(words_b[b1].start(), words_b[b2 - 1].end(), "diff", tag="mark"))
    return marks_a, marks_b


def _key(word: str) -> str:
    # Typography is not wording: "I’m" and "I'm" are the same word.
    return word.lower().replace("’", "'")


def diff_markup(a: str, b: str) -> tuple[Markup, Markup]:
    """``a`` and ``b`` as HTML with the words that differ in ``<mark>``."""
    marks_a, marks_b = word_diff(a, b)
    return render_spans(a, marks_a), render_spans(b, marks_b)


def shifted(spans: Iterable[Span], offset: int) -> list[Span]:
    return [
        Span(s.start + offset, s.end + offset, s.cls, s.title, s.tag, shifted(s.children, offset))
        for s in spans
    ]
