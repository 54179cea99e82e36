"""Quotes across articles: the same words reported by two outlets are one quote with two sources.

Words are compared after lowercasing and unifying apostrophes, in order (difflib matching blocks).
A quote whose words appear, in order, in another article's quote (share ≥ ``fact_quote_coverage``)
is the same quote. The longest version is the statement; words only it has make a refinement
("a fuller version"); words of a shorter version missing from it mean an altered quote, a conflict
that lists them (``negation`` when a "not" appears or disappears).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..model import Article, Conflict, FactSource, Quote, Refinement, Variant
from .align import is_verbatim
from .values import Match, compare_names

WORD = re.compile(r"[\w']+")
NEGATION_WORDS = frozenset({"not", "no", "never", "n't", "don't", "didn't", "won't", "can't", "isn't"})


@dataclass(slots=True)
class QuoteUnit:
    article: Article
    quote: Quote
    origin: str
    words: list[str]
    position: int

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.article.id, self.quote.start, self.quote.end)


def quote_words(text: str) -> list[str]:
    # Apostrophes inside a word stay ("i'm"); at its edges they are quotation marks ("'locked down'").
    words = (w.strip("'") for w in WORD.findall(text.lower().replace("’", "'").replace("‘", "'")))
    return [w for w in words if w]


def quote_units(articles: Sequence[Article], origins: Mapping[str, str]) -> list[QuoteUnit]:
    return [
        QuoteUnit(article, quote, origins[article.id], quote_words(quote.text), position)
        for position, article in enumerate(articles)
        for quote in article.quotes
        if is_verbatim(quote.kind, quote.text) and quote_words(quote.text)
    ]


def coverage(short: Sequence[str], long: Sequence[str]) -> float:
    """Share of ``short``'s words found, in order, in ``long``."""
    if not short:
        return 0.0
    blocks = SequenceMatcher(None, list(short), list(long), autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(short)


def align_quotes(units: Sequence[QuoteUnit], *, min_coverage: float) -> list[list[QuoteUnit]]:
    """Groups of quotes that are one quote; fragments of one article may join the same fuller quote."""
    parent = list(range(len(units)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, first in enumerate(units):
        for j in range(i + 1, len(units)):
            second = units[j]
            if first.article.id == second.article.id:
                continue
            short, long = sorted((first.words, second.words), key=len)
            if coverage(short, long) >= min_coverage:
                parent[find(j)] = find(i)
    found: dict[int, list[QuoteUnit]] = {}
    for i, unit in enumerate(units):
        found.setdefault(find(i), []).append(unit)
    return list(found.values())


def fullest(group: Sequence[QuoteUnit]) -> QuoteUnit:
    return max(group, key=lambda u: (len(u.words), -u.position, -u.quote.start))


def differences(group: Sequence[QuoteUnit]) -> tuple[list[Refinement], list[Conflict]]:
    """Per other article: words only the fullest version has (refinement), words it lacks (conflict)."""
    full = fullest(group)
    refinements: list[Refinement] = []
    conflicts: list[Conflict] = []
    for article_id in dict.fromkeys(u.article.id for u in group if u.article.id != full.article.id):
        parts = [u for u in group if u.article.id == article_id]
        covered, altered = _compare_parts(parts, full.words)
        missing = [w for k, w in enumerate(full.words) if k not in covered]
        variants = [_variant(full), *(_variant(u) for u in parts)]
        if missing:
            refinements.append(Refinement("quote", variants, "quote.fuller_version", missing))
        if altered:
            kind = "negation" if set(altered) & NEGATION_WORDS else "other"
            conflicts.append(Conflict(kind, variants, "quote.altered_words", altered))
        speaker = _speaker_conflict(full, parts)
        if speaker is not None:
            conflicts.append(speaker)
    return refinements, conflicts


def _compare_parts(parts: Sequence[QuoteUnit], full: Sequence[str]) -> tuple[set[int], list[str]]:
    covered: set[int] = set()
    altered: list[str] = []
    for part in parts:
        matcher = SequenceMatcher(None, part.words, list(full), autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                covered.update(range(j1, j2))
            elif tag in {"replace", "delete"}:
                altered += part.words[i1:i2]
    return covered, altered


def _speaker_conflict(full: QuoteUnit, parts: Sequence[QuoteUnit]) -> Conflict | None:
    for part in parts:
        if compare_names(full.quote.speaker, part.quote.speaker) is Match.CONFLICT:
            variants = [
                Variant(u.article.id, u.quote.speaker or "", u.quote.speaker_start, u.quote.speaker_end)
                for u in (full, part)
            ]
            return Conflict("attribution", variants, "quote.different_speaker")
    return None


def _variant(unit: QuoteUnit) -> Variant:
    return Variant(unit.article.id, unit.quote.text, unit.quote.start, unit.quote.end)


def quote_source(unit: QuoteUnit) -> FactSource:
    quote = unit.quote
    return FactSource(unit.article.id, quote.start, quote.end, quote.text, unit.origin, "quote")
