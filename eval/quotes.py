"""Score the ``quotes.v1`` stage on the hand-annotated quotes in tests/data/quotes/.

The gold files hold offsets only (see tests/data/quotes/README.md). Allsides texts are read from
../shared/data/allsides (``content_original``), seed texts from examples/seeds (the body after the
first line, stripped); each is checked against the stored sha256.

Matching is one-to-one per article, greedy by overlap. Metrics:

- ``exact_p/r/f1``: spans equal after trimming spaces, quote marks and punctuation at both ends.
- ``overlap_p/r/f1``: the spans share at least half of the longer one.
- ``speaker_acc``: over overlap-matched quotes, the canonical speaker is right (case, "the" and
  punctuation ignored); when gold has no canonical name, right means no name and overlapping
  speaker phrases (or both without one).
- ``speaker_span_f1``: token-overlap F1 of speaker phrases over all quotes, attribution-corpus
  style (unmatched quotes count their speaker tokens as misses or false alarms).
- ``cue_acc``: over matched quotes, the cue spans overlap (or both have none).
- ``kind_acc``: over matched quotes, same kind. ``by_kind``: overlap P/R/F1 matching within a kind.

Run: ``python -m eval.quotes [--split dev|heldout|seed|all] [--details]`` (prints JSON).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.common import allsides_texts
from storyline.model import Article

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "tests" / "data" / "quotes"
ALLSIDES = ROOT.parent / "shared" / "data" / "allsides" / "allsides_articles.jsonl.gz"
KINDS = ("direct", "indirect", "question")
EDGE = " \t\n\"“”‘’'.,;:!?—–-()[]"
OVERLAP = 0.5
TOKEN = re.compile(r"\w+")


@dataclass(slots=True)
class Span:
    """One quote, gold or predicted, in scorer form."""

    start: int
    end: int
    kind: str
    speaker: str | None = None
    speaker_span: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None


@dataclass(slots=True)
class GoldDoc:
    id: str
    source: str
    split: str
    text: str
    quotes: list[Span] = field(default_factory=list)

    def article(self) -> Article:
        return Article(id=self.id, origin=f"{self.source}:{self.id}", text=self.text)


Predictor = Callable[[list[GoldDoc]], dict[str, list[Span]]]


# --- gold -----------------------------------------------------------------------------------------


def load_gold(
    *, gold_dir: Path = GOLD_DIR, allsides: Path = ALLSIDES, splits: Iterable[str] | None = None
) -> list[GoldDoc]:
    """The annotated documents (optionally only some splits: dev, heldout, seed)."""
    wanted = set(splits) if splits is not None else None
    records = []
    for path in sorted(gold_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if wanted is None or record["split"] in wanted:
                records.append((path, record))
    needed = {r["id"] for _, r in records if r["source"] == "allsides"}
    texts = allsides_texts(allsides, needed) if needed else {}
    return [_gold_doc(path, record, texts) for path, record in records]


def seed_text(path: Path) -> str:
    """A seed file's body as the quotes gold indexes it: after the first line, stripped."""
    return path.read_text(encoding="utf-8").split("\n", 1)[1].strip()


def _gold_doc(path: Path, record: dict[str, Any], texts: dict[str, str]) -> GoldDoc:
    if record["source"] == "seed":
        text: str | None = seed_text(ROOT / record["path"])
    else:
        text = texts.get(record["id"])
    if text is None or hashlib.sha256(text.encode("utf-8")).hexdigest() != record["sha256"]:
        raise ValueError(f"{path}: text of {record['source']} article {record['id']} is missing or changed")
    quotes = [_gold_span(q) for q in record["quotes"]]
    return GoldDoc(record["id"], record["source"], record["split"], text, quotes)


def _gold_span(quote: dict[str, Any]) -> Span:
    speaker_span = tuple(quote["speaker_span"]) if quote["speaker_span"] else None
    cue = tuple(quote["cue"]) if quote["cue"] else None
    return Span(quote["start"], quote["end"], quote["kind"], quote["speaker"], speaker_span, cue)


# --- predictions ----------------------------------------------------------------------------------


def predict_ours(docs: list[GoldDoc]) -> dict[str, list[Span]]:
    from storyline.nlp.entities import entities_stage
    from storyline.nlp.pipeline import attach_docs
    from storyline.nlp.quotes import quotes_stage

    articles = attach_docs([doc.article() for doc in docs])
    out = {}
    for article in articles:
        quotes_stage(entities_stage(article))
        out[article.id] = [_from_quote(q) for q in article.quotes]
    return out


def _from_quote(quote: Any) -> Span:
    speaker_span = (quote.speaker_start, quote.speaker_end) if quote.speaker_start is not None else None
    cue = (quote.cue_start, quote.cue_end) if quote.cue_start is not None else None
    return Span(quote.start, quote.end, quote.kind, quote.speaker, speaker_span, cue)


# --- matching and scores --------------------------------------------------------------------------


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return start, end


def overlap_ratio(text: str, one: Span, other: Span) -> float:
    a0, a1 = trimmed(text, one.start, one.end)
    b0, b1 = trimmed(text, other.start, other.end)
    shared = min(a1, b1) - max(a0, b0)
    longest = max(a1 - a0, b1 - b0, 1)
    return max(0.0, shared / longest)


def match(text: str, gold: Sequence[Span], pred: Sequence[Span]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (gold index, pred index) with overlap ≥ OVERLAP, best first."""
    pairs = [(overlap_ratio(text, g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)]
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    out = []
    for ratio, gi, pi in sorted(pairs, key=lambda item: -item[0]):
        if ratio < OVERLAP or gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        out.append((gi, pi))
    return out


def norm_name(name: str | None) -> str | None:
    if name is None:
        return None
    words = re.sub(r"[^\w\s]", " ", name.lower()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words) or None


def speaker_right(text: str, gold: Span, pred: Span) -> bool:
    if gold.speaker is not None:
        return norm_name(gold.speaker) == norm_name(pred.speaker)
    if pred.speaker is not None:
        return False
    if gold.speaker_span is None or pred.speaker_span is None:
        return gold.speaker_span == pred.speaker_span
    return _tokens(text, gold.speaker_span) & _tokens(text, pred.speaker_span) != set()


def cue_right(gold: Span, pred: Span) -> bool:
    if gold.cue is None or pred.cue is None:
        return gold.cue == pred.cue
    return gold.cue[0] < pred.cue[1] and pred.cue[0] < gold.cue[1]


def _tokens(text: str, span: tuple[int, int] | None) -> set[int]:
    if span is None:
        return set()
    return {m.start() + span[0] for m in TOKEN.finditer(text[span[0] : span[1]])}


@dataclass(slots=True)
class Tally:
    gold: int = 0
    pred: int = 0
    exact: int = 0
    matched: int = 0
    speaker: int = 0
    cue: int = 0
    kind: int = 0
    span_tp: int = 0
    span_fp: int = 0
    span_fn: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0, 0] for k in KINDS})

    def add(self, text: str, gold: list[Span], pred: list[Span]) -> None:
        self.gold += len(gold)
        self.pred += len(pred)
        self.exact += _exact_matches(text, gold, pred)
        pairs = match(text, gold, pred)
        self.matched += len(pairs)
        for gi, pi in pairs:
            self.speaker += speaker_right(text, gold[gi], pred[pi])
            self.cue += cue_right(gold[gi], pred[pi])
            self.kind += gold[gi].kind == pred[pi].kind
        self._speaker_spans(text, gold, pred, pairs)
        for kind in KINDS:
            kind_gold = [g for g in gold if g.kind == kind]
            kind_pred = [p for p in pred if p.kind == kind]
            counts = self.by_kind[kind]
            counts[0] += len(kind_gold)
            counts[1] += len(kind_pred)
            counts[2] += len(match(text, kind_gold, kind_pred))

    def _speaker_spans(
        self, text: str, gold: list[Span], pred: list[Span], pairs: list[tuple[int, int]]
    ) -> None:
        paired_gold = {gi: pi for gi, pi in pairs}
        for gi, g in enumerate(gold):
            gold_tokens = _tokens(text, g.speaker_span)
            pred_tokens = _tokens(text, pred[paired_gold[gi]].speaker_span) if gi in paired_gold else set()
            self.span_tp += len(gold_tokens & pred_tokens)
            self.span_fn += len(gold_tokens - pred_tokens)
            self.span_fp += len(pred_tokens - gold_tokens)
        paired_pred = set(paired_gold.values())
        for pi, p in enumerate(pred):
            if pi not in paired_pred:
                self.span_fp += len(_tokens(text, p.speaker_span))

    def scores(self) -> dict[str, Any]:
        out: dict[str, Any] = {"gold": self.gold, "pred": self.pred}
        out.update(_prf("exact", self.exact, self.pred, self.gold))
        out.update(_prf("overlap", self.matched, self.pred, self.gold))
        for name, value in (("speaker_acc", self.speaker), ("cue_acc", self.cue), ("kind_acc", self.kind)):
            out[name] = round(value / self.matched, 4) if self.matched else 0.0
        out["speaker_span_f1"] = _f1(self.span_tp, self.span_tp + self.span_fp, self.span_tp + self.span_fn)
        out["by_kind"] = {
            k: _prf("overlap", c[2], c[1], c[0]) | {"gold": c[0]} for k, c in self.by_kind.items()
        }
        return out


def _exact_matches(text: str, gold: list[Span], pred: list[Span]) -> int:
    gold_keys = [trimmed(text, g.start, g.end) for g in gold]
    pred_keys = [trimmed(text, p.start, p.end) for p in pred]
    return sum(min(gold_keys.count(k), pred_keys.count(k)) for k in set(gold_keys))


def _prf(prefix: str, hits: int, pred: int, gold: int) -> dict[str, float]:
    p = hits / pred if pred else 0.0
    r = hits / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {f"{prefix}_p": round(p, 4), f"{prefix}_r": round(r, 4), f"{prefix}_f1": round(f, 4)}


def _f1(hits: int, pred: int, gold: int) -> float:
    return _prf("x", hits, pred, gold)["x_f1"]


def score(docs: list[GoldDoc], predictions: dict[str, list[Span]]) -> dict[str, Any]:
    tally = Tally()
    for doc in docs:
        tally.add(doc.text, doc.quotes, predictions.get(doc.id, []))
    return tally.scores()


def score_by_split(docs: list[GoldDoc], predictions: dict[str, list[Span]]) -> dict[str, Any]:
    splits = sorted({doc.split for doc in docs})
    out = {split: score([d for d in docs if d.split == split], predictions) for split in splits}
    out["all"] = score(docs, predictions)
    return out


def details(doc: GoldDoc, pred: list[Span]) -> dict[str, Any]:
    """Per-article lists of what was found, missed and wrongly added (for reading errors)."""
    text = doc.text
    pairs = match(text, doc.quotes, pred)
    matched_gold = {gi for gi, _ in pairs}
    matched_pred = {pi for _, pi in pairs}
    return {
        "id": doc.id,
        "wrong_speaker": [
            [text[doc.quotes[gi].start : doc.quotes[gi].end][:60], doc.quotes[gi].speaker, pred[pi].speaker]
            for gi, pi in pairs
            if not speaker_right(text, doc.quotes[gi], pred[pi])
        ],
        "missed": [
            f"{g.kind}: {text[g.start : g.end][:70]}"
            for i, g in enumerate(doc.quotes)
            if i not in matched_gold
        ],
        "spurious": [
            f"{p.kind}: {text[p.start : p.end][:70]}" for i, p in enumerate(pred) if i not in matched_pred
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="all", choices=("dev", "heldout", "seed", "all"))
    parser.add_argument("--details", action="store_true", help="also list misses and errors per article")
    args = parser.parse_args(argv)
    docs = load_gold(splits=None if args.split == "all" else [args.split])
    predictions = predict_ours(docs)
    result: dict[str, Any] = {"scores": score_by_split(docs, predictions)}
    if args.details:
        result["details"] = [details(doc, predictions[doc.id]) for doc in docs]
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
