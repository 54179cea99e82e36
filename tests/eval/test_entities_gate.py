"""Accuracy gate for entities.v1 on MEANTIME (slow, needs ../shared/data/meantime)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from eval.entities import pinned, run

from tests.conftest import ROOT, shared_data

BASELINES = ROOT / "eval" / "baselines.json"
TOLERANCE = 0.01


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return run(shared_data("meantime"))


@pytest.mark.slow
def test_entities_do_not_drop_below_baseline(report: dict[str, Any]) -> None:
    scores = pinned(report)
    baseline = json.loads(BASELINES.read_text(encoding="utf-8"))["entities"]
    dropped = {k: (scores[k], v) for k, v in baseline.items() if scores[k] < v - TOLERANCE}
    assert not dropped, f"entity scores below baseline (now, pinned): {dropped}"


@pytest.mark.slow
def test_repairs_and_canonical_names_beat_bare_spacy(report: dict[str, Any]) -> None:
    assert report["ours"]["named_lenient"]["all"]["f1"] >= report["bare"]["named_lenient"]["all"]["f1"]
    assert report["ours"]["canonical"]["b3_f1"] > report["bare"]["canonical"]["b3_f1"] + 0.05
    assert report["ours"]["resolved_non_names"]["accuracy"] >= 0.8
