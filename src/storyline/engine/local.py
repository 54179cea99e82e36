"""The local engine: partitions processed one after another in this process (NLP optionally in a pool)."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from ..api import pipeline_signature
from ..settings import DEFAULT, Settings
from ..store import Store
from .events import PartitionEvent
from .parquet import is_written, write_partition
from .partitions import (
    Partition,
    PartitionError,
    is_finished,
    iter_partition,
    plan_partitions,
    process_partition,
)

logger = logging.getLogger(__name__)


def iter_run_local(
    store: Store,
    paths: Sequence[str],
    *,
    settings: Settings = DEFAULT,
    date: str | None = None,
    processes: int = 1,
    out: str | None = None,
) -> Iterator[PartitionEvent]:
    """Ingest and annotate every partition under ``paths`` into ``store``, skipping finished ones.

    ``out``: write each partition's articles as a Parquet file in this folder instead of the store.

    Stories are not touched: run :func:`storyline.api.iter_update_stories` afterwards.
    """
    settings.validate()
    partitions, missing = plan_partitions(paths, settings=settings)
    yield from (PartitionEvent.missing(error) for error in missing)
    pipeline = pipeline_signature(settings)
    for partition in partitions:
        if _finished(store, partition, pipeline=pipeline, out=out):
            yield PartitionEvent.skipped(partition)
        else:
            yield _process(store, partition, settings=settings, date=date, processes=processes, out=out)


def _finished(store: Store, partition: Partition, *, pipeline: str, out: str | None) -> bool:
    if out is not None:
        return is_written(out, partition, pipeline=pipeline)
    return is_finished(store, partition, pipeline=pipeline)


def _process(
    store: Store,
    partition: Partition,
    *,
    settings: Settings,
    date: str | None,
    processes: int,
    out: str | None,
) -> PartitionEvent:
    pipeline = pipeline_signature(settings)
    try:
        if out is not None:
            items = iter_partition(partition, settings=settings, date=date, processes=processes)
            summary = write_partition(out, partition, items, pipeline=pipeline)
        else:
            summary = process_partition(
                store, partition, settings=settings, date=date, processes=processes, pipeline=pipeline
            )
    except PartitionError as exc:
        logger.warning("%s", exc)
        return PartitionEvent.failed(partition.name, str(exc))
    return PartitionEvent.done(summary)
