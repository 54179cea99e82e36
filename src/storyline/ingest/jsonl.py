"""JSON Lines, read line by line (a 200 MB file never sits in memory), and whole-file JSON.

Record ``#N`` is line N (1-based, blank lines counted but skipped), so an origin points
straight at the line. Lines must be UTF-8 (the JSON Lines rule); a line that is not is
reported like any other bad line.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..errors import E004, E006, E013, E015, E016, IngestError
from ..model import RawDocument
from .records import record_to_document

Item = RawDocument | IngestError


def read_jsonl(
    stream: BinaryIO,
    *,
    path: str,
    max_record_bytes: int,
    first_line: int = 1,
    last_line: int | None = None,
) -> Iterator[Item]:
    """One RawDocument (or IngestError) per non-blank line of ``stream``.

    ``first_line``..``last_line`` (1-based, inclusive): only those lines are parsed, the ones before
    are read past unparsed, so an engine can give slices of one big file to several workers.
    """
    number = 0
    try:
        for number, line in _lines(stream, max_record_bytes=max_record_bytes, first_line=first_line):
            if last_line is not None and number > last_line:
                return
            if line is None:
                yield IngestError(E016.format(path=path, record=number, limit=max_record_bytes))
            else:
                yield _read_line(line, path=path, number=number)
    except (EOFError, OSError, zlib.error) as exc:
        # A truncated .jsonl.gz: every complete line before the damage was yielded already.
        yield IngestError(E004.format(path=path, reason=f"after line {number}: {exc}"))


def json_document_records(document: Any, *, path: str, data: bytes) -> Iterator[Item]:
    """A parsed whole-file JSON document: one object, or an array of objects (``#N`` per element)."""
    if isinstance(document, dict):
        yield _to_document(document, path=path, number=None, data=data)
    elif isinstance(document, list):
        for number, record in enumerate(document, start=1):
            record_data = json.dumps(record, ensure_ascii=False).encode("utf-8")
            yield _to_document(record, path=path, number=number, data=record_data)
    else:
        yield IngestError(E015.format(path=path, reason=f"top level is {type(document).__name__}"))


def _lines(
    stream: BinaryIO, *, max_record_bytes: int, first_line: int = 1
) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line without its newline), or None for a line over the limit (read away)."""
    number = 0
    while line := stream.readline(max_record_bytes + 1):
        number += 1
        if number < first_line:
            if len(line) > max_record_bytes:
                _skip_rest_of_line(stream, line)
            continue
        if len(line) > max_record_bytes:
            _skip_rest_of_line(stream, line)
            yield number, None
        elif line.strip():
            yield number, line.rstrip(b"\r\n").removeprefix(b"\xef\xbb\xbf")


def _skip_rest_of_line(stream: BinaryIO, start: bytes) -> None:
    # Bounded chunks, so an endless line never sits in memory.
    line = start
    while line and not line.endswith(b"\n"):
        line = stream.readline(1 << 20)


def _read_line(line: bytes, *, path: str, number: int) -> Item:
    try:
        record = json.loads(line)
    except UnicodeDecodeError as exc:
        return IngestError(E006.format(path=path, record=number, reason=f"not UTF-8: {exc.reason}"))
    except ValueError as exc:
        return IngestError(E006.format(path=path, record=number, reason=exc))
    return _to_document(record, path=path, number=number, data=line)


def _to_document(record: Any, *, path: str, number: int | None, data: bytes) -> Item:
    if not isinstance(record, dict):
        return IngestError(E013.format(path=path, record=number or 1))
    try:
        return record_to_document(record, path=path, number=number, data=data, fmt="jsonl")
    except IngestError as error:
        return error
