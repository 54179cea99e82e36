"""RSS 2.0 / Atom / RSS 1.0 feeds saved as files → one RawDocument per entry (``path#N``).

The entry's full content is preferred to its summary. Dates are read from the entry's
own string (feedparser's parsed form is converted to UTC, which can move the day), and
only fall back to feedparser's struct_time when the string is unreadable to us.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import feedparser
from lxml import etree

from ..errors import E007, E012, IngestError
from ..model import RawDocument
from .dates import DateProblem, published_fields, struct_time_to_iso
from .html import html_fragment_to_text

Item = RawDocument | IngestError
CONTENT_FIELDS = "content, summary"
_ENTRY_XPATH = "//*[local-name()='item' or local-name()='entry']"
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


def read_feed(data: bytes, *, path: str) -> Iterator[Item]:
    """Every entry of the feed in ``data``; E012 when it has none."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        yield IngestError(E012.format(path=path, reason=problem or "no <item> or <entry> elements"))
        return
    feed_title = _plain(parsed.feed.get("title_detail")) or None
    raw_entries = _entry_xml(data, expected=len(parsed.entries))
    for number, entry in enumerate(parsed.entries, start=1):
        raw = raw_entries[number - 1] if raw_entries else None
        yield _entry_document(entry, path=path, number=number, source=feed_title, raw=raw)


def _entry_document(entry: Any, *, path: str, number: int, source: str | None, raw: bytes | None) -> Item:
    text = _entry_text(entry)
    if not text:
        return IngestError(E007.format(path=path, record=number, fields=CONTENT_FIELDS))
    published, metadata = _entry_date(entry)
    metadata.update(_entry_metadata(entry, text=text))
    return RawDocument(
        origin=f"{path}#{number}",
        data=raw if raw is not None else text.encode("utf-8"),
        format="feed",
        text=text,
        title=_plain(entry.get("title_detail")) or None,
        published=published,
        url=entry.get("link"),
        source=source,
        authors=_authors(entry),
        metadata=metadata,
    )


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    for detail in sorted(contents, key=lambda item: len(item.get("value") or ""), reverse=True):
        if text := _plain(detail):
            return text
    return _plain(entry.get("summary_detail"))


def _plain(detail: Any) -> str:
    """Text of a feedparser ``*_detail`` dict, converting HTML content to plain text."""
    if not detail or not detail.get("value"):
        return ""
    value: str = detail["value"]
    if detail.get("type") in _HTML_TYPES:
        return html_fragment_to_text(value)
    return value.strip()


def _entry_date(entry: Any) -> tuple[str | None, dict[str, Any]]:
    for name in ("published", "updated"):
        raw = entry.get(name)
        if not raw:
            continue
        published, metadata = published_fields(raw, source="feed")
        if published is None and entry.get(f"{name}_parsed"):
            return _from_struct_time(entry[f"{name}_parsed"], raw, metadata)
        return published, metadata
    return None, {"published_source": "unknown"}


def _from_struct_time(value: Any, raw: str, metadata: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    try:
        iso = struct_time_to_iso(value)
    except DateProblem:
        return None, metadata
    return iso, {"published_source": "feed", "published_raw": raw}


def _authors(entry: Any) -> list[str]:
    names = [author.get("name") for author in entry.get("authors") or [] if isinstance(author, dict)]
    found = [name.strip() for name in names if isinstance(name, str) and name.strip()]
    if not found and entry.get("author"):
        found = [entry["author"].strip()]
    return found


def _entry_metadata(entry: Any, *, text: str) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    if entry.get("id"):
        metadata["entry_id"] = entry["id"]
    tags = [tag.get("term") for tag in entry.get("tags") or [] if tag.get("term")]
    if tags:
        metadata["tags"] = tags
    summary = _plain(entry.get("summary_detail"))
    if summary and summary != text:
        metadata["summary"] = summary
    return metadata


def _entry_xml(data: bytes, *, expected: int) -> list[bytes] | None:
    """Each entry's own XML, so ``RawDocument.data`` holds that record; None when lxml sees another count."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    elements = root.xpath(_ENTRY_XPATH)
    if len(elements) != expected:
        return None
    return [etree.tostring(element, encoding="utf-8") for element in elements]
