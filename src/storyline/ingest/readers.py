"""Read inputs (files, folders, globs, stdin) in every supported format → RawDocument.

``read_inputs`` yields one RawDocument per article found, or an IngestError for each
input or record that cannot be read, so one bad record never stops the batch. Only a
misused option raises, at once, before anything is read.

Size limit: whole-file formats (sample, text, HTML, feeds, JSON documents) must fit in
memory, so a file over ``settings.max_file_bytes`` is rejected with E008 from its
``stat`` size before it is read (from the bytes read so far for stdin and ``.gz``).
JSON Lines and WARC are read record by record, never whole, so they have no file-size
limit; a single JSONL line over the limit is rejected (E016) and the file goes on.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO, cast

from ..errors import E001, E004, E008, E009, E010, E014, E015, E302, IngestError, OptionError
from ..model import RawDocument
from ..settings import DEFAULT, Settings
from .dates import is_iso_day
from .decode import decode_text
from .formats import (
    GZIP_MAGIC,
    SNIFF_BYTES,
    STREAMING_FORMATS,
    extension_format,
    sniff,
    strip_gz,
    unsupported_format,
)
from .jsonl import json_document_records, read_jsonl
from .streams import DECOMPRESSION_ERRORS, read_head, read_head_until_damage, rejoin
from .textfile import read_plain_text, read_sample

logger = logging.getLogger(__name__)

Item = RawDocument | IngestError
STDIN = "-"
GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Source:
    """One input to read: where it is, how it is named in origins, and what the caller asked."""

    origin: str
    settings: Settings
    date: str | None
    size: int | None = None  # on-disk size when known (files), for the size limit
    mtime: float | None = None


def read_inputs(
    paths: Sequence[str],
    *,
    settings: Settings = DEFAULT,
    date: str | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[RawDocument | IngestError]:
    """Every article under ``paths``, in order; an IngestError (yielded) for what cannot be read.

    ``paths``: files, folders (read recursively in sorted order, hidden files skipped), glob
    patterns, and ``-`` for ``stdin`` (default ``sys.stdin.buffer``). ``date``: the publication
    date (YYYY-MM-DD) of plain-text inputs, or ``"mtime"`` to use their modification date.
    Raises OptionError (E302) at once when ``date`` is neither.
    """
    if date is not None and date != "mtime" and not is_iso_day(date):
        raise OptionError(E302.format(value=date))
    settings.validate()
    if isinstance(paths, str | os.PathLike):
        paths = [paths]  # one path given alone, not a sequence of one-letter paths
    return _read_all([os.fspath(path) for path in paths], settings=settings, date=date, stdin=stdin)


def _read_all(
    paths: Sequence[str], *, settings: Settings, date: str | None, stdin: BinaryIO | None
) -> Iterator[Item]:
    for path in paths:
        for found in expand_path(path):
            if isinstance(found, IngestError):
                yield found
            elif found == STDIN:
                yield from _read_stdin(stdin or sys.stdin.buffer, settings=settings, date=date)
            else:
                yield from _read_file(found, settings=settings, date=date)


def expand_path(path: str) -> Iterator[str | IngestError]:
    """The files ``path`` names: itself, a folder's files (recursive, sorted), a glob's matches."""
    if path == STDIN:
        yield STDIN
    elif os.path.isdir(path):
        yield from _folder_files(path)
    elif os.path.exists(path):
        yield path
    elif GLOB_CHARACTERS & set(path):
        yield from _glob_files(path)
    else:
        yield IngestError(E009.format(path=path))


def _folder_files(folder: str) -> list[str]:
    """Every non-hidden file under ``folder``, sorted by path (``a/sub/1.txt`` before ``a/z.txt``)."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]  # .git, .cache: not entered
        found.extend(os.path.join(root, name) for name in files if not name.startswith("."))
    return sorted(found, key=lambda path: PurePath(path).parts)


def _glob_files(pattern: str) -> Iterator[str | IngestError]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield IngestError(E009.format(path=pattern))
    for match in matches:
        yield from _folder_files(match) if os.path.isdir(match) else [match]


def _read_file(path: str, *, settings: Settings, date: str | None) -> Iterator[Item]:
    try:
        status = os.stat(path)
        stream = open(path, "rb")  # noqa: SIM115  # closed below, after the generator is done
    except OSError as exc:
        yield IngestError(E014.format(path=path, reason=exc.strerror or exc))
        return
    source = Source(path, settings, date, size=status.st_size, mtime=status.st_mtime)
    with stream:
        yield from _read_guarded(stream, source)


def jsonl_line_count(path: str) -> int | None:
    """The number of lines of ``path`` when it is a JSON Lines file (plain or gzip), else None.

    None too when it cannot be read to the end: the caller then reads it whole, which reports why.
    """
    try:
        with _open_decompressed(path) as stream:
            head = read_head(stream, SNIFF_BYTES)
            if not head or sniff(head, name=strip_gz(path)) != "jsonl":
                return None
            lines, last = head.count(b"\n"), head[-1:]
            while chunk := stream.read(1 << 20):
                lines, last = lines + chunk.count(b"\n"), chunk[-1:]
    except (OSError, *DECOMPRESSION_ERRORS):
        return None
    return lines + (last != b"\n")


def read_jsonl_lines(
    path: str, first_line: int, last_line: int, *, settings: Settings = DEFAULT
) -> Iterator[Item]:
    """Lines ``first_line``..``last_line`` (1-based, inclusive) of a JSON Lines file, plain or gzip.

    Records are named ``path#N`` with N the line in the whole file, as :func:`read_inputs` names them.
    """
    try:
        stream = _open_decompressed(path)
    except OSError as exc:
        yield IngestError(E014.format(path=path, reason=exc.strerror or exc))
        return
    with stream:
        try:
            yield from read_jsonl(
                stream,
                path=path,
                max_record_bytes=settings.max_file_bytes,
                first_line=first_line,
                last_line=last_line,
            )
        except OSError as exc:
            yield IngestError(E014.format(path=path, reason=exc))


def _open_decompressed(path: str) -> BinaryIO:
    with open(path, "rb") as probe:
        compressed = probe.read(len(GZIP_MAGIC)) == GZIP_MAGIC
    return cast(BinaryIO, gzip.open(path, "rb")) if compressed else open(path, "rb")


def _read_stdin(stream: BinaryIO, *, settings: Settings, date: str | None) -> Iterator[Item]:
    yield from _read_guarded(stream, Source(STDIN, settings, date))


def _read_guarded(stream: BinaryIO, source: Source) -> Iterator[Item]:
    """Reads one input; an error no reader anticipated becomes E014 for this input, not a crash."""
    try:
        yield from _read_stream(stream, source)
    except OSError as exc:
        yield IngestError(E014.format(path=source.origin, reason=exc))
    except Exception as exc:  # the batch must go on: logged with its traceback, reported as E014
        logger.warning("unexpected error reading %s", source.origin, exc_info=True)
        reason = f"internal error {type(exc).__name__}: {exc}"
        yield IngestError(E014.format(path=source.origin, reason=reason))


def _read_stream(stream: BinaryIO, source: Source) -> Iterator[Item]:
    head = read_head(stream, SNIFF_BYTES)
    if not head:
        yield IngestError(E001.format(path=source.origin))
    elif head.startswith(GZIP_MAGIC):
        yield from _read_gzip(rejoin(head, stream), source)
    else:
        yield from _dispatch(rejoin(head, stream), head, source, name=source.origin, compressed=False)


def _read_gzip(stream: BinaryIO, source: Source) -> Iterator[Item]:
    inner = cast(BinaryIO, gzip.GzipFile(fileobj=stream, mode="rb"))
    head, inner = read_head_until_damage(inner, SNIFF_BYTES)
    if not head:
        yield _empty_or_damaged(inner, source)
        return
    yield from _dispatch(inner, head, source, name=strip_gz(source.origin), compressed=True)


def _empty_or_damaged(stream: BinaryIO, source: Source) -> IngestError:
    try:
        stream.read(1)
    except DECOMPRESSION_ERRORS as exc:
        return IngestError(E004.format(path=source.origin, reason=exc))
    return IngestError(E001.format(path=source.origin))


def _dispatch(
    stream: BinaryIO, head: bytes, source: Source, *, name: str, compressed: bool
) -> Iterator[Item]:
    unsupported = unsupported_format(head)
    if unsupported:
        yield IngestError(E010.format(path=source.origin, reason=unsupported))
        return
    fmt = sniff(head, name=name)
    if fmt in STREAMING_FORMATS:
        yield from _read_streaming(stream, fmt, source, compressed=compressed)
        return
    data = _read_whole(stream, source, compressed=compressed)
    if isinstance(data, IngestError):
        yield data
    else:
        yield from read_whole_file(data, fmt, source, name=name)


def _read_streaming(stream: BinaryIO, fmt: str, source: Source, *, compressed: bool) -> Iterator[Item]:
    if fmt == "jsonl":
        yield from read_jsonl(stream, path=source.origin, max_record_bytes=source.settings.max_file_bytes)
    else:
        from .warc import read_warc  # imports trafilatura: only when a WARC file is read

        yield from read_warc(stream, path=source.origin, compressed=compressed)


def _read_whole(stream: BinaryIO, source: Source, *, compressed: bool) -> bytes | IngestError:
    limit = source.settings.max_file_bytes
    if source.size is not None and not compressed and source.size > limit:
        return IngestError(E008.format(path=source.origin, size=source.size, limit=limit))
    try:
        data = read_head(stream, limit + 1)
    except DECOMPRESSION_ERRORS as exc:
        if not compressed:
            raise
        return IngestError(E004.format(path=source.origin, reason=exc))
    if len(data) > limit:
        return IngestError(E008.format(path=source.origin, size=f"more than {limit}", limit=limit))
    return data


def read_whole_file(data: bytes, fmt: str, source: Source, *, name: str) -> Iterator[Item]:
    """The articles in one whole-file input already read into ``data``."""
    if fmt == "json":
        yield from _read_json(data, source, name=name)
        return
    try:
        text, encoding = decode_text(data, origin=source.origin)
    except IngestError as error:
        yield error
        return
    if not text.strip():
        yield IngestError(E001.format(path=source.origin))
    elif fmt == "html":
        yield _read_html(data, source)
    elif fmt == "feed":
        from .feeds import read_feed

        yield from read_feed(data, path=source.origin)
    else:
        yield _read_text(text, fmt, source, data=data, encoding=encoding)


def _read_json(data: bytes, source: Source, *, name: str) -> Iterator[Item]:
    try:
        document = json.loads(data)
    except ValueError as exc:
        if getattr(exc, "msg", None) == "Extra data":
            # Several JSON values, one per line: JSON Lines under another name.
            yield from read_jsonl(io.BytesIO(data), path=source.origin, max_record_bytes=len(data))
        elif extension_format(name) == "json":
            yield IngestError(E015.format(path=source.origin, reason=exc))
        else:
            # Sniffed as JSON only because it starts with "{" or "[": a text file after all.
            yield from read_whole_file(data, "text", source, name=name)
        return
    yield from json_document_records(document, path=source.origin, data=data)


def _read_html(data: bytes, source: Source) -> Item:
    from .html import extract_html  # imports trafilatura: only when an HTML page is read

    try:
        return extract_html(data, origin=source.origin)
    except IngestError as error:
        return error


def _read_text(text: str, fmt: str, source: Source, *, data: bytes, encoding: str) -> RawDocument:
    if fmt == "sample":
        return read_sample(text, origin=source.origin, data=data, encoding=encoding)
    return read_plain_text(
        text, origin=source.origin, data=data, encoding=encoding, date=source.date, mtime=source.mtime
    )
