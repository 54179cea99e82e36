"""Score article-body extraction on the Zyte article-extraction benchmark (../shared/data/article-extraction).

181 gzipped HTML pages with a hand-checked article body each (ground-truth.json) and the stored outputs
of 13 other systems (output_peer_systems/*.json). One run scores, with the same metric:

- ``storyline``: ``storyline.ingest.html.extract_html(...).text`` (what our HTML reader produces),
- ``trafilatura (this run)``: bare ``trafilatura.extract(html)`` with its default options,
- every stored peer output (``trafilatura`` there is the benchmark's own stored run).

The metric (written from the benchmark's description, not copied):

- tokens are runs of word characters (``\\w+``, Unicode-aware; punctuation and whitespace only separate);
- a text becomes the multiset of its shingles, the tuples of 4 consecutive tokens; a text with 1-3
  tokens has one shingle (all its tokens), an empty text none;
- per document, precision = |pred ∩ truth| / |pred| and recall = |pred ∩ truth| / |truth|, with
  multiset intersection (a repeated shingle counts as often as it occurs in both);
- an empty prediction has recall 0 and no precision (0/0 is undefined): it is left out of the
  precision mean, so a system that gives up on a page loses recall there but is not also charged a
  precision of 0. This reproduces the stored peers' published precision (justext 0.858 with 29
  empty outputs, goose3 0.940 with 6); scoring them 0 instead would give 0.721 and 0.909. How many
  predictions were empty is reported in ``empty``. An empty truth (none in this data) scores 1/1
  against an empty prediction and 0/1 otherwise;
- precision and recall are macro-averaged over documents (precision over those it is defined for),
  F1 is the harmonic mean of the two means;
- accuracy is the share of documents whose token sequence equals the truth's exactly;
- ``f1_std`` is the standard deviation of F1 over 1000 bootstrap resamples of the documents (fixed seed).

Run from the repository root: ``python eval/extraction.py [--json results.json] [--pin]``.
``--pin`` writes storyline's scores to eval/baselines.json under "extraction" (other keys are kept).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `eval` importable like under pytest
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura

from eval.common import pin_baseline, shared_data_path, write_json
from storyline.errors import IngestError
from storyline.ingest.html import extract_html

DATASET = "article-extraction"
SHINGLE_SIZE = 4
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 20200114
OURS = "storyline"
BARE_TRAFILATURA = "trafilatura (this run)"
WORD = re.compile(r"\w+")


# The metric


@dataclass(frozen=True, slots=True)
class DocScore:
    precision: float | None  # None: empty prediction, precision undefined
    recall: float
    exact: bool


@dataclass(slots=True)
class SystemScore:
    name: str
    precision: float
    recall: float
    f1: float
    accuracy: float
    f1_std: float
    documents: int
    empty: int  # documents with an empty prediction
    seconds: float | None = None  # extraction CPU time, for the systems run here
    per_document: dict[str, float] = field(default_factory=dict)  # F1 per document id


def tokenize(text: str) -> list[str]:
    return WORD.findall(text)


def shingles(tokens: list[str], *, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    if 0 < len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def score_document(prediction: str, truth: str) -> DocScore:
    predicted_tokens, true_tokens = tokenize(prediction), tokenize(truth)
    exact = predicted_tokens == true_tokens
    predicted, true = shingles(predicted_tokens), shingles(true_tokens)
    if not true:
        return DocScore(1.0 if not predicted else 0.0, 1.0, exact)
    if not predicted:
        return DocScore(None, 0.0, exact)
    common = sum((predicted & true).values())
    return DocScore(common / sum(predicted.values()), common / sum(true.values()), exact)


def f1_score(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_system(name: str, predictions: dict[str, str], truth: dict[str, str]) -> SystemScore:
    """Macro-averaged scores of one system over every document of ``truth``."""
    docs = {doc_id: score_document(predictions.get(doc_id) or "", text) for doc_id, text in truth.items()}
    scores = list(docs.values())
    precision, recall = _mean_precision(scores), _mean(s.recall for s in scores)
    return SystemScore(
        name=name,
        precision=precision,
        recall=recall,
        f1=f1_score(precision, recall),
        accuracy=_mean(float(s.exact) for s in scores),
        f1_std=_bootstrap_f1_std(scores),
        documents=len(scores),
        empty=sum(1 for doc_id in truth if not (predictions.get(doc_id) or "").strip()),
        per_document={doc_id: f1_score(s.precision or 0.0, s.recall) for doc_id, s in docs.items()},
    )


def _mean(values: Iterator[float] | list[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def _mean_precision(scores: list[DocScore]) -> float:
    return _mean(s.precision for s in scores if s.precision is not None)


def _bootstrap_f1_std(scores: list[DocScore]) -> float:
    rng = random.Random(BOOTSTRAP_SEED)
    f1s = []
    for _ in range(BOOTSTRAP_SAMPLES):
        sample = rng.choices(scores, k=len(scores))
        f1s.append(f1_score(_mean_precision(sample), _mean(s.recall for s in sample)))
    mean = _mean(f1s)
    return _mean((f - mean) ** 2 for f in f1s) ** 0.5


# The data


def load_truth(root: Path) -> dict[str, str]:
    data = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return {doc_id: item["articleBody"] for doc_id, item in data.items()}


def load_peer(path: Path) -> dict[str, str]:
    """A stored prediction file: {id: {articleBody}}, optionally wrapped as {"version", "output"}."""
    data = json.loads(path.read_text(encoding="utf-8"))
    output = data["output"] if "output" in data and "version" in data else data
    return {doc_id: item.get("articleBody") or "" for doc_id, item in output.items()}


def iter_pages(root: Path, ids: list[str]) -> Iterator[tuple[str, bytes]]:
    for doc_id in ids:
        yield doc_id, gzip.decompress((root / "html" / f"{doc_id}.html.gz").read_bytes())


# The systems run here


def ours(doc_id: str, html: bytes) -> str:
    try:
        return extract_html(html, origin=f"{doc_id}.html").text or ""
    except IngestError:
        return ""  # scored as an empty prediction; the page counts in "empty"


def bare_trafilatura(doc_id: str, html: bytes) -> str:
    return trafilatura.extract(html) or ""


def run_system(
    name: str, extract: Callable[[str, bytes], str], root: Path, truth: dict[str, str]
) -> SystemScore:
    pages = list(iter_pages(root, sorted(truth)))  # read before timing: only extraction is timed
    started = time.process_time()  # CPU time of this process: the machine may be shared
    predictions = {doc_id: extract(doc_id, html) for doc_id, html in pages}
    seconds = time.process_time() - started
    score = score_system(name, predictions, truth)
    score.seconds = seconds
    return score


def score_ours(root: Path) -> SystemScore:
    """storyline's scores on the benchmark (the extraction gate calls this)."""
    return run_system(OURS, ours, root, load_truth(root))


def evaluate(root: Path, *, peers: bool = True) -> list[SystemScore]:
    """Every system, best F1 first."""
    truth = load_truth(root)
    results = [
        run_system(OURS, ours, root, truth),
        run_system(BARE_TRAFILATURA, bare_trafilatura, root, truth),
    ]
    if peers:
        for path in sorted((root / "output_peer_systems").glob("*.json")):
            results.append(score_system(f"{path.stem} (stored)", load_peer(path), truth))
    return sorted(results, key=lambda score: score.f1, reverse=True)


# Command line


def format_table(results: list[SystemScore]) -> str:
    columns = ("F1", 15), ("precision", 9), ("recall", 7), ("accuracy", 8), ("empty", 5), ("cpu s", 7)
    header = f"{'system':<26} " + " ".join(f"{name:>{width}}" for name, width in columns)
    lines = [header, "-" * len(header)]
    for s in results:
        seconds = f"{s.seconds:7.1f}" if s.seconds is not None else f"{'':>7}"
        lines.append(
            f"{s.name:<26} {s.f1:7.4f} ± {s.f1_std:.3f} {s.precision:9.4f} {s.recall:7.4f} "
            f"{s.accuracy:8.3f} {s.empty:5d} {seconds}"
        )
    return "\n".join(lines)


def as_json(results: list[SystemScore], root: Path) -> dict[str, Any]:
    return {
        "dataset": str(root),
        "metric": f"{SHINGLE_SIZE}-gram word-shingle multiset P/R per document, macro-averaged",
        "systems": {s.name: asdict(s) for s in results},
    }


def baseline_values(score: SystemScore) -> dict[str, float]:
    return {key: round(getattr(score, key), 4) for key in ("f1", "precision", "recall", "accuracy")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, help="benchmark folder (default: ../shared/data/article-extraction)"
    )
    parser.add_argument("--json", type=Path, help="write all scores (and per-document F1) to this file")
    parser.add_argument("--no-peers", action="store_true", help="skip the stored peer outputs")
    parser.add_argument("--pin", action="store_true", help="pin storyline's scores in eval/baselines.json")
    args = parser.parse_args(argv)
    root = args.data or shared_data_path(DATASET)
    results = evaluate(root, peers=not args.no_peers)
    print(format_table(results))
    if args.json:
        write_json(args.json, as_json(results, root))
    if args.pin:
        pin_baseline("extraction", baseline_values(next(s for s in results if s.name == OURS)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
