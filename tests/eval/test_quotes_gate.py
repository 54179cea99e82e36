"""Accuracy gate for quotes.v1 on the hand-annotated quotes (tests/data/quotes), and the gold's format."""

from __future__ import annotations

import json

import pytest
from eval.quotes import GOLD_DIR, load_gold, predict_ours, score_by_split

from tests.conftest import ROOT, shared_data

BASELINES = ROOT / "eval" / "baselines.json"
TOLERANCE = 0.01
QUOTE_KEYS = {"kind", "start", "end", "cue", "speaker_span", "speaker"}


def test_gold_stores_offsets_and_hashes_not_texts():
    for path in GOLD_DIR.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert "text" not in record and len(record["sha256"]) == 64
            for quote in record["quotes"]:
                assert set(quote) == QUOTE_KEYS
                assert 0 <= quote["start"] < quote["end"] <= record["chars"]
                assert quote["kind"] in ("direct", "indirect", "question")


def test_seed_gold_matches_the_seed_texts():
    docs = load_gold(splits=["seed"])
    assert len(docs) == 2 and sum(len(d.quotes) for d in docs) > 20


def test_changed_text_is_refused(tmp_path):
    record = json.loads((GOLD_DIR / "seeds.jsonl").read_text(encoding="utf-8").splitlines()[0])
    record["sha256"] = "0" * 64
    (tmp_path / "seeds.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing or changed"):
        load_gold(gold_dir=tmp_path)


@pytest.mark.slow
def test_quotes_do_not_drop_below_baseline():
    allsides = shared_data("allsides") / "allsides_articles.jsonl.gz"
    docs = load_gold(allsides=allsides)
    scores = score_by_split(docs, predict_ours(docs))
    pinned = json.loads(BASELINES.read_text(encoding="utf-8"))["quotes"]
    now = {name: _lookup(scores, name) for name, value in pinned.items() if isinstance(value, float | int)}
    dropped = {name: (now[name], pinned[name]) for name in now if now[name] < pinned[name] - TOLERANCE}
    assert not dropped, f"quotes scores below baseline (now, pinned): {dropped}"


def _lookup(scores: dict, name: str) -> float:
    split, metric = name.split("_", 1)
    if metric == "indirect_overlap_f1":
        return scores[split]["by_kind"]["indirect"]["overlap_f1"]
    return scores[split][metric]
