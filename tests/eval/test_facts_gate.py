"""Accuracy gate for fact comparison (eval/facts.py): samples always, shared-data pairs when present."""

from __future__ import annotations

import json

import pytest
from eval.facts import evaluate

from tests.conftest import ROOT, shared_data

BASELINES = ROOT / "eval" / "baselines.json"
TOLERANCE = 0.02
RATIOS = ("_p", "_r", "_f1", "_acc")


def dropped(result: dict[str, float], pinned: dict[str, float]) -> dict[str, tuple[float, float]]:
    gated = {k: v for k, v in pinned.items() if k.endswith(RATIOS)}
    return {k: (result[k], v) for k, v in gated.items() if result[k] < v - TOLERANCE}


def pinned(part: str) -> dict[str, float]:
    return json.loads(BASELINES.read_text(encoding="utf-8"))["facts"][part]


def test_samples_do_not_drop_below_baseline():
    result, _ = evaluate(["seeds"])
    assert not dropped(result, pinned("seeds")), (
        f"facts on the samples below baseline: {dropped(result, pinned('seeds'))}"
    )


@pytest.mark.slow
def test_gold_pairs_do_not_drop_below_baseline():
    shared_data("ecbplus-dev")
    shared_data("meantime")
    result, _ = evaluate(["ecbplus", "meantime"])
    below = dropped(result, pinned("pairs"))
    assert not below, f"facts on the gold pairs below baseline (now, pinned): {below}"
