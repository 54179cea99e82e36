"""Export everything the store knows, following the contract in the architecture note.

Output is streamed article by article so a large database never sits in memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from .errors import E301, OptionError
from .model import SCHEMA, Article

FORMATS = ("json", "jsonl", "csv")
CSV_COLUMNS = (
    "id",
    "origin",
    "source",
    "url",
    "published",
    "title",
    "byline",
    "wire",
    "dateline_place",
    "dateline_date",
    "words",
    "embeds",
    "revision",
    "text",
)


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise OptionError(E301.format(choices=", ".join(FORMATS), value=fmt))
    return fmt


def export_chunks(
    articles: Iterable[Article], *, fmt: str, stories: Iterable[dict[str, Any]] = ()
) -> Iterator[str]:
    """Yield the export document in pieces (``"".join`` them or write each to a file)."""
    check_format(fmt)
    if fmt == "json":
        return _json_chunks(articles, stories)
    if fmt == "jsonl":
        return (json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in articles)
    return _csv_chunks(articles)


def _json_chunks(articles: Iterable[Article], stories: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield '{\n"schema": ' + json.dumps(SCHEMA) + ',\n"articles": ['
    yield from _json_array(a.to_dict() for a in articles)
    yield '],\n"stories": ['
    yield from _json_array(stories)
    yield "]\n}\n"


def _json_array(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    for index, item in enumerate(items):
        yield ("," if index else "") + "\n" + json.dumps(item, ensure_ascii=False, indent=1)


def _csv_chunks(articles: Iterable[Article]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for article in articles:
        writer.writerow(_csv_row(article))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _csv_row(article: Article) -> list[Any]:
    dateline = article.dateline
    return [
        article.id,
        article.origin,
        article.source,
        article.url,
        article.published,
        article.title,
        "; ".join(article.byline),
        article.wire,
        dateline.place if dateline else None,
        dateline.date if dateline else None,
        article.word_count,
        len(article.embeds),
        article.revision,
        article.text,
    ]
