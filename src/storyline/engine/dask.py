"""The Dask engine: partitions processed as Dask tasks on a cluster, stories built after, in time order.

One task per partition (a whole file of articles), so the scheduler's few milliseconds per task
stay far below the seconds of NLP work each task does. Each worker process loads the spaCy model
once (``load_model`` is cached per process) and keeps it across tasks.

With a PostgreSQL store the workers write articles and annotations themselves, one transaction
per article, and record their partition finished. SQLite has one writer, so there the tasks
return their articles and the client writes them. A task that raises (a corrupt shard) or whose
worker dies is retried ``retries`` times, then reported by name; the other partitions go on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from ..api import pipeline_signature
from ..errors import E642, E643, OptionError
from ..settings import DEFAULT, Settings
from ..store import POSTGRES_SCHEMES, Store, open_store
from .events import PartitionEvent
from .parquet import is_written, write_partition
from .partitions import (
    Item,
    Partition,
    PartitionSummary,
    is_finished,
    iter_partition,
    mark_finished,
    plan_partitions,
    process_partition,
    write_item,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Target:
    """Where results go, as workers need to know it: the store URL and PostgreSQL schema."""

    url: str
    schema: str | None = None
    out: str | None = None  # a folder: Parquet files instead of the store

    @property
    def workers_write(self) -> bool:
        return self.out is not None or self.url.startswith(POSTGRES_SCHEMES)


@dataclass(slots=True)
class TaskResult:
    """A partition's summary, plus its processed records when the client must write them."""

    summary: PartitionSummary
    items: list[Item] | None = None


def iter_run_dask(
    url: str,
    paths: Sequence[str],
    *,
    schema: str | None = None,
    settings: Settings = DEFAULT,
    date: str | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    retries: int = 2,
    out: str | None = None,
) -> Iterator[PartitionEvent]:
    """Ingest and annotate every partition under ``paths`` on Dask into the store at ``url``.

    ``scheduler``: a running scheduler's address (``tcp://host:8786``); without it a LocalCluster
    of ``workers`` single-threaded processes is started and stopped here. Finished partitions
    are skipped. Events come in completion order. Stories are not touched: run
    :func:`storyline.api.iter_update_stories` afterwards, once, in publication order.
    ``out``: write each partition's articles as a Parquet file in this folder instead of the store.
    """
    settings.validate()
    target = Target(url, schema, out)
    pipeline = pipeline_signature(settings)
    with ExitStack() as stack:
        store = None if out else stack.enter_context(open_store(url, schema=schema))
        partitions, missing = plan_partitions(paths, settings=settings)
        yield from (PartitionEvent.missing(error) for error in missing)
        todo = []
        for partition in partitions:
            if _finished(store, target, partition, pipeline=pipeline):
                yield PartitionEvent.skipped(partition)
            else:
                todo.append(partition)
        if todo:
            client = stack.enter_context(_client(scheduler, workers=workers))
            yield from _run(client, store, todo, target=target, settings=settings, date=date, retries=retries)


def _finished(store: Store | None, target: Target, partition: Partition, *, pipeline: str) -> bool:
    if store is None:
        return is_written(str(target.out), partition, pipeline=pipeline)
    return is_finished(store, partition, pipeline=pipeline)


def _run(
    client: Any,
    store: Store | None,
    partitions: list[Partition],
    *,
    target: Target,
    settings: Settings,
    date: str | None,
    retries: int,
) -> Iterator[PartitionEvent]:
    from distributed import as_completed

    pipeline = pipeline_signature(settings)
    futures = {
        client.submit(
            run_task, partition, target=target, settings=settings, date=date, retries=retries, pure=False
        ): partition
        for partition in partitions
    }
    for future in as_completed(futures):
        partition = futures.pop(future)
        if future.status == "error":
            reason = E642.format(name=partition.name, attempts=retries + 1, reason=future.exception())
            logger.warning("%s", reason)
            yield PartitionEvent.failed(partition.name, reason)
            continue
        result: TaskResult = future.result()
        future.release()  # the articles it carried can go now
        if result.items is not None and store is not None:
            _write(store, partition, result, pipeline=pipeline)
        yield PartitionEvent.done(result.summary)


def _write(store: Store, partition: Partition, result: TaskResult, *, pipeline: str) -> None:
    summary = PartitionSummary(partition.name, seconds=result.summary.seconds)
    for item in result.items or ():
        write_item(store, item, summary, pipeline=pipeline)
    mark_finished(store, partition, summary, pipeline=pipeline)
    result.summary = summary


def run_task(partition: Partition, *, target: Target, settings: Settings, date: str | None) -> TaskResult:
    """The Dask task: process one partition on a worker (module level, so workers can import it)."""
    pipeline = pipeline_signature(settings)
    if target.out is not None:
        records = iter_partition(partition, settings=settings, date=date)
        return TaskResult(write_partition(target.out, partition, records, pipeline=pipeline))
    if not target.workers_write:
        started = time.perf_counter()
        items = list(iter_partition(partition, settings=settings, date=date))
        return TaskResult(PartitionSummary(partition.name, seconds=time.perf_counter() - started), items)
    with open_store(target.url, schema=target.schema) as store:
        summary = process_partition(store, partition, settings=settings, date=date, pipeline=pipeline)
    return TaskResult(summary)


def _client(scheduler: str | None, *, workers: int) -> Any:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise OptionError(E643) from exc
    if scheduler is not None:
        return Client(scheduler)
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    return _ClusterClient(cluster, Client(cluster))


class _ClusterClient:
    """A client and the LocalCluster it owns, closed together."""

    def __init__(self, cluster: Any, client: Any) -> None:
        self.cluster, self.client = cluster, client

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self.cluster.close()
