"""Accuracy gate: timexes.v1 on MEANTIME stays within 0.01 of its pinned baseline (slow, shared data)."""

from __future__ import annotations

import json

import pytest
from eval.meantime import load_meantime
from eval.timex import BASELINES, run, summarise

from tests.conftest import shared_data

TOLERANCE = 0.01


@pytest.mark.slow
def test_timex_scores_do_not_drop_below_the_pin():
    docs = load_meantime(shared_data("meantime"))
    pinned = json.loads(BASELINES.read_text(encoding="utf-8"))["timex"]
    results, _seconds = run(docs)
    overall = summarise(results)["overall"]
    for measure in ("value_f1", "relaxed_f1", "strict_f1"):
        assert overall[measure] >= pinned[measure] - TOLERANCE, (measure, overall[measure], pinned[measure])


def test_scorer_counts_strict_relaxed_and_value():
    from eval.meantime import GoldTimex, MeantimeDoc
    from eval.timex import score_document

    from storyline.model import Timex

    text = "Headline\nMay 1, 2009\nIt fell on Monday and rose two days later in 2009."
    doc = MeantimeDoc("1", "n", "c", text, "2009-05-01", dct_span=(9, 20), annotated_end=len(text))
    monday, days, year = text.index("Monday"), text.index("two days"), text.index("2009.")
    doc.timexes = [
        GoldTimex(monday, monday + 6, "DATE", "2009-04-27", "t1"),
        GoldTimex(days, days + 8, "DURATION", "P2D", "t2"),
        GoldTimex(year, year + 4, "DATE", "2009", "t3"),
    ]
    predicted = [
        Timex("May 1, 2009", 9, 20, "DATE", "2009-05-01"),  # the DCT line: ignored
        Timex("on Monday", monday - 3, monday + 6, "DATE", "2009-04-27"),  # relaxed only, right value
        Timex("two days", days, days + 8, "DURATION", "P3D"),  # strict, wrong value
    ]
    counts = score_document(doc, predicted).counts
    assert (counts.gold, counts.predicted, counts.strict, counts.relaxed, counts.value_ok) == (3, 2, 1, 2, 1)
    scores = counts.scores()
    assert scores["relaxed_f1"] == pytest.approx(2 * 1.0 * (2 / 3) / (1.0 + 2 / 3))
    assert scores["value_f1"] == pytest.approx(scores["relaxed_f1"] * 0.5)
