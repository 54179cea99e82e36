"""JSON records (JSON Lines, or a whole-file JSON document) → RawDocument.

Field names are matched case-insensitively; the first non-empty field of each group
wins, in the order listed. Every other field is kept in ``metadata`` unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import E007, IngestError
from ..model import RawDocument
from .dates import published_fields

# content_original before content: datasets that have both keep a tokenised copy in "content".
TEXT_FIELDS = ("text", "body", "content_original", "content", "article", "article_text", "maintext")
TITLE_FIELDS = ("title", "headline")
PUBLISHED_FIELDS = ("published", "date", "datetime", "pubdate", "published_at", "date_publish", "pub_date")
URL_FIELDS = ("url", "link")
SOURCE_FIELDS = ("source", "outlet", "publisher", "site_name")
AUTHOR_FIELDS = ("authors", "author", "byline")
_AUTHOR_SEPARATORS = re.compile(r"\s*,\s*|\s*;\s*|\s+and\s+|\s*&\s*")


def record_to_document(
    record: dict[str, Any], *, path: str, number: int | None, data: bytes, fmt: str
) -> RawDocument:
    """The article in one JSON object (record ``number`` of ``path``); IngestError E007 without text.

    Fields of the mapped groups that were not used (a second text field) are not copied to metadata.
    """
    fields = {str(key).lower(): key for key in record}
    text = _first(record, fields, TEXT_FIELDS, _as_text)
    if text is None:
        raise IngestError(E007.format(path=path, record=number or 1, fields=", ".join(TEXT_FIELDS)))
    raw_date = _first(record, fields, PUBLISHED_FIELDS, _as_date_value)
    published, date_metadata = published_fields(raw_date, source=fmt)
    used = {fields[name] for name in _ALL_MAPPED if name in fields}
    metadata = {key: value for key, value in record.items() if key not in used}
    return RawDocument(
        origin=path if number is None else f"{path}#{number}",
        data=data,
        format=fmt,
        text=text,
        title=_first(record, fields, TITLE_FIELDS, _as_line),
        published=published,
        url=_first(record, fields, URL_FIELDS, _as_line),
        source=_first(record, fields, SOURCE_FIELDS, _as_line),
        authors=split_authors(_first(record, fields, AUTHOR_FIELDS, _as_authors) or []),
        metadata={**metadata, **date_metadata},
    )


def split_authors(value: str | list[str]) -> list[str]:
    """``"A, B and C"`` or ``["A", "B"]`` → ``["A", "B", "C"]`` (empty names dropped)."""
    names = [value] if isinstance(value, str) else value
    parts = (part.strip() for name in names for part in _AUTHOR_SEPARATORS.split(name))
    return [part for part in parts if part]


_ALL_MAPPED = TEXT_FIELDS + TITLE_FIELDS + PUBLISHED_FIELDS + URL_FIELDS + SOURCE_FIELDS + AUTHOR_FIELDS


def _first(record: dict[str, Any], fields: dict[str, Any], names: tuple[str, ...], convert: Any) -> Any:
    for name in names:
        if name in fields:
            value = convert(record[fields[name]])
            if value:
                return value
    return None


def _as_text(value: Any) -> str | None:
    """A string, or a list of paragraph strings joined by blank lines."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return "\n\n".join(value)
    return None


def _as_date_value(value: Any) -> str | None:
    # A number (a Unix timestamp?) is kept as a string: the date parser reports it instead of guessing.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) and value.strip() else None


def _as_line(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _as_authors(value: Any) -> str | list[str] | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, list):
        names = [item.get("name") if isinstance(item, dict) else item for item in value]
        return [name for name in names if isinstance(name, str)]
    return None
