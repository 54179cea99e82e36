"""The sample format and plain text files (already decoded) → RawDocument.

Sample format: first line `` date YYYY-MM-DD <headline or lead>``, then the body. The
rest of line 1 is the title only when it reads like a headline; a lead paragraph stays
the first paragraph of the text, so no fact in it is lost.

Plain text: the publication date comes from the ``date`` option, else from a header
block at the top (``Date:``, ``Title:``, ``By:`` … lines, removed from the text), else
the file's mtime when asked with ``date="mtime"``, else it is unknown. Never a guess.
"""

from __future__ import annotations

import re
from datetime import date as Date
from typing import Any

from ..model import RawDocument
from .dates import published_fields
from .formats import SAMPLE_FIRST_LINE
from .records import split_authors

MAX_HEADLINE_WORDS = 20
# Tokens whose final period does not end a sentence ("Mr. Putin", "U.S. troops").
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "sen",
        "rep",
        "gov",
        "gen",
        "lt",
        "col",
        "sgt",
        "jr",
        "sr",
        "prof",
        "rev",
        "no",
        "vs",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "inc",
        "corp",
        "co",
    ]
)
_SENTENCE_END = re.compile(r"(\S+?)[.!?][\"”’')]*\s+[\"“‘(]?[A-Z0-9]")
HEADER_LINE = re.compile(r"(?P<key>[A-Za-z][A-Za-z -]{0,20}?)\s*:\s*(?P<value>\S.*)$")
HEADER_KEYS = {
    "date": "date",
    "published": "date",
    "pubdate": "date",
    "publication date": "date",
    "title": "title",
    "headline": "title",
    "source": "source",
    "url": "url",
    "link": "url",
    "author": "authors",
    "authors": "authors",
    "by": "authors",
    "byline": "authors",
}


def read_sample(text: str, *, origin: str, data: bytes, encoding: str) -> RawDocument:
    """The sample format: the date and headline (or lead) on line 1, then the body."""
    first_line, _, body = text.partition("\n")
    match = SAMPLE_FIRST_LINE.match(first_line)
    day, rest = (match.group(1), (match.group(2) or "").strip()) if match else (None, "")
    published, metadata = published_fields(day, source="sample")
    body = body.strip("\n")
    title = rest if looks_like_headline(rest) else None
    if rest and title is None:
        body = f"{rest}\n\n{body}" if body else rest
    metadata.update(encoding=encoding, title_source="line1" if title else "none")
    return RawDocument(
        origin=origin,
        data=data,
        format="sample",
        text=body,
        title=title,
        published=published,
        metadata=metadata,
    )


def looks_like_headline(line: str) -> bool:
    """Short, a single sentence, no final period: "Talks continue to free Ukrainian kids"."""
    words = line.split()
    if not words or len(words) > MAX_HEADLINE_WORDS or line.rstrip().endswith("."):
        return False
    return not any(_ends_sentence(match.group(1)) for match in _SENTENCE_END.finditer(line))


def _ends_sentence(token: str) -> bool:
    word = token.lstrip('"“‘(').lower()
    is_initial = len(word) == 1 and word.isalpha()
    return not is_initial and word not in ABBREVIATIONS


def read_plain_text(
    text: str, *, origin: str, data: bytes, encoding: str, date: str | None, mtime: float | None
) -> RawDocument:
    """Plain text with an optional header block; see the module docstring for the date rules."""
    headers, body = split_header_block(text)
    published, metadata = _plain_text_date(headers.get("date"), date=date, mtime=mtime)
    metadata["encoding"] = encoding
    if headers:
        metadata["headers"] = headers
    title = headers.get("title")
    metadata["title_source"] = "header" if title else "none"
    return RawDocument(
        origin=origin,
        data=data,
        format="text",
        text=body.strip("\n"),
        title=title,
        published=published,
        url=headers.get("url"),
        source=headers.get("source"),
        authors=split_authors(headers["authors"]) if "authors" in headers else [],
        metadata=metadata,
    )


def split_header_block(text: str) -> tuple[dict[str, str], str]:
    """({field: value}, rest) for the ``Key: value`` lines of known keys at the top of ``text``."""
    headers: dict[str, str] = {}
    lines = text.lstrip("\n").split("\n")
    for index, line in enumerate(lines):
        match = HEADER_LINE.match(line.strip())
        field = HEADER_KEYS.get(match.group("key").lower()) if match else None
        if match is None or field is None or field in headers:
            return headers, "\n".join(lines[index:]) if headers else text
        headers[field] = match.group("value").strip()
    return headers, ""


def _plain_text_date(header: str | None, *, date: str | None, mtime: float | None) -> tuple[Any, dict]:
    if date is not None and date != "mtime":
        return date, {"published_source": "option"}  # validated by read_inputs before any reading
    if header is not None:
        return published_fields(header, source="header")
    if date == "mtime" and mtime is not None:
        return Date.fromtimestamp(mtime).isoformat(), {"published_source": "mtime"}
    metadata: dict[str, Any] = {"published_source": "unknown"}
    if date == "mtime":
        metadata["warnings"] = ["date='mtime' asked, but the input has no modification time (stdin)"]
    return None, metadata
