"""Candidate alignment: which claims of different articles are about the same thing.

Two claims are candidates only when their predicates share a sense (:mod:`.senses`). The score
(0..1) then adds agreement of subject and object names, shared canonical entities, the wording
(rapidfuzz token-set ratio) and compatible numbers and dates. Pairs are merged best-first into
groups, never putting two claims of one article in the same group, so "15 children returned" pairs
with "Fifteen children returned" before it can pair with "seven of them returned in December".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..model import Article, Claim
from .senses import claim_senses, opposite
from .values import Match, compare_dates, compare_names, compare_values, is_named

# Predicates so common that sharing them says little about sharing a fact.
GENERIC_SENSES = frozenset({"be", "have", "do", "make", "get", "go", "come", "say", "take", "give"})
NAME_SCORE = {Match.SAME: 1.0, Match.REFINES: 0.8, Match.POSSESSOR: 0.7, Match.NONE: 0.3, Match.CONFLICT: 0.0}
VALUE_BONUS = {
    Match.SAME: 0.1,
    Match.REFINES: 0.05,
    Match.POSSESSOR: 0.0,
    Match.NONE: 0.0,
    Match.CONFLICT: -0.1,
}
DATE_BONUS = {
    Match.SAME: 0.05,
    Match.REFINES: 0.03,
    Match.POSSESSOR: 0.0,
    Match.NONE: 0.0,
    Match.CONFLICT: -0.1,
}
ELABORATION_PENALTY = 0.2  # "including seven of them" is a part, not the whole
MIN_QUOTE_WORDS = 3


@dataclass(slots=True)
class ClaimUnit:
    """A claim of one article, with what alignment needs precomputed."""

    article: Article
    claim: Claim
    origin: str
    senses: frozenset[str]
    position: int  # article order, for stable output

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.article.id, self.claim.start, self.claim.end)

    @property
    def elaboration(self) -> bool:
        return self.claim.text.lower().startswith("including")


def claim_units(
    articles: Sequence[Article], origins: Mapping[str, str], *, quoted: Collection[tuple[str, int, int]] = ()
) -> list[ClaimUnit]:
    """Every claim, except those inside ``quoted`` (article id, start, end): quotes that another article
    reports too are compared as quotes (:mod:`.quote_compare`), not claim by claim."""
    units = []
    for position, article in enumerate(articles):
        spans = [(start, end) for article_id, start, end in quoted if article_id == article.id]
        for claim in article.claims:
            if any(start <= claim.start and claim.end <= end for start, end in spans):
                continue
            senses = claim_senses(claim)
            if senses:
                units.append(ClaimUnit(article, claim, origins[article.id], senses, position))
    return units


def is_verbatim(kind: str, text: str) -> bool:
    return kind == "direct" and len(text.split()) >= MIN_QUOTE_WORDS


def pair_score(first: ClaimUnit, second: ClaimUnit) -> float:
    """How likely two claims of different articles state the same fact (0 = not candidates)."""
    shared = first.senses & second.senses
    # Opposite predicates ("rose" vs "fell") about the same thing are candidates too: a conflict to show.
    related = bool(shared) or opposite(first.senses, second.senses)
    if first.article.id == second.article.id or not related or _opposed_parties(first.claim, second.claim):
        return 0.0
    one, two = first.claim, second.claim
    score = 0.15 if shared and shared <= GENERIC_SENSES else 0.3
    score += 0.15 * NAME_SCORE[compare_names(one.subject, two.subject)]
    score += 0.15 * NAME_SCORE[compare_names(one.object, two.object)]
    score += 0.15 * entity_overlap(one.entities, two.entities)
    score += 0.2 * fuzz.token_set_ratio(one.text.lower(), two.text.lower()) / 100
    score += VALUE_BONUS[compare_values(one.values, two.values)[0]]
    score += DATE_BONUS[compare_dates(one.dates, two.dates)[0]]
    if first.elaboration != second.elaboration:
        score -= ELABORATION_PENALTY
    return max(0.0, min(1.0, score))


def _opposed_parties(first: Claim, second: Claim) -> bool:
    # "Ukraine accuses Russia of X" and "Russia denies X": two parties' positions, both reported, not
    # two outlets disagreeing. Different named speakers with opposite polarity are different claims.
    speakers = (first.attributed_to, second.attributed_to)
    named = all(is_named(s, []) for s in speakers)
    return named and compare_names(*speakers) is Match.CONFLICT and first.negated != second.negated


def entity_overlap(first: Sequence[str], second: Sequence[str]) -> float:
    """Overlap coefficient of the canonical entities; 0.5 (no evidence) when one side has none."""
    one, two = {e.lower() for e in first}, {e.lower() for e in second}
    if not one or not two:
        return 0.5
    return len(one & two) / min(len(one), len(two))


def align_claims(units: Sequence[ClaimUnit], *, threshold: float) -> list[list[ClaimUnit]]:
    """Groups of aligned claims (singletons included), merged best pair first."""
    # Only the pairs that can merge are kept: all pairs of a story of a hundred articles are millions.
    scored = []
    for i, a in enumerate(units):
        for j in range(i + 1, len(units)):
            b = units[j]
            if b.article.id != a.article.id and (score := pair_score(a, b)) >= threshold:
                scored.append((score, i, j))
    groups = _DisjointGroups(units)
    for _, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        groups.merge(i, j)
    return groups.groups()


class _DisjointGroups:
    """Union-find with a cannot-link rule: one claim per article in a group."""

    def __init__(self, units: Sequence[ClaimUnit]) -> None:
        self.units = units
        self.parent = list(range(len(units)))
        self.articles = [{u.article.id} for u in units]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def merge(self, i: int, j: int) -> None:
        root_i, root_j = self.find(i), self.find(j)
        if root_i == root_j or self.articles[root_i] & self.articles[root_j]:
            return
        self.parent[root_j] = root_i
        self.articles[root_i] |= self.articles[root_j]

    def groups(self) -> list[list[ClaimUnit]]:
        found: dict[int, list[ClaimUnit]] = {}
        for i, unit in enumerate(self.units):
            found.setdefault(self.find(i), []).append(unit)
        return list(found.values())
