"""Story clustering on ECB+ (topics 1–22 here): our online clusterer vs a TF-IDF + agglomerative baseline.

Each ECB+ topic holds two confusable events (``*ecb.xml`` / ``*ecbplus.xml``), so "same topic" is not
"same story". Measures (re-implemented):

* pairwise P/R/F1 over document pairs put in one cluster (as in Miranda et al. 2018);
* B-cubed P/R/F1 (Bagga & Baldwin 1998): per-document overlap of its predicted and gold clusters;
* adjusted Rand index (Hubert & Arabie 1985).

Ours: documents go through the real ``entities.v1`` and ``timexes.v1`` stages (no publication dates:
ECB+ has none), then stream one by one, in a shuffled but fixed order, into a fresh ``StoryClusterer``
with the default settings. Baseline: TF-IDF (sublinear tf, English stop words) + scikit-learn
agglomerative clustering on cosine distance, its linkage and distance threshold tuned on the dev topics.
Our thresholds were tuned on the dev topics too (``--tune`` re-runs that grid); the held-out topics only
report. Every row also comes for ``overall`` (all 20 topics streamed together, so cross-topic mistakes
count).

Run: ``python -m eval.clustering [--json PATH] [--pin] [--tune] [--embedder NAME]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import logging
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.common import pin_baseline, write_json
from eval.ecbplus import EcbDoc, load_ecbplus
from storyline.model import Article
from storyline.settings import DEFAULT, Settings

DEV_TOPICS = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10})  # tuning; the other topics present are held out
SPLITS = ("dev", "held_out", "overall")
ORDER_SEED = 2014
PINNED = ("pairwise_f1", "bcubed_f1", "ari")

Labels = Sequence[str]


# -- measures -------------------------------------------------------------------------------------


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _prf(tp: float, predicted: float, gold: float) -> tuple[float, float, float]:
    precision = tp / predicted if predicted else 1.0
    recall = tp / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def contingency(gold: Labels, predicted: Labels) -> Counter[tuple[str, str]]:
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predicted")
    return Counter(zip(gold, predicted, strict=True))


def pairwise(gold: Labels, predicted: Labels) -> tuple[float, float, float]:
    cells = contingency(gold, predicted)
    tp = sum(_pairs(n) for n in cells.values())
    return _prf(
        tp,
        sum(_pairs(n) for n in Counter(predicted).values()),
        sum(_pairs(n) for n in Counter(gold).values()),
    )


def bcubed(gold: Labels, predicted: Labels) -> tuple[float, float, float]:
    cells = contingency(gold, predicted)
    gold_sizes, predicted_sizes = Counter(gold), Counter(predicted)
    precision = sum(n * n / predicted_sizes[p] for (_, p), n in cells.items()) / len(gold)
    recall = sum(n * n / gold_sizes[g] for (g, _), n in cells.items()) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def adjusted_rand(gold: Labels, predicted: Labels) -> float:
    cells = contingency(gold, predicted)
    index = sum(_pairs(n) for n in cells.values())
    gold_pairs = sum(_pairs(n) for n in Counter(gold).values())
    predicted_pairs = sum(_pairs(n) for n in Counter(predicted).values())
    total = _pairs(len(gold))
    expected = gold_pairs * predicted_pairs / total if total else 0.0
    maximum = (gold_pairs + predicted_pairs) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def measures(gold: Labels, predicted: Labels) -> dict[str, float]:
    pp, pr, pf = pairwise(gold, predicted)
    bp, br, bf = bcubed(gold, predicted)
    return {
        "pairwise_p": pp, "pairwise_r": pr, "pairwise_f1": pf,
        "bcubed_p": bp, "bcubed_r": br, "bcubed_f1": bf,
        "ari": adjusted_rand(gold, predicted),
        "documents": len(gold), "gold_clusters": len(set(gold)), "predicted_clusters": len(set(predicted)),
    }  # fmt: skip


def topic_confusions(docs: Sequence[EcbDoc], predicted: Labels) -> list[dict[str, Any]]:
    """Per topic: predicted stories used, and document pairs of its two events put in one story."""
    by_topic: dict[int, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        by_topic[doc.topic].append(i)
    rows = []
    for topic, members in sorted(by_topic.items()):
        gold = [docs[i].gold for i in members]
        labels = [predicted[i] for i in members]
        halves = Counter(docs[i].half for i in members)
        cross = sum(
            1
            for a, b in itertools.combinations(members, 2)
            if docs[a].half != docs[b].half and predicted[a] == predicted[b]
        )
        rows.append(
            {
                "topic": topic, "ecb": halves["ecb"], "ecbplus": halves["ecbplus"],
                "stories": len(set(labels)), "cross_event_pairs": cross,
                "cross_event_share": cross / (halves["ecb"] * halves["ecbplus"] or 1),
                "pairwise_f1": pairwise(gold, labels)[2],
            }
        )  # fmt: skip
    return rows


# -- systems --------------------------------------------------------------------------------------


def annotate_docs(docs: Sequence[EcbDoc]) -> list[Article]:
    """The real entity and timex stages over every document (a failed article keeps no annotations)."""
    import storyline.nlp.entities  # noqa: F401  (registers "entities.v1")
    from storyline.nlp.run import annotate

    settings = dataclasses.replace(DEFAULT, nlp=("entities.v1", "timexes.v1"))
    articles = [dataclasses.replace(d.article) for d in docs]
    results = list(annotate(articles, settings=settings))
    return [r if isinstance(r, Article) else a for r, a in zip(results, articles, strict=True)]


def stream_order(size: int, *, seed: int = ORDER_SEED) -> list[int]:
    order = list(range(size))
    random.Random(seed).shuffle(order)
    return order


def run_ours(articles: Sequence[Article], *, settings: Settings, embedder: Any = None) -> list[str]:
    from storyline.stories.cluster import StoryClusterer

    clusterer = StoryClusterer(settings=settings, embedder=embedder)
    labels = [""] * len(articles)
    order = stream_order(len(articles))
    assigned = dict(clusterer.add_many(articles[i] for i in order))
    for i, article in enumerate(articles):
        labels[i] = clusterer.story_of(article.id) or assigned[article.id]
    return labels


def baseline_vectors(articles: Sequence[Article]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
    return vectorizer.fit_transform([a.text for a in articles])


def run_baseline(articles: Sequence[Article], *, linkage: str, threshold: float) -> list[str]:
    from sklearn.cluster import AgglomerativeClustering

    vectors = baseline_vectors(articles).toarray()
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage=linkage, distance_threshold=threshold
    )
    return [str(label) for label in model.fit_predict(vectors)]


def tune_baseline(articles: Sequence[Article], gold: Labels) -> dict[str, Any]:
    """The linkage and distance threshold with the best pairwise F1 on the given (dev) documents."""
    best: dict[str, Any] = {"pairwise_f1": -1.0}
    for linkage in ("average", "complete", "single"):
        for step in range(10, 100, 3):
            threshold = step / 100
            f1 = pairwise(gold, run_baseline(articles, linkage=linkage, threshold=threshold))[2]
            if f1 > best["pairwise_f1"]:
                best = {"linkage": linkage, "threshold": threshold, "pairwise_f1": f1}
    return best


def tune_ours(articles: Sequence[Article], gold: Labels, *, settings: Settings) -> dict[str, Any]:
    """Grid over the join threshold and the entity/date weights on the dev documents (pairwise F1)."""
    from storyline.stories.embed import get_embedder

    embedder = get_embedder(settings.story_embedder)
    best: dict[str, Any] = {"pairwise_f1": -1.0}
    for join, entity_weight, date_weight in itertools.product(
        [x / 100 for x in range(30, 95, 4)], (0.0, 0.35, 0.7, 1.0, 1.4), (0.0, 0.1, 0.2, 0.3)
    ):
        trial = dataclasses.replace(
            settings,
            story_join_threshold=join,
            story_merge_threshold=join + 0.15,
            story_entity_weight=entity_weight,
            story_date_weight=date_weight,
        )
        f1 = pairwise(gold, run_ours(articles, settings=trial, embedder=embedder))[2]
        if f1 > best["pairwise_f1"]:
            best = {
                "join": join,
                "entity_weight": entity_weight,
                "date_weight": date_weight,
                "pairwise_f1": f1,
            }
            logging.getLogger(__name__).info("tuning: %s", best)
    return best


# -- the run --------------------------------------------------------------------------------------


def split_indices(docs: Sequence[EcbDoc]) -> dict[str, list[int]]:
    dev = [i for i, d in enumerate(docs) if d.topic in DEV_TOPICS]
    held_out = [i for i, d in enumerate(docs) if d.topic not in DEV_TOPICS]
    return {"dev": dev, "held_out": held_out, "overall": list(range(len(docs)))}


def evaluate(
    docs: Sequence[EcbDoc], articles: Sequence[Article], *, settings: Settings = DEFAULT
) -> dict[str, Any]:
    splits = split_indices(docs)
    gold = [d.gold for d in docs]
    dev_articles = [articles[i] for i in splits["dev"]]
    tuned = tune_baseline(dev_articles, [gold[i] for i in splits["dev"]])
    report: dict[str, Any] = {"baseline_tuning": tuned, "settings": _story_settings(settings), "splits": {}}
    for name, indices in splits.items():
        subset, subset_gold = [articles[i] for i in indices], [gold[i] for i in indices]
        started = time.perf_counter()
        ours = run_ours(subset, settings=settings)
        seconds = time.perf_counter() - started
        baseline = run_baseline(subset, linkage=tuned["linkage"], threshold=tuned["threshold"])
        report["splits"][name] = {
            "ours": measures(subset_gold, ours) | {"seconds": seconds},
            "baseline": measures(subset_gold, baseline),
            "topics_ours": topic_confusions([docs[i] for i in indices], ours),
            "topics_baseline": topic_confusions([docs[i] for i in indices], baseline),
        }
    return report


def _story_settings(settings: Settings) -> dict[str, Any]:
    return {
        f.name: getattr(settings, f.name) for f in dataclasses.fields(settings) if f.name.startswith("story_")
    }


def summary_for_pin(report: dict[str, Any]) -> dict[str, Any]:
    pinned: dict[str, Any] = {"dataset": "ECB+ topics 1-22 (20 present), gold = topic + ecb/ecbplus"}
    for split in SPLITS:
        for system in ("ours", "baseline"):
            for measure in PINNED:
                pinned[f"{split}_{system}_{measure}"] = round(report["splits"][split][system][measure], 4)
    pinned["settings"] = report["settings"]
    return pinned


def format_table(report: dict[str, Any]) -> str:
    columns = ("pairwise_p", "pairwise_r", "pairwise_f1", "bcubed_p", "bcubed_r", "bcubed_f1", "ari")
    lines = [
        f"{'split':<9} {'system':<9} {'docs':>5} {'gold':>5} {'pred':>5} "
        + " ".join(f"{c:>11}" for c in columns)
    ]
    for split, systems in report["splits"].items():
        for system in ("ours", "baseline"):
            row = systems[system]
            counts = f"{row['documents']:>5} {row['gold_clusters']:>5} {row['predicted_clusters']:>5}"
            values = " ".join(f"{row[c]:>11.4f}" for c in columns)
            lines.append(f"{split:<9} {system:<9} {counts} {values}")
    tuned = report["baseline_tuning"]
    lines.append(f"baseline tuned on dev: linkage={tuned['linkage']} threshold={tuned['threshold']}")
    return "\n".join(lines)


def format_topics(report: dict[str, Any]) -> str:
    lines = ["topic  ecb ecb+ | ours: stories cross-pairs F1 | baseline: stories cross-pairs F1"]
    overall = report["splits"]["overall"]
    for ours, base in zip(overall["topics_ours"], overall["topics_baseline"], strict=True):
        lines.append(
            f"{ours['topic']:>5} {ours['ecb']:>4} {ours['ecbplus']:>4} | {ours['stories']:>13} "
            f"{ours['cross_event_pairs']:>11} {ours['pairwise_f1']:.2f} | {base['stories']:>17} "
            f"{base['cross_event_pairs']:>11} {base['pairwise_f1']:.2f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--root", type=Path, default=None, help="ecbplus-dev folder (default ../shared/data)")
    parser.add_argument("--json", type=Path, default=None, help="write the full report here")
    parser.add_argument(
        "--pin", action="store_true", help="pin the scores in eval/baselines.json ('clustering')"
    )
    parser.add_argument("--tune", action="store_true", help="grid-search our weights on the dev topics first")
    parser.add_argument("--embedder", default=None, help="override settings.story_embedder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    docs = load_ecbplus(args.root)
    articles = annotate_docs(docs)
    settings = (
        DEFAULT if args.embedder is None else dataclasses.replace(DEFAULT, story_embedder=args.embedder)
    )
    if args.tune:
        dev = split_indices(docs)["dev"]
        best = tune_ours([articles[i] for i in dev], [docs[i].gold for i in dev], settings=settings)
        print("best on dev:", best)
    report = evaluate(docs, articles, settings=settings)
    print(format_table(report))
    print(format_topics(report))
    if args.json:
        write_json(args.json, report)
    if args.pin:
        pin_baseline("clustering", summary_for_pin(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
