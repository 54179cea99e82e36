"""Named entities with identities: spaCy NER, repaired for news, each mention with a canonical name.

The ``entities.v1`` stage fills ``article.entities``. Repairs live in :mod:`.ner_repair`,
within-article linking in :mod:`.canonical`, cross-article aliases in :mod:`.aliases`.
Besides spaCy's named mentions the stage adds resolved non-named ones, labelled PERSON:
role nouns ("the first lady"), role acronyms (FLOTUS) and "she"/"he" as subject of an
attribution verb, so quote and claim stages can attribute to them.

Two helpers serve the later stages: :func:`canonical_at` (the entity at a span) and
:func:`resolve_mention` (also pronouns and role nouns that are not entities).
"""

from __future__ import annotations

import logging

from ..errors import E441, OptionError
from ..model import Article, Entity
from ..registry import stage
from .aliases import ROLE_ACRONYMS, surface_key
from .canonical import (
    PRONOUN_GENDER,
    antecedent,
    attach_cues,
    canonicalise,
    collect_people,
    role_holder,
    role_noun_mentions,
)
from .ner_repair import Mention, repair
from .pipeline import get_doc

logger = logging.getLogger(__name__)


@stage("entities.v1", assigns=("entities",))
def entities_stage(article: Article) -> Article:
    """Fill ``article.entities`` (sorted, disjoint, offsets into ``article.text``)."""
    doc = get_doc(article)
    mentions = canonicalise(repair(doc), doc)
    article.entities = [_entity(m, article.text) for m in mentions]
    logger.debug("article %s: %d entities", article.id, len(article.entities))
    return article


def _entity(mention: Mention, text: str) -> Entity:
    return Entity(
        text[mention.start : mention.end], mention.label, mention.start, mention.end, mention.canonical
    )


def canonical_at(article: Article, start: int, end: int) -> str | None:
    """Canonical name of the entity covering or overlapping ``start:end``; None if there is none.

    When several overlap, a person wins, then the largest overlap.
    """
    _check_span(article, start, end)
    overlapping = [e for e in article.entities if e.start < end and start < e.end]
    if not overlapping:
        return None
    # A person inside the span is who it names ("U.S. first lady Melania Trump", "the Russian leader").
    best = max(
        overlapping, key=lambda e: (e.label == "PERSON", min(e.end, end) - max(e.start, start), -e.start)
    )
    return best.canonical or best.text


def resolve_mention(article: Article, start: int, end: int) -> str | None:
    """Like :func:`canonical_at`, and also resolves a pronoun, role noun or role acronym at the span."""
    found = canonical_at(article, start, end)
    if found is not None:
        return found
    persons = _person_mentions(article)
    people = collect_people(persons)
    surface = article.text[start:end].strip()
    key = surface_key(surface)
    if key in PRONOUN_GENDER:
        return antecedent(start, PRONOUN_GENDER[key], persons, people, get_doc(article))
    if key in ROLE_ACRONYMS:
        role, place = ROLE_ACRONYMS[key]
        holder = role_holder(people, role, place, before=start)
        return holder.name if holder else None
    roles = role_noun_mentions(article.text, people, start=start, end=end)
    return roles[0].canonical if roles else None


def _person_mentions(article: Article) -> list[Mention]:
    """The article's named people as mentions, with the role cues around them recomputed."""
    mentions = [Mention(e.start, e.end, e.label, canonical=e.canonical or e.text) for e in article.entities]
    attach_cues(mentions, article.text)
    return [m for m in mentions if m.label == "PERSON"]


def _check_span(article: Article, start: int, end: int) -> None:
    if not 0 <= start <= end <= len(article.text):
        raise OptionError(E441.format(start=start, end=end, article=article.id, length=len(article.text)))
