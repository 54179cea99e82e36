"""The NLP runner: order, per-article failures, worker processes, fail-fast options."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from storyline.errors import OptionError, StageError
from storyline.model import Article
from storyline.nlp.pipeline import get_doc
from storyline.nlp.run import annotate
from storyline.registry import stage
from storyline.settings import DEFAULT

TEXTS = [
    "WASHINGTON (Reuters) - Senator Jane Doe said on Tuesday that 1,200 workers lost their jobs. "
    '"We will not accept this," she told reporters.',
    "The company reported a 15% rise in profit last year, according to its chief executive, John Smith.",
    "Nearly 300 people were evacuated in March after the river flooded two villages in northern Italy.",
    "Officials in Kyiv said at least 19 children had been returned since August.",
    "Prices rose by $4 billion over three years, the ministry said.",
]


def _articles(texts: list[str] = TEXTS) -> list[Article]:
    return [
        Article(id=f"a{index}", origin=f"test#{index}", text=text, published="2024-05-01")
        for index, text in enumerate(texts)
    ]


# A real stage registered for these tests: it fails on one marked article, like a stage bug would.
@stage("tests.fails_on_marker.v1", assigns=("claims",))
def _fails_on_marker(article: Article) -> Article:
    if "MARKER" in get_doc(article).text:
        raise ValueError("marker found")
    return article


def test_annotate_preserves_order_across_batches() -> None:
    settings = dataclasses.replace(DEFAULT, batch_size=2)
    results = list(annotate(_articles(), settings=settings))
    assert [r.id for r in results if isinstance(r, Article)] == [f"a{i}" for i in range(len(TEXTS))]
    assert all(r.doc is None for r in results if isinstance(r, Article))  # Docs never outlive a batch


def test_annotate_runs_every_stage() -> None:
    (first,) = list(annotate(_articles(TEXTS[:1])))
    assert isinstance(first, Article)
    assert first.entities and first.quotes and first.quantities and first.timexes and first.claims


def test_stage_error_on_one_article_leaves_the_others_annotated() -> None:
    texts = [TEXTS[0], "This MARKER article breaks the stage.", TEXTS[2]]
    settings = dataclasses.replace(DEFAULT, nlp=(*DEFAULT.nlp, "tests.fails_on_marker.v1"))
    results = list(annotate(_articles(texts), settings=settings))
    assert isinstance(results[0], Article) and isinstance(results[2], Article)
    assert isinstance(results[1], StageError)
    assert "tests.fails_on_marker.v1" in str(results[1]) and "a1" in str(results[1])
    assert results[0].quantities and results[2].quantities


def test_two_processes_give_the_same_annotations_as_one() -> None:
    settings = dataclasses.replace(DEFAULT, batch_size=2)
    one = [r.to_dict() for r in annotate(_articles(), settings=settings, processes=1)]
    two = [r.to_dict() for r in annotate(_articles(), settings=settings, processes=2)]
    assert one == two
    assert any(article["entities"] for article in one)


def test_unknown_stage_fails_at_once_before_reading_any_article() -> None:
    consumed: list[Article] = []

    def source() -> Iterator[Article]:
        for article in _articles():
            consumed.append(article)
            yield article

    settings = dataclasses.replace(DEFAULT, nlp=("entities.v1", "no_such_stage.v9"))
    with pytest.raises(OptionError, match=r"no_such_stage\.v9"):
        annotate(source(), settings=settings)  # raises on the call, not on first iteration
    assert consumed == []


def test_invalid_settings_fail_at_once() -> None:
    with pytest.raises(OptionError, match="batch_size"):
        annotate(_articles(), settings=dataclasses.replace(DEFAULT, batch_size=0))


def test_invalid_process_count_fails_at_once() -> None:
    with pytest.raises(OptionError, match="processes"):
        annotate(_articles(), processes=0)
