"""One name per entity across a story's articles, from the alias table that grows as articles arrive.

Each article's stages link its own mentions ("Putin" → "Vladimir Putin" when the article spells it
out); the :class:`~storyline.nlp.aliases.AliasTable` carries what earlier articles taught to later
ones. Renaming touches every place a canonical name was copied: entities, quote speakers, and the
subjects, objects, attributions, entity lists and keys of claims.
"""

from __future__ import annotations

from ..model import Article
from ..nlp.aliases import AliasTable
from ..nlp.claims import claim_key


def unify_names(article: Article, aliases: AliasTable) -> Article:
    """Rewrite ``article``'s canonical names to the table's, in place; returns the article."""
    renamed: dict[str, str] = {}
    for entity in article.entities:
        old = entity.canonical or entity.text
        entity.canonical = aliases.canonical(old, entity.label)
        if entity.canonical != old:
            renamed[old] = entity.canonical
    if not renamed:
        return article
    for quote in article.quotes:
        if quote.speaker:
            quote.speaker = renamed.get(quote.speaker, quote.speaker)
    for claim in article.claims:
        claim.subject = _rename(claim.subject, renamed)
        claim.object = _rename(claim.object, renamed)
        claim.attributed_to = _rename(claim.attributed_to, renamed)
        claim.entities = [renamed.get(e, e) for e in claim.entities]
        claim.key = claim_key(claim)
    return article


def _rename(value: str | None, renamed: dict[str, str]) -> str | None:
    if not value:
        return value
    if value in renamed:
        return renamed[value]
    # Possessive objects keep their owner's new name: "Putin's team" → "Vladimir Putin's team".
    for old, new in renamed.items():
        if value.startswith(f"{old}'s ") or value.startswith(f"{old}’s "):
            return new + value[len(old) :]
    return value
