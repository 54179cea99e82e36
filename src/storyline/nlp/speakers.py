"""Who said a direct quote, and the canonical name of a speaker phrase.

A direct quote's cue is found in the parse: from the quote's first and last words, walk up the
dependency tree to the nearest reporting verb outside any quote ("“…,” she told reporters";
"He asked, “…”"; "said they had “productive” talks"). When the parse links the quote to no
verb, a reporting verb right next to the quote marks is taken ("“…,” said Grassley"). The speaker
is the cue's subject (or the subject of the verb a participle hangs from, or a passive's agent).

Canonical names come from the entities stage (:func:`storyline.nlp.entities.canonical_at` and
:func:`~storyline.nlp.entities.resolve_mention`). Conventions: a description with no entity
at its head ("An East Wing spokesman") has no canonical name; reporters asking questions get the
canonical speaker ``"reporter"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Article
from .entities import canonical_at, resolve_mention
from .quote_marks import MarkedQuote
from .speech import (
    DIRECT_CUE_VERBS,
    PRONOUNS,
    REPORTER,
    REPORTER_NOUNS,
    Attribution,
    attribution,
    is_speech_verb,
    speaker_phrase,
    tokens_in,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# How far (in tokens) from a quote mark a cue verb may stand when the parse does not link them.
ADJACENT_TOKENS = 6
# Labels whose entity names a possible speaker (NORP "Russian" in "Russian officials" is not one).
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP_GROUP", "FAC"})


def attribute_direct(
    doc: Doc, quote: MarkedQuote, inside_quotes: list[tuple[int, int]]
) -> Attribution | None:
    """The cue and speaker of a direct quote, or None when nothing in its sentence attributes it."""
    span = tokens_in(doc, quote.start, quote.end)
    if span is None or not len(span):
        return None
    parsed = [c for c in (_cue_above(span[0], inside_quotes), _cue_above(span[-1], inside_quotes)) if c]
    if parsed:
        return min(parsed, key=lambda who: _distance(who.cue_start, quote))
    return _cue_next_to(doc, quote, inside_quotes)


def _cue_above(token: Token, inside_quotes: list[tuple[int, int]]) -> Attribution | None:
    """The nearest reporting verb above ``token`` in the parse that stands outside every quote."""
    current = token
    while current.head.i != current.i:
        current = current.head
        if _inside(current.idx, inside_quotes):
            continue
        if is_speech_verb(current, DIRECT_CUE_VERBS):
            return attribution(current)
    return None


def _cue_next_to(doc: Doc, quote: MarkedQuote, inside_quotes: list[tuple[int, int]]) -> Attribution | None:
    """A reporting verb with a subject within a few tokens after the closing or before the opening mark."""
    after = doc.char_span(quote.outer_end, min(len(doc.text), quote.outer_end + 80), alignment_mode="expand")
    before = doc.char_span(max(0, quote.outer_start - 80), quote.outer_start, alignment_mode="expand")
    nearby = list(after[:ADJACENT_TOKENS]) if after is not None else []
    nearby += list(reversed(before[-ADJACENT_TOKENS:])) if before is not None else []
    for token in nearby:
        if _inside(token.idx, inside_quotes) or token.is_sent_start and token.idx >= quote.outer_end:
            continue
        if is_speech_verb(token, DIRECT_CUE_VERBS):
            found = attribution(token)
            if found is not None:
                return found
    return None


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _distance(offset: int, quote: MarkedQuote) -> int:
    if offset >= quote.outer_end:
        return offset - quote.outer_end
    return max(0, quote.outer_start - offset)


def canonical_speaker(article: Article, doc: Doc, who: Attribution) -> str | None:
    """The canonical name for the speaker phrase of ``who`` (see the module doc for conventions)."""
    head = doc[who.speaker_head]
    if head.lower_ in REPORTER_NOUNS or head.lemma_.lower() in REPORTER_NOUNS:
        return REPORTER
    if head.lower_ in PRONOUNS:
        return resolve_mention(article, who.speaker_start, who.speaker_end) or _reporter_before(doc, head)
    named = canonical_at(article, head.idx, head.idx + len(head.text))
    if named is not None:
        return named
    if _has_entity(article, who.speaker_start, who.speaker_end):
        return None  # "An East Wing spokesman": the entity is a modifier, not the speaker
    if head.pos_ == "PROPN":
        return article.text[who.speaker_start : who.speaker_end]
    return resolve_mention(article, who.speaker_start, who.speaker_end)


def _has_entity(article: Article, start: int, end: int) -> bool:
    return any(e.start < end and start < e.end for e in article.entities)


def _reporter_before(doc: Doc, pronoun: Token) -> str | None:
    """ "One reporter asked …. He asked, “…”": a pronoun whose previous sentence's subject is a reporter."""
    sentence = pronoun.sent
    if sentence.start == 0:
        return None
    previous = doc[sentence.start - 1].sent
    for token in previous:
        if token.dep_ == "nsubj" and token.lemma_.lower() in REPORTER_NOUNS:
            return REPORTER
    return None


def speaker_from_label(doc: Doc, start: int, end: int) -> Attribution | None:
    """The speaker of a transcript line "NAME: …" or "Q: …": the label itself, no cue."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    head = span.root
    phrase_start, phrase_end = (start, end) if head.pos_ != "PRON" else speaker_phrase(head)
    return Attribution(phrase_start, phrase_end, head.i, -1, -1, "")
