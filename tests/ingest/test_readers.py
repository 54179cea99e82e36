"""read_inputs: every format, path kind and bad input, on small hand-built inputs (readers_inputs.py)."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import os
import socket
import time
from dataclasses import replace
from pathlib import Path

import pytest

from storyline.errors import IngestError, OptionError
from storyline.ingest.dates import DateProblem, parse_date, published_fields
from storyline.ingest.readers import jsonl_line_count, read_inputs, read_jsonl_lines
from storyline.ingest.textfile import looks_like_headline
from storyline.model import RawDocument
from storyline.settings import DEFAULT
from tests.conftest import shared_data
from tests.ingest.readers_inputs import ATOM, RSS, html_page, warc_bytes


def read(*paths: Path | str, **options: object) -> list[RawDocument | IngestError]:
    return list(read_inputs([str(path) for path in paths], **options))  # type: ignore[arg-type]


def only_document(*paths: Path | str, **options: object) -> RawDocument:
    items = read(*paths, **options)
    assert len(items) == 1 and isinstance(items[0], RawDocument), items
    return items[0]


def codes(items: list[RawDocument | IngestError]) -> list[str]:
    return [str(item).split()[0] if isinstance(item, IngestError) else item.origin for item in items]


# The sample format


def test_seed_with_headline_line(seeds_dir: Path) -> None:
    document = only_document(seeds_dir / "000_f539d11b3f0b5ae4.txt")
    assert document.format == "sample" and document.published == "2026-02-04"
    assert document.title == "Melania Trump says talks with Putin team continue to free Ukrainian kids"
    assert document.text is not None and document.text.startswith(
        "Published by Global Banking and Finance Review"
    )
    assert document.metadata["published_source"] == "sample"
    assert document.data == (seeds_dir / "000_f539d11b3f0b5ae4.txt").read_bytes()


def test_seed_with_lead_paragraph_keeps_it_in_the_text(seeds_dir: Path) -> None:
    document = only_document(seeds_dir / "003_add2564ad87b768a.txt")
    assert document.title is None and document.metadata["title_source"] == "none"
    assert document.published == "2026-02-05"
    assert document.text is not None
    lead, _, rest = document.text.partition("\n\n")
    assert lead.startswith("First Lady Melania Trump has revealed that she is in contact with Vladimir Putin")
    assert "abducted from Ukraine since Russia announced the invasion" in lead
    assert rest.startswith("During the meeting, one reporter asked")


def test_folder_of_seeds_is_read_in_sorted_order(seeds_dir: Path) -> None:
    origins = codes(read(seeds_dir))
    assert [Path(origin).name for origin in origins] == [
        "000_f539d11b3f0b5ae4.txt",
        "003_add2564ad87b768a.txt",
    ]


def test_sample_without_leading_space_and_with_bad_date(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 2026-02-30 Storm closes schools across the state\nBody text.\n")
    document = only_document(tmp_path / "a.txt")
    assert document.format == "sample" and document.title == "Storm closes schools across the state"
    assert document.published is None and document.metadata["published_raw"] == "2026-02-30"
    assert "day is out of range" in document.metadata["warnings"][0]
    assert document.text == "Body text."


@pytest.mark.parametrize(
    ("line", "headline"),
    [
        ("Melania Trump says talks with Putin team continue to free Ukrainian kids", True),
        ("Mr. Putin meets U.S. envoy in Moscow", True),
        ("Will the ceasefire hold?", True),
        ("The council met on Tuesday. It approved the budget", False),
        ("The council approved the budget on Tuesday.", False),
        (" ".join(["word"] * 21), False),
        ("", False),
    ],
)
def test_looks_like_headline(line: str, headline: bool) -> None:
    assert looks_like_headline(line) is headline


# Plain text and the date option


def test_plain_text_date_comes_from_the_option(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Date: 2020-01-01\n\nThe council met.\n")
    document = only_document(tmp_path / "a.txt", date="2026-02-04")
    assert document.format == "text" and document.published == "2026-02-04"
    assert document.metadata["published_source"] == "option"
    assert document.text == "The council met."


def test_plain_text_header_block_is_read_and_removed(tmp_path: Path) -> None:
    header = "Title: Council approves budget\nPublished: February 4, 2026\nBy: Jo Doe and Ann Lee\n"
    header += "Source: Gazette\n"
    (tmp_path / "a.txt").write_text(header + "\nThe council met.\n")
    document = only_document(tmp_path / "a.txt")
    assert (document.title, document.published, document.source) == (
        "Council approves budget",
        "2026-02-04",
        "Gazette",
    )
    assert document.authors == ["Jo Doe", "Ann Lee"]
    assert document.metadata["published_source"] == "header" and document.text == "The council met."


def test_plain_text_without_date_is_unknown_not_guessed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The council met on Tuesday.\nIt approved the budget.\n")
    document = only_document(tmp_path / "a.txt")
    assert document.published is None and document.metadata["published_source"] == "unknown"
    assert document.text == "The council met on Tuesday.\nIt approved the budget."


def test_mtime_is_used_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The council met.\n")
    stamp = time.mktime((2025, 8, 15, 12, 0, 0, 0, 0, -1))
    os.utime(path, (stamp, stamp))
    document = only_document(path, date="mtime")
    assert document.published == "2025-08-15" and document.metadata["published_source"] == "mtime"


@pytest.mark.parametrize("value", ["yesterday-ish", "2026-13-01", "04/02/2026", ""])
def test_bad_date_option_raises_before_reading(value: str) -> None:
    with pytest.raises(OptionError, match="E302"):
        read_inputs(["no-such-file.txt"], date=value)


# HTML


def test_txt_that_is_html_is_read_as_html(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_bytes(html_page())
    document = only_document(tmp_path / "page.txt")
    assert document.format == "html" and document.source == "Daily Example"
    assert document.published == "2026-02-04T09:30:00+01:00"
    assert document.text is not None and "approve the new budget" in document.text
    assert "Copyright" not in document.text


def test_html_page_without_article_is_e005(tmp_path: Path) -> None:
    (tmp_path / "menu.html").write_bytes(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert codes(read(tmp_path / "menu.html")) == ["E005"]


# JSON Lines and JSON documents


def test_jsonl_fields_are_mapped_case_insensitively(tmp_path: Path) -> None:
    line = (
        b'{"Headline": "Budget passes", "BODY": "The council met.", "pubDate": "7/23/17", '
        b'"Link": "http://e.com/1", "outlet": "Gazette", "Byline": "Jo Doe, Ann Lee and Bo Park", '
        b'"topic": "city"}'
    )
    (tmp_path / "a.jsonl").write_bytes(line + b"\n")
    document = only_document(tmp_path / "a.jsonl")
    assert document.origin == f"{tmp_path / 'a.jsonl'}#1" and document.format == "jsonl"
    assert (document.title, document.text, document.published) == (
        "Budget passes",
        "The council met.",
        "2017-07-23",
    )
    assert (document.url, document.source) == ("http://e.com/1", "Gazette")
    assert document.authors == ["Jo Doe", "Ann Lee", "Bo Park"]
    assert document.metadata == {"topic": "city", "published_source": "jsonl"}
    assert document.data == line


def test_jsonl_bad_lines_are_reported_and_reading_goes_on(tmp_path: Path) -> None:
    lines = [
        b'{"text": "first", "authors": ["A One", {"name": "B Two"}]}',
        b"",
        b"{not json",
        b"[1, 2]",
        b'{"title": "no text here", "content": ""}',
        b'{"text": "last", "date": "3/4/17"}',
    ]
    (tmp_path / "a.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    items = read(tmp_path / "a.jsonl")
    assert [str(item)[:4] if isinstance(item, IngestError) else item.origin[-2:] for item in items] == [
        "#1",
        "E006",
        "E013",
        "E007",
        "#6",
    ]
    assert f"{tmp_path / 'a.jsonl'}#3: line is not JSON" in str(items[1])
    first, last = items[0], items[-1]
    assert isinstance(first, RawDocument) and first.authors == ["A One", "B Two"]
    assert isinstance(last, RawDocument) and last.published is None
    assert last.metadata["published_raw"] == "3/4/17" and "ambiguous" in last.metadata["warnings"][0]


def test_jsonl_gz_and_truncated_gz(tmp_path: Path) -> None:
    data = b"".join(b'{"text": "article %d"}\n' % number for number in range(20_000))
    compressed = gzip.compress(data)
    (tmp_path / "all.jsonl.gz").write_bytes(compressed)
    assert len(read(tmp_path / "all.jsonl.gz")) == 20_000
    (tmp_path / "cut.jsonl.gz").write_bytes(compressed[: len(compressed) // 2])
    items = read(tmp_path / "cut.jsonl.gz")
    documents, errors = items[:-1], items[-1:]
    assert codes(errors) == ["E004"] and len(documents) > 1000
    assert all(isinstance(item, RawDocument) for item in documents)
    assert [item.origin for item in documents[:2]] == [f"{tmp_path / 'cut.jsonl.gz'}#{n}" for n in (1, 2)]


def test_jsonl_has_no_file_size_limit_but_a_record_limit(tmp_path: Path) -> None:
    lines = [b'{"text": "short"}', b'{"text": "' + b"x" * 500 + b'"}', b'{"text": "short again"}']
    (tmp_path / "a.jsonl").write_bytes(b"\n".join(lines))
    items = read(tmp_path / "a.jsonl", settings=replace(DEFAULT, max_file_bytes=200))
    assert [str(item)[:4] if isinstance(item, IngestError) else item.text for item in items] == [
        "short",
        "E016",
        "short again",
    ]


def test_json_document_array_and_object(tmp_path: Path) -> None:
    (tmp_path / "many.json").write_text('[\n {"text": "one", "title": "A"},\n {"text": "two"}\n]')
    (tmp_path / "one.json").write_text('{\n  "content": "only one",\n  "date": "2019-05-06"\n}')
    items = read(tmp_path / "many.json", tmp_path / "one.json")
    assert [item.origin for item in items if isinstance(item, RawDocument)] == [
        f"{tmp_path / 'many.json'}#1",
        f"{tmp_path / 'many.json'}#2",
        str(tmp_path / "one.json"),
    ]
    assert items[2].published == "2019-05-06"  # type: ignore[union-attr]


def test_broken_json_document_is_e015(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{\n "text": "unterminated\n')
    assert codes(read(tmp_path / "a.json")) == ["E015"]


# WARC


@pytest.mark.parametrize("gzip_records", [True, False])
def test_warc_html_responses_become_documents(tmp_path: Path, gzip_records: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip_records else "crawl.warc")
    path.write_bytes(warc_bytes(gzip_records=gzip_records))
    items = read(path)
    assert codes(items) == [f"{path}#2", f"{path}#4"]  # warcinfo, PNGs and the 404 are skipped
    document = items[0]
    assert isinstance(document, RawDocument) and document.format == "warc"
    assert document.url == "http://example.com/story-1" and document.source == "Daily Example"
    assert document.published == "2026-02-04T09:30:00+01:00"  # the page's date, not the crawl date
    assert document.metadata["crawled"].endswith("Z")
    assert document.data == html_page(1)


def test_truncated_warc_gz_yields_records_before_the_damage(tmp_path: Path) -> None:
    data = warc_bytes(gzip_records=True, pages=3)
    (tmp_path / "cut.warc.gz").write_bytes(data[:-60])
    origins = codes(read(tmp_path / "cut.warc.gz"))
    assert origins[:3] == [f"{tmp_path / 'cut.warc.gz'}#{n}" for n in (2, 4, 6)]
    assert origins[-1] == "E004"


def test_truncated_plain_warc_reports_the_cut_record(tmp_path: Path) -> None:
    data = warc_bytes(gzip_records=False, pages=2)
    cut = data.index(b"story 2.</p>")  # inside the second HTML response
    (tmp_path / "cut.warc").write_bytes(data[:cut])
    assert codes(read(tmp_path / "cut.warc")) == [f"{tmp_path / 'cut.warc'}#2", "E011"]


# Feeds


def test_rss_entries(tmp_path: Path) -> None:
    (tmp_path / "news.xml").write_bytes(RSS)
    items = read(tmp_path / "news.xml")
    assert codes(items) == [f"{tmp_path / 'news.xml'}#1", f"{tmp_path / 'news.xml'}#2", "E007"]
    first, second = items[0], items[1]
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.text == "The council approved the budget.\n\nSchools get more."
    assert first.published == "2026-02-04T22:00:00-05:00"  # not moved to the next day in UTC
    assert (first.title, first.url, first.source) == (
        "Council approves budget",
        "http://example.com/budget",
        "Example & Co News",
    )
    assert first.authors == ["Jo Doe"] and first.metadata["tags"] == ["Politics"]
    assert first.data.startswith(b"<item") and b"Council approves budget" in first.data
    assert second.text == "Only a summary here." and second.published is None
    assert second.metadata["published_raw"] == "not a date at all"


def test_atom_entries_in_a_txt_file(tmp_path: Path) -> None:
    (tmp_path / "atom.txt").write_bytes(ATOM)
    document = only_document(tmp_path / "atom.txt")
    assert document.format == "feed" and document.source == "Atom Times"
    assert document.published == "2026-02-03T08:15:00+02:00" and document.authors == ["Ann Lee", "Bo Park"]
    assert document.text == "The port reopened on Monday." and document.url == "http://example.org/port"


def test_feed_without_entries_is_e012(tmp_path: Path) -> None:
    (tmp_path / "empty.rss").write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>X</title></channel></rss>'
    )
    assert codes(read(tmp_path / "empty.rss")) == ["E012"]


# Encodings and bad input


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("latin-1", "Le café est très bon, a dit le maître d'hôtel à Noël."),
        ("cp1252", "He said \u201cit\u2019s over\u201d \u2013 and left the café\u2026"),
        ("utf-16", "Unicode with a BOM: café, Zürich, naïve."),
        ("utf-8-sig", "UTF-8 with a BOM: café."),
        ("cp1251", "Москва — столица России, сообщили в понедельник."),
    ],
)
def test_legacy_encodings_come_out_right(tmp_path: Path, encoding: str, text: str) -> None:
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    assert only_document(tmp_path / "a.txt").text == text


def test_empty_binary_and_missing_inputs(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "controls.txt").write_bytes(b"\x01\x02\x03\x04\x05abc\x06\x07\x08\x0e\x0f")
    (tmp_path / "empty.jsonl.gz").write_bytes(gzip.compress(b""))
    (tmp_path / "bad.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    names = ["empty.txt", "blank.txt", "junk.txt", "controls.txt", "empty.jsonl.gz", "bad.gz", "missing.txt"]
    items = read(*(tmp_path / name for name in names))
    assert codes(items) == ["E001", "E001", "E002", "E002", "E001", "E004", "E009"]
    assert all(str(tmp_path / name) in str(item) for name, item in zip(names, items, strict=True))


def test_known_binary_formats_are_named_e010(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    (tmp_path / "pages.zip").write_bytes(b"PK\x03\x04\x14\x00\x00\x00")
    items = read(tmp_path / "pages.zip", tmp_path / "report.pdf")
    assert codes(items) == ["E010", "E010"] and "PDF document" in str(items[1])


def test_a_single_path_string_is_one_path(seeds_dir: Path) -> None:
    assert len(list(read_inputs(str(seeds_dir)))) == 2  # type: ignore[arg-type]
    assert len(list(read_inputs(seeds_dir / "000_f539d11b3f0b5ae4.txt"))) == 1  # type: ignore[arg-type]


def test_file_over_the_size_limit_is_e008_before_reading(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 100)
    items = read(tmp_path / "big.txt", settings=replace(DEFAULT, max_file_bytes=100))
    assert codes(items) == ["E008"] and "500 bytes" in str(items[0])


def test_unreadable_file_is_e014(tmp_path: Path) -> None:
    # A Unix socket exists and has a size, but cannot be opened for reading (even by root).
    path = tmp_path / "a.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        items = read(path)
    finally:
        server.close()
    assert codes(items) == ["E014"] and str(path) in str(items[0])


# Paths: stdin, globs, folders


def test_stdin_with_dash(seeds_dir: Path) -> None:
    data = (seeds_dir / "003_add2564ad87b768a.txt").read_bytes()
    document = only_document("-", stdin=io.BytesIO(data))
    assert document.origin == "-" and document.format == "sample" and document.data == data


def test_stdin_streams_gzipped_jsonl() -> None:
    data = gzip.compress(b'{"text": "one"}\n{"text": "two"}\n')
    assert codes(read("-", stdin=io.BytesIO(data))) == ["-#1", "-#2"]


def test_folders_are_recursive_sorted_and_skip_hidden(tmp_path: Path) -> None:
    for name in ["b/2.txt", "a/z.txt", "a/sub/1.txt", ".hidden/x.txt", "a/.secret.txt", "c.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"Text of {name}.")
    found = [Path(origin).relative_to(tmp_path).as_posix() for origin in codes(read(tmp_path))]
    assert found == ["a/sub/1.txt", "a/z.txt", "b/2.txt", "c.txt"]


def test_glob_patterns(tmp_path: Path) -> None:
    for name in ["x1.txt", "x2.txt", "y.txt", "deep/x3.txt"]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("Some text.")
    assert [Path(o).name for o in codes(read(tmp_path / "x*.txt"))] == ["x1.txt", "x2.txt"]
    assert [Path(o).name for o in codes(read(tmp_path / "**" / "x*.txt"))] == ["x3.txt", "x1.txt", "x2.txt"]
    assert codes(read(tmp_path / "nothing*.txt")) == ["E009"]


def test_one_bad_input_never_stops_the_batch(tmp_path: Path, seeds_dir: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    items = read(tmp_path / "empty.txt", tmp_path / "missing", seeds_dir / "000_f539d11b3f0b5ae4.txt")
    assert [type(item).__name__ for item in items] == ["IngestError", "IngestError", "RawDocument"]


# Dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-04", "2026-02-04"),
        ("20260204", "2026-02-04"),
        ("2026-02-04T10:00:00Z", "2026-02-04T10:00:00+00:00"),
        ("2026-02-04 10:00", "2026-02-04T10:00:00"),
        ("Wed, 04 Feb 2026 10:00:00 -0500", "2026-02-04T10:00:00-05:00"),
        ("February 4, 2026", "2026-02-04"),
        ("7/23/17", "2017-07-23"),
        ("4/4/17", "2017-04-04"),
    ],
)
def test_parse_date(value: str, expected: str) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["3/4/17", "June 2020", "yesterday", "2026-02-30", "0001-11-30", "2999-01-01"]
)
def test_parse_date_refuses_to_guess(value: str) -> None:
    with pytest.raises(DateProblem):
        parse_date(value)


def test_published_fields_keep_the_raw_value() -> None:
    assert published_fields("", source="jsonl") == (None, {"published_source": "unknown"})
    published, metadata = published_fields("someday", source="jsonl")
    assert published is None and metadata["published_raw"] == "someday" and metadata["warnings"]


# Real data


@pytest.mark.slow
def test_allsides_first_2000_records() -> None:
    path = shared_data("allsides") / "allsides_articles.jsonl.gz"
    items = list(itertools.islice(read_inputs([str(path)]), 2000))
    documents = [item for item in items if isinstance(item, RawDocument)]
    assert len(documents) == 2000
    assert all(document.text and document.url and document.source for document in documents)
    dated = [document for document in documents if document.published]
    assert len(dated) > 1700 and all(len(document.published or "") == 10 for document in dated)
    assert documents[0].origin.endswith("allsides_articles.jsonl.gz#1") and documents[0].title
    assert {"ID", "topic", "bias_text"} <= set(documents[0].metadata)


def test_jsonl_lines_reads_a_slice_with_whole_file_line_numbers(tmp_path: Path) -> None:
    lines = [
        json.dumps({"url": f"https://x.example/{n}", "date": "2024-01-02", "text": f"Text {n}."})
        for n in range(6)
    ]
    lines[3] = "{broken"
    path = tmp_path / "six.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")  # no final newline
    assert jsonl_line_count(str(path)) == 6
    items = list(read_jsonl_lines(str(path), 3, 5))
    assert [getattr(i, "url", None) for i in items] == ["https://x.example/2", None, "https://x.example/4"]
    assert f"{path}#4" in str(items[1])
    text = tmp_path / "notes.txt"
    text.write_text("Plain words.\nMore words.\n", encoding="utf-8")
    assert jsonl_line_count(str(text)) is None
    assert jsonl_line_count(str(tmp_path / "absent.jsonl")) is None
