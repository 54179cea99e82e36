"""WARC files (already decompressed by the caller) → one RawDocument per HTML response (``path#N``).

``N`` counts every record of the file (warcinfo and requests too), so it addresses the
record. The WARC-Date is when the page was crawled, kept as ``metadata["crawled"]``;
the publication date comes from the page itself. Records that are not successful HTML
responses are skipped silently and counted in a debug log line.

warcio treats a damaged stream as a clean end of file, so damage is detected here: the
compressed stream reports it (see ``streams.DamageAwareReader``) and a record whose body is
shorter than its Content-Length is reported as unreadable.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import E004, E011, IngestError
from ..model import RawDocument
from .html import extract_html
from .streams import DamageAwareReader

logger = logging.getLogger(__name__)

Item = RawDocument | IngestError
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
READ_ERRORS = (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error)
# warcio 1.8 raises AttributeError on a response record whose header block is cut short.
HEADER_ERRORS = (*READ_ERRORS, AttributeError)


def read_warc(stream: BinaryIO, *, path: str, compressed: bool) -> Iterator[Item]:
    """Every HTML response in the (decompressed) WARC ``stream``; E011/E004 for the damaged part."""
    reader = DamageAwareReader(stream)
    skipped: Counter[str] = Counter()
    number = 0
    records = iter(ArchiveIterator(io.BufferedReader(reader)))
    while (record := _next_record(records, path=path, number=number + 1)) is not None:
        if isinstance(record, IngestError):
            yield record
            return
        number += 1
        yield from _read_record(record, path=path, number=number, skipped=skipped)
    if number == 0 and reader.damage is None:
        yield IngestError(E011.format(path=path, record=1, reason="no complete WARC record"))
    if reader.damage is not None:
        reason = f"after record {number}: {reader.damage}" if compressed else str(reader.damage)
        yield IngestError(E004.format(path=path, reason=reason))
    logger.debug("%s: %d records, skipped %s", path, number, dict(skipped) or "none")


def _next_record(records: Iterator[Any], *, path: str, number: int) -> Any:
    """The next warcio record, None at the end, or E011 when the next record cannot be parsed."""
    try:
        return next(records, None)
    except HEADER_ERRORS as exc:
        return IngestError(E011.format(path=path, record=number, reason=exc or type(exc).__name__))


def _read_record(record: Any, *, path: str, number: int, skipped: Counter[str]) -> Iterator[Item]:
    if record.rec_type is None:
        yield IngestError(E011.format(path=path, record=number, reason="truncated record header"))
        return
    reason = _skip_reason(record)
    try:
        payload = _drain(record.raw_stream) if reason else record.content_stream().read()
    except READ_ERRORS as exc:
        yield IngestError(E011.format(path=path, record=number, reason=exc or type(exc).__name__))
        return
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        yield IngestError(E011.format(path=path, record=number, reason=f"truncated, {missing} bytes missing"))
    elif reason:
        skipped[reason] += 1
    else:
        yield _html_document(record, payload, origin=f"{path}#{number}")


def _drain(stream: Any) -> bytes:
    # Reads a skipped record to its end, so a record cut short is noticed even when it is not used.
    while stream.read(1 << 16):
        pass
    return b""


def _skip_reason(record: Any) -> str | None:
    if record.rec_type != "response":
        return record.rec_type
    if record.http_headers is None:
        return "non-HTTP response"
    status = record.http_headers.get_statuscode() or ""
    if not status.startswith("2"):
        return f"HTTP {status}"
    content_type = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return None if content_type in HTML_TYPES else content_type or "no content type"


def _html_document(record: Any, payload: bytes, *, origin: str) -> Item:
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        document = extract_html(payload, origin=origin, url=url)
    except IngestError as error:
        return error
    document.format = "warc"
    document.metadata["crawled"] = record.rec_headers.get_header("WARC-Date")
    document.metadata["warc_record_id"] = record.rec_headers.get_header("WARC-Record-ID")
    return document
