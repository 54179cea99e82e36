"""Fact comparison within a story: which facts independent outlets corroborate, and where they disagree.

``compare_story(articles)`` aligns the claims (:mod:`.align`) and the verbatim quotes
(:mod:`.quote_compare`) of a story's annotated articles and decides a verdict per aligned group
(:mod:`.verdicts`):

- ``corroborated``: at least two independent origins say it, with compatible details;
- ``single_source``: one origin only (``Fact.single_origin`` says which; copies of it do not count);
- ``conflicting``: the versions disagree, with the kind (``number``, ``date``, ``attribution``,
  ``entity``, ``negation``, ``other``) and the wording of each side.

A difference of precision (a day inside a month, "at least 19,000" vs "19,000", a fuller quote) is a
``Refinement``, not a conflict. Every fact lists its sources as spans of each article's text and
names the rule that decided its status. There is no entailment model: verdicts come from the
structure of the claims (predicate senses, names, numbers, dates, polarity, speakers).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from ..errors import E540, OptionError
from ..model import Article, Fact
from ..settings import DEFAULT, Settings
from .align import align_claims, claim_units
from .quote_compare import align_quotes, quote_units
from .verdicts import claim_fact, quote_fact

logger = logging.getLogger(__name__)

STATUS_ORDER = {"conflicting": 0, "corroborated": 1, "single_source": 2}


def compare_story(
    articles: Sequence[Article], *, origins: Mapping[str, str] | None = None, settings: Settings = DEFAULT
) -> list[Fact]:
    """The facts of one story: conflicting first, then corroborated, then single-source, each in text order.

    ``origins`` maps article id → origin group id (copies of one wire story share one); an article
    missing from it, or every article when it is None, is its own origin.
    """
    settings.validate()
    origin_of = _origins(articles, origins or {})
    quotes = align_quotes(quote_units(articles, origin_of), min_coverage=settings.fact_quote_coverage)
    # A quote only one article has is no fact of its own: its claims are compared like any other.
    shared = [group for group in quotes if len({u.article.id for u in group}) > 1]
    quoted = {unit.key for group in shared for unit in group}
    units = claim_units(articles, origin_of, quoted=quoted)
    claims = align_claims(units, threshold=settings.fact_align_threshold)
    facts = [claim_fact(group) for group in claims] + [quote_fact(group) for group in shared]
    logger.debug("story of %d articles: %d facts", len(articles), len(facts))
    position = {article.id: i for i, article in enumerate(articles)}
    return sorted(
        facts, key=lambda f: (STATUS_ORDER[f.status], position[f.sources[0].article], f.sources[0].start)
    )


def _origins(articles: Sequence[Article], origins: Mapping[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for article in articles:
        if article.id in found:
            raise OptionError(E540.format(id=article.id))
        found[article.id] = origins.get(article.id, article.id)
    return found
