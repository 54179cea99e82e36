"""Accuracy gate for quantities.v1 on the hand-annotated allsides sentences (slow, needs ../shared/data)."""

from __future__ import annotations

import json

import pytest
from eval.quantities import GOLD, load_gold, score

from tests.conftest import ROOT, shared_data

BASELINES = ROOT / "eval" / "baselines.json"
TOLERANCE = 0.01


@pytest.mark.slow
def test_quantities_do_not_drop_below_baseline():
    allsides = shared_data("allsides") / "allsides_articles.jsonl.gz"
    result = score(load_gold(gold=GOLD, allsides=allsides))
    pinned = json.loads(BASELINES.read_text(encoding="utf-8"))["quantities"]
    dropped = {k: (result[k], v) for k, v in pinned.items() if result[k] < v - TOLERANCE}
    assert not dropped, f"quantities scores below baseline (now, pinned): {dropped}"
