"""Engines: run the per-article stages over input partitions, here or on a Dask cluster.

``iter_run_local(store, paths)`` and ``iter_run_dask(url, paths, scheduler=...)`` yield one
:class:`PartitionEvent` per input file and skip files a previous run finished. Stories are built
afterwards with :func:`storyline.api.iter_update_stories`. Dask itself is imported only when a Dask
run starts.
"""

from __future__ import annotations

from .dask import iter_run_dask
from .events import PartitionEvent
from .local import iter_run_local
from .partitions import Partition, PartitionError, PartitionSummary, plan_partitions

__all__ = [
    "Partition",
    "PartitionError",
    "PartitionEvent",
    "PartitionSummary",
    "iter_run_dask",
    "iter_run_local",
    "plan_partitions",
]
