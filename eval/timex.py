"""TempEval-3 style scoring of the ``timexes.v1`` stage on MEANTIME (120 English Wikinews articles).

Each document is annotated with ``published`` = its gold creation time (DCT). MEANTIME annotates
TIMEX3 only in the headline, the date line and the first four body sentences, and the DCT line
itself is not a gold timex: predictions outside that region or on the DCT line are ignored.

Measures (re-implemented from the TempEval-3 task definition, UzZaman et al. 2013):

* strict extent P/R/F1: a prediction matches a gold timex with exactly the same offsets;
* relaxed extent P/R/F1: any character overlap, one-to-one (largest overlap first);
* type and value accuracy: share of relaxed matches whose type / value is right;
* value F1 = relaxed F1 × value accuracy. TempEval-3 scores attributes as P = correct/predicted,
  R = correct/gold; since correct = matches × accuracy, that F1 is exactly the product.

Run: ``python -m eval.timex [--json PATH] [--errors] [--corpus NAME] [--pin]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eval.meantime import GoldTimex, MeantimeDoc, load_meantime
from storyline.model import Article, Timex
from storyline.nlp.timex import timexes as timex_stage

BASELINES = Path(__file__).with_name("baselines.json")
DEV = ("airbus", "apple")
HELD_OUT = ("gm", "stock")


@dataclass(slots=True)
class Counts:
    gold: int = 0
    predicted: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, float]:
        strict = _prf(self.strict, self.predicted, self.gold)
        relaxed = _prf(self.relaxed, self.predicted, self.gold)
        type_acc = self.type_ok / self.relaxed if self.relaxed else 0.0
        value_acc = self.value_ok / self.relaxed if self.relaxed else 0.0
        return {
            "strict_p": strict[0], "strict_r": strict[1], "strict_f1": strict[2],
            "relaxed_p": relaxed[0], "relaxed_r": relaxed[1], "relaxed_f1": relaxed[2],
            "type_accuracy": type_acc, "value_accuracy": value_acc,
            "type_f1": relaxed[2] * type_acc, "value_f1": relaxed[2] * value_acc,
            "gold": self.gold, "predicted": self.predicted,
        }  # fmt: skip


@dataclass(slots=True)
class DocResult:
    doc: MeantimeDoc
    predicted: list[Timex]
    counts: Counts
    errors: list[dict] = field(default_factory=list)


def _prf(matched: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def align(gold: Sequence[GoldTimex], predicted: Sequence[Timex]) -> list[tuple[int, int]]:
    """One-to-one relaxed pairs (gold index, predicted index): largest overlap first, then the tighter gold
    span (nested gold such as "from 2009 to 2011" around "2009" pairs "2009" with "2009")."""
    pairs = [
        (_overlap(g.start, g.end, p.start, p.end), g.end - g.start, gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(predicted)
        if _overlap(g.start, g.end, p.start, p.end) > 0
    ]
    pairs.sort(key=lambda x: (-x[0], x[1], x[2], x[3]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matched = []
    for _, _, gi, pi in pairs:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            matched.append((gi, pi))
    return matched


def score_document(doc: MeantimeDoc, predicted: list[Timex]) -> DocResult:
    predicted = [p for p in predicted if not _in_dct_line(doc, p) and p.start < doc.annotated_end]
    counts = Counts(gold=len(doc.timexes), predicted=len(predicted))
    counts.strict = len({(g.start, g.end) for g in doc.timexes} & {(p.start, p.end) for p in predicted})
    result = DocResult(doc, predicted, counts)
    matches = align(doc.timexes, predicted)
    counts.relaxed = len(matches)
    for gi, pi in matches:
        gold, pred = doc.timexes[gi], predicted[pi]
        counts.type_ok += gold.type == pred.type
        counts.value_ok += gold.value == pred.value
        if (
            gold.value != pred.value
            or gold.type != pred.type
            or (gold.start, gold.end) != (pred.start, pred.end)
        ):
            result.errors.append(_error("mismatch", doc, gold, pred))
    result.errors.extend(
        _error("missed", doc, doc.timexes[gi], None) for gi in _unmatched(len(doc.timexes), 0, matches)
    )
    result.errors.extend(
        _error("spurious", doc, None, predicted[pi]) for pi in _unmatched(len(predicted), 1, matches)
    )
    return result


def _in_dct_line(doc: MeantimeDoc, timex: Timex) -> bool:
    return doc.dct_span is not None and _overlap(*doc.dct_span, timex.start, timex.end) > 0


def _unmatched(size: int, side: int, matches: list[tuple[int, int]]) -> list[int]:
    used = {pair[side] for pair in matches}
    return [i for i in range(size) if i not in used]


def _error(kind: str, doc: MeantimeDoc, gold: GoldTimex | None, pred: Timex | None) -> dict:
    anchor = gold or pred
    start, end = (anchor.start, anchor.end) if anchor else (0, 0)
    return {
        "kind": kind,
        "doc": doc.name,
        "dct": doc.dct,
        "gold": None if gold is None else [doc.text[gold.start : gold.end], gold.type, gold.value],
        "predicted": None if pred is None else [pred.text, pred.type, pred.value, pred.mod],
        "context": doc.text[max(0, start - 50) : end + 30].replace("\n", " / "),
    }


def run(docs: Iterable[MeantimeDoc]) -> tuple[list[DocResult], float]:
    """Annotate every document with the stage alone; return per-document results and stage seconds."""
    results = []
    elapsed = 0.0
    for doc in docs:
        article = Article(
            id=doc.doc_id, origin=f"meantime/{doc.corpus}/{doc.name}", text=doc.text, published=doc.dct
        )
        began = time.perf_counter()
        annotated = timex_stage(article)
        elapsed += time.perf_counter() - began
        results.append(score_document(doc, annotated.timexes))
    return results, elapsed


def summarise(results: list[DocResult]) -> dict[str, dict[str, float]]:
    groups: dict[str, Counts] = {}
    for result in results:
        names = [result.doc.corpus, "overall", "dev" if result.doc.corpus in DEV else "held_out"]
        for name in names:
            groups.setdefault(name, Counts()).add(result.counts)
    splits = ["dev", "held_out", "overall"]
    order = [*sorted(k for k in groups if k not in splits), *splits]
    return {name: groups[name].scores() for name in order if name in groups}


def format_table(summary: dict[str, dict[str, float]]) -> str:
    columns = ["strict_p", "strict_r", "strict_f1", "relaxed_p", "relaxed_r", "relaxed_f1", "type_accuracy"]
    columns += ["value_accuracy", "value_f1"]
    header = f"{'corpus':<10}{'gold':>6}{'pred':>6}" + "".join(
        f"{c.replace('_accuracy', '_acc'):>12}" for c in columns
    )
    lines = [header]
    for name, row in summary.items():
        cells = "".join(f"{100 * row[c]:>12.1f}" for c in columns)
        lines.append(f"{name:<10}{row['gold']:>6}{row['predicted']:>6}{cells}")
    return "\n".join(lines)


def pin(summary: dict[str, dict[str, float]], path: Path = BASELINES) -> None:
    """Record the overall scores under "timex", keeping every other key of the file as it is."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data["timex"] = {
        "dataset": "MEANTIME English (120 docs, intra_cross-doc_annotation)",
        **{k: round(v, 4) for k, v in summary["overall"].items() if k.endswith(("f1", "accuracy"))},
        "dev_value_f1": round(summary["dev"]["value_f1"], 4),
        "held_out_value_f1": round(summary["held_out"]["value_f1"], 4),
    }
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root", type=Path, default=None, help="MEANTIME folder (default ../shared/data/meantime)"
    )
    parser.add_argument("--corpus", action="append", help="only these corpora (airbus, apple, gm, stock)")
    parser.add_argument("--json", type=Path, help="write the scores as JSON to this path")
    parser.add_argument("--errors", action="store_true", help="print every missed, spurious or wrong timex")
    parser.add_argument("--pin", action="store_true", help="pin the overall scores in eval/baselines.json")
    args = parser.parse_args(argv)
    docs = [d for d in load_meantime(args.root) if not args.corpus or d.corpus in args.corpus]
    results, elapsed = run(docs)
    summary = summarise(results)
    print(format_table(summary))
    print(f"stage: {len(docs)} articles in {elapsed:.3f} s = {len(docs) / elapsed:.0f} articles/s")
    if args.errors:
        for result in results:
            for error in result.errors:
                print(json.dumps(error, ensure_ascii=False))
    if args.json:
        args.json.write_text(
            json.dumps({"scores": summary, "seconds": elapsed}, indent=2) + "\n", encoding="utf-8"
        )
    if args.pin:
        pin(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
