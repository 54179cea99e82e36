"""Gate for HTML main-text extraction on the article-extraction benchmark (slow, needs ../shared/data)."""

from __future__ import annotations

import pytest
from eval.common import load_baselines
from eval.extraction import score_document, score_ours

from tests.conftest import shared_data

TOLERANCE = 0.005


@pytest.mark.slow
def test_extraction_f1_does_not_drop_below_baseline() -> None:
    result = score_ours(shared_data("article-extraction"))
    pinned = load_baselines()["extraction"]
    assert result.documents == 181
    assert result.f1 >= pinned["f1"] - TOLERANCE, (
        f"extraction F1 {result.f1:.4f} fell below the pinned {pinned['f1']} - {TOLERANCE} "
        f"(precision {result.precision:.4f}, recall {result.recall:.4f}); see eval/extraction.py"
    )


def test_metric_counts_shared_shingles_as_multisets() -> None:
    truth = "one two three four five one two three four"
    perfect = score_document(truth, truth)
    assert (perfect.precision, perfect.recall, perfect.exact) == (1.0, 1.0, True)
    half = score_document("one two three four five", truth)  # 2 shingles, both in the truth's 6
    assert half.precision == 1.0 and half.recall == pytest.approx(2 / 6)


def test_metric_on_empty_and_short_texts() -> None:
    assert score_document("", "some true text here now").precision is None  # undefined, left out
    assert score_document("", "some true text here now").recall == 0.0
    assert score_document("two words", "two words").recall == 1.0  # under 4 tokens: one shingle
    assert score_document("one, two! three (four)", "one two three four").exact  # punctuation only separates
    assert score_document("One two three four", "one two three four").recall == 0.0  # case counts
