"""Split a parsed sentence into clauses that each carry one checkable proposition.

A :class:`Clause` is a predicate token plus what the dependency parse says about it: who it is
attributed to (reported speech), whether a frame negates or hedges it ("denied abducting",
"accused X of abducting"), an overriding subject (the accused), and the subtrees that belong to
*other* clauses and must be left out of its span (conjoined predicates, finite adverbial
clauses, "including ..." elaborations, reported content).

Only the parse is read here; names, quantities and dates are attached in :mod:`.claims`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Verbs that report what someone else asserts: their clausal complement is the claim.
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "state",
        "add",
        "claim",
        "report",
        "announce",
        "confirm",
        "reveal",
        "insist",
        "allege",
        "warn",
        "note",
        "explain",
        "write",
        "argue",
        "suggest",
        "acknowledge",
        "admit",
        "deny",
        "refute",
        "reject",
        "dismiss",
        "dispute",
        "accuse",
        "believe",
        "stress",
        "assert",
    ]
)
NEGATING_FRAMES = frozenset({"deny", "refute", "reject", "dismiss", "dispute"})
HEDGING_FRAMES = frozenset({"accuse", "claim", "allege", "suggest", "believe"})
VERBAL = frozenset({"VERB", "AUX"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})


@dataclass(slots=True)
class Clause:
    verb: Token
    speaker: Token | None = None  # the token naming who asserts it; None = the outlet itself
    speaker_name: str | None = None  # set instead of ``speaker`` when already resolved upstream
    negated: bool = False
    hedged: bool = False
    reported: bool = False  # inside reported speech: pronouns may refer to the speaker
    subject: Token | None = None  # overrides the parse ("accused Russia of abducting": Russia)
    elaborates: Clause | None = None  # "including seven children": borrows the parent predicate
    anchor: Token | None = None  # the token whose subtree is this clause's span (default: verb)
    excluded: set[int] = field(default_factory=set)  # token indices that belong to other clauses
    governor: Clause | None = None  # the clause an adverbial clause depends on (resolves its "it")
    subject_in_span: bool = False  # the overriding subject sits outside the verb's subtree


def sentence_clauses(sentence: Span) -> list[Clause]:
    """The clauses of one sentence, in the order their predicates appear."""
    root = sentence.root
    if root.pos_ not in VERBAL:
        return []
    clauses: list[Clause] = []
    _walk(Clause(root), clauses)
    return sorted(clauses, key=lambda c: (c.anchor or c.verb).left_edge.i)


def _walk(clause: Clause, out: list[Clause]) -> None:
    verb = clause.verb
    content = _reported_content(verb)
    if content:
        for child in content:
            _walk(_reported(clause, verb, child), out)
        _walk_siblings(clause, verb, out, skip=set(content))
        return
    framed = _framed_content(verb)
    if framed is not None:
        inner = framed_clause(clause, verb, framed)
        _walk(inner, out)
        _walk_siblings(inner, verb, out, skip={framed})
        return
    out.append(clause)
    _walk_siblings(clause, verb, out, skip=set())


def _walk_siblings(owner: Clause, source: Token, out: list[Clause], *, skip: set[Token]) -> None:
    """Conjoined predicates, finite adverbial clauses and "including ..." under ``source`` become
    clauses of their own; their tokens leave ``owner``'s span."""
    for child in _clause_children(source):
        if child in skip:
            continue
        own = _own_clause(owner, source, child)
        if own is None:
            continue
        owner.excluded.update(t.i for t in child.subtree)
        if child.dep_ == "conj":
            owner.excluded.update(t.i for t in source.children if t.dep_ == "cc" and t.i < child.i)
        if own.elaborates is None:
            _walk(own, out)
        else:
            out.append(own)


def _clause_children(source: Token) -> list[Token]:
    """Direct dependents of ``source``, plus "including ..." hung on one of its nouns."""
    found = list(source.children)
    for token in source.subtree:
        hung_on_noun = token.dep_ == "prep" and token.head.i != source.i
        including = token.lower_ == "including" and hung_on_noun
        relative = token.dep_ == "relcl" and _relative_subject(token) is not None
        if (including or relative) and _nearest_verb(token.head).i == source.i:
            found.append(token)
    return found


def _relative_subject(verb: Token) -> Token | None:
    """The relative pronoun when it is the clause's subject: "a fire which gutted the store"."""
    return next(
        (c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.tag_ in {"WDT", "WP"}), None
    )


def _nearest_verb(token: Token) -> Token:
    while token.pos_ not in VERBAL and token.head.i != token.i:
        token = token.head
    return token


def _own_clause(parent: Clause, source: Token, child: Token) -> Clause | None:
    if child.dep_ == "conj" and child.pos_ in VERBAL:
        inherited = None if _subject_of(child) is not None else (parent.subject or _subject_of(source))
        return replace(
            parent,
            verb=child,
            subject=inherited,
            excluded=set(),
            anchor=None,
            elaborates=None,
            subject_in_span=False,
        )
    if (
        child.dep_ == "advcl"
        and child.tag_ == "VBG"
        and child.lemma_ in SPEECH_VERBS
        and _subject_of(child) is None
    ):
        # "..., saying it acted to keep them safe": the participle reports for the main subject.
        speaker = parent.subject or _subject_of(source) or parent.speaker
        return Clause(child, speaker=speaker, speaker_name=parent.speaker_name)
    if child.dep_ == "advcl" and child.pos_ in VERBAL and _subject_of(child) is not None:
        return Clause(child, parent.speaker, parent.speaker_name, governor=parent)
    if child.dep_ == "relcl":
        # "a fire which gutted the store": the noun the clause hangs on is what it is about.
        return Clause(child, parent.speaker, parent.speaker_name, subject=child.head, governor=parent)
    if child.dep_ in {"advcl", "acl"} and child.tag_ == "VBN" and _agent(child) is not None:
        # "a letter -- hand-delivered by her husband last August --": a reduced passive with its own agent.
        return Clause(child, parent.speaker, parent.speaker_name, governor=parent)
    if child.dep_ == "prep" and child.lower_ == "including" and any(c.dep_ == "pobj" for c in child.children):
        target = _elaborated(parent, child)
        return replace(target, anchor=child, elaborates=target, excluded=set(), subject_in_span=False)
    return None


def _elaborated(parent: Clause, including: Token) -> Clause:
    """The clause "including X" elaborates: the parser often hangs it on the nearest verb
    ("returned since she started her advocacy, including seven children"); when the governing
    clause's subject or object is the same noun as X, X elaborates that clause instead."""
    governor = parent.governor
    if governor is None:
        return parent
    counted = _counted_noun(next(c for c in including.children if c.dep_ == "pobj"))
    nouns = {t.lemma_ for t in governor.verb.children if t.dep_ in {"nsubj", "nsubjpass", "dobj"}}
    return governor if counted in nouns else parent


def _counted_noun(token: Token) -> str:
    # "seven children" → child; "seven of them" → them
    if token.pos_ == "NUM":
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        return pobj.lemma_ if pobj is not None else token.head.lemma_
    return token.lemma_


def _reported(parent: Clause, verb: Token, content: Token) -> Clause:
    speaker = _subject_of(verb)
    return Clause(
        content,
        speaker=speaker if speaker is not None else parent.speaker,
        speaker_name=None if speaker is not None else parent.speaker_name,
        negated=verb.lemma_ in NEGATING_FRAMES,
        hedged=verb.lemma_ in HEDGING_FRAMES,
        reported=True,
    )


def _reported_content(verb: Token) -> list[Token]:
    if verb.lemma_ not in SPEECH_VERBS:
        return []
    return [c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in VERBAL]


def _framed_content(verb: Token) -> Token | None:
    """The verb inside "accused X of abducting" or "denied abducting"."""
    if verb.lemma_ in NEGATING_FRAMES:
        return next((c for c in verb.children if c.dep_ in {"xcomp", "dobj"} and c.tag_ == "VBG"), None)
    if verb.lemma_ in HEDGING_FRAMES:
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "of"):
            return next((c for c in prep.children if c.dep_ == "pcomp" and c.pos_ in VERBAL), None)
    return None


def framed_clause(parent: Clause, verb: Token, content: Token) -> Clause:
    """Like reported speech, but the framing verb also names the subject ("accused Russia of …")."""
    accused = next((c for c in verb.children if c.dep_ == "dobj"), None)
    subject = accused if verb.lemma_ in HEDGING_FRAMES else _subject_of(verb)
    return replace(
        _reported(parent, verb, content),
        reported=False,
        subject=subject,
        anchor=verb if verb.lemma_ in NEGATING_FRAMES else None,
        subject_in_span=True,
    )


def _subject_of(verb: Token) -> Token | None:
    found = next((c for c in verb.children if c.dep_ in SUBJECTS and c.dep_ != "expl"), None)
    if found is None and verb.dep_ in {"xcomp", "conj"} and verb.head.pos_ in VERBAL:
        return _subject_of(verb.head) if verb.dep_ == "xcomp" else None
    return found


def subject_of(clause: Clause) -> Token | None:
    """The grammatical or overriding subject; for a passive with "by X", the agent X."""
    if clause.subject is not None:
        return clause.subject
    agent = _agent(clause.verb)
    return agent if agent is not None else _subject_of(clause.verb)


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def passive_theme(verb: Token) -> Token | None:
    """In "the letter was delivered by Trump", the letter (the object once made active)."""
    if _agent(verb) is None:
        return None
    theme = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if theme is None and verb.dep_ == "acl":
        return verb.head  # "the letter, delivered by the ambassador"
    if theme is None and verb.dep_ == "advcl":
        return _preceding_argument(verb)
    return theme


def _preceding_argument(verb: Token) -> Token | None:
    """The nearest subject or object noun before a reduced participial ("wrote a letter -- delivered by")."""
    before = [t for t in verb.sent if t.i < verb.i and t.dep_ in {"dobj", "nsubj", "nsubjpass", "attr"}]
    return before[-1] if before and before[-1].pos_ in {"NOUN", "PROPN"} else None
