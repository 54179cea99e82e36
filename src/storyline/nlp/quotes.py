"""The ``quotes.v1`` stage: direct quotes, reported speech and questions, each with its speaker.

What it finds (offsets into ``article.text``; ``Quote.text == article.text[start:end]``):

* ``direct`` — text inside quote marks (see :mod:`.quote_marks`), including a quote split around
  its cue ("“…,” she said. “…”": both parts, same speaker and cue), a quote carried over a
  paragraph break, and short attributed fragments ("said they had “productive” talks"). An
  unattributed fragment (a title, a scare quote nobody is said to have said) is not a quote.
* ``indirect`` — the reported clause of "X said (that) …", "according to X", "X accused Y of …",
  "X denied …", "…, saying …" (see :mod:`.reported`). The span is the content, the cue the verb.
* ``question`` — a quoted question (cue "asked"/"wondered", or every sentence ends in "?"), an
  indirect "asked whether/if …", and "Q: …" lines of transcripts.

Speakers: ``speaker_text`` is the phrase in the text (a name, pronoun or description);
``speaker`` its canonical name from the entities stage, None for a description with no name,
and ``"reporter"`` for a reporter asking. A quote with no cue of its own that continues a
speaker's quotes (the next sentence in the paragraph, or a whole paragraph of quote after a
paragraph that ended with that speaker's quote) takes that speaker; a continuation inside the
paragraph also shares the speaker and cue offsets, one across paragraphs only the name.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Article, Quote
from ..registry import stage
from .pipeline import get_doc
from .quote_marks import MarkedQuote, find_marked_quotes
from .reported import find_reported
from .speakers import SpeakerResolver, attribute_direct, speaker_from_label
from .speech import ASK_VERBS, REPORTER, Attribution

if TYPE_CHECKING:
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)

# A reported clause mostly made of direct quotes is that direct quote, not a second record.
COVERED_BY_DIRECT = 0.6
# An unattributed quote is kept only if it reads as speech: at least this many words.
MIN_UNATTRIBUTED_WORDS = 4
# A quoted fragment this short in Title Case is a title ("Fox News Sunday"), not speech.
MAX_TITLE_WORDS = 6
# "Q: …" / "MELANIA TRUMP: …" transcript turns (labels in capitals, at a line or sentence start).
TRANSCRIPT_LABEL = re.compile(r"(?:^|(?<=[.?!] ))(Q|A|[A-Z][A-Z.'’\- ]{1,40}[A-Z]): (?=\S)", re.MULTILINE)
# Where a transcript turn ends besides the next label: a line end, a link, an embed credit dash.
TURN_END = re.compile(r"\n| pic\.twitter\.com| https?://| — ")


@dataclass(slots=True)
class _Found:
    """A quote before its speaker is named: content span, kind and attribution."""

    start: int
    end: int
    kind: str
    who: Attribution | None = None
    paragraph: int = 0
    label: str | None = None  # the "Q"/"NAME" of a transcript turn
    continues: bool = False  # opens a paragraph with no cue: takes the latest speaker's name
    direct: bool = True


@stage("quotes.v1", requires=("entities",), assigns=("quotes",))
def quotes_stage(article: Article) -> Article:
    """Fill ``article.quotes`` (sorted by start; direct quotes never overlap each other)."""
    doc = get_doc(article)
    found = _direct_quotes(article.text, doc)
    inside = [(f.start, f.end) for f in found]
    found += _reported_quotes(doc, inside)
    found.sort(key=lambda f: (f.start, f.end))
    article.quotes = _records(article, doc, found)
    logger.debug("article %s: %d quotes", article.id, len(article.quotes))
    return article


# --- direct quotes -------------------------------------------------------------------------------


def _direct_quotes(text: str, doc: Doc) -> list[_Found]:
    marks = find_marked_quotes(text)
    inside = [(m.start, m.end) for m in marks]
    paragraph = _paragraph_index(text)
    found = [
        _Found(m.start, m.end, "direct", attribute_direct(doc, m, inside), paragraph(m.start)) for m in marks
    ]
    for mark, (label_start, label_end) in _transcript_turns(text, marks):
        who = speaker_from_label(doc, label_start, label_end)
        found.append(
            _Found(mark.start, mark.end, "direct", who, paragraph(mark.start), text[label_start:label_end])
        )
    found.sort(key=lambda f: f.start)
    _continue_speakers(found, text)
    kept = [f for f in found if _is_quote(text, f)]
    for quote in kept:
        quote.kind = _direct_kind(text, quote)
    return kept


def _transcript_turns(text: str, marks: list[MarkedQuote]) -> list[tuple[MarkedQuote, tuple[int, int]]]:
    """Turns of a transcript line ("Q: … NAME: …", two labels at least), with their label spans."""
    turns = []
    labels = [m for m in TRANSCRIPT_LABEL.finditer(text) if not _inside_marks(m.start(), marks)]
    for index, label in enumerate(labels):
        limit = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        if not _shares_line(text, label, labels, index):
            continue
        stop = TURN_END.search(text, label.end(), limit)
        end = len(text[: stop.start() if stop else limit].rstrip())
        if end > label.end():
            turns.append((MarkedQuote(label.end(), end, label.start(), end), label.span(1)))
    return turns


def _shares_line(text: str, label: re.Match[str], labels: list[re.Match[str]], index: int) -> bool:
    neighbours = labels[max(0, index - 1) : index] + labels[index + 1 : index + 2]
    return any(
        "\n" not in text[min(label.start(), n.start()) : max(label.start(), n.start())] for n in neighbours
    )


def _inside_marks(offset: int, marks: list[MarkedQuote]) -> bool:
    return any(m.outer_start <= offset < m.outer_end for m in marks)


def _paragraph_index(text: str) -> Callable[[int], int]:
    breaks = [m.start() for m in re.finditer(r"\n+", text)]  # a blank line is one break, not two

    def paragraph(offset: int) -> int:
        return bisect.bisect_left(breaks, offset)

    return paragraph


def _continue_speakers(found: list[_Found], text: str) -> None:
    """Cue-less quotes continue the quote before them in their paragraph (same speaker and cue);
    a paragraph opening with a cue-less quote continues whoever spoke last (named in _records)."""
    for previous, quote in zip([None, *found], found, strict=False):
        if quote.who is not None or quote.label is not None:
            continue
        if previous is not None and previous.paragraph == quote.paragraph and previous.who is not None:
            quote.who = previous.who
        elif _opens_paragraph(text, quote):
            quote.continues = True


def _opens_paragraph(text: str, quote: _Found) -> bool:
    line_start = text.rfind("\n", 0, quote.start) + 1
    return text[line_start : quote.start].strip() in ("", "“", '"')


def _is_quote(text: str, quote: _Found) -> bool:
    """Attributed and not a title, or long enough to read as speech on its own."""
    content = text[quote.start : quote.end]
    if not content.strip():
        return False  # empty marks ("“”", a run of '"""') quote nothing
    if quote.who is not None or quote.continues:
        return not _title(content)
    return (
        len(content.split()) >= MIN_UNATTRIBUTED_WORDS
        and content[:1].isupper()
        and _opens_sentence(text, quote)
    )


def _title(content: str) -> bool:
    words = content.strip(" .,").split()
    long_words = [w for w in words if len(w) > 3]
    return 0 < len(words) <= MAX_TITLE_WORDS and all(w[:1].isupper() for w in long_words) and bool(long_words)


def _opens_sentence(text: str, quote: _Found) -> bool:
    before = text[: quote.start].rstrip(' “"')
    return not before or before[-1] in ".?!:\n" or before.endswith(("\u201d", '"'))


def _direct_kind(text: str, quote: _Found) -> str:
    if quote.label == "Q" or (quote.who is not None and quote.who.cue_lemma in ASK_VERBS):
        return "question"
    content = text[quote.start : quote.end].strip()
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", content) if s]
    return "question" if sentences and all(s.rstrip("\"”’'").endswith("?") for s in sentences) else "direct"


# --- reported speech -----------------------------------------------------------------------------


def _reported_quotes(doc: Doc, inside: list[tuple[int, int]]) -> list[_Found]:
    seen: set[int] = set()
    out = []
    for item in find_reported(doc):
        if item.start in seen or not _keep_reported(item.start, item.end, item.who, inside):
            continue
        seen.add(item.start)
        out.append(_Found(item.start, item.end, item.kind, item.who, direct=False))
    return out


def _keep_reported(start: int, end: int, who: Attribution, inside: list[tuple[int, int]]) -> bool:
    if any(s <= who.cue_start < e for s, e in inside):
        return False  # speech reported inside a quote ("I like to say …") belongs to that quote
    if any(s - 1 <= start < e for s, e in inside):
        return False  # "“…” elsewhere, Cuomo said": the clause is the direct quote's frame
    covered = sum(max(0, min(e, end) - max(s, start)) for s, e in inside)
    return covered < COVERED_BY_DIRECT * (end - start)


# --- records with speakers ------------------------------------------------------------------------


def _records(article: Article, doc: Doc, found: list[_Found]) -> list[Quote]:
    """Quote records in text order; speakers are named in that order so each can use earlier ones."""
    resolver = SpeakerResolver(article, doc)
    paragraph = _paragraph_index(article.text)
    quotes: list[Quote] = []
    for item in found:
        quote = Quote(article.text[item.start : item.end], item.start, item.end, kind=item.kind)
        if item.who is not None:
            _attach(article, quote, item.who, resolver)
        elif item.continues and quotes and paragraph(quotes[-1].start) == paragraph(item.start) - 1:
            quote.speaker = quotes[-1].speaker
        if item.label == "Q":
            quote.speaker = REPORTER
        quotes.append(quote)
    return quotes


def _attach(article: Article, quote: Quote, who: Attribution, resolver: SpeakerResolver) -> None:
    start, end, name = resolver.resolve(who)
    quote.speaker_start, quote.speaker_end = start, end
    quote.speaker_text = article.text[start:end]
    quote.speaker = name
    if who.cue_start >= 0:
        quote.cue_start, quote.cue_end = who.cue_start, who.cue_end
        quote.cue = article.text[who.cue_start : who.cue_end]
