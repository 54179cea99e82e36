"""Partitions: the unit of work of every engine, and the record of which ones are finished.

A partition is one input file (a JSONL or WARC shard, a folder's text file), or a slice of
``settings.partition_lines`` lines of a longer JSON Lines file (named ``path#lines=A-B``), so one big
file spreads over workers and a restart redoes only the unfinished slices. Processing it reads,
normalises and annotates its records in one go; the articles and their annotations are written one
transaction per article, then the partition is recorded in the ``partitions`` table with the
file's size, mtime and the sha256 of its first MiB, and the NLP pipeline signature. A restarted
run skips a partition recorded with the same fingerprint and pipeline: an interrupted one (not
recorded) is processed again, and since writes are idempotent upserts keyed by content hash, the
final database is the one an uninterrupted run would have written.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..errors import E641, IngestError, NormalizeError, StageError, StorylineError
from ..ingest.normalize import normalize
from ..ingest.readers import expand_path, jsonl_line_count, read_inputs, read_jsonl_lines
from ..model import ANNOTATION_TYPES, Article, RawDocument
from ..nlp.run import annotate
from ..settings import DEFAULT, Settings
from ..store import Store

logger = logging.getLogger(__name__)

# The fingerprint hashes this much of the file's head: cheap on huge shards, and with size and
# mtime it catches a file replaced or appended to.
HEAD_BYTES = 1 << 20


class PartitionError(StorylineError):
    """A whole partition could not be processed (unreadable or corrupt file)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One processed record: its raw input and annotated article, or why it was rejected.

    ``error`` with an article: the stage error that stopped annotation (the article is stored
    unannotated, as the in-process path does); without one: the record was rejected.
    """

    raw: RawDocument | None
    article: Article | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Partition:
    """One input file and its fingerprint at planning time."""

    path: str
    size: int
    mtime: float
    head_sha256: str
    # A slice of a JSON Lines file: lines first_line..last_line (1-based, inclusive); None: the whole file.
    first_line: int | None = None
    last_line: int | None = None

    @property
    def name(self) -> str:
        if self.first_line is None:
            return self.path
        return f"{self.path}#lines={self.first_line}-{self.last_line}"


@dataclass(slots=True)
class PartitionSummary:
    """What processing one partition did: counts per outcome and the reasons of rejections."""

    path: str
    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts, "rejected": self.rejected, "seconds": round(self.seconds, 3)}


def plan_partitions(
    paths: Sequence[str], *, settings: Settings = DEFAULT
) -> tuple[list[Partition], list[IngestError]]:
    """The partitions under ``paths`` (files, folders, globs), in input order, and paths not found.

    A JSON Lines file longer than ``settings.partition_lines`` lines becomes one partition per slice.
    """
    partitions: list[Partition] = []
    missing: list[IngestError] = []
    seen: set[str] = set()
    for path in paths:
        for found in expand_path(path):
            if isinstance(found, IngestError):
                missing.append(found)
            elif (absolute := os.path.abspath(found)) not in seen:
                seen.add(absolute)
                partitions.extend(_slices(fingerprint(absolute), settings.partition_lines))
    return partitions, missing


def _slices(partition: Partition, lines: int) -> list[Partition]:
    # Only files big enough to hold more than one slice are worth counting the lines of.
    if partition.size < lines * 2:
        return [partition]
    count = jsonl_line_count(partition.path)
    if count is None or count <= lines:
        return [partition]
    return [
        dataclasses.replace(partition, first_line=first, last_line=min(first + lines - 1, count))
        for first in range(1, count + 1, lines)
    ]


def fingerprint(path: str) -> Partition:
    stat = os.stat(path)
    with open(path, "rb") as handle:
        head = hashlib.sha256(handle.read(HEAD_BYTES)).hexdigest()
    return Partition(path=path, size=stat.st_size, mtime=stat.st_mtime, head_sha256=head)


def is_finished(store: Store, partition: Partition, *, pipeline: str) -> bool:
    row = store.connection.execute(
        "SELECT size, mtime, head_sha256 FROM partitions WHERE path = ? AND pipeline = ?",
        (partition.name, pipeline),
    ).fetchone()
    return row is not None and (int(row[0]), float(row[1]), row[2]) == (
        partition.size,
        partition.mtime,
        partition.head_sha256,
    )


def mark_finished(store: Store, partition: Partition, summary: PartitionSummary, *, pipeline: str) -> None:
    connection = store.connection
    row = (
        partition.name,
        pipeline,
        partition.size,
        partition.mtime,
        partition.head_sha256,
        datetime.now(UTC).isoformat(timespec="milliseconds"),
        connection.to_json(summary.to_dict()),
    )
    with connection.transaction():
        connection.execute(
            "INSERT INTO partitions (path, pipeline, size, mtime, head_sha256, finished_at, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path, pipeline) DO UPDATE SET "
            "size = excluded.size, mtime = excluded.mtime, head_sha256 = excluded.head_sha256, "
            "finished_at = excluded.finished_at, data = excluded.data",
            row,
        )


def iter_partition(
    partition: Partition, *, settings: Settings = DEFAULT, date: str | None = None, processes: int = 1
) -> Iterator[Item]:
    """Read, normalise and annotate every record of ``partition``, streaming, in file order.

    Raises PartitionError after the last readable record when the file itself is unreadable
    (a truncated or corrupt archive), so engines retry it and never record it finished.
    """
    queued: deque[tuple[RawDocument, Article]] = deque()
    rejected: list[str] = []
    failure: list[str] = []

    def articles() -> Iterator[Article]:
        for raw in _records(partition, settings=settings, date=date):
            if isinstance(raw, IngestError):
                _note_file_failure(raw, partition, failure)
                rejected.append(str(raw))
                continue
            try:
                article = normalize(raw, settings=settings)
            except NormalizeError as exc:
                rejected.append(str(exc))
                continue
            queued.append((raw, article))
            yield article

    for result in _annotated(articles(), settings=settings, processes=processes):
        yield from _drain(rejected)
        raw, article = queued.popleft()
        if isinstance(result, StageError):
            yield Item(raw, article, str(result))
        else:
            yield Item(raw, result)
    yield from _drain(rejected)
    if failure:
        raise PartitionError(E641.format(name=partition.name, reason=failure[0]))


def _records(
    partition: Partition, *, settings: Settings, date: str | None
) -> Iterator[RawDocument | IngestError]:
    if partition.first_line is None or partition.last_line is None:
        return read_inputs([partition.path], settings=settings, date=date)
    return read_jsonl_lines(partition.path, partition.first_line, partition.last_line, settings=settings)


def _annotated(
    articles: Iterator[Article], *, settings: Settings, processes: int
) -> Iterator[Article | StageError]:
    # With no NLP stage configured there is nothing to parse for: spare the spaCy pass.
    return annotate(articles, settings=settings, processes=processes) if settings.nlp else articles


def _drain(rejected: list[str]) -> Iterator[Item]:
    while rejected:
        yield Item(None, None, rejected.pop(0))


def _note_file_failure(error: IngestError, partition: Partition, failure: list[str]) -> None:
    # Record-level errors name "path#N"; an error about the file itself means the shard is broken.
    if f"{partition.path}#" not in str(error):
        failure.append(str(error))


def write_item(store: Store, item: Item, summary: PartitionSummary, *, pipeline: str) -> None:
    """Store one processed record: the article, then its annotations (one transaction each)."""
    if item.raw is None or item.article is None:
        summary.count("rejected")
        summary.rejected.append(str(item.error))
        return
    article = item.article
    empty: dict[str, Any] = {name: [] for name in ANNOTATION_TYPES}
    bare = dataclasses.replace(article, **empty)
    summary.count(store.add_article(item.raw, bare))
    if item.error is not None:
        summary.count("failed")
        summary.rejected.append(item.error)
        return
    article.revision, article.raw_hash = bare.revision, bare.raw_hash
    store.save_annotations(article, pipeline=pipeline)
    summary.count("annotated")


def process_partition(
    store: Store,
    partition: Partition,
    *,
    settings: Settings = DEFAULT,
    date: str | None = None,
    processes: int = 1,
    pipeline: str,
) -> PartitionSummary:
    """Process ``partition`` writing straight to ``store``, then record it finished."""
    started = time.perf_counter()
    summary = PartitionSummary(partition.name)
    for item in iter_partition(partition, settings=settings, date=date, processes=processes):
        write_item(store, item, summary, pipeline=pipeline)
    summary.seconds = time.perf_counter() - started
    mark_finished(store, partition, summary, pipeline=pipeline)
    logger.info("partition %s finished: %s", partition.name, summary.counts)
    return summary
