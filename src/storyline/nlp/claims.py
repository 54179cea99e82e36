"""The ``claims.v1`` stage: sentence-level propositions that can be compared across outlets.

Each sentence is split into clauses (:mod:`.claim_clauses`): one per main clause, conjoined
predicate, finite adverbial clause and "including ..." elaboration; reported speech gives the
reported content, attributed to the speaker. Each clause becomes a :class:`~storyline.model.Claim`:

- ``subject``/``object``: the canonical entity at the head word when the entities stage found one,
  else the head noun phrase; a possessor is kept ("Vladimir Putin's team"); a counted number
  becomes its unit ("seven of them" → "children"). Passives with "by X" are made active.
- ``predicate``: the verb lemma with its particle, plus a bare prepositional complement
  ("remain in contact"), so "has been returned", "returned" and "could return" all give "return".
- ``values``/``dates``/``places``/``entities``: the quantities, DATE/TIME timex values, places and
  named entities inside the claim span. Values read like "15 children", "≥19000 children".
- ``negated``: "not"/"never", or a denying frame ("denied abducting", "refuted").
- ``hedged``: "allegedly", "reportedly", "may"/"might"/"could", or an accusing/claiming frame.
- ``attributed_to``: None when the outlet asserts it, else the speaker (canonical when known).
- ``key``: ``subject|predicate|object|sorted entities``, lowercased, for cheap candidate alignment.

The stage reads only ``article.entities/quotes/quantities/timexes`` and the shared parse.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Article, Claim, Entity, Quantity, Quote, Timex
from ..registry import stage
from .claim_clauses import NEGATING_FRAMES, Clause, passive_theme, sentence_clauses, subject_of
from .numbers import format_value
from .pipeline import get_doc
from .span_index import SpanIndex

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

logger = logging.getLogger(__name__)

NAMED_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})
HEDGES = frozenset(
    {"allegedly", "reportedly", "apparently", "purportedly", "possibly", "perhaps", "probably", "likely"}
    | {"may", "might", "could"}
)
FIRST_PERSON = frozenset({"i", "me", "my"})
THIRD_PERSON = frozenset({"he", "she", "it", "they", "him", "her", "them"})
# Prepositions that introduce circumstances, not the thing the predicate is about.
CIRCUMSTANTIAL = frozenset(
    {"since", "after", "before", "during", "amid", "despite", "until", "because", "as"}
)
# Copulas compare as "be": "remains in contact" and "is in contact" say the same thing.
COPULA_KEY = {"remain": "be", "stay": "be", "become": "be"}
BOUND_SIGNS = {
    "at least": "≥",
    "no fewer than": "≥",
    "no less than": "≥",
    "or more": "≥",
    "at or above": "≥",
    "more than": ">",
    "over": ">",
    "upwards of": ">",
    "well over": ">",
    "just over": ">",
    "up to": "≤",
    "at most": "≤",
    "no more than": "≤",
    "as many as": "≤",
    "as much as": "≤",
    "as high as": "≤",
    "at or below": "≤",
    "fewer than": "<",
    "less than": "<",
    "under": "<",
    "just under": "<",
}


@dataclass(slots=True)
class _Context:
    """What the claims of one article are built from."""

    article: Article
    doc: Doc
    # The article's annotations indexed by offset: every clause and token looks them up.
    named: SpanIndex[Entity]
    quotes: SpanIndex[Quote]
    quantities: SpanIndex[Quantity]
    dates: SpanIndex[Timex]
    last_person: str | None = None  # the latest person named as a subject, for "she"/"he"


def _context(article: Article) -> _Context:
    return _Context(
        article,
        get_doc(article),
        named=SpanIndex(e for e in article.entities if e.label in NAMED_LABELS),
        quotes=SpanIndex(article.quotes),
        quantities=SpanIndex(article.quantities),
        dates=SpanIndex(t for t in article.timexes if t.value and _is_date(t)),
    )


@stage("claims.v1", requires=("entities", "quotes", "quantities", "timexes"), assigns=("claims",))
def claims_stage(article: Article) -> Article:
    context = _context(article)
    claims: dict[tuple[int, int], Claim] = {}
    for sentence in context.doc.sents:
        if _is_question(sentence.text):
            continue  # a question asserts nothing
        for clause in sentence_clauses(sentence):
            claim = _claim(context, clause)
            if claim is not None:
                claims.setdefault((claim.start, claim.end), claim)
    article.claims = sorted(claims.values(), key=lambda c: (c.start, c.end))
    logger.debug("article %s: %d claims", article.id, len(article.claims))
    return article


def _is_question(sentence: str) -> bool:
    return sentence.rstrip().rstrip("\"'”’").endswith("?")


def _claim(context: _Context, clause: Clause) -> Claim | None:
    start, end = _span(context.doc, clause, context.article.text)
    if end <= start:
        return None
    article = context.article
    speaker = _speaker(context, clause, start)
    subject, obj, predicate = _subject_object_predicate(context, clause, speaker)
    if subject is None:
        return None
    entities = context.named.inside(start, end)
    claim = Claim(
        id=claim_id(article.id, start, end),
        text=article.text[start:end],
        start=start,
        end=end,
        attributed_to=speaker,
        subject=subject,
        predicate=predicate,
        object=obj,
        negated=_negated(clause),
        hedged=_hedged(clause),
        entities=[e.canonical or e.text for e in entities],
        values=[format_quantity(q) for q in context.quantities.inside(start, end)],
        dates=[t.value for t in context.dates.inside(start, end) if t.value],
        places=_unique(e.canonical or e.text for e in entities if e.label in PLACE_LABELS),
    )
    claim.entities = _unique(claim.entities)
    claim.key = claim_key(claim)
    return claim


def claim_id(article_id: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{article_id}:{start}:{end}".encode()).hexdigest()[:16]


def claim_key(claim: Claim) -> str:
    """``subject|predicate|object|entities``: lowercased, copulas as "be", entities sorted."""
    predicate = claim.predicate or ""
    first, _, rest = predicate.partition(" ")
    predicate = " ".join(filter(None, [COPULA_KEY.get(first, first), rest]))
    entities = ",".join(sorted({e.lower() for e in claim.entities}))
    return "|".join([(claim.subject or "").lower(), predicate, (claim.object or "").lower(), entities])


def format_quantity(quantity: Quantity) -> str:
    """ "15 children", "≥19000 children", "~100-999 drones", "record missiles"."""
    unit = f" {quantity.unit}" if quantity.unit else ""
    if quantity.value is None:
        return f"{quantity.modifier or ''}{unit}".strip()
    number = format_value(quantity.value)
    if quantity.value_max is not None:
        number = f"{number}-{format_value(quantity.value_max)}"
    sign = BOUND_SIGNS.get(quantity.modifier or "", "~" if quantity.approximate else "")
    return f"{sign}{number}{unit}"


# -- span -------------------------------------------------------------------------------


def _span(doc: Doc, clause: Clause, text: str) -> tuple[int, int]:
    """Character span of the clause; ``text`` is the article text (Doc.text would rebuild it per call)."""
    anchor = clause.anchor or clause.verb
    indices = {t.i for t in anchor.subtree} - clause.excluded
    if clause.subject is not None and clause.subject_in_span:
        indices.update(t.i for t in clause.subject.subtree)
    sentence = anchor.sent
    # Punctuation, conjunctions and subordinators belong to no proposition; nor do line breaks.
    kept = sorted(
        i
        for i in indices
        if sentence.start <= i < sentence.end
        and not (doc[i].is_punct or doc[i].is_space or doc[i].dep_ in {"cc", "mark"})
    )
    # A proposition never crosses a line break: the parser glues headlines and date lines to the
    # first sentence, so keep only the anchor's own line.
    line_start = text.rfind("\n", 0, anchor.idx) + 1
    line_end = text.find("\n", anchor.idx)
    line_end = len(text) if line_end < 0 else line_end
    kept = [i for i in kept if line_start <= doc[i].idx < line_end]
    if not kept:
        return 0, 0
    return doc[kept[0]].idx, doc[kept[-1]].idx + len(doc[kept[-1]].text)


# -- who and what -------------------------------------------------------------------------


def _speaker(context: _Context, clause: Clause, start: int) -> str | None:
    quote = context.quotes.at(start)
    if quote is not None and quote.speaker:
        return quote.speaker
    if clause.speaker_name is not None:
        return clause.speaker_name
    if clause.speaker is None:
        return None
    return _name(context, clause.speaker, speaker=None, reported=False)


def _subject_object_predicate(
    context: _Context, clause: Clause, speaker: str | None
) -> tuple[str | None, str | None, str]:
    if clause.elaborates is not None:
        # "including seven children in December": what the parent says, about these.
        parent = clause.elaborates
        counted = next(c for c in (clause.anchor or parent.verb).children if c.dep_ == "pobj")
        _, obj, predicate = _subject_object_predicate(context, parent, speaker)
        return _name(context, counted, speaker=speaker, reported=False), obj, predicate
    verb = clause.verb
    theme = passive_theme(verb)
    subject_token = subject_of(clause)
    subject = _subject_name(context, clause, subject_token, speaker) if subject_token is not None else None
    predicate, object_token = _predicate(verb)
    object_token = theme if theme is not None else object_token
    obj = _name(context, object_token, speaker=None, reported=False) if object_token else None
    return subject, obj, predicate


def _subject_name(context: _Context, clause: Clause, token: Token, speaker: str | None) -> str:
    # "Ukraine accused Russia of abducting ... since it invaded": "it" is the governing subject.
    governor = clause.governor
    if token.lower_ in THIRD_PERSON and governor is not None and context.named.at(token.idx) is None:
        governing = subject_of(governor)
        if governing is not None and governing.lower_ not in THIRD_PERSON:
            return _name(context, governing, speaker=speaker, reported=False)
    name = _name(context, token, speaker=speaker, reported=clause.reported)
    entity = context.named.at(token.idx)
    if entity is not None and entity.label == "PERSON":
        context.last_person = name  # only subjects are salient enough to be "she" later
    return name


def _predicate(verb: Token) -> tuple[str, Token | None]:
    """Lemma (+ particle, + bare complement like "in contact") and the object token."""
    words = [verb.lemma_.lower()]
    words += [c.lower_ for c in verb.children if c.dep_ == "prt"]
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "attr", "oprd"}), None)
    acomp = next((c for c in verb.children if c.dep_ == "acomp"), None)
    if obj is None and acomp is not None:
        words.append(acomp.lemma_.lower())
    if obj is not None:
        return " ".join(words), obj
    xcomp = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
    if xcomp is not None and acomp is None:
        # "ended up spending 51 days", "managed to free them": the complement carries the content.
        inner, inner_obj = _predicate(xcomp)
        return " ".join([*words, inner]), inner_obj
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.i > verb.i):
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None or _is_time(pobj) or prep.lower_ in CIRCUMSTANTIAL:
            continue
        if _is_bare_complement(pobj):
            words += [prep.lower_, pobj.lower_]
            return " ".join(words), _nested_object(pobj, verb)
        return " ".join(words), pobj
    return " ".join(words), None


def _is_bare_complement(noun: Token) -> bool:
    # "in contact", "in talks", "in custody": a bare singular noun completing the verb.
    return noun.tag_ in {"NN", "NNS"} and not any(c.dep_ in {"det", "poss", "nummod"} for c in noun.children)


def _nested_object(noun: Token, verb: Token) -> Token | None:
    """The object of "with ..." after "in contact", attached to the noun or the verb."""
    for head in (noun, verb):
        for prep in (c for c in head.children if c.dep_ == "prep" and c.i > noun.i):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and not _is_time(pobj):
                return pobj
    return None


def _is_time(token: Token) -> bool:
    return token.ent_type_ in {"DATE", "TIME"}


def _name(context: _Context, token: Token, *, speaker: str | None, reported: bool) -> str:
    """Canonical entity, resolved pronoun, counted unit, or head noun phrase for ``token``."""
    entity = context.named.at(token.idx)
    if entity is not None:
        name = entity.canonical or entity.text
        return _with_possessor(context, token, name, entity)
    named = _named_apposition(context.named, token)
    if named is not None:
        return named  # "her husband, President Donald Trump": the name says who it is
    lower = token.lower_
    if lower in FIRST_PERSON and speaker:
        return speaker
    if lower in THIRD_PERSON:
        return _pronoun(context, lower, speaker=speaker, reported=reported)
    counted = _counted_unit(context.quantities, token)
    if counted is not None:
        return counted
    return _with_possessor(context, token, _noun_phrase(token), None)


def _named_apposition(named: SpanIndex[Entity], token: Token) -> str | None:
    for child in token.children:
        entity = named.at(child.idx) if child.dep_ == "appos" else None
        if entity is not None:
            return entity.canonical or entity.text
    return None


def _with_possessor(context: _Context, token: Token, name: str, entity: Entity | None) -> str:
    # "Vladimir Putin's team": keep who the team belongs to; the head noun decides what it is.
    owner = next((c for c in token.children if c.dep_ == "poss"), None)
    if owner is not None and (entity is None or not entity.start <= owner.idx < entity.end):
        owner_name = _name(context, owner, speaker=None, reported=False)
        if owner_name.lower() == owner.lower_ and owner.tag_ == "PRP$":
            return name  # an unresolved "his"/"their" says nothing about whose
        return f"{owner_name}'s {name}"
    return name


def _pronoun(context: _Context, pronoun: str, *, speaker: str | None, reported: bool) -> str:
    # In reported speech "X said she/it ..." usually means X; otherwise "she"/"he" is the last
    # person who was a subject. Anything else stays as written.
    if reported and speaker:
        return speaker
    if pronoun in {"he", "she", "him", "her"} and context.last_person:
        return context.last_person
    return pronoun


def _counted_unit(quantities: SpanIndex[Quantity], token: Token) -> str | None:
    if token.pos_ != "NUM":
        return None
    quantity = quantities.at(token.idx)
    return quantity.unit if quantity is not None else None


def _noun_phrase(token: Token) -> str:
    """Modifiers and the head, without determiners, numbers or possessors: "East Wing spokesman"."""
    if token.pos_ == "PROPN":
        return token.text
    skip = {"det", "poss", "case", "nummod", "quantmod", "punct", "predet", "advmod", "cc", "conj"}
    words: list[Token] = []
    for left in reversed(list(token.lefts)):
        if left.dep_ not in {"compound", "amod", "nmod"}:
            break
        words[:0] = [t for t in left.subtree if t.dep_ not in skip or t.i == left.i]
    return " ".join([*(w.text for w in words), token.text]).lower()


# -- flags and lookups ----------------------------------------------------------------------


def _negated(clause: Clause) -> bool:
    verb = clause.verb
    own = any(c.dep_ == "neg" or (c.lower_ in NEGATIONS and c.dep_ == "advmod") for c in verb.children)
    denial = clause.elaborates is None and verb.lemma_ in NEGATING_FRAMES  # "Russia has refuted these claims"
    return clause.negated != (own or denial)  # a denied negative ("denied not paying") is a positive


def _hedged(clause: Clause) -> bool:
    verb = clause.verb
    hedges = [c for c in verb.children if c.lower_ in HEDGES and c.dep_ in {"aux", "advmod"}]
    if verb.dep_ == "conj" and not any(c.dep_ == "aux" for c in verb.children):
        # "may have seized the airport and closed the border": the modal scopes over both.
        hedges += [c for c in verb.head.children if c.lower_ in HEDGES and c.dep_ == "aux"]
    return clause.hedged or bool(hedges)


def _is_date(timex: Timex) -> bool:
    return timex.type in {"DATE", "TIME"} and bool(timex.value)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
