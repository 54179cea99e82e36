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

import re
from typing import TYPE_CHECKING

from ..model import Article, Entity
from .entities import canonical_at, resolve_mention
from .pipeline import doc_text
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
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE"})
# A pronoun with no other antecedent refers to the latest speaker if that one spoke this recently.
RECENT_CHARS = 600
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
COURTESY_BEFORE = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr)\.|\b(?:President|Justice|Judge)) $")
TITLES = frozenset(
    {"mr", "mrs", "ms", "dr", "sen", "senator", "rep", "gov", "president", "vice", "prime", "minister"}
    | {"secretary", "judge", "justice", "gen", "general", "chairman", "chairwoman", "director", "mayor"}
    | {"sir", "dame", "lord", "lady", "first"}
)


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
    text = doc_text(doc)  # not doc.text: that rebuilds the whole text for every quote
    after_end = text.find("\n", quote.outer_end)
    after_end = min(len(text) if after_end < 0 else after_end, quote.outer_end + 80)
    before_start = max(text.rfind("\n", 0, quote.outer_start) + 1, quote.outer_start - 80)
    after = doc.char_span(quote.outer_end, after_end, alignment_mode="contract")
    before = doc.char_span(before_start, quote.outer_start, alignment_mode="contract")
    nearby = list(after[:ADJACENT_TOKENS]) if after is not None else []
    nearby += list(reversed(before[-ADJACENT_TOKENS:])) if before is not None else []
    for token in nearby:
        if _inside(token.idx, inside_quotes) or (token.is_sent_start and token.idx >= quote.outer_end):
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


class SpeakerResolver:
    """Names speakers in text order, remembering who has spoken so far in the article.

    Order of evidence: a reporter noun; for a pronoun, a named subject earlier in its sentence
    ("Pence bashed … and he said …"), the entities stage's antecedent, then the latest speaker;
    an entity at the phrase head (or in apposition: "Director … Dan Coats"); a bare surname
    the parser did not tag, matched to the one full name in the article (preferring people who
    already spoke); a role noun resolved by the entities stage ("the president").
    """

    def __init__(self, article: Article, doc: Doc) -> None:
        self.article = article
        self.doc = doc
        # Any label: the parser sometimes tags a full name as a work of art or an organisation.
        self.people = sorted({e.canonical or e.text for e in article.entities})
        self.spoken: list[tuple[int, str]] = []

    def resolve(self, who: Attribution) -> tuple[int, int, str | None]:
        head = self.doc[who.speaker_head]
        entity = self._entity(head)
        start, end = (
            (entity.start, entity.end) if entity is not None else (who.speaker_start, who.speaker_end)
        )
        name = self._name(head, start, end, entity)
        if name is not None:
            self.spoken.append((start, name))
        return start, end, name

    def _entity(self, head: Token) -> Entity | None:
        """The entity at the head, or the one person named under a title head ("Director of
        National Intelligence Dan Coats"); never a person merely mentioned in a description."""
        for entity in self.article.entities:
            if entity.start <= head.idx < entity.end and entity.label in SPEAKER_LABELS:
                return entity
        if head.pos_ != "PROPN":
            return None
        low, high = head.left_edge.idx, head.right_edge.idx + len(head.right_edge.text)
        people = [
            e for e in self.article.entities if low <= e.start and e.end <= high and e.label == "PERSON"
        ]
        return people[0] if len(people) == 1 else None

    def _name(self, head: Token, start: int, end: int, entity: Entity | None) -> str | None:
        if head.lower_ in REPORTER_NOUNS or head.lemma_.lower() in REPORTER_NOUNS:
            return REPORTER
        if head.lower_ in PRONOUNS:
            return self._pronoun(head, start, end)
        if entity is not None:
            name = canonical_at(self.article, entity.start, entity.end)
            return self._expand(name) if name else name
        if _has_entity(self.article, start, end):
            return None  # "An East Wing spokesman": the entity is a modifier, not the speaker
        if head.pos_ == "PROPN":
            return self._expand(_tidy(self.article.text[start:end]))
        return resolve_mention(self.article, start, end)

    def _pronoun(self, head: Token, start: int, end: int) -> str | None:
        earlier = self._named_subject_before(head)
        if earlier is not None:
            return earlier
        found = resolve_mention(self.article, start, end)
        if found is not None:
            return found
        if self.spoken and start - self.spoken[-1][0] < RECENT_CHARS:
            return self.spoken[-1][1]
        return _reporter_before(self.doc, head)

    def _named_subject_before(self, pronoun: Token) -> str | None:
        for token in reversed(self.doc[pronoun.sent.start : pronoun.i]):
            if token.dep_ == "nsubj" and token.pos_ == "PROPN":
                entity = self._entity(token)
                if entity is not None and entity.label == "PERSON":
                    return self._expand(canonical_at(self.article, entity.start, entity.end) or entity.text)
                return None
        return None

    def _expand(self, name: str) -> str:
        """ "Flake" → "Jeff Flake" when exactly one person in the article (or among speakers) fits."""
        words = name.split()
        if len(words) != 1:
            return name
        fits = [p for p in self.people if p != name and _surname(p) == words[0]]
        if len(fits) > 1:
            spoken = {n for _, n in self.spoken}
            fits = [p for p in fits if p in spoken]
        return fits[0] if len(fits) == 1 else name


def _coordinated_end(head: Token, who: Attribution) -> int | None:
    """End of "X and Y" when the speaker is a coordination (however the parser attached Y)."""
    if any(child.dep_ == "conj" for child in head.children):
        return who.speaker_end
    after = head.right_edge.i + 1
    if (
        after + 1 < len(head.doc)
        and head.doc[after].lower_ in ("and", "&")
        and head.doc[after].idx < who.cue_start
    ):
        last = head.doc.char_span(head.doc[after].idx, who.cue_start, alignment_mode="contract")
        if last is not None and len(last) > 1 and last[-1].pos_ in ("PROPN", "NOUN"):
            return last[-1].idx + len(last[-1].text)
    return None


def _with_courtesy_title(text: str, start: int) -> int:
    """Start a name's span at a courtesy title written right before it ("Mr. Vale", "President Trump")."""
    before = text[max(0, start - 12) : start]
    match = COURTESY_BEFORE.search(before)
    return start - len(match.group(0)) if match else start


def _surname(name: str) -> str | None:
    words = [w for w in name.split() if w.lower().rstrip(".,") not in NAME_SUFFIXES]
    return words[-1] if len(words) > 1 else None


def _tidy(phrase: str) -> str:
    """A name without leading titles and honorifics ("Sen. Jeff Flake" → "Jeff Flake")."""
    words = phrase.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    name = " ".join(words)
    return name.title() if name.isupper() and len(name) > 3 else name  # transcript labels shout


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
