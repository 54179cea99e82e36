"""The local engine: partitions processed one after another in this process (NLP optionally in a pool)."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from ..api import pipeline_signature
from ..settings import DEFAULT, Settings
from ..store import Store
from .events import PartitionEvent
from .partitions import PartitionError, is_finished, plan_partitions, process_partition

logger = logging.getLogger(__name__)


def iter_run_local(
    store: Store,
    paths: Sequence[str],
    *,
    settings: Settings = DEFAULT,
    date: str | None = None,
    processes: int = 1,
) -> Iterator[PartitionEvent]:
    """Ingest and annotate every partition under ``paths`` into ``store``, skipping finished ones.

    Stories are not touched: run :func:`storyline.api.iter_update_stories` afterwards.
    """
    settings.validate()
    partitions, missing = plan_partitions(paths)
    yield from (PartitionEvent.missing(error) for error in missing)
    pipeline = pipeline_signature(settings)
    for partition in partitions:
        if is_finished(store, partition, pipeline=pipeline):
            yield PartitionEvent.skipped(partition)
            continue
        try:
            summary = process_partition(
                store, partition, settings=settings, date=date, processes=processes, pipeline=pipeline
            )
        except PartitionError as exc:
            logger.warning("%s", exc)
            yield PartitionEvent.failed(partition.name, str(exc))
        else:
            yield PartitionEvent.done(summary)
