"""What engines report: one event per partition, in completion order."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import IngestError
from .partitions import Partition, PartitionSummary

STATUSES = ("done", "skipped", "failed")


@dataclass(frozen=True, slots=True)
class PartitionEvent:
    """One partition finished (``done``), skipped as already finished, or ``failed`` with ``messages``."""

    name: str
    status: str  # one of STATUSES
    counts: dict[str, int] = field(default_factory=dict)
    messages: tuple[str, ...] = ()
    seconds: float = 0.0

    @classmethod
    def done(cls, summary: PartitionSummary) -> PartitionEvent:
        return cls(summary.path, "done", dict(summary.counts), tuple(summary.rejected), summary.seconds)

    @classmethod
    def skipped(cls, partition: Partition) -> PartitionEvent:
        return cls(partition.name, "skipped")

    @classmethod
    def failed(cls, name: str, reason: str) -> PartitionEvent:
        return cls(name, "failed", messages=(reason,))

    @classmethod
    def missing(cls, error: IngestError) -> PartitionEvent:
        # Coded messages read "E009 <path>: reason": the path names the partition.
        head = str(error).partition(": ")[0]
        return cls(head.split(" ", 1)[-1], "failed", messages=(str(error),))
