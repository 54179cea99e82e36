"""Score fact comparison (``storyline.stories.compare.compare_story``) on hand-labelled story pairs.

The gold set is tests/data/facts/gold.json (how it was made: tests/data/facts/README.md): the two
sample articles plus story pairs from ../shared/data/ecbplus-dev and ../shared/data/meantime. Texts
are never copied: each document is referenced by path/name with the sha256 of its source file, and
every gold fact is identified by short evidence strings, located in the loaded article text.

Each pair's articles go through the NLP stages and ``compare_story``. A system fact *covers* a gold
fact when, in every document the gold fact has evidence in, one of its sources overlaps an evidence
span; gold and system facts are then paired one-to-one, most overlap first.

Metrics, per verdict V (corroborated, single_source, conflicting):
- recall: gold facts of status V paired with a system fact of status V, over all gold facts of V;
- precision: pairs with both status V, over the system facts of status V that can be judged. The gold
  lists every fact the two articles share, so every corroborated or conflicting system fact is judged;
  it does not list every single-source statement, so only single-source system facts paired with a
  gold fact are judged;
- ``<verdict>_gold``/``<verdict>_judged``: how many gold facts and judged system facts (a ratio over
  zero is reported as 0.0, so read it with these counts);
- ``conflict_kind_acc``: over gold conflicts paired with a system conflict, the share whose system
  conflict kinds include the gold kind.

Run: ``python -m eval.facts`` (prints JSON; ``--pin`` writes the "facts" key of eval/baselines.json).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.common import ROOT, SHARED_DATA, pin_baseline
from storyline.model import Article, Fact

GOLD = ROOT / "tests" / "data" / "facts" / "gold.json"
VERDICTS = ("corroborated", "single_source", "conflicting")
JUDGED_ALWAYS = frozenset({"corroborated", "conflicting"})


@dataclass(slots=True)
class GoldFact:
    id: str
    status: str
    kind: str | None
    evidence: dict[str, list[tuple[int, int]]]  # doc key → evidence spans in that article's text


@dataclass(slots=True)
class GoldPair:
    id: str
    corpus: str
    articles: dict[str, Article]  # doc key → article (annotated once ``annotate_pairs`` ran)
    facts: list[GoldFact] = field(default_factory=list)


# -- loading ----------------------------------------------------------------------------------------


def load_gold(*, gold: Path = GOLD, corpora: Iterable[str] | None = None) -> list[GoldPair]:
    """The gold pairs whose corpus is in ``corpora`` (all by default), texts loaded and checked."""
    wanted = set(corpora) if corpora is not None else None
    records = json.loads(gold.read_text(encoding="utf-8"))["pairs"]
    return [_pair(r) for r in records if wanted is None or r["corpus"] in wanted]


def _pair(record: dict[str, Any]) -> GoldPair:
    articles = {doc["key"]: _load_doc(record["corpus"], doc) for doc in record["docs"]}
    facts = [_gold_fact(record["id"], f, articles) for f in record["facts"]]
    return GoldPair(record["id"], record["corpus"], articles, facts)


def _gold_fact(pair_id: str, record: dict[str, Any], articles: dict[str, Article]) -> GoldFact:
    evidence = {
        key: [_locate(pair_id, record["id"], articles[key], s) for s in strings]
        for key, strings in record["evidence"].items()
    }
    return GoldFact(record["id"], record["status"], record.get("kind"), evidence)


def _locate(pair_id: str, fact_id: str, article: Article, evidence: str) -> tuple[int, int]:
    start = article.text.find(evidence)
    if start < 0:
        raise ValueError(
            f"{GOLD}: pair {pair_id}, fact {fact_id}: evidence {evidence!r} not in {article.origin}"
        )
    return start, start + len(evidence)


def source_path(corpus: str, ref: str) -> Path:
    if corpus == "seeds":
        return ROOT / ref
    if corpus == "ecbplus":
        return SHARED_DATA / "ecbplus-dev" / "ECB+" / ref
    if corpus == "meantime":
        found = sorted((SHARED_DATA / "meantime" / "intra_cross-doc_annotation").glob(f"corpus_*/{ref}.xml"))
        if found:
            return found[0]
        return SHARED_DATA / "meantime" / f"{ref}.xml"  # reported as missing below
    raise ValueError(f"{GOLD}: unknown corpus {corpus!r}")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load_doc(corpus: str, doc: dict[str, Any]) -> Article:
    path = source_path(corpus, doc["ref"])
    if not path.exists():
        raise FileNotFoundError(f"{GOLD}: document {doc['ref']} not found at {path}")
    if doc.get("sha256") and file_sha256(path) != doc["sha256"]:
        raise ValueError(f"{GOLD}: document {doc['ref']} changed (sha256 differs from the labelled one)")
    article = _read(corpus, path)
    article.id = doc["key"]
    if doc.get("published"):
        article.published = doc["published"]  # read by the annotator from the document's date line
    return article


def _read(corpus: str, path: Path) -> Article:
    if corpus == "seeds":
        from storyline.ingest.normalize import normalize
        from storyline.ingest.readers import read_inputs

        raw = next(iter(read_inputs([str(path)])))
        if isinstance(raw, Exception):
            raise raw
        return normalize(raw)
    if corpus == "ecbplus":
        from eval.ecbplus import parse_document as parse_ecb

        return parse_ecb(path).article
    from eval.meantime import parse_document as parse_meantime

    doc = parse_meantime(path, corpus=path.parent.name.removeprefix("corpus_"))
    return Article(id=doc.doc_id, origin=str(path), text=doc.text, title=doc.name, published=doc.dct)


def annotate_pairs(pairs: Sequence[GoldPair]) -> None:
    """Run the per-article NLP stages on every article of every pair, in place."""
    from storyline.errors import StageError
    from storyline.nlp import entities as _entities  # noqa: F401  (registers "entities.v1")
    from storyline.nlp import quotes as _quotes  # noqa: F401  (registers "quotes.v1")
    from storyline.nlp.run import annotate

    articles = [a for pair in pairs for a in pair.articles.values()]
    for article, result in zip(articles, annotate(articles), strict=True):
        if isinstance(result, StageError):
            raise result
        for name in ("entities", "quotes", "quantities", "timexes", "claims"):
            setattr(article, name, getattr(result, name))


# -- scoring ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Counts:
    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    judged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    kind_pairs: int = 0
    kind_right: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)


def covers(fact: Fact, gold: GoldFact, keys: dict[str, str]) -> int:
    """Characters of overlap when ``fact`` has a source on every evidence document of ``gold``, else 0."""
    total = 0
    for doc_key, spans in gold.evidence.items():
        best = max(
            (_overlap(s, span) for s in fact.sources if keys[s.article] == doc_key for span in spans),
            default=0,
        )
        if best == 0:
            return 0
        total += best
    return total


def _overlap(source: Any, span: tuple[int, int]) -> int:
    return max(0, min(source.end, span[1]) - max(source.start, span[0]))


def score_pair(pair: GoldPair, facts: Sequence[Fact], counts: Counts) -> None:
    keys = {a.id: key for key, a in pair.articles.items()}
    candidates = sorted(
        ((covers(f, g, keys), gi, fi) for gi, g in enumerate(pair.facts) for fi, f in enumerate(facts)),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for overlap, gi, fi in candidates:
        if overlap and gi not in matched and fi not in used:
            matched[gi] = fi
            used.add(fi)
    for gi, gold in enumerate(pair.facts):
        counts.gold[gold.status] += 1
        fact = facts[matched[gi]] if gi in matched else None
        _count_match(gold, fact, counts)
        counts.rows.append(_row(pair.id, gold, fact))
    for fi, fact in enumerate(facts):
        if fact.status in JUDGED_ALWAYS or fi in used:
            counts.judged[fact.status] += 1


def _count_match(gold: GoldFact, fact: Fact | None, counts: Counts) -> None:
    if fact is None or fact.status != gold.status:
        return
    counts.hits[gold.status] += 1
    if gold.status == "conflicting":
        counts.kind_pairs += 1
        counts.kind_right += int(gold.kind in {c.kind for c in fact.conflicts})


def _row(pair_id: str, gold: GoldFact, fact: Fact | None) -> dict[str, Any]:
    return {
        "pair": pair_id,
        "fact": gold.id,
        "gold": gold.status if gold.kind is None else f"{gold.status}/{gold.kind}",
        "system": None if fact is None else fact.status,
        "system_kinds": [] if fact is None else sorted({c.kind for c in fact.conflicts}),
        "rule": None if fact is None else fact.rule,
    }


def metrics(counts: Counts) -> dict[str, float]:
    """P/R/F1 per verdict (0.0 when undefined), plus the counts behind them (``_gold``, ``_judged``)."""
    result: dict[str, float] = {}
    for verdict in VERDICTS:
        precision = _ratio(counts.hits[verdict], counts.judged[verdict])
        recall = _ratio(counts.hits[verdict], counts.gold[verdict])
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result |= {f"{verdict}_p": precision, f"{verdict}_r": recall, f"{verdict}_f1": round(f1, 4)}
        result |= {f"{verdict}_gold": counts.gold[verdict], f"{verdict}_judged": counts.judged[verdict]}
    result["conflict_kind_acc"] = _ratio(counts.kind_right, counts.kind_pairs)
    return result


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def score(pairs: Sequence[GoldPair]) -> tuple[dict[str, float], Counts]:
    """Annotated pairs → metrics (and the per-fact rows behind them)."""
    from storyline.stories.compare import compare_story

    counts = Counts()
    for pair in pairs:
        score_pair(pair, compare_story(list(pair.articles.values())), counts)
    return metrics(counts), counts


def evaluate(corpora: Iterable[str]) -> tuple[dict[str, float], Counts]:
    pairs = load_gold(corpora=corpora)
    annotate_pairs(pairs)
    return score(pairs)


def main(argv: Sequence[str]) -> int:
    seeds, _ = evaluate(["seeds"])
    pairs, counts = evaluate(["ecbplus", "meantime"])
    report = {"seeds": seeds, "pairs": pairs, "rows": counts.rows if "--rows" in argv else None}
    if "--pin" in argv:
        pin_baseline("facts", {"seeds": seeds, "pairs": pairs})
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
