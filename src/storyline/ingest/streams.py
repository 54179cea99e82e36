"""Small binary-stream helpers: sniff the head of an unseekable stream, survive damaged gzip."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from typing import Any, BinaryIO, cast

# Large reads: JSON Lines and WARC are read through these wrappers line by line.
BUFFER_BYTES = 1 << 20
DECOMPRESSION_ERRORS = (EOFError, OSError, zlib.error)


def read_head(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes (fewer only at end of stream), even from a pipe that returns short reads."""
    chunks: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_head_until_damage(stream: BinaryIO, size: int) -> tuple[bytes, BinaryIO]:
    """(head, stream to pass on) from a decompressing stream that may be damaged within its head.

    The head is kept even when decompression fails inside it; the returned stream replays it
    and then raises the same error, so each reader reports the damage after the records before it.
    """
    chunks: list[bytes] = []
    read = _read_once(stream)
    try:
        while sum(map(len, chunks)) < size and (chunk := read(size - sum(map(len, chunks)))):
            chunks.append(chunk)
    except DECOMPRESSION_ERRORS as exc:
        return b"".join(chunks), rejoin(b"".join(chunks), cast(BinaryIO, _Failing(exc)))
    head = b"".join(chunks)
    return head, rejoin(head, stream)


class _Failing:
    """A stream whose every read raises ``error`` (the damage found while reading a head)."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def read(self, size: int = -1) -> bytes:
        raise self.error


class _HeadThenRest(io.RawIOBase):
    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head = memoryview(head)
        self.read_rest = _read_once(rest)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size] = self.head[:size]
            self.head = self.head[size:]
            return size
        data = self.read_rest(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_once(stream: BinaryIO) -> Callable[[int], bytes]:
    # read1 returns what one underlying read gave: a failing read then loses no bytes read before it.
    return cast(Callable[[int], bytes], getattr(stream, "read1", stream.read))


def rejoin(head: bytes, rest: BinaryIO) -> io.BufferedReader:
    """A stream reading ``head`` (already consumed from ``rest``) and then the rest of ``rest``."""
    return io.BufferedReader(_HeadThenRest(head, rest), buffer_size=BUFFER_BYTES)


class DamageAwareReader(io.RawIOBase):
    """Reads ``stream`` but turns a decompression error into end-of-file and remembers it.

    For warcio, which treats an EOFError from its stream as a clean end of the archive.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self.read_once = _read_once(stream)
        self.damage: Exception | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.damage is not None:
            return 0
        try:
            data = self.read_once(len(buffer))
        except DECOMPRESSION_ERRORS as exc:
            self.damage = exc
            return 0
        buffer[: len(data)] = data
        return len(data)
