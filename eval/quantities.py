"""Score the ``quantities.v1`` stage on the hand-annotated allsides sentences in tests/data/quantities/.

The gold file holds offsets only (see tests/data/quantities/README.md); the texts are read from
../shared/data/allsides and checked against the stored sha256. Predictions are scored inside the
annotated sentences (``scopes``) only.

Metrics:
- ``span_p``/``span_r``/``span_f1``: exact-extent match of quantity spans.
- ``overlap_f1``: a prediction overlapping a gold span counts (relaxed extent).
- ``value_acc``/``unit_acc``/``modifier_acc``/``approximate_acc``: over gold quantities matched by
  overlap, the share whose value (and value_max), unit, modifier or approximate flag is right.

Run: ``python -m eval.quantities`` (prints JSON).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.common import allsides_texts
from storyline.model import Article, Quantity
from storyline.nlp.quantities import quantities_stage

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "quantities" / "gold.jsonl"
ALLSIDES = ROOT.parent / "shared" / "data" / "allsides" / "allsides_articles.jsonl.gz"


@dataclass(slots=True)
class GoldDoc:
    id: str
    text: str
    scopes: list[tuple[int, int]]
    quantities: list[dict[str, Any]]


def load_gold(*, gold: Path = GOLD, allsides: Path = ALLSIDES) -> list[GoldDoc]:
    records = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = allsides_texts(allsides, {r["id"] for r in records})
    docs = []
    for record in records:
        text = texts.get(record["id"])
        if text is None or hashlib.sha256(text.encode("utf-8")).hexdigest() != record["sha256"]:
            raise ValueError(f"{gold}: article {record['id']} missing from {allsides} or its text changed")
        scopes = [(s, e) for s, e in record["scopes"]]
        docs.append(GoldDoc(record["id"], text, scopes, record["quantities"]))
    return docs


def predict(doc: GoldDoc) -> list[Quantity]:
    article = quantities_stage(Article(id=doc.id, origin=f"allsides#{doc.id}", text=doc.text))
    return [q for q in article.quantities if any(q.start < e and s < q.end for s, e in doc.scopes)]


def score(docs: Iterable[GoldDoc]) -> dict[str, float]:
    counts = {"gold": 0, "pred": 0, "exact": 0, "overlap_pred": 0, "matched": 0}
    right = {"value": 0, "unit": 0, "modifier": 0, "approximate": 0}
    for doc in docs:
        predicted = predict(doc)
        counts["gold"] += len(doc.quantities)
        counts["pred"] += len(predicted)
        counts["exact"] += sum(1 for g in doc.quantities if any(_same_span(g, p) for p in predicted))
        counts["overlap_pred"] += sum(1 for p in predicted if any(_overlap(g, p) for g in doc.quantities))
        for gold in doc.quantities:
            match = _best_match(gold, predicted)
            if match is None:
                continue
            counts["matched"] += 1
            right["value"] += _same_value(gold["value"], match.value) and _same_value(
                gold["value_max"], match.value_max
            )
            right["unit"] += gold["unit"] == match.unit
            right["modifier"] += gold["modifier"] == match.modifier
            right["approximate"] += gold["approximate"] == match.approximate
    return _metrics(counts, right)


def _metrics(counts: dict[str, int], right: dict[str, int]) -> dict[str, float]:
    p = counts["exact"] / counts["pred"] if counts["pred"] else 0.0
    r = counts["exact"] / counts["gold"] if counts["gold"] else 0.0
    op = counts["overlap_pred"] / counts["pred"] if counts["pred"] else 0.0
    orr = counts["matched"] / counts["gold"] if counts["gold"] else 0.0
    matched = counts["matched"] or 1
    result = {
        "gold": float(counts["gold"]),
        "predicted": float(counts["pred"]),
        "span_p": p,
        "span_r": r,
        "span_f1": _f1(p, r),
        "overlap_f1": _f1(op, orr),
    }
    result.update({f"{name}_acc": value / matched for name, value in right.items()})
    return {k: round(v, 4) for k, v in result.items()}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _same_span(gold: dict[str, Any], pred: Quantity) -> bool:
    return gold["start"] == pred.start and gold["end"] == pred.end


def _overlap(gold: dict[str, Any], pred: Quantity) -> bool:
    return gold["start"] < pred.end and pred.start < gold["end"]


def _best_match(gold: dict[str, Any], predicted: list[Quantity]) -> Quantity | None:
    overlapping = [p for p in predicted if _overlap(gold, p)]
    if not overlapping:
        return None
    return max(overlapping, key=lambda p: min(p.end, gold["end"]) - max(p.start, gold["start"]))


def _same_value(gold: float | None, pred: float | None) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return math.isclose(gold, pred, rel_tol=1e-9)


def main() -> None:
    json.dump(score(load_gold()), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
