"""Decide, per aligned group, whether a fact is corroborated, single-source or conflicting, and why.

Every pair of claims from different articles in a group is checked part by part (:mod:`.values`).
A part that cannot be true in both is a :class:`~storyline.model.Conflict`; a part that is only
more precise in one is a :class:`~storyline.model.Refinement`. Each names the rule that found it,
and the variants carry the claim spans, so every verdict explains itself.

Status rules, in order: ``conflict.<kind>`` (any conflict), ``corroborated.independent_origins``
(≥ 2 origins), ``single_source.one_origin``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import TypeVar

from ..model import Conflict, Fact, FactSource, Refinement, Variant
from .align import ClaimUnit
from .quote_compare import QuoteUnit, differences, fullest, quote_source
from .senses import opposite
from .values import Match, compare_dates, compare_names, compare_values, is_named, name_words, split_possessor

Finding = Conflict | Refinement
F = TypeVar("F", Conflict, Refinement)
PairCheck = Callable[[ClaimUnit, ClaimUnit], list[Finding]]


def claim_fact(group: Sequence[ClaimUnit]) -> Fact:
    units = sorted(group, key=lambda u: (u.position, u.claim.start))
    sources = [_claim_source(u) for u in units]
    conflicts: list[Conflict] = []
    refinements: list[Refinement] = []
    for first, second in combinations(units, 2):
        for finding in (f for check in PAIR_CHECKS for f in check(first, second)):
            if isinstance(finding, Conflict):
                conflicts.append(finding)
            else:
                refinements.append(finding)
    statement = _statement(units)
    return decide(sources, conflicts=_merge(conflicts), refinements=_merge(refinements), statement=statement)


def quote_fact(group: Sequence[QuoteUnit]) -> Fact:
    units = sorted(group, key=lambda u: (u.position, u.quote.start))
    refinements, conflicts = differences(units)
    fact = decide(
        [quote_source(u) for u in units],
        conflicts=conflicts,
        refinements=refinements,
        statement=fullest(units).quote.text,
    )
    fact.kind = "quote"
    return fact


def decide(
    sources: list[FactSource], *, conflicts: list[Conflict], refinements: list[Refinement], statement: str
) -> Fact:
    origins = list(dict.fromkeys(s.origin or s.article for s in sources))
    if conflicts:
        status, rule = "conflicting", f"conflict.{conflicts[0].kind}"
    elif len(origins) >= 2:
        status, rule = "corroborated", "corroborated.independent_origins"
    else:
        status, rule = "single_source", "single_source.one_origin"
        if len({s.article for s in sources}) > 1:
            rule = "single_source.copies_of_one_origin"
    return Fact(
        id=fact_id(sources),
        statement=statement,
        status=status,
        independent_sources=len(origins),
        sources=sources,
        conflicts=conflicts,
        rule=rule,
        refinements=refinements,
        single_origin=origins[0] if len(origins) == 1 else None,
    )


def fact_id(sources: Sequence[FactSource]) -> str:
    keys = sorted(f"{s.article}:{s.start}:{s.end}" for s in sources)
    return hashlib.sha256("|".join(keys).encode()).hexdigest()[:16]


def _claim_source(unit: ClaimUnit) -> FactSource:
    claim = unit.claim
    return FactSource(unit.article.id, claim.start, claim.end, claim.text, unit.origin, "claim", claim.id)


def _statement(units: Sequence[ClaimUnit]) -> str:
    # The most precise wording: most numbers and dates, then the shortest (least padding).
    best = max(units, key=lambda u: (len(u.claim.values) + len(u.claim.dates), -len(u.claim.text)))
    return best.claim.text


def _variants(first: ClaimUnit, second: ClaimUnit, texts: tuple[str, str] | None = None) -> list[Variant]:
    pairs = zip((first, second), texts or (first.claim.text, second.claim.text), strict=True)
    return [Variant(u.article.id, text, u.claim.start, u.claim.end) for u, text in pairs]


# -- the checks, one per part of a claim ------------------------------------------------------------


def check_numbers(first: ClaimUnit, second: ClaimUnit) -> list[Finding]:
    found = compare_values(first.claim.values, second.claim.values)
    return _value_findings("number", found, first, second, rules=("disjoint_values", "compatible_bounds"))


def check_dates(first: ClaimUnit, second: ClaimUnit) -> list[Finding]:
    found = compare_dates(first.claim.dates, second.claim.dates)
    return _value_findings("date", found, first, second, rules=("disjoint_periods", "nested_periods"))


def _value_findings(
    kind: str,
    found: tuple[Match, str | None, str | None],
    first: ClaimUnit,
    second: ClaimUnit,
    *,
    rules: tuple[str, str],
) -> list[Finding]:
    """A conflict when the two values cannot both hold, a refinement when one is the more precise."""
    match, one, two = found
    if one is None or two is None or match is Match.SAME:
        return []
    variants = _variants(first, second, (one, two))
    if match is Match.CONFLICT:
        return [Conflict(kind, variants, f"{kind}.{rules[0]}")]
    return [Refinement(kind, variants, f"{kind}.{rules[1]}")]


def check_arguments(first: ClaimUnit, second: ClaimUnit) -> list[Finding]:
    """Subject and object: "Putin's team" vs "Putin" is attribution, two different names an entity."""
    found: list[Finding] = []
    for role in ("subject", "object"):
        one, two = getattr(first.claim, role), getattr(second.claim, role)
        match = compare_names(one, two)
        variants = _variants(first, second, (one or "", two or ""))
        if match is Match.POSSESSOR:
            found.append(Conflict("attribution", variants, f"attribution.{role}_possessor"))
        elif (
            match is Match.CONFLICT
            and _both_named(first, second, one, two)
            and _both_explicit(first, second, role)
        ):
            found.append(Conflict("entity", variants, f"entity.different_{role}"))
        elif match is Match.REFINES and _both_named(first, second, one, two):
            found.append(Refinement("name", variants, f"name.{role}_fuller"))
    return found


def check_places(first: ClaimUnit, second: ClaimUnit) -> list[Finding]:
    one, two = first.claim.places, second.claim.places
    if not one or not two:
        return []
    if any(compare_names(a, b) in {Match.SAME, Match.REFINES} for a in one for b in two):
        return []
    return [
        Conflict(
            "entity", _variants(first, second, (", ".join(one), ", ".join(two))), "entity.different_place"
        )
    ]


def check_speakers(first: ClaimUnit, second: ClaimUnit) -> list[Finding]:
    one, two = first.claim.attributed_to, second.claim.attributed_to
    variants = _variants(first, second, (one or "(the outlet)", two or "(the outlet)"))
    if (one is None) != (two is None):
        return [Refinement("attribution", variants, "attribution.source_named_by_one")]
    if _is_name(one) and _is_name(two) and compare_names(one, two) is Match.CONFLICT:
        return [Conflict("attribution", variants, "attribution.different_speaker")]
    return []


def check_polarity(first: ClaimUnit, second: ClaimUnit) -> list[Finding]:
    if first.claim.negated != second.claim.negated:
        return [Conflict("negation", _variants(first, second), "negation.opposite_polarity")]
    if opposite(first.senses, second.senses):
        return [Conflict("other", _variants(first, second), "other.opposite_predicates")]
    return []


PAIR_CHECKS: tuple[PairCheck, ...] = (
    check_numbers,
    check_dates,
    check_arguments,
    check_places,
    check_speakers,
    check_polarity,
)


def _both_named(first: ClaimUnit, second: ClaimUnit, one: str | None, two: str | None) -> bool:
    return is_named(one, first.claim.entities) and is_named(two, second.claim.entities)


def _both_explicit(first: ClaimUnit, second: ClaimUnit, role: str) -> bool:
    """Both names are written in their claims, not resolved from "he"/"she" (which may be wrong)."""
    return all(_written(getattr(u.claim, role) or "", u.claim.text) for u in (first, second))


def _written(name: str, text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in name_words(name) if len(word) > 2)


def _is_name(speaker: str | None) -> bool:
    # "Esther Williams's spokesman" describes a speaker; only a proper name can contradict another.
    return is_named(speaker, []) and split_possessor(speaker or "")[0] is None


def _merge(findings: list[F]) -> list[F]:
    """One finding per (kind, rule), with the variants of every pair, each variant once."""
    merged: dict[tuple[str, str], F] = {}
    for finding in findings:
        kept = merged.setdefault((finding.kind, finding.rule), finding)
        if kept is not finding:
            kept.variants += [v for v in finding.variants if v not in kept.variants]
    return list(merged.values())
