"""Pagination shared by the list endpoints: ``limit`` + ``offset``, or an opaque keyset ``cursor``."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Query

from ..errors import E602, ApiError

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int
    # The sort key of the last item of the previous page, decoded from ``cursor``.
    after: tuple[str, ...] | None = None


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip (ignored with cursor).")]


def offset_paging(limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Paging:
    """Paging for lists sorted by computed values (counts, relevance), where offsets are the natural key."""
    return Paging(limit=limit, offset=offset)


def paging(
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    cursor: Annotated[
        str | None, Query(max_length=2000, description="next_cursor of the previous page.")
    ] = None,
) -> Paging:
    """Keyset paging: stable under inserts when following ``next_cursor``."""
    if cursor is None:
        return Paging(limit=limit, offset=offset)
    return Paging(limit=limit, offset=0, after=decode_cursor(cursor))


def encode_cursor(key: tuple[Any, ...]) -> str:
    data = json.dumps([str(part) for part in key], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, ...]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise ApiError(E602.format(value=cursor)) from exc
    if not isinstance(key, list) or len(key) != 2 or not all(isinstance(part, str) for part in key):
        raise ApiError(E602.format(value=cursor))
    return tuple(key)


@dataclass(slots=True)
class Filters:
    """WHERE conditions joined by AND, with their parameters in order."""

    conditions: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, condition: str, *params: Any) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    @property
    def where(self) -> str:
        return f"WHERE {' AND '.join(self.conditions)}" if self.conditions else ""
