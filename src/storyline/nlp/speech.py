"""Speech-act vocabulary and the parse helpers shared by the direct and reported quote finders.

The word lists are small, closed and English-only; they name reporting verbs as news writing
uses them (PARC-style attribution cues), not a general lexicon. Belief verbs ("think", "believe",
"feel", "hope") are deliberately absent: they report a state of mind, not something said.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that introduce a reported clause ("X said (that) ...") or a direct quote.
CLAUSE_VERBS = _words(
    """say tell add explain note write tweet post claim state insist argue announce confirm warn
    suggest acknowledge admit predict mention reveal report agree stress contend allege hint
    reaffirm indicate signal declare assert maintain emphasize emphasise concede testify recall
    deny imply reply respond complain promise recommend observe remark caution counter retort
    answer boast joke quip reiterate disclose estimate concur assure"""
)
# Verbs that take "to"-infinitive content: "vowed to close the facility".
TO_VERBS = _words("vow pledge threaten promise")
# Verbs that take a gerund as content: "denied abducting children".
GERUND_VERBS = _words("deny admit acknowledge recall")
# "X accused Y of ...", "blamed Y for ...": the content runs from Y to the end of the of/for phrase.
ACCUSE_VERBS = _words(
    """accuse blame criticize criticise bash slam scold applaud praise hammer trash fault condemn
    chide commend thank lambaste"""
)
# Questions: "asked whether ...", "wondered".
ASK_VERBS = _words("ask wonder question inquire enquire")
# Only as cues of a direct quote next to them ("he continued, “…”"; "calls it “unsustainable”").
DIRECT_ONLY_VERBS = _words("continue call describe deride dub label term read go")

SPEECH_VERBS = CLAUSE_VERBS | TO_VERBS | GERUND_VERBS | ACCUSE_VERBS | ASK_VERBS
DIRECT_CUE_VERBS = SPEECH_VERBS | DIRECT_ONLY_VERBS

# Nouns for someone who asks the questions at a press event; their canonical speaker is "reporter".
REPORTER_NOUNS = _words("reporter reporters journalist journalists correspondent correspondents interviewer")
REPORTER = "reporter"

SUBJECT_DEPS = ("nsubj", "csubj")
# Right-hand children that belong to a speaker phrase ("Russian and Ukrainian officials").
SPEAKER_RIGHT_DEPS = ("compound", "flat", "cc", "conj", "nummod")
PRONOUNS = _words("he she they it i we you him her them")
RELATIVE_PRONOUNS = _words("that which who")


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said it and with which cue, as token-derived character spans."""

    speaker_start: int
    speaker_end: int
    speaker_head: int  # token index of the speaker phrase's head
    cue_start: int
    cue_end: int
    cue_lemma: str


def is_speech_verb(token: Token, vocabulary: frozenset[str] = SPEECH_VERBS) -> bool:
    """A reporting verb that reports an actual speech act: not negated ("did not deny"), not an
    infinitive ("it's fair to blame …", "wants to say …")."""
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in vocabulary:
        return False
    return not negated(token) and not infinitive(token)


def infinitive(token: Token) -> bool:
    return any(child.dep_ == "aux" and child.lower_ == "to" for child in token.children)


def negated(token: Token) -> bool:
    return any(child.dep_ == "neg" for child in token.children)


def subject_of(verb: Token) -> Token | None:
    """The grammatical speaker of ``verb``: its subject, the agent of a passive, or the subject
    of the verb it hangs from ("denied X, saying ..." → the subject of "denied")."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            # "a report … that said …": the relative pronoun stands for the noun it modifies
            return verb.head if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" else child
    for child in verb.children:
        if child.dep_ == "agent":
            return next((grand for grand in child.children if grand.dep_ == "pobj"), None)
    if any(child.dep_ == "nsubjpass" for child in verb.children) or _bare_participle(verb):
        return None  # "was asked", "when asked": the subject is the addressee, not the speaker
    if verb.dep_ in ("advcl", "conj", "xcomp", "pcomp") and verb.head.i != verb.i:
        return subject_of(verb.head)
    return None


def _bare_participle(verb: Token) -> bool:
    """A past participle with no auxiliary ("when asked to define …") is passive."""
    return verb.tag_ == "VBN" and not any(child.dep_ == "aux" for child in verb.children)


def speaker_phrase(head: Token) -> tuple[int, int]:
    """Character span of the speaker phrase headed by ``head``: determiners, modifiers, compounds
    and coordinated heads, but no apposition, relative clause or trailing prepositional phrase."""
    if head.pos_ == "PRON":
        return head.idx, head.idx + len(head.text)
    left = head.left_edge
    right = head
    for child in head.rights:
        if child.dep_ in SPEAKER_RIGHT_DEPS or (child.dep_ == "prep" and child.lower_ == "of"):
            right = _last_word(child.right_edge, child)
    while left.i < head.i and (left.is_punct or left.is_space or "\n" in head.doc[left.i : head.i].text):
        left = left.nbor(1)
    return left.idx, right.idx + len(right.text)


def _last_word(token: Token, floor: Token) -> Token:
    while token.i > floor.i and (token.is_punct or token.is_space):
        token = token.nbor(-1)
    return token


def attribution(verb: Token) -> Attribution | None:
    subject = subject_of(verb)
    if subject is not None and _across_paragraphs(subject, verb):
        subject = _subject_left_in_paragraph(verb)
    if subject is None:
        return None
    start, end = speaker_phrase(subject)
    return Attribution(start, end, subject.i, verb.idx, verb.idx + len(verb.text), verb.lemma_.lower())


def _across_paragraphs(one: Token, other: Token) -> bool:
    """The parser sometimes joins paragraphs into one sentence; a speaker never crosses a break."""
    low, high = sorted((one.i, other.i))
    return "\n" in one.doc[low : high + 1].text


def _subject_left_in_paragraph(verb: Token) -> Token | None:
    """The noun right before ``verb`` ("An East Wing spokesman confirmed") when the parse gave
    the verb a subject from another paragraph."""
    index = verb.i - 1
    while index >= 0 and verb.doc[index].pos_ in ("ADV", "AUX", "PART"):
        index -= 1
    if index < 0 or "\n" in verb.doc[index : verb.i + 1].text:
        return None
    token = verb.doc[index]
    return token if token.pos_ in ("NOUN", "PROPN", "PRON") else None


def according_to(token: Token) -> Token | None:
    """The source of "according to SOURCE", or None when ``token`` does not start that phrase."""
    if token.lower_ != "according":
        return None
    to = next((child for child in token.children if child.lower_ == "to"), None)
    if to is None:
        return None
    return next((child for child in to.children if child.dep_ == "pobj"), None)


def tokens_in(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")
