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

import logging
import re
from dataclasses import dataclass

from ..model import Article, Quote
from ..registry import stage
from .entities import canonical_at
from .pipeline import get_doc
from .quote_marks import MarkedQuote, find_marked_quotes
from .reported import Reported, find_reported
from .speakers import attribute_direct, canonical_speaker, speaker_from_label
from .speech import ASK_VERBS, REPORTER, Attribution

logger = logging.getLogger(__name__)

# A reported clause mostly made of direct quotes is that direct quote, not a second record.
COVERED_BY_DIRECT = 0.6
# An unattributed quote is kept only if it reads as speech: at least this many words.
MIN_UNATTRIBUTED_WORDS = 4
# "Q: …" / "MELANIA TRUMP: …" transcript lines (labels in capitals, at a line or sentence start).
TRANSCRIPT_LABEL = re.compile(r"(?:^|(?<=[.?!] ))(Q|[A-Z][A-Z.'’\- ]{1,40}[A-Z]): (?=\S)", re.MULTILINE)
# Where a transcript turn ends besides the next label: a line end, a link, an embed credit dash.
TURN_END = re.compile(r"\n| pic\.twitter\.com| https?://| — ")
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


@dataclass(slots=True)
class _Direct:
    mark: MarkedQuote
    who: Attribution | None
    paragraph: int
    inherited: str | None = None  # a speaker carried over from the previous paragraph
    kind: str = "direct"
    label: str | None = None  # the "Q"/"NAME" of a transcript turn


@stage("quotes.v1", requires=("entities",), assigns=("quotes",))
def quotes_stage(article: Article) -> Article:
    """Fill ``article.quotes`` (sorted by start; direct quotes never overlap each other)."""
    doc = get_doc(article)
    directs = _direct_quotes(article, doc)
    inside = [(d.mark.start, d.mark.end) for d in directs]
    reported = [r for r in find_reported(doc) if _keep_reported(r, inside)]
    quotes = [_direct_record(article, doc, d) for d in directs]
    quotes += [_reported_record(article, doc, r) for r in _unique(reported)]
    article.quotes = sorted(quotes, key=lambda q: (q.start, q.end))
    logger.debug("article %s: %d quotes", article.id, len(article.quotes))
    return article


# --- direct quotes -------------------------------------------------------------------------------


def _direct_quotes(article: Article, doc) -> list[_Direct]:
    marks = find_marked_quotes(article.text)
    inside = [(m.start, m.end) for m in marks]
    paragraphs = _paragraph_index(article.text)
    directs = [_Direct(m, attribute_direct(doc, m, inside), paragraphs(m.start)) for m in marks]
    for mark, (label_start, label_end) in _transcript_turns(article.text, marks):
        who = speaker_from_label(doc, label_start, label_end)
        directs.append(_Direct(mark, who, paragraphs(mark.start), label=article.text[label_start:label_end]))
    directs.sort(key=lambda d: d.mark.start)
    _inherit(directs, article.text)
    kept = [d for d in directs if d.who is not None or d.inherited or _speech_like(article.text, d.mark)]
    for direct in kept:
        direct.kind = _direct_kind(article.text, direct)
    return kept


def _transcript_turns(text: str, marks: list[MarkedQuote]) -> list[tuple[MarkedQuote, tuple[int, int]]]:
    """Turns of "Q: …"/"NAME: …" transcript lines outside any quote marks, with their label span."""
    turns = []
    labels = list(TRANSCRIPT_LABEL.finditer(text))
    for index, label in enumerate(labels):
        limit = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        stop = TURN_END.search(text, label.end(), limit)
        end = len(text[: stop.start() if stop else limit].rstrip())
        if end > label.end() and not any(m.outer_start <= label.start() < m.outer_end for m in marks):
            turns.append((MarkedQuote(label.end(), end, label.start(), end), label.span(1)))
    return turns


def _paragraph_index(text: str):
    breaks = [i for i, char in enumerate(text) if char == "\n"]

    def paragraph(offset: int) -> int:
        return sum(1 for b in breaks if b < offset)

    return paragraph


def _inherit(directs: list[_Direct], text: str) -> None:
    """Give cue-less quotes the speaker of the quote they continue (see the module doc)."""
    for index, direct in enumerate(directs):
        if direct.who is not None or direct.label is not None:
            continue
        previous = directs[index - 1] if index else None
        if previous is not None and previous.paragraph == direct.paragraph and previous.who is not None:
            direct.who = previous.who
        elif (
            previous is not None
            and previous.paragraph < direct.paragraph
            and _opens_paragraph(text, direct.mark)
        ):
            direct.inherited = _name_of(previous)


def _name_of(direct: _Direct) -> str | None:
    return direct.inherited if direct.who is None else f"@{direct.who.speaker_start}:{direct.who.speaker_end}"


def _opens_paragraph(text: str, mark: MarkedQuote) -> bool:
    line_start = text.rfind("\n", 0, mark.outer_start) + 1
    return not text[line_start : mark.outer_start].strip()


def _speech_like(text: str, mark: MarkedQuote) -> bool:
    content = text[mark.start : mark.end]
    return (
        len(content.split()) >= MIN_UNATTRIBUTED_WORDS
        and content[:1].isupper()
        and _opens_sentence(text, mark)
    )


def _opens_sentence(text: str, mark: MarkedQuote) -> bool:
    before = text[: mark.outer_start].rstrip()
    return not before or before[-1] in ".?!:\n" or before.endswith(("\u201d", '"'))


def _direct_kind(text: str, direct: _Direct) -> str:
    if direct.label == "Q":
        return "question"
    if direct.who is not None and direct.who.cue_lemma in ASK_VERBS:
        return "question"
    sentences = [
        s for s in re.split(r"(?<=[.?!])\s+", text[direct.mark.start : direct.mark.end].strip()) if s
    ]
    return "question" if sentences and all(s.rstrip("\"”’'").endswith("?") for s in sentences) else "direct"


def _direct_record(article: Article, doc, direct: _Direct) -> Quote:
    mark = direct.mark
    quote = Quote(article.text[mark.start : mark.end], mark.start, mark.end, kind=direct.kind)
    if direct.who is not None:
        _attach(article, doc, quote, direct.who)
    elif direct.inherited is not None:
        quote.speaker = _resolve_inherited(article, doc, direct.inherited)
    if direct.label == "Q":
        quote.speaker = REPORTER
    return quote


def _resolve_inherited(article: Article, doc, name: str) -> str | None:
    if not name.startswith("@"):
        return name
    start, end = (int(part) for part in name[1:].split(":"))
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    who = Attribution(start, end, span.root.i, -1, -1, "")
    return canonical_speaker(article, doc, who)


# --- reported speech -----------------------------------------------------------------------------


def _keep_reported(item: Reported, inside: list[tuple[int, int]]) -> bool:
    if any(start <= item.who.cue_start < end for start, end in inside):
        return False  # speech reported inside a quote ("I like to say …") belongs to that quote
    covered = sum(max(0, min(end, item.end) - max(start, item.start)) for start, end in inside)
    return covered < COVERED_BY_DIRECT * (item.end - item.start)


def _unique(items: list[Reported]) -> list[Reported]:
    seen: set[tuple[int, int]] = set()
    out = []
    for item in items:
        if (item.start, item.end) not in seen:
            seen.add((item.start, item.end))
            out.append(item)
    return out


def _reported_record(article: Article, doc, item: Reported) -> Quote:
    quote = Quote(article.text[item.start : item.end], item.start, item.end, kind=item.kind)
    _attach(article, doc, quote, item.who)
    return quote


# --- speakers -----------------------------------------------------------------------------------


def _attach(article: Article, doc, quote: Quote, who: Attribution) -> None:
    start, end = _speaker_span(article, doc, who)
    quote.speaker_start, quote.speaker_end = start, end
    quote.speaker_text = article.text[start:end]
    quote.speaker = canonical_speaker(article, doc, who)
    if who.cue_start >= 0:
        quote.cue_start, quote.cue_end = who.cue_start, who.cue_end
        quote.cue = article.text[who.cue_start : who.cue_end]


def _speaker_span(article: Article, doc, who: Attribution) -> tuple[int, int]:
    """A named speaker's span is its entity ("Lisa Banks", not "Ford's lawyer Lisa Banks")."""
    head = doc[who.speaker_head]
    for entity in article.entities:
        if entity.start <= head.idx < entity.end and entity.label in SPEAKER_LABELS:
            if canonical_at(article, entity.start, entity.end) is not None:
                return entity.start, entity.end
    return who.speaker_start, who.speaker_end
