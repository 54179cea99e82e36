"""Per-partition Parquet output (``storyline analyze --out DIR``): one file per input partition.

Each row is one article: its main columns, the stage error if annotation failed, and ``article``, the
whole ``storyline/1`` article object (annotations included) as JSON. The file's schema metadata holds
the partition fingerprint and pipeline; a file is written under a temporary name and renamed, so a file
that exists is complete, and a rerun skips partitions whose file matches.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import E645, OptionError
from .partitions import Item, Partition, PartitionSummary

COLUMNS = ("id", "origin", "published", "source", "url", "title", "text", "stage_error", "article")


def parquet_path(out: str, partition: Partition) -> Path:
    # The file name alone can repeat across folders (shard-0001.jsonl): add a hash of the full path.
    digest = hashlib.sha256(partition.name.encode()).hexdigest()[:10]
    return Path(out) / f"{Path(partition.path).name}-{digest}.parquet"


def is_written(out: str, partition: Partition, *, pipeline: str) -> bool:
    pq = _parquet()
    path = parquet_path(out, partition)
    if not path.exists():
        return False
    metadata = pq.read_schema(path).metadata or {}
    return metadata.get(b"storyline") == _marker(partition, pipeline)


def write_partition(
    out: str, partition: Partition, items: Iterable[Item], *, pipeline: str
) -> PartitionSummary:
    """Write ``items`` as the partition's Parquet file; return the partition's counts."""
    import pyarrow as pa

    pq = _parquet()
    started = time.perf_counter()
    summary = PartitionSummary(partition.name)
    rows = [row for item in items if (row := _row(item, summary)) is not None]
    schema = pa.schema(
        [(name, pa.string()) for name in COLUMNS], metadata={"storyline": _marker(partition, pipeline)}
    )
    table = pa.Table.from_pylist(rows, schema=schema)
    path = parquet_path(out, partition)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    pq.write_table(table, partial)
    os.replace(partial, path)
    summary.seconds = time.perf_counter() - started
    return summary


def _row(item: Item, summary: PartitionSummary) -> dict[str, Any] | None:
    if item.raw is None or item.article is None:
        summary.count("rejected")
        summary.rejected.append(str(item.error))
        return None
    data = item.article.to_dict()
    summary.count("failed" if item.error else "written")
    if item.error:
        summary.rejected.append(item.error)
    scalars = {name: None if data.get(name) is None else str(data[name]) for name in COLUMNS[:7]}
    return {**scalars, "stage_error": item.error, "article": json.dumps(data, ensure_ascii=False)}


def _marker(partition: Partition, pipeline: str) -> bytes:
    fields = [partition.name, partition.size, partition.mtime, partition.head_sha256, pipeline]
    return json.dumps(fields).encode()


def _parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise OptionError(E645) from exc
    return pq
