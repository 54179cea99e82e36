"""Accuracy gate for near-duplicate and syndication detection on synthetic allsides copies (slow)."""

from __future__ import annotations

import json

import pytest
from eval.dedupe import pinned, read_records, scores

from tests.conftest import ROOT, shared_data

BASELINES = ROOT / "eval" / "baselines.json"
TOLERANCE = 0.01


@pytest.mark.slow
def test_dedupe_does_not_drop_below_baseline() -> None:
    path = shared_data("allsides") / "allsides_articles.jsonl.gz"
    result = pinned(scores(read_records(path, limit=6000)))
    baseline = json.loads(BASELINES.read_text(encoding="utf-8"))["dedupe"]
    dropped = {k: (result[k], v) for k, v in baseline.items() if result[k] < v - TOLERANCE}
    assert not dropped, f"dedupe scores below baseline (now, pinned): {dropped}"
