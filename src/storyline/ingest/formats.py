"""Which reader a file needs: content sniffing first, the file name second.

Strong content signatures win over the extension (a ``.txt`` that is really HTML is
read as HTML); the extension decides only for content with no signature (a ``.jsonl``
of prose is still read as JSON Lines, so each bad line is reported).
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath

from .decode import bom_encoding

GZIP_MAGIC = b"\x1f\x8b"
# Bytes looked at to sniff a format; enough for a long XML prolog or an HTML <head> start.
SNIFF_BYTES = 65_536
# Formats read record by record from a stream: no file-size limit applies to them.
STREAMING_FORMATS = frozenset({"jsonl", "warc"})

SAMPLE_FIRST_LINE = re.compile(r"\s*date\s+(\d{4}-\d{2}-\d{2})(?:\s+(.*))?$", re.IGNORECASE)
_PROLOG = re.compile(r"\s*(<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>|\s)*", re.IGNORECASE | re.DOTALL)
_TAG_NAME = re.compile(r"<([A-Za-z][\w:.-]*)")
_HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body")
_HTML_FRAGMENT_TAGS = frozenset(
    {"p", "div", "article", "section", "main", "h1", "h2", "meta", "title", "span"}
)
FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf"})

# Signatures of binary formats we do not read, named in the E010 message instead of "binary junk".
UNSUPPORTED_SIGNATURES = tuple(
    (re.compile(signature, re.DOTALL), description)
    for signature, description in (
        (rb"%PDF-\d", "PDF document"),
        (rb"PK\x03\x04", "ZIP archive (or .docx/.epub); unpack it first"),
        (rb"BZh[1-9]1AY&SY", "bzip2-compressed file; only gzip is read"),
        (rb"\xfd7zXZ\x00", "xz-compressed file; only gzip is read"),
        (rb"\x28\xb5\x2f\xfd", "zstandard-compressed file; only gzip is read"),
        (rb"\x89PNG\r\n\x1a\n", "PNG image"),
        (rb"\xff\xd8\xff", "JPEG image"),
        (rb"GIF8[79]a", "GIF image"),
    )
)

EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".warc": "warc",
    ".arc": "warc",
}


def strip_gz(name: str) -> str:
    """``a.jsonl.gz`` → ``a.jsonl``: the name that tells what the compressed content is."""
    return name[:-3] if name.lower().endswith(".gz") else name


def extension_format(name: str) -> str | None:
    return EXTENSIONS.get(PurePath(name).suffix.lower())


def unsupported_format(head: bytes) -> str | None:
    """The name of a known binary format ``head`` starts with, or None."""
    for signature, description in UNSUPPORTED_SIGNATURES:
        if signature.match(head):
            return description
    return None


def sniff(head: bytes, *, name: str) -> str:
    """The format of content starting with ``head`` (decompressed), named ``name``.

    One of: sample, text, html, feed, jsonl, json (a whole-file JSON document), warc.
    """
    if head.startswith((b"WARC/", b"warc/")):
        return "warc"
    text = head_text(head)
    by_content = _sniff_markup(text) or _sniff_json(text) or _sniff_sample(text)
    return by_content or extension_format(name) or "text"


def head_text(head: bytes) -> str:
    """A best-effort decoding of the first bytes, only for sniffing."""
    encoding = bom_encoding(head) or "utf-8"
    return head.decode(encoding, errors="ignore").lstrip("\ufeff")


def _sniff_markup(text: str) -> str | None:
    rest = text[_PROLOG.match(text).end() :]  # type: ignore[union-attr]  # the pattern matches ""
    root = _TAG_NAME.match(rest)
    root_name = root.group(1).lower() if root else None
    if root_name in FEED_ROOTS:
        return "feed"
    lowered = text[:SNIFF_BYTES].lower()
    if root_name == "html" or any(marker in lowered for marker in _HTML_MARKERS):
        return "html"
    if root_name in _HTML_FRAGMENT_TAGS:
        return "html"
    return None


def _sniff_json(text: str) -> str | None:
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "json"
    if not stripped.startswith("{"):
        return None
    first_line, newline, _ = stripped.partition("\n")
    if not newline:
        # One line longer than the sniffed head (or the whole file): a record per line either way.
        return "jsonl"
    try:
        is_object = isinstance(json.loads(first_line), dict)
    except ValueError:
        return "json"  # a pretty-printed document: "{" alone on the first line
    return "jsonl" if is_object else "json"


def _sniff_sample(text: str) -> str | None:
    first_line = text.partition("\n")[0]
    return "sample" if SAMPLE_FIRST_LINE.match(first_line) else None
