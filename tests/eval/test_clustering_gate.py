"""Accuracy gate: story clustering on ECB+ stays within 0.01 of its pinned scores (slow, shared data)."""

from __future__ import annotations

import json

import pytest
from eval.clustering import (
    adjusted_rand,
    annotate_docs,
    bcubed,
    measures,
    pairwise,
    run_ours,
    split_indices,
    topic_confusions,
)
from eval.common import BASELINES
from eval.ecbplus import EcbDoc, load_ecbplus, split_url_line

from storyline.model import Article
from storyline.settings import DEFAULT
from tests.conftest import shared_data

TOLERANCE = 0.01


@pytest.mark.slow
def test_clustering_scores_do_not_drop_below_the_pin():
    docs = load_ecbplus(shared_data("ecbplus-dev"))
    pinned = json.loads(BASELINES.read_text(encoding="utf-8"))["clustering"]
    articles = annotate_docs(docs)
    for split, indices in split_indices(docs).items():
        gold = [docs[i].gold for i in indices]
        scores = measures(gold, run_ours([articles[i] for i in indices], settings=DEFAULT))
        for measure in ("pairwise_f1", "bcubed_f1", "ari"):
            floor = pinned[f"{split}_ours_{measure}"] - TOLERANCE
            assert scores[measure] >= floor, (split, measure, scores[measure], floor)


GOLD = ["a", "a", "a", "b", "b", "c"]


def test_perfect_clustering_scores_one():
    assert pairwise(GOLD, GOLD) == (1.0, 1.0, 1.0)
    assert bcubed(GOLD, GOLD) == (1.0, 1.0, 1.0)
    assert adjusted_rand(GOLD, GOLD) == 1.0


def test_measures_match_hand_counts_and_sklearn():
    predicted = ["x", "x", "y", "y", "y", "z"]
    # Gold pairs: a:3 + b:1 = 4. Predicted pairs: x:1 + y:3 = 4. Shared: (a,x):1 + (b,y):1 = 2.
    assert pairwise(GOLD, predicted) == pytest.approx((0.5, 0.5, 0.5))
    precision, recall, _ = bcubed(GOLD, predicted)
    # Per item precision: a1 a2 -> 2/2; a3 -> 1/3; b1 b2 -> 2/3; c -> 1.
    # Per item recall: a1 a2 -> 2/3; a3 -> 1/3; b1 b2 -> 1; c -> 1.
    assert precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3 + 1) / 6)
    assert recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1 + 1) / 6)
    sklearn = pytest.importorskip("sklearn.metrics")
    assert adjusted_rand(GOLD, predicted) == pytest.approx(sklearn.adjusted_rand_score(GOLD, predicted))


def test_all_in_one_cluster_has_full_recall_and_zero_ari():
    lumped = ["k"] * len(GOLD)
    assert pairwise(GOLD, lumped)[1] == 1.0 and bcubed(GOLD, lumped)[1] == 1.0
    assert adjusted_rand(GOLD, lumped) == pytest.approx(0.0)


def test_topic_confusions_count_cross_event_pairs():
    docs = [
        EcbDoc(f"1_{n}{half}.xml", 1, half, Article(id=f"{n}{half}", origin="o", text="t"))
        for n, half in [(1, "ecb"), (2, "ecb"), (1, "ecbplus"), (2, "ecbplus")]
    ]
    row = topic_confusions(docs, ["s", "s", "s", "t"])[0]
    assert (row["stories"], row["cross_event_pairs"], row["cross_event_share"]) == (2, 2, 0.5)


def test_spelled_out_url_line_leaves_the_text():
    url, text = split_url_line("http : / / www . bbc . co . uk / news / 1\nFire in town\nCrews came.")
    assert url == "http://www.bbc.co.uk/news/1" and text == "Fire in town\nCrews came."
    assert split_url_line("Fire in town\nCrews came.") == (None, "Fire in town\nCrews came.")
