"""Reported (indirect) speech from the dependency parse.

Patterns, each giving the content span, the cue verb and the speaker phrase:

* "X said (that) CLAUSE", "CLAUSE, X said", "X told reporters CLAUSE" — the clausal complement;
* "..., saying/stating/adding CLAUSE" — a participle takes the subject of the verb it hangs from;
* "X vowed/pledged to VP" — the infinitive; "X denied V-ing" — the gerund;
* "X accused/blamed Y of/for ..." — from Y to the end of the of/for phrase;
* "X asked (Y) whether/if ..." — an indirect question (kind "question");
* "CLAUSE, according to X" / "According to X, CLAUSE" — the rest of the clause.

Negated cues ("did not deny that ...") and passives without an agent ("is said to ...") report
no speech and are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .speech import (
    ACCUSE_VERBS,
    ASK_VERBS,
    CLAUSE_VERBS,
    GERUND_VERBS,
    TO_VERBS,
    Attribution,
    according_to,
    attribution,
    infinitive,
    is_speech_verb,
    speaker_phrase,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CONTENT_DEPS = ("ccomp",)
# Words left dangling at the end of a content span that was cut before a nested report.
CUT_POS = ("CCONJ", "SCONJ", "ADP")


@dataclass(frozen=True, slots=True)
class Reported:
    start: int
    end: int
    kind: str  # "indirect" or "question"
    who: Attribution


def find_reported(doc: Doc) -> list[Reported]:
    found: list[Reported] = []
    for token in doc:
        item = _from_verb(token) if is_speech_verb(token) else _from_according(token)
        if item is not None and item.end - item.start > 1:
            found.append(item)
    return found


def _from_verb(verb: Token) -> Reported | None:
    who = attribution(verb)
    if who is None:
        return None
    lemma = verb.lemma_.lower()
    bounds = _content(verb, lemma)
    if bounds is None:
        return None
    first, last = _before_comment(*_before_nested_speech(*bounds))
    if first.i <= who.speaker_head <= last.i:
        return None  # the "speaker" sits inside the content: a misparse, not an attribution
    question = lemma in ASK_VERBS
    if question and first.lower_ not in ("if", "whether"):
        return None  # "asked him to ..." is a request, not a question
    start, end = _trim(first, last, keep_mark=question)
    return Reported(start, end, "question" if question else "indirect", who)


def _content(verb: Token, lemma: str) -> tuple[Token, Token] | None:
    children = list(verb.children)
    if lemma in CLAUSE_VERBS | ASK_VERBS:
        clause = next((c for c in children if c.dep_ in CONTENT_DEPS or _question_clause(c, lemma)), None)
        if clause is not None:
            return clause.left_edge, clause.right_edge
    if lemma in TO_VERBS:
        to_clause = next((c for c in children if c.dep_ == "xcomp" and infinitive(c)), None)
        if to_clause is not None:
            return to_clause.left_edge, to_clause.right_edge
    if lemma in GERUND_VERBS:
        gerund = next((c for c in children if c.dep_ in ("xcomp", "dobj") and c.tag_ == "VBG"), None)
        if gerund is not None:
            return gerund.left_edge, gerund.right_edge
    if lemma in ACCUSE_VERBS:
        return _accused(children)
    return None


def _before_nested_speech(first: Token, last: Token) -> tuple[Token, Token]:
    """End the content before a later reporting clause inside it ("…, stating that …", "… and
    hours after Seoul said …"): that clause is a report of its own."""
    root = first.doc[first.i : last.i + 1].root
    for token in first.doc[root.i + 1 : last.i + 1]:
        if is_speech_verb(token) and token.head.i != token.i and _content(token, token.lemma_.lower()):
            cut = token.left_edge.i - 1
            while cut > root.i and (first.doc[cut].is_punct or first.doc[cut].pos_ in CUT_POS):
                cut -= 1
            return first, first.doc[max(cut, root.i)]
    return first, last


def _before_comment(first: Token, last: Token) -> tuple[Token, Token]:
    """End the content before a non-restrictive relative clause (", which …"): the writer's aside."""
    for token in first.doc[first.i : last.i + 1]:
        start = token.left_edge.i
        if token.dep_ == "relcl" and start - 1 > first.i and token.doc[start - 1].text == ",":
            return first, token.doc[start - 2]
    return first, last


def _question_clause(token: Token, lemma: str) -> bool:
    """ "asked Melania Trump if Putin had …" is parsed as an adverbial clause."""
    return (
        lemma in ASK_VERBS
        and token.dep_ == "advcl"
        and any(child.dep_ == "mark" and child.lower_ in ("if", "whether") for child in token.children)
    )


def _accused(children: list[Token]) -> tuple[Token, Token] | None:
    target = next((c for c in children if c.dep_ == "dobj"), None)
    reason = next((c for c in children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
    if target is None or reason is None or reason.i < target.i:
        return None
    return target.left_edge, reason.right_edge


def _from_according(token: Token) -> Reported | None:
    source = according_to(token)
    if source is None:
        return None
    clause = token.head
    phrase_end = token.right_edge
    if token.i > clause.left_edge.i:
        first, last = clause.left_edge, token.nbor(-1)
    else:
        first, last = (
            phrase_end.nbor(1) if phrase_end.i + 1 < len(token.doc) else phrase_end,
            clause.right_edge,
        )
    if first.i > last.i:
        return None
    start, end = speaker_phrase(source)
    who = Attribution(
        start, end, source.i, token.idx, token.nbor(1).idx + len(token.nbor(1).text), "according to"
    )
    content_start, content_end = _trim(first, last, keep_mark=False)
    return Reported(content_start, content_end, "indirect", who)


def _trim(first: Token, last: Token, *, keep_mark: bool) -> tuple[int, int]:
    """Character span of ``first..last`` without leading "that"/punctuation or trailing punctuation."""
    while first.i < last.i and (first.is_punct or first.is_space or (not keep_mark and _that(first))):
        first = first.nbor(1)
    while last.i > first.i and (last.is_space or (last.is_punct and last.text not in ('"', "”", "’"))):
        last = last.nbor(-1)
    return first.idx, last.idx + len(last.text)


def _that(token: Token) -> bool:
    return token.dep_ == "mark" and token.lower_ == "that"
