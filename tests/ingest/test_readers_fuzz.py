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
from tests.ingest.readers_inputs import warc_bytes

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


# Built once: warcio stamps random record ids and the time, and hypothesis needs the same bytes each run.
WARCS = {gzip_records: warc_bytes(gzip_records=gzip_records, pages=3) for gzip_records in (False, True)}


def _origins_before_errors(items: list[RawDocument | IngestError], path: str) -> list[str]:
    return [item.origin.removeprefix(path) for item in items if isinstance(item, RawDocument)]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), gzip_records=st.booleans())
def test_a_cut_warc_yields_a_prefix_of_its_documents(data: st.DataObject, gzip_records: bool) -> None:
    whole = WARCS[gzip_records]
    cut = data.draw(st.integers(min_value=1, max_value=len(whole)), label="cut")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "crawl.warc"
        path.write_bytes(whole[:cut])
        items = list(read_inputs([str(path)]))
    check_items(items, str(path))
    found = _origins_before_errors(items, str(path))
    assert found == ["#2", "#4", "#6"][: len(found)]
    assert cut < len(whole) or (found == ["#2", "#4", "#6"] and len(items) == 3)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_cut_jsonl_gz_yields_a_prefix_of_its_records(data: st.DataObject) -> None:
    whole = gzip.compress(b"".join(b'{"text": "article %d"}\n' % number for number in range(1, 3001)))
    cut = data.draw(st.integers(min_value=1, max_value=len(whole)), label="cut")
    items = list(read_inputs(["-"], stdin=io.BytesIO(whole[:cut])))
    check_items(items, "-")
    texts = [item.text for item in items if isinstance(item, RawDocument)]
    assert texts == [f"article {number}" for number in range(1, len(texts) + 1)]
    errors = [item for item in items if isinstance(item, IngestError)]
    assert (cut == len(whole)) == (not errors) and (cut < len(whole) or len(texts) == 3000)
