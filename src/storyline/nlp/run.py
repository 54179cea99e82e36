"""Run the per-article NLP stages over many articles: batched parsing, optional worker processes."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterable, Iterator
from itertools import islice

from ..errors import StageError
from ..model import Article
from ..registry import Pipeline
from ..settings import DEFAULT, Settings
from .pipeline import attach_docs

logger = logging.getLogger(__name__)

AnnotateResult = Article | StageError


def annotate(
    articles: Iterable[Article], *, settings: Settings = DEFAULT, processes: int = 1
) -> Iterator[AnnotateResult]:
    """Yield each article with its annotations, or the StageError that stopped it (the batch goes on).

    Order is preserved. With ``processes > 1`` batches are parsed in worker processes,
    each loading the spaCy model once.
    """
    settings.validate()
    Pipeline(settings.nlp)  # fail fast on an unknown stage name, before any work
    batches = _batched(articles, settings.batch_size)
    if processes <= 1:
        for batch in batches:
            yield from annotate_batch(batch, settings=settings)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes, initializer=_init_worker, initargs=(settings,)) as pool:
        for results in pool.imap(_worker_batch, batches):
            yield from results


def annotate_batch(batch: list[Article], *, settings: Settings = DEFAULT) -> list[AnnotateResult]:
    pipeline = Pipeline(settings.nlp)
    attach_docs(batch, batch_size=settings.batch_size)
    results: list[AnnotateResult] = []
    for article in batch:
        try:
            results.append(pipeline(article))
        except StageError as exc:
            logger.warning("%s", exc)
            results.append(exc)
        article.doc = None  # a parsed Doc is large; never keep it past its batch
    return results


def _batched(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(islice(iterator, size)):
        yield batch


_worker_settings: Settings = DEFAULT


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings


def _worker_batch(batch: list[Article]) -> list[AnnotateResult]:
    return annotate_batch(batch, settings=_worker_settings)
