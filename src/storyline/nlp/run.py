"""Run the per-article NLP stages over many articles: batched parsing, optional worker processes."""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult

from ..errors import E304, OptionError, StageError
from ..model import Article
from ..registry import Pipeline
from ..settings import DEFAULT, Settings
from .pipeline import attach_docs, load_model

logger = logging.getLogger(__name__)

AnnotateResult = Article | StageError

# Batches handed to the worker pool ahead of the one being read, per process: enough to keep every
# worker busy, few enough that a long input is never read into memory ahead of the results.
_BATCHES_AHEAD = 2


def annotate(
    articles: Iterable[Article], *, settings: Settings = DEFAULT, processes: int = 1
) -> Iterator[AnnotateResult]:
    """Yield each article with its annotations, or the StageError that stopped it (the batch goes on).

    Order is preserved. With ``processes > 1`` batches are parsed in worker processes (spawned,
    each loading the spaCy model once). Invalid settings, an unknown stage name or a bad
    ``processes`` raise OptionError here, on the call, before any article is read.
    """
    settings.validate()
    Pipeline(settings.nlp)  # fail fast on an unknown stage name, before any work
    if processes < 1:
        raise OptionError(E304.format(name="processes", reason=f"must be at least 1, not {processes}"))
    batches = _batched(articles, settings.batch_size)
    if processes == 1:
        return _in_process(batches, settings=settings)
    return _in_workers(batches, settings=settings, processes=processes)


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


def _in_process(batches: Iterator[list[Article]], *, settings: Settings) -> Iterator[AnnotateResult]:
    for batch in batches:
        yield from annotate_batch(batch, settings=settings)


def _in_workers(
    batches: Iterator[list[Article]], *, settings: Settings, processes: int
) -> Iterator[AnnotateResult]:
    # apply_async with a bounded window instead of Pool.imap: imap's feeder thread would read and
    # pickle the whole input at once. Results come back in submission order.
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes, initializer=_init_worker, initargs=(settings,)) as pool:
        pending: deque[AsyncResult[list[AnnotateResult]]] = deque()
        for batch in batches:
            pending.append(pool.apply_async(_worker_batch, (batch,)))
            if len(pending) > _BATCHES_AHEAD * processes:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _batched(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(islice(iterator, size)):
        yield batch


_worker_settings: Settings = DEFAULT


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings
    load_model()  # once per worker, before its first batch (the stages use the default model)


def _worker_batch(batch: list[Article]) -> list[AnnotateResult]:
    return annotate_batch(batch, settings=_worker_settings)
