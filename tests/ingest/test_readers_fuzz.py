"""Property tests: whatever bytes a file holds, read_inputs yields documents or coded errors, never raises.

The catch-all in readers._read_guarded turns an unforeseen exception into an E014 "internal error"
error so a batch survives; these tests fail when that net is ever needed, so each reader
handles its own failure modes explicitly.
"""

from __future__ import annotations

import gzip
import io
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import IngestError
from storyline.ingest.readers import read_inputs
from storyline.model import RawDocument

EXTENSIONS = (".txt", ".html", ".jsonl", ".warc.gz", ".xml", ".json")
FORMATS = {"sample", "text", "html", "jsonl", "warc", "feed"}
ISO = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2})?)?")
CODE = re.compile(r"E0\d\d ")

# Starts that steer the sniffer into each reader, so random tails reach the parsers' error paths.
PREFIXES = (
    b"",
    b" date 2026-02-04 ",
    b"WARC/1.0\r\n",
    b'{"text": "x"}\n',
    b"[",
    b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>",
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">',
    b"<!DOCTYPE html><html><body><article><p>",
    b"Date: ",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
)

contents = st.one_of(
    st.binary(max_size=2048),
    st.builds(lambda prefix, tail: prefix + tail, st.sampled_from(PREFIXES), st.binary(max_size=1024)),
    st.builds(lambda prefix, tail: prefix + tail.encode(), st.sampled_from(PREFIXES), st.text(max_size=512)),
)
maybe_gzipped = st.one_of(
    contents, contents.map(gzip.compress), contents.map(lambda data: gzip.compress(data)[:-5])
)


def check_items(items: list[object], origin: str) -> None:
    for item in items:
        assert isinstance(item, RawDocument | IngestError), item
        if isinstance(item, IngestError):
            assert CODE.match(str(item)) and origin in str(item), str(item)
            assert "internal error" not in str(item), str(item)
            continue
        assert item.origin.startswith(origin) and item.format in FORMATS
        assert isinstance(item.text, str) and isinstance(item.data, bytes)
        assert item.published is None or ISO.fullmatch(item.published), item.published


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=maybe_gzipped, extension=st.sampled_from(EXTENSIONS))
def test_any_bytes_in_any_file_give_documents_or_coded_errors(data: bytes, extension: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{extension}"
        path.write_bytes(data)
        check_items(list(read_inputs([str(path)])), str(path))


@settings(max_examples=50, deadline=None)
@given(data=maybe_gzipped)
def test_any_bytes_on_stdin(data: bytes) -> None:
    check_items(list(read_inputs(["-"], stdin=io.BytesIO(data))), "-")
